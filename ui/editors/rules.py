"""The rules editor: what a rule names depends on its kind; cells that do not apply are greyed."""

from __future__ import annotations

import dataclasses
import math
import re

from planner.edits import (
    RULE_VALUE, EditRefused, find_item, named, resolve, resolve_list, set_place, set_rule_kind, set_value,
)
from planner.problems import KIND_WORDS, change_text, field_words
from planner.scenario import PLACES, REQUIRES_COUNTS, REQUIRES_SCOPES, RULE_FIELDS, RULE_KINDS
from planner.text import shown

from .base import Cell
from .lists import ID_COLUMN, Column, ListModel
from .numbers import edit_number, format_number, format_share, parse_field, parse_whole, stored

_ZONE = re.compile(r"zone\s*[:=]?\s*(\S.*)", re.IGNORECASE)
_FORBID_REGION = "a forbid rule applies to one region (blank = every region)"


class RulesModel(ListModel):
    """Rules: what applies depends on the kind; cells that do not apply are greyed.

    Most columns are plain fields; those of type kind, capability, needs,
    place, value and period read differently by the rule's kind.
    """

    kind = "rule"
    columns = (
        ID_COLUMN,
        Column("name", "Name", "How results and diagnoses name the rule (blank = its id)", "note"),
        Column("kind", "Kind", "floor: a task reaches at least a satisfaction in regions; "
               "max_share: at most a share of the employment goes to a task; forbid: no unit matching "
               "capability, task and region; min_units: a presence commitment of units in regions; "
               "requires: units of a capability need enablers with them (so many per unit)", "kind"),
        Column("task", "Task", "The task the rule is about (a forbid rule: blank = every task)", "ref",
               optional=True, ref="task", blank="(every task)"),
        Column("capability", "Capability", "min units / forbid / requires: the capability (forbid: blank = "
               "every capability); max share: the capabilities counted, comma-separated (blank = all)",
               "capability", ref="capability"),
        Column("needs", "Needs", "requires: the enablers and how many of each one unit of the capability "
               "needs, e.g. 'Utility helicopter: 0.5, Surgical team: 0.25'", "needs"),
        Column("place", "Region(s) / zone", "floor / min units: regions, comma-separated, or 'zone: NAME'; "
               "forbid: one region (blank = every region); requires: where it holds (blank = everywhere)",
               "place"),
        Column("scope", "Scope", "requires: enablers count in each region, or anywhere in the region's zone "
               "(blank = region)", "choice", optional=True, choices=REQUIRES_SCOPES),
        Column("value", "Value", "floor: the min satisfaction (e.g. 40%); max share: the most share "
               "(e.g. 15%); min units: the number of units", "value"),
        Column("from_period", "From period", "First period the rule holds in (blank = the first)", "period"),
        Column("to_period", "To period", "Last period the rule holds in (blank = the last)", "period"),
        Column("via_task", "Via task", "requires: only the enablers' work on this (support) task counts, so "
               "lift time is not also protection time (blank = any task)", "ref", optional=True, ref="task",
               blank="(any task)"),
        Column("beyond_km", "Beyond\n(km)", "requires: binds only where the capability works farther than "
               "this from its base (blank = wherever it works)", "number", optional=True, stationing=True),
        Column("count", "Count", "requires: employed = an enabler counts where it is employed; "
               "based_within = where it is based, for every region within the distance at once",
               "choice", optional=True, choices=REQUIRES_COUNTS, stationing=True),
        Column("within_km", "Within\n(km)", "requires, counting enablers where they are based: how far from "
               "its base an enabler covers", "number", optional=True, stationing=True),
        Column("any", "Any", "requires: the enablers are alternatives, any of them will do", "check"),
    )

    def _items(self) -> tuple:
        return self._scenario.rules or ()

    # -- what applies -------------------------------------------------------------------
    @staticmethod
    def _applies(rule, c: Column) -> bool:
        allowed = RULE_FIELDS[rule.kind].allowed
        if c.type == "capability":
            return "capability" in allowed or "capabilities" in allowed
        if c.type == "place":
            return any(p in allowed for p in PLACES)
        if c.type == "value":
            return rule.kind in RULE_VALUE
        if c.field == "within_km":
            return rule.effective_count == "based_within"
        return c.field in allowed

    @staticmethod
    def _na(rule, c: Column) -> Cell:
        if c.field == "within_km" and rule.kind == "requires":
            tip = "Applies when enablers count where they are based (count: based_within)"
        else:
            tip = f"Does not apply to a {KIND_WORDS.get(rule.kind, rule.kind)} rule"
        return Cell("—", editable=False, muted=True, tip=tip)

    @staticmethod
    def _capability_column(rule_kind: str, c: Column) -> Column:
        """The capability column as a plain one: a list of capabilities for a max share rule, else one."""
        if rule_kind == "max_share":
            return dataclasses.replace(c, field="capabilities", type="refs", optional=True, blank="(all)")
        return dataclasses.replace(c, type="ref", optional=rule_kind == "forbid", blank="(every capability)")

    # -- showing ------------------------------------------------------------------
    def _item_cell(self, rule, c: Column) -> Cell:
        if c.field not in ("id", "name", "kind", "note") and not self._applies(rule, c):
            return self._na(rule, c)
        return super()._item_cell(rule, c)

    def _value_cell(self, rule, c: Column) -> Cell:
        if c.type == "kind":
            return Cell(rule.kind, choices=list(RULE_KINDS), tip=c.tip)
        if c.type == "capability":
            return super()._value_cell(rule, self._capability_column(rule.kind, c))
        if c.type == "needs":
            return self._needs_cell(rule)
        if c.type == "place":
            return self._place_cell(rule)
        if c.type == "value":
            key = RULE_VALUE[rule.kind]
            value = getattr(rule, key)
            if key == "units":
                return Cell(format_number(value), edit=edit_number(value), number=True, tip="Units")
            return Cell(format_share(value), number=True, tip=f"{field_words(key).capitalize()}: type 40% or 0.4")
        if c.type == "period":
            return self._period_cell(rule, c)
        return super()._value_cell(rule, c)

    def _needs_cell(self, rule) -> Cell:
        needs = rule.needs or {}
        shown_as = [(self.display_name("capability", b), b, r) for b, r in needs.items()]
        return Cell(", ".join(f"{n}: {format_number(r)}" for n, _b, r in shown_as),
                    edit=", ".join(f"{n}: {edit_number(r)}" for n, _b, r in shown_as),
                    tip="; ".join(f"{n} ({b}): {format_number(r)} per unit" for n, b, r in shown_as) or None)

    def _place_cell(self, rule) -> Cell:
        s = self._scenario
        regions = [self.display_name("region", r.id) for r in s.regions]
        if rule.kind == "forbid":
            return self._ref_cell(Column("region", "", "Every region", "ref", optional=True, ref="region",
                                         blank="(every region)"), rule.region)
        choices = [f"zone: {z}" for z in s.zones()] + regions
        if rule.zone is not None:
            members = [r.name for r in s.regions if r.zone == rule.zone]
            return Cell(f"zone: {rule.zone}", choices=choices, free_text=True,
                        tip=f"Every region of zone '{rule.zone}': {', '.join(members)}")
        cell = self._ref_cell(Column("regions", "", "Everywhere", "refs", ref="region", blank="(everywhere)"),
                              rule.regions or (() if rule.region is None else (rule.region,)))
        cell.choices = ([""] if rule.kind == "requires" else []) + choices
        return cell

    def _period_cell(self, rule, c: Column) -> Cell:
        periods = self._scenario.periods
        value = getattr(rule, c.field)
        end = "(first)" if c.field == "from_period" else "(last)"
        choices = [end] + [p.name for p in periods]
        if value is None:
            return Cell(end, muted=True, choices=choices,
                        tip="From the first period" if c.field == "from_period" else "To the last period")
        if 0 <= value < len(periods):
            p = periods[value]
            return Cell(p.name, choices=choices, tip=f"Period {value} ({p.id})")
        return Cell(str(value), choices=choices)

    # -- editing --------------------------------------------------------------------
    def _edit_field(self, data: dict, rule: dict, c: Column, value) -> str | None:
        rid, kind = rule["id"], rule["kind"]
        who = named(data, "rule", rid)
        if c.type == "kind":
            set_rule_kind(data, rid, value)
            return f"Make {who} a {KIND_WORDS[find_item(data, 'rule', rid)['kind']]} rule"
        if c.type == "capability":
            plain = self._capability_column(kind, c)
            if plain.type == "ref" and len(re.split(r"[,;]", value)) > 1:
                try:
                    resolve(data, "capability", value)
                except EditRefused:
                    raise EditRefused(f"a {KIND_WORDS[kind]} rule names one capability") from None
            return super()._edit_field(data, rule, plain, value)
        if c.type not in ("needs", "place", "value", "period"):
            return super()._edit_field(data, rule, c, value)
        field = RULE_VALUE[kind] if c.type == "value" else c.field
        text = change_text(data, "rule", rid, field)
        if c.type == "needs":
            set_value(data, "rule", rid, "needs", self._needs(data, value, who))
        elif c.type == "place":
            self._edit_place(data, rid, kind, value)
        elif c.type == "value":
            set_value(data, "rule", rid, field, self._rule_value(rule, field, value, f"{who} {field_words(field)}"))
        else:
            set_value(data, "rule", rid, c.field, self._period(value, data))
        return text

    @staticmethod
    def _rule_value(rule: dict, key: str, text: str, what: str) -> int | float:
        if not text:
            raise EditRefused(f"{what}: a number is needed")
        value = parse_field(text, what, percent=key != "units")
        old = rule.get(key)
        if old is not None and math.isclose(value, old, rel_tol=1e-12, abs_tol=1e-15):
            return old  # what the display rounded, typed back
        return stored(value)

    @staticmethod
    def _needs(data: dict, text: str, who: str) -> dict | None:
        """Enablers and ratios from "Utility helicopter: 0.5, Surgical team: 1" (a name may hold a comma)."""
        needs: dict = {}
        pending: list[str] = []  # the parts of one "name: ratio", split at commas in the name
        for part in re.split(r"[,;]", text):
            if not pending and not part.strip():
                continue
            pending.append(part)
            m = re.fullmatch(r"(.+)[:=]([^:=]+)", ",".join(pending).strip())
            if m is None:
                continue
            enabler = resolve(data, "capability", m.group(1).strip())
            needs[enabler] = stored(parse_field(m.group(2), f"{who} needs {named(data, 'capability', enabler)}"))
            pending = []
        if pending:
            raise EditRefused(f"'{shown(','.join(pending).strip())}': give each enabler its number per unit, "
                              "as 'Utility helicopter: 0.5'")
        return needs or None

    @staticmethod
    def _edit_place(data: dict, rid: str, kind: str, text: str) -> None:
        zones = {r["zone"] for r in data["regions"]}
        zone = _ZONE.fullmatch(text)
        if kind == "forbid":
            if zone or (text in zones and text not in {r["id"] for r in data["regions"]}):
                raise EditRefused(f"{_FORBID_REGION}, not to a zone")
            regions = resolve_list(data, "region", text)
            if len(regions) > 1:
                raise EditRefused(_FORBID_REGION)
            set_place(data, rid, "region", regions[0] if regions else None)
        elif zone:
            set_place(data, rid, "zone", zone.group(1).strip())
        elif not text:
            set_place(data, rid, None, None)
        else:
            try:
                set_place(data, rid, "regions", resolve_list(data, "region", text))
            except EditRefused:
                if text not in zones:
                    raise
                set_place(data, rid, "zone", text)

    @staticmethod
    def _period(text: str, data: dict) -> int | None:
        if not text or text.lower() in ("(first)", "(last)", "first", "last"):
            return None
        periods = data["periods"]
        for i, p in enumerate(periods):
            if text.lower() in (p["id"].lower(), p["name"].lower()):
                return i
        try:
            return parse_whole(text)
        except EditRefused:
            names = ", ".join(shown(p["name"]) for p in periods)
            raise EditRefused(f"'{shown(text)}' is not a period: use one of {names} or a period index") from None
