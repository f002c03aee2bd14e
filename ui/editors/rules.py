"""The rules editor: what a rule names depends on its kind; cells that do not apply are greyed."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from planner.scenario import RULE_KINDS
from planner.text import shown

from .base import Cell
from .edits import KIND_WORDS, LIST_KEY, RULE_FIELDS, RULE_VALUE, convert_rule
from .lists import ID_COLUMN, NOTE_COLUMN, Column, ListModel
from .numbers import EditRefused, edit_number, format_number, format_share, parse_number, parse_whole, stored
from .problems import FIELD_WORDS


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;]", text) if p.strip()]


def _one(item_id: str | None) -> tuple[str, ...]:
    return () if item_id is None else (item_id,)


class RulesModel(ListModel):
    """Rules: what applies depends on the kind; cells that do not apply are greyed."""

    kind = "rule"
    columns = (
        ID_COLUMN,
        Column("name", "Name", "How results and diagnoses name the rule (blank = its id)", "note"),
        Column("kind", "Kind", "floor: a task reaches at least a satisfaction in regions; "
               "max_share: at most a share of the employment goes to a task; forbid: no unit matching "
               "capability, task and region; min_units: a presence commitment of units in regions", "choice"),
        Column("task", "Task", "The task the rule is about (a forbid rule: blank = every task)", "ref"),
        Column("capability", "Capability", "min units / forbid: the capability (forbid: blank = every "
               "capability); max share: the capabilities counted, comma-separated (blank = all)", "ref"),
        Column("where", "Region(s) / zone", "floor / min units: regions, comma-separated, or 'zone: NAME'; "
               "forbid: one region (blank = every region)", "ref"),
        Column("value", "Value", "floor: the min satisfaction (e.g. 40%); max share: the most share "
               "(e.g. 15%); min units: the number of units", "ref"),
        Column("from_period", "From period", "First period the rule holds in (blank = the first)", "ref"),
        Column("to_period", "To period", "Last period the rule holds in (blank = the last)", "ref"),
        NOTE_COLUMN,
    )

    def _items(self) -> tuple:
        return self._scenario.rules or ()

    # -- showing ------------------------------------------------------------------
    def _na(self, rule) -> Cell:
        return Cell("—", editable=False, muted=True,
                    tip=f"Does not apply to a {KIND_WORDS.get(rule.kind, rule.kind)} rule")

    def _named_cell(self, items, named: Sequence[str], every: str) -> Cell:
        """A cell naming some of ``items`` by id; none named means every one, shown "(all)"."""
        ids = [i.id for i in items]
        if not named:
            return Cell("(all)", edit="", muted=True, choices=[""] + ids, free_text=True, tip=every)
        return Cell(", ".join(named), choices=ids, free_text=True,
                    tip="; ".join(self._name_of(items, x) for x in named))

    def _item_cell(self, rule, c: Column) -> Cell:
        s = self._scenario
        applies = RULE_FIELDS.get(rule.kind, ())
        if c.field == "name":
            return Cell(rule.name or "", tip=rule.name)
        if c.field == "kind":
            return Cell(rule.kind, choices=list(RULE_KINDS), tip=c.tip)
        if c.field == "task":
            if "task" not in applies:
                return self._na(rule)
            return self._named_cell(s.tasks, _one(rule.task), "Every task")
        if c.field == "capability":
            if rule.kind == "max_share":
                return self._named_cell(s.capabilities, rule.capabilities or (), "Every capability counts")
            if "capability" not in applies:
                return self._na(rule)
            return self._named_cell(s.capabilities, _one(rule.capability), "Every capability")
        if c.field == "where":
            if rule.kind == "forbid":
                return self._named_cell(s.regions, _one(rule.region), "Every region")
            if rule.kind not in ("floor", "min_units"):
                return self._na(rule)
            choices = [f"zone: {z}" for z in s.zones()] + [r.id for r in s.regions]
            if rule.zone is not None:
                members = [r.name for r in s.regions if r.zone == rule.zone]
                return Cell(f"zone: {rule.zone}", choices=choices, free_text=True,
                            tip=f"Every region of zone '{rule.zone}': {', '.join(members)}")
            text = ", ".join(rule.regions or ())
            return Cell(text, choices=choices, free_text=True,
                        tip="; ".join(self._name_of(s.regions, x) for x in rule.regions or ()))
        if c.field == "value":
            key = RULE_VALUE.get(rule.kind)
            if key is None:
                return self._na(rule)
            value = getattr(rule, key)
            if key == "units":
                return Cell(format_number(value), edit=edit_number(value), number=True, tip="Units")
            word = "Min satisfaction" if key == "min_satisfaction" else "Max share"
            return Cell(format_share(value), number=True, tip=f"{word}: type 40% or 0.4")
        if c.field in ("from_period", "to_period"):
            if c.field not in applies:
                return self._na(rule)
            value = getattr(rule, c.field)
            end = "(first)" if c.field == "from_period" else "(last)"
            choices = [end] + [p.name for p in s.periods]
            if value is None:
                return Cell(end, muted=True, choices=choices,
                            tip="From the first period" if c.field == "from_period" else "To the last period")
            if 0 <= value < len(s.periods):
                p = s.periods[value]
                return Cell(p.name, choices=choices, tip=f"Period {value} ({p.id})")
            return Cell(str(value), choices=choices)
        return super()._item_cell(rule, c)

    @staticmethod
    def _name_of(items, item_id: str) -> str:
        for i in items:
            if i.id == item_id:
                return f"{i.name} ({i.id})"
        return f"unknown: {item_id}"

    # -- editing --------------------------------------------------------------------
    def _edit_field(self, data: dict, rule: dict, c: Column, text: str) -> str:
        who = f"rule '{rule['id']}'"
        if c.field == "kind":
            kind = text.lower().replace(" ", "_")
            if kind not in RULE_KINDS:
                raise EditRefused(f"'{shown(text)}' is not a kind of rule: use one of {', '.join(RULE_KINDS)}")
            rules = data["rules"]
            rules[rules.index(rule)] = convert_rule(rule, kind, data)
            return f"Make {who} a {KIND_WORDS[kind]} rule"
        if c.type != "ref":
            return super()._edit_field(data, rule, c, text)
        kind = rule["kind"]
        if c.field == "task":
            self._set(rule, "task", self._resolve(text, data, "task") if text else None)
        elif c.field == "capability":
            if kind == "max_share":
                ids = [self._resolve(x, data, "capability") for x in _split(text)]
                self._set(rule, "capabilities", ids or None)
            else:
                if len(_split(text)) > 1:
                    raise EditRefused(f"a {KIND_WORDS[kind]} rule names one capability")
                self._set(rule, "capability", self._resolve(text, data, "capability") if text else None)
        elif c.field == "where":
            self._edit_where(data, rule, text)
        elif c.field == "value":
            key = RULE_VALUE[kind]
            if not text:
                raise EditRefused(f"{who} {FIELD_WORDS[key]}: a number is needed")
            try:
                value = parse_number(text, percent=key != "units")
            except EditRefused as exc:
                raise EditRefused(f"{who} {FIELD_WORDS[key]}: {exc}") from None
            old = rule.get(key)
            if old is not None and math.isclose(value, old, rel_tol=1e-12, abs_tol=1e-15):
                value = old  # what the display rounded, typed back
            rule[key] = stored(value)
        elif c.field in ("from_period", "to_period"):
            self._set(rule, c.field, self._period(text, data))
        return f"Edit {c.words} of {who}"

    @staticmethod
    def _set(rule: dict, key: str, value) -> None:
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value

    @staticmethod
    def _resolve(text: str, data: dict, kind: str) -> str:
        """An id from an id or a (unique) name; unknown text is kept for the check to name."""
        items = data.get(LIST_KEY[kind]) or []
        if text in (i["id"] for i in items):
            return text
        by_name = [i["id"] for i in items if i.get("name", "").lower() == text.lower()]
        if len(by_name) == 1:
            return by_name[0]
        low = text.lower()
        return low if low in (i["id"] for i in items) else text

    def _edit_where(self, data: dict, rule: dict, text: str) -> None:
        kind = rule["kind"]
        zones = {r["zone"] for r in data["regions"]}
        regions = {r["id"] for r in data["regions"]}
        m = re.fullmatch(r"zone\s*[:=]?\s*(\S.*)", text, re.IGNORECASE)
        parts = _split(text)
        if kind == "forbid":
            if m or (len(parts) == 1 and parts[0] in zones and parts[0] not in regions):
                raise EditRefused("a forbid rule applies to one region (blank = every region), not to a zone")
            if len(parts) > 1:
                raise EditRefused("a forbid rule applies to one region (blank = every region)")
            self._set(rule, "region", self._resolve(parts[0], data, "region") if parts else None)
            return
        rule.pop("zone", None)
        rule.pop("regions", None)
        if m:
            rule["zone"] = m.group(1).strip()
        elif len(parts) == 1 and parts[0] in zones and parts[0] not in regions:
            rule["zone"] = parts[0]
        elif parts:
            rule["regions"] = [self._resolve(p, data, "region") for p in parts]

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
