"""The data editors: one table per part of the scenario.

Every table model reads the document's scenario snapshot, and every edit of a
cell is one undoable command: the model builds the new file data from
``document.data()``, changes the one field (and, for a renamed or removed id,
every reference to it), and hands it to ``Document.push_data``, which checks
the whole scenario before anything changes. A refused edit changes nothing
and says why, in words, through the model's ``editRefused`` signal.

The models never hold state of their own beyond the snapshot they show (the
one exception: half of a region's location typed before the other half);
they reset whenever the document's ``scenarioChanged`` fires, undo and redo
included.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shiboken6 import isValid

from planner.fileio import ScenarioError
from planner.scenario import BASES, RULE_KINDS
from planner.schema import ID_PATTERN

from .document import Document

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
#: A list of strings: offer them in a combo box when the cell is edited.
CHOICES_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: True when the combo box also takes typed text.
FREE_TEXT_ROLE = int(Qt.ItemDataRole.UserRole) + 2

_ID_RE = re.compile(ID_PATTERN)
_MAX_COLUMN_WIDTH = 240
_MIN_COLUMN_WIDTH = 52
_MAX_ROW_HEADER_WIDTH = 220
_REFUSAL_COLOUR = "#b00020"

_LIST_KEY = {
    "task": "tasks",
    "region": "regions",
    "capability": "capabilities",
    "resource": "resources",
    "rule": "rules",
}
_NEEDED = ("task", "region", "capability")  # a scenario needs at least one of each


class EditRefused(ValueError):
    """An edit the editors refuse before the scenario is even checked."""


# -- numbers ------------------------------------------------------------------

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([, _'])\d{3})(?:\1\d{3})*(?:\.\d*)?")
_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}


def parse_number(text: str, *, percent: bool = False) -> float:
    """A finite number from what a person types.

    Accepts thousands separators ("1,200", "58 000 000"), a scale suffix
    ("4.5M", "250k", "1.2bn") and, where ``percent`` is true, a percentage
    ("40%" gives 0.4). Raises :class:`EditRefused` naming the text otherwise.
    """
    raw = str(text).strip()
    s = raw
    for space in ("\u00a0", "\u2009", "\u202f"):
        s = s.replace(space, " ")
    s = s.replace("\u2212", "-").strip()
    if not s:
        raise EditRefused("a number is needed")
    scale = 1.0
    if s.endswith("%"):
        if not percent:
            raise EditRefused(f"'{raw}' is not a number (a percentage only makes sense for a share)")
        s, scale = s[:-1].strip(), 0.01
    else:
        m = re.fullmatch(r"(.*?\d\.?)\s*(k|m|mn|bn)", s, re.IGNORECASE)
        if m:
            s, scale = m.group(1), _SCALE[m.group(2).lower()]
    g = _GROUPED.fullmatch(s)
    if g:
        s = s.replace(g.group(1), "")
    elif "," in s:
        hint = " (use '.' for decimals)" if re.fullmatch(r"[+-]?\d+,\d+", s) else ""
        raise EditRefused(f"'{raw}' is not a number{hint}")
    try:
        value = float(s) * scale
    except ValueError:
        raise EditRefused(f"'{raw}' is not a number") from None
    if not math.isfinite(value):
        raise EditRefused(f"'{raw}' is not a finite number")
    if value == 0:
        value = 0.0  # no "-0"
    return value


def parse_whole(text: str) -> int:
    """A whole number (a count of periods, a period index)."""
    value = parse_number(text)
    if not value.is_integer():
        raise EditRefused(f"'{str(text).strip()}' is not a whole number")
    return int(value)


def format_number(value: float | None, *, grouping: bool = True) -> str:
    """A number for display: "58,000,000", "0.25"."""
    if value is None:
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}" if grouping else str(int(v))
    return format(v, ",.10g" if grouping else ".10g")


def edit_number(value: float | None) -> str:
    """A number as the editor starts with it: exact, no separators."""
    if value is None:
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def format_share(value: float | None) -> str:
    return "" if value is None else f"{float(value) * 100:.10g}%"


def _store(value: float) -> int | float:
    """Whole numbers as integers, as the file writes them."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


# -- references between ids -----------------------------------------------------


def _rename_key(mapping: dict, old: str, new: str) -> dict:
    return {new if k == old else k: v for k, v in mapping.items()}


def _put_key(mapping: dict, key: str, value: Any, order: Sequence[str]) -> dict:
    """``mapping`` with ``key`` set; a new key goes where ``order`` puts it."""
    if key in mapping:
        mapping[key] = value
        return mapping
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(rank))
    out: dict = {}
    placed = False
    for k, v in mapping.items():
        if not placed and rank.get(k, len(rank) + 1) > mine:
            out[key] = value
            placed = True
        out[k] = v
    if not placed:
        out[key] = value
    return out


def _ids(data: dict, kind: str) -> list[str]:
    return [item["id"] for item in data.get(_LIST_KEY[kind]) or []]


def slug(text: str) -> str:
    """A valid id resembling ``text`` ("Gao region" -> "gao_region")."""
    s = re.sub(r"[^a-z0-9_-]+", "_", text.strip().lower()).strip("_")
    return s[:64] or "item"


def check_id(text: str, what: str = "id") -> str:
    if not _ID_RE.fullmatch(text):
        raise EditRefused(
            f"'{text}' is not a valid {what}: use 1-64 characters of a-z, 0-9, '_' or '-' "
            f"(for example '{slug(text)}')"
        )
    return text


def rename_id(data: dict, kind: str, old: str, new: str) -> None:
    """Rename a task, region, capability, resource or rule, and every reference to it."""
    if new == old:
        return
    check_id(new)
    items = data.get(_LIST_KEY[kind]) or []
    if new in (item["id"] for item in items):
        raise EditRefused(f"duplicate id '{new}': there is already a {kind} '{new}'")
    for item in items:
        if item["id"] == old:
            item["id"] = new
    caps = data.get("capabilities") or []
    rules = data.get("rules") or []
    if kind == "task":
        for c in caps:
            if isinstance(c.get("effect"), dict):
                c["effect"] = _rename_key(c["effect"], old, new)
        data["demand"] = _rename_key(data.get("demand") or {}, old, new)
        for r in rules:
            if r.get("task") == old:
                r["task"] = new
        for member in data.get("panel") or []:
            if isinstance(member.get("weights"), dict):
                member["weights"] = _rename_key(member["weights"], old, new)
    elif kind == "region":
        for c in caps:
            if isinstance(c.get("region_factor"), dict):
                c["region_factor"] = _rename_key(c["region_factor"], old, new)
        demand = data.get("demand") or {}
        for task_id, per in demand.items():
            demand[task_id] = _rename_key(per, old, new)
        for r in rules:
            if r.get("region") == old:
                r["region"] = new
            if r.get("regions"):
                r["regions"] = [new if x == old else x for x in r["regions"]]
    elif kind == "capability":
        for r in rules:
            if r.get("capability") == old:
                r["capability"] = new
            if r.get("capabilities"):
                r["capabilities"] = [new if x == old else x for x in r["capabilities"]]
    elif kind == "resource":
        for c in caps:
            if isinstance(c.get("uses"), dict):
                c["uses"] = _rename_key(c["uses"], old, new)


def _rule_words(rule_ids: list[str]) -> str:
    quoted = [f"'{r}'" for r in rule_ids]
    if len(quoted) == 1:
        return f"rule {quoted[0]}; remove or change the rule first"
    return f"rules {', '.join(quoted[:-1])} and {quoted[-1]}; remove or change those rules first"


def rules_using(data: dict, kind: str, item_id: str) -> list[str]:
    """The ids of the rules that name a task, region or capability."""
    out = []
    for r in data.get("rules") or []:
        if kind == "task" and r.get("task") == item_id:
            out.append(r["id"])
        elif kind == "region" and (r.get("region") == item_id or item_id in (r.get("regions") or ())):
            out.append(r["id"])
        elif kind == "capability" and (
            r.get("capability") == item_id or item_id in (r.get("capabilities") or ())
        ):
            out.append(r["id"])
    return out


def remove_item(data: dict, kind: str, item_id: str) -> None:
    """Remove an item and the references that only make sense with it.

    Refuses when a rule names the item: the rule would silently change meaning.
    """
    key = _LIST_KEY[kind]
    items = data.get(key) or []
    if item_id not in (i["id"] for i in items):
        raise EditRefused(f"there is no {kind} '{item_id}'")
    if kind in _NEEDED and len(items) <= 1:
        raise EditRefused(f"the scenario needs at least one {kind}; add another before removing '{item_id}'")
    users = rules_using(data, kind, item_id)
    if users:
        raise EditRefused(f"{kind} '{item_id}' is used by {_rule_words(users)}")
    if kind == "region":
        zone = next(i["zone"] for i in items if i["id"] == item_id)
        if not any(i["zone"] == zone and i["id"] != item_id for i in items):
            users = [r["id"] for r in data.get("rules") or [] if r.get("zone") == zone]
            if users:
                raise EditRefused(
                    f"region '{item_id}' is the last region of zone '{zone}', which is used by "
                    f"{_rule_words(users)}"
                )
    data[key] = [i for i in items if i["id"] != item_id]
    caps = data.get("capabilities") or []
    demand = data.get("demand") or {}
    if kind == "task":
        for c in caps:
            (c.get("effect") or {}).pop(item_id, None)
        demand.pop(item_id, None)
        for member in data.get("panel") or []:
            (member.get("weights") or {}).pop(item_id, None)
    elif kind == "region":
        for c in caps:
            (c.get("region_factor") or {}).pop(item_id, None)
        for task_id in list(demand):
            per = demand[task_id]
            if item_id in per:
                del per[item_id]
                if not per:
                    del demand[task_id]
    elif kind == "resource":
        for c in caps:
            (c.get("uses") or {}).pop(item_id, None)


def fresh_id(existing: Sequence[str], stem: str) -> str:
    n = len(existing) + 1
    while f"{stem}_{n}" in existing:
        n += 1
    return f"{stem}_{n}"


def new_item(data: dict, kind: str, near: dict | None = None) -> dict:
    """A new item with a fresh id and defaults that change no result by themselves."""
    new_id = fresh_id(_ids(data, kind), kind)
    if kind == "task":
        return {"id": new_id, "name": "New task", "weight": 1}
    if kind == "region":
        zone = (near or (data["regions"] or [{}])[-1]).get("zone", "zone")
        return {"id": new_id, "name": "New region", "zone": zone}
    if kind == "capability":
        category = (near or (data["capabilities"] or [{}])[-1]).get("category", "other")
        return {
            "id": new_id, "name": "New capability", "category": category,
            "existing": 0, "max_new": 0, "lead_time": 0, "effect": {},
        }
    if kind == "resource":
        return {"id": new_id, "name": "New resource", "basis": "generated", "capacity": 0, "unit": ""}
    if kind == "rule":
        # a task may take up to 100% of the employment: a rule that binds nothing yet
        return {"id": new_id, "name": "New rule", "kind": "max_share",
                "task": data["tasks"][0]["id"], "max_share": 1}
    raise ValueError(kind)


def add_item(data: dict, kind: str, after: int | None = None) -> int:
    """Insert a new item after row ``after`` (at the end when None); its row."""
    key = _LIST_KEY[kind]
    items = data.get(key)
    if items is None:
        items = data[key] = []
    near = items[after] if after is not None and 0 <= after < len(items) else None
    row = len(items) if near is None else after + 1
    items.insert(row, new_item(data, kind, near))
    return row


# -- rules --------------------------------------------------------------------

_RULE_FIELDS = {
    "floor": ("task", "regions", "zone", "min_satisfaction", "from_period", "to_period"),
    "max_share": ("task", "capabilities", "max_share"),
    "forbid": ("capability", "task", "region"),
    "min_units": ("capability", "regions", "zone", "units", "from_period", "to_period"),
}
_RULE_VALUE = {"floor": "min_satisfaction", "max_share": "max_share", "min_units": "units"}
_RULE_NEUTRAL = {"min_satisfaction": 0, "max_share": 1, "units": 0}
_KIND_WORDS = {"floor": "floor", "max_share": "max share", "forbid": "forbid", "min_units": "min units"}


def _demand_regions(data: dict, task_id: str | None) -> list[str]:
    per = (data.get("demand") or {}).get(task_id) or {}
    return [r for r, d in per.items() if d.get("importance", 1) > 0]


def convert_rule(rule: dict, kind: str, data: dict) -> dict:
    """The rule as another kind: keeps what still applies, fills what is needed.

    The value starts where it binds nothing (a floor of 0, a max share of
    100%, 0 units) rather than carrying over: a floor's "at least 40%" is not a
    max share's "at most 40%". The user then types the value meant.
    """
    if kind == rule.get("kind"):
        return rule
    out = {k: v for k, v in rule.items() if k in ("id", "name", "note", "extra")}
    out["kind"] = kind
    wanted = _RULE_FIELDS[kind]
    for k in wanted:
        if k in rule and k not in _RULE_VALUE.values():
            out[k] = rule[k]
    if kind == "forbid" and "region" not in out and len(rule.get("regions") or ()) == 1:
        out["region"] = rule["regions"][0]
    if kind in ("floor", "min_units") and rule.get("region") and "zone" not in out:
        out.setdefault("regions", [rule["region"]])
    if kind == "max_share" and rule.get("capability"):
        out.setdefault("capabilities", [rule["capability"]])
    if kind in ("forbid", "min_units") and "capability" not in out and rule.get("capabilities"):
        out["capability"] = rule["capabilities"][0]
    if kind in _RULE_VALUE:
        out[_RULE_VALUE[kind]] = _RULE_NEUTRAL[_RULE_VALUE[kind]]
    tasks = _ids(data, "task")
    if kind in ("floor", "max_share") and not out.get("task"):
        with_demand = [t for t in tasks if _demand_regions(data, t)]
        where = set(out.get("regions") or ())
        there = [t for t in with_demand if where & set(_demand_regions(data, t))]
        out["task"] = (there or with_demand or tasks)[0]
    if kind == "min_units" and not out.get("capability"):
        out["capability"] = _ids(data, "capability")[0]
    if kind in ("floor", "min_units") and "regions" not in out and "zone" not in out:
        candidates = _demand_regions(data, out.get("task")) if kind == "floor" else []
        out["regions"] = [(candidates or _ids(data, "region"))[0]]
    if kind == "floor" and "regions" in out:
        candidates = _demand_regions(data, out["task"])
        if candidates and not set(out["regions"]) & set(candidates):
            out["regions"] = [candidates[0]]
    return out


# -- problems in words ---------------------------------------------------------

_LIST_WORDS = {
    "periods": "period", "tasks": "task", "regions": "region", "capabilities": "capability",
    "resources": "resource", "rules": "rule", "panel": "panel member",
}
_FIELD_WORDS = {
    "max_new": "max new", "lead_time": "lead time", "max_per_region": "max per region",
    "min_satisfaction": "min satisfaction", "max_share": "max share", "from_period": "from period",
    "to_period": "to period", "lat": "latitude", "lon": "longitude", "region_factor": "region factor in",
    "effect": "effect on", "uses": "use of",
}
_MAP_FIELDS = {"effect": "task", "region_factor": "region", "uses": "resource", "weights": "task"}


def _friendly(message: str) -> str:
    m = re.fullmatch(r"input should be greater than or equal to (\S+)", message)
    if m:
        return "must not be negative" if m.group(1) in ("0", "0.0") else f"must be {m.group(1)} or more"
    m = re.fullmatch(r"input should be greater than (\S+)", message)
    if m:
        return f"must be more than {m.group(1)}"
    m = re.fullmatch(r"input should be less than or equal to (\S+)", message)
    if m:
        return f"must be at most {m.group(1)}"
    m = re.fullmatch(r"input should be (.+)", message)
    if m and "'" in m.group(1):
        return f"must be {m.group(1)}"
    m = re.fullmatch(r"list should have at least (\d+) items? after validation.*", message)
    if m:
        return f"needs at least {m.group(1)}"
    return message


def describe_problem(path: str, message: str, data: dict | None = None) -> str:
    """One problem of a ScenarioError in the user's words.

    ``("tasks[0].weight", "input should be greater than or equal to 0")`` becomes
    ``"task 'poc' weight: must not be negative"``.
    """
    data = data or {}
    tokens = [(int(i) if i else None, name) for i, name in re.findall(r"\[(\d+)\]|([^.\[\]]+)", path)]
    words: list[str] = []
    last = ""
    kind = ""
    if tokens and tokens[0][1] == "demand":
        names = [n for _, n in tokens[1:] if n]
        field = names[2] if len(names) > 2 else "demand"
        words.append(field)
        if names:
            words.append(f"of task '{names[0]}'")
        if len(names) > 1:
            words.append(f"in region '{names[1]}'")
        last = field
    else:
        k = 0
        while k < len(tokens):
            index, name = tokens[k]
            if name in _LIST_WORDS and k + 1 < len(tokens) and tokens[k + 1][0] is not None:
                kind = _LIST_WORDS[name]
                i = tokens[k + 1][0]
                items = data.get(name) if isinstance(data.get(name), list) else []
                item_id = items[i].get("id") if i < len(items) and isinstance(items[i], dict) else None
                if k + 2 < len(tokens) and tokens[k + 2][1] == "id":
                    words.append(f"{kind} id")
                    k += 3
                    last = "id"
                    continue
                words.append(f"{kind} '{item_id}'" if isinstance(item_id, str) else f"{kind} {i + 1}")
                k += 2
                continue
            if name:
                if last in _MAP_FIELDS:
                    words.append(f"{_MAP_FIELDS[last]} '{name}'")
                else:
                    words.append(_FIELD_WORDS.get(name, name.replace("_", " ")))
                last = name
            k += 1
    message = _friendly(message)
    dup = re.fullmatch(r"duplicate id '(.+)' \(also .+\)", message)
    if dup:
        message = f"duplicate id '{dup.group(1)}': there is already a {kind or 'item'} '{dup.group(1)}'"
    if last in ("min_satisfaction", "max_share") and message.startswith("must be at most 1"):
        message += " (100%; type a share as 0.4 or 40%)"
    if last == "need" and "more than 0" in message:
        message += " (leave the cell blank for no demand)"
    where = " ".join(words)
    return f"{where}: {message}" if where else message


def describe_problems(problems: Sequence[tuple[str, str]], data: dict | None = None) -> str:
    """Every problem of a ScenarioError in words, on one line."""
    texts = list(dict.fromkeys(describe_problem(p, m, data) for p, m in problems))
    if len(texts) > 3:
        texts = texts[:3] + [f"and {len(texts) - 3} more problems"]
    return "; ".join(texts) or "the edit makes the scenario invalid"


# -- the models ---------------------------------------------------------------


@dataclass
class Cell:
    """What a model shows in one cell and how it is edited."""

    text: str = ""
    edit: str | None = None  # the editor's starting text (None: the same as text)
    tip: str | None = None
    editable: bool = True
    choices: Sequence[str] | None = None  # offer these in a combo box
    free_text: bool = False  # the combo also takes typed text
    number: bool = False  # right-aligned
    muted: bool = False  # a default or a value that does not apply: grey


def _muted_colour() -> QColor:
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class EditorModel(QAbstractTableModel):
    """Base of the editor models: cells from ``_cell``, edits through ``_edit``."""

    #: The reason an edit was refused, in words.
    editRefused = Signal(str)
    #: What an accepted edit did (its undo text).
    edited = Signal(str)

    kind = ""  # "task", "region", ...: set by list models, whose rows can be added and removed

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self._document = document
        self._scenario = document.scenario
        self._after_push: Callable[[], None] | None = None
        self._refresh()
        document.scenarioChanged.connect(self._on_scenario_changed)

    @property
    def document(self) -> Document:
        return self._document

    @property
    def can_add(self) -> bool:
        return bool(self.kind)

    # -- to override ------------------------------------------------------------
    def _refresh(self) -> None:
        """Recompute what depends on the scenario (after a reset began)."""

    def _cell(self, row: int, col: int) -> Cell:
        raise NotImplementedError

    def _header(self, col: int) -> tuple[str, str]:
        raise NotImplementedError

    def _row_header(self, row: int) -> tuple[str, str] | None:
        return None

    def _edit(self, data: dict, row: int, col: int, text: str) -> str | None:
        """Change ``data`` for the edit; the undo text, or None when handled locally."""
        raise NotImplementedError

    def _row_id(self, row: int) -> str:
        raise NotImplementedError

    # -- Qt -----------------------------------------------------------------------
    def _on_scenario_changed(self, scenario) -> None:
        self.beginResetModel()
        self._scenario = scenario
        self._refresh()
        self.endResetModel()

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if not index.isValid():
            return None
        cell = self._cell(index.row(), index.column())
        if role == DISPLAY:
            return cell.text
        if role == EDIT:
            return cell.text if cell.edit is None else cell.edit
        if role == TOOLTIP:
            return cell.tip
        if role == ALIGN and cell.number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == FOREGROUND and cell.muted:
            return _muted_colour()
        if role == CHOICES_ROLE:
            return None if cell.choices is None else list(cell.choices)
        if role == FREE_TEXT_ROLE:
            return cell.free_text
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._cell(index.row(), index.column()).editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def headerData(self, section: int, orientation, role: int = DISPLAY):
        if role not in (DISPLAY, TOOLTIP):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self.columnCount():
                return None
            title, tip = self._header(section)
        else:
            if not 0 <= section < self.rowCount():
                return None
            head = self._row_header(section)
            if head is None:
                return super().headerData(section, orientation, role)
            title, tip = head
        return title if role == DISPLAY else tip

    def setData(self, index: QModelIndex, value, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        text = "" if value is None else str(value).strip()
        data = self._document.data()
        self._after_push = None
        try:
            undo_text = self._edit(data, index.row(), index.column(), text)
            if undo_text is None:
                self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(self.columnCount() - 1))
                return True
            self._document.push_data(data, undo_text)
        except EditRefused as exc:
            self._refuse(str(exc))
            return False
        except ScenarioError as exc:
            self._refuse(describe_problems(exc.problems, data))
            return False
        if self._after_push is not None:
            self._after_push()
            self._after_push = None
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.edited.emit(undo_text)
        return True

    def _refuse(self, message: str) -> None:
        self.editRefused.emit(message)

    def _push(self, data: dict, text: str) -> bool:
        try:
            self._document.push_data(data, text)
        except ScenarioError as exc:
            self._refuse(describe_problems(exc.problems, data))
            return False
        self.edited.emit(text)
        return True

    # -- rows -------------------------------------------------------------------
    def add_row(self, after: int | None = None) -> int | None:
        """Add an item (after row ``after``, else at the end); its row, or None if refused."""
        if not self.can_add:
            return None
        data = self._document.data()
        row = add_item(data, self.kind, after)
        new_id = data[_LIST_KEY[self.kind]][row]["id"]
        return row if self._push(data, f"Add {self.kind} '{new_id}'") else None

    def remove_row(self, row: int) -> bool:
        """Remove the item of ``row`` with what only makes sense with it; False if refused."""
        if not self.can_add or not 0 <= row < self.rowCount():
            return False
        item_id = self._row_id(row)
        data = self._document.data()
        try:
            remove_item(data, self.kind, item_id)
        except EditRefused as exc:
            self._refuse(str(exc))
            return False
        return self._push(data, f"Remove {self.kind} '{item_id}'")


# -- list models (one row per task, region, ...) ------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list editor: which field, headed how, edited how."""

    field: str
    title: str
    tip: str
    type: str = "text"  # id | name | text | note | number | whole | choice | map
    optional: bool = False  # blank removes the field
    key: str | None = None  # for "map" columns: the key inside the mapping
    word: str = ""  # the field in an undo text / message (default: the title, lower case)

    @property
    def words(self) -> str:
        return self.word or self.title.lower()


_ID_TIP = ("Short identifier used in the file and by rules (a-z, 0-9, '_' or '-'); "
           "renaming it updates every reference")
_NOTE_TIP = "Where the numbers come from (provenance); blank = none"


class _ListModel(EditorModel):
    """Rows are the items of one list of the scenario."""

    columns: tuple[Column, ...] = ()

    def _items(self) -> tuple:
        return getattr(self._scenario, _LIST_KEY[self.kind]) or ()

    def _columns(self) -> Sequence[Column]:
        return self.columns

    def _row_id(self, row: int) -> str:
        return self._items()[row].id

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns())

    def _header(self, col: int) -> tuple[str, str]:
        c = self._columns()[col]
        return c.title, c.tip

    def _choices(self, column: Column) -> tuple[Sequence[str] | None, bool]:
        return None, False

    def _cell(self, row: int, col: int) -> Cell:
        return self._item_cell(self._items()[row], self._columns()[col])

    def _item_cell(self, item, c: Column) -> Cell:
        if c.type == "map":
            value = getattr(item, c.field).get(c.key)
            return Cell(format_number(value), edit=edit_number(value), number=True, tip=c.tip)
        value = getattr(item, c.field)
        if c.type in ("number", "whole"):
            return Cell(format_number(value), edit=edit_number(value), number=True)
        choices, free = self._choices(c)
        return Cell("" if value is None else str(value), choices=choices, free_text=free,
                    tip=str(value) if c.type == "note" and value else None)

    def _edit(self, data: dict, row: int, col: int, text: str) -> str | None:
        item = data[_LIST_KEY[self.kind]][row]
        return self._edit_field(data, item, self._columns()[col], text)

    def _edit_field(self, data: dict, item: dict, c: Column, text: str) -> str:
        who = f"{self.kind} '{item['id']}'"
        if c.type == "id":
            old = item["id"]
            rename_id(data, self.kind, old, text)
            return f"Rename {self.kind} '{old}' to '{text}'"
        if c.type == "name":
            if not text:
                raise EditRefused(f"{who} needs a name")
            item[c.field] = text
        elif c.type == "text":
            item[c.field] = text
        elif c.type == "note":
            if text:
                item[c.field] = text
            else:
                item.pop(c.field, None)
        elif c.type in ("number", "whole"):
            if not text:
                if not c.optional:
                    raise EditRefused(f"{who} {c.words}: a number is needed")
                item.pop(c.field, None)
            else:
                item[c.field] = self._parse(text, c, who)
        elif c.type == "map":
            if text:
                value = self._parse(text, c, who)
                item[c.field] = _put_key(item.get(c.field) or {}, c.key, value, self._map_order(c))
            elif c.field in item:
                item[c.field].pop(c.key, None)
        elif c.type == "choice":
            choices, _free = self._choices(c)
            match = [x for x in choices or () if x.lower() == text.lower()]
            item[c.field] = match[0] if match else text
        else:  # pragma: no cover - a column type without an editor
            raise EditRefused(f"{c.title} cannot be edited here")
        return f"Edit {c.words} of {who}"

    def _parse(self, text: str, c: Column, who: str):
        try:
            return parse_whole(text) if c.type == "whole" else _store(parse_number(text))
        except EditRefused as exc:
            raise EditRefused(f"{who} {c.words}: {exc}") from None

    def _map_order(self, c: Column) -> list[str]:
        return []


class TasksModel(_ListModel):
    """Tasks: id, name, weight, note."""

    kind = "task"
    columns = (
        Column("id", "ID", _ID_TIP, "id"),
        Column("name", "Name", "The task as charts and reports name it", "name"),
        Column("weight", "Weight", "Priority of the task (0 or more); weights are normalised, "
               "so only their ratios matter", "number"),
        Column("note", "Note", _NOTE_TIP, "note"),
    )

    def _item_cell(self, item, c: Column) -> Cell:
        cell = super()._item_cell(item, c)
        if c.field == "weight":
            total = sum(t.weight for t in self._scenario.tasks)
            if total > 0:
                cell.tip = f"{item.weight / total:.0%} of the total weight ({format_number(total)})"
        return cell


class RegionsModel(_ListModel):
    """Regions: id, name, zone, latitude, longitude, note."""

    kind = "region"
    columns = (
        Column("id", "ID", _ID_TIP, "id"),
        Column("name", "Name", "The region as charts and maps name it", "name"),
        Column("zone", "Zone", "The group of regions that rules can name (e.g. north, center); "
               "pick one or type a new one", "choice"),
        Column("lat", "Latitude", "Latitude of the region's capital in degrees (-90 to 90), for maps; "
               "blank = no location", "number", optional=True),
        Column("lon", "Longitude", "Longitude of the region's capital in degrees (-180 to 180), for maps; "
               "blank = no location", "number", optional=True),
        Column("note", "Note", _NOTE_TIP, "note"),
    )

    def _refresh(self) -> None:
        # half a location typed before the other half, by region id: the
        # scenario only holds whole locations
        regions = {r.id: r for r in self._scenario.regions}
        self._pending: dict[str, dict[str, float]] = {
            rid: p for rid, p in getattr(self, "_pending", {}).items()
            if rid in regions and regions[rid].location is None and p
        }

    def _choices(self, column: Column):
        if column.field == "zone":
            return list(self._scenario.zones()), True
        return None, False

    def _item_cell(self, item, c: Column) -> Cell:
        if c.field in ("lat", "lon"):
            if item.location is not None:
                value = getattr(item.location, c.field)
                return Cell(format_number(value, grouping=False), edit=edit_number(value), number=True)
            pending = self._pending.get(item.id, {})
            if c.field in pending:
                other = "longitude" if c.field == "lat" else "latitude"
                value = pending[c.field]
                return Cell(format_number(value, grouping=False), edit=edit_number(value),
                            number=True, muted=True,
                            tip=f"Not saved yet: enter the {other} too, then the location is saved")
            return Cell("", number=True)
        return super()._item_cell(item, c)

    def _edit_field(self, data: dict, item: dict, c: Column, text: str) -> str | None:
        if c.field == "zone" and text:
            check_id(text, "zone name")
        if c.field not in ("lat", "lon"):
            return super()._edit_field(data, item, c, text)
        rid = item["id"]
        other = "lon" if c.field == "lat" else "lat"
        location = item.get("location")
        if not text:
            if location is None:
                self._pending.get(rid, {}).pop(c.field, None)
                return None
            keep = location[other]
            del item["location"]
            self._after_push = lambda: self._pending.__setitem__(rid, {other: keep})
            return f"Remove the location of region '{rid}'"
        value = self._parse(text, c, f"region '{rid}'")
        limit = 90 if c.field == "lat" else 180
        if not -limit <= value <= limit:
            raise EditRefused(f"region '{rid}' {c.words}: must be between -{limit} and {limit} degrees")
        if location is not None:
            location[c.field] = value
            return f"Edit {c.words} of region '{rid}'"
        pending = self._pending.setdefault(rid, {})
        if other not in pending:
            pending[c.field] = value
            return None
        both = {c.field: value, other: pending[other]}
        item["location"] = {"lat": both["lat"], "lon": both["lon"]}
        self._after_push = lambda: self._pending.pop(rid, None)
        return f"Set the location of region '{rid}'"


_BASIS_TIP = {
    "generated": "counts new units only (e.g. the force adaptation budget)",
    "fielded": "counts every unit fielded, existing and new (e.g. a troop ceiling)",
    "employed": "counts units employed, in each period (e.g. flight hours per quarter)",
}


class ResourcesModel(_ListModel):
    """Resources: id, name, basis, capacity, unit, note."""

    kind = "resource"
    columns = (
        Column("id", "ID", _ID_TIP, "id"),
        Column("name", "Name", "The resource as charts and reports name it", "name"),
        Column("basis", "Basis", "What the capacity limits: generated = new units only (a budget for "
               "new capabilities); fielded = all units, existing and new (a personnel ceiling); "
               "employed = units employed, in each period (flight hours)", "choice"),
        Column("capacity", "Capacity", "The limit, in the resource's unit (0 or more)", "number"),
        Column("unit", "Unit", "The unit of the capacity and of each capability's use (USD, personnel, "
               "hours)", "text"),
        Column("note", "Note", _NOTE_TIP, "note"),
    )

    def _choices(self, column: Column):
        if column.field == "basis":
            return list(BASES), False
        return None, False

    def _item_cell(self, item, c: Column) -> Cell:
        cell = super()._item_cell(item, c)
        if c.field == "basis":
            cell.tip = f"{item.basis}: {_BASIS_TIP.get(item.basis, '')}"
        return cell


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class CapabilitiesModel(_ListModel):
    """Capabilities: the fixed fields, then its effect on each task, then its use of each resource."""

    kind = "capability"
    fixed = (
        Column("id", "ID", _ID_TIP, "id"),
        Column("name", "Name", "The capability as charts and reports name it", "name"),
        Column("category", "Category", "The kind of capability (air, ground, ISR, …), for grouping; "
               "pick one or type a new one", "choice"),
        Column("existing", "Existing", "Units already fielded, usable from the first period", "number"),
        Column("max_new", "Max new", "Most new units that can be generated this cycle", "number"),
        Column("lead_time", "Lead time\n(periods)", "Lead time: periods before a new unit can be used "
               "(0 = from the first period; as many as there are periods = not this cycle)", "whole",
               word="lead time"),
        Column("max_per_region", "Max per\nregion", "Most units in one region in one period "
               "(blank = no limit)", "number", optional=True, word="max per region"),
    )

    def _refresh(self) -> None:
        s = self._scenario
        cols = list(self.fixed)
        for t in s.tasks:
            cols.append(Column(
                "effect", f"Effect on\n{_short(t.name)}",
                f"Effect on '{t.name}' ({t.id}): effect units delivered per unit employed on this task "
                "(blank = 0, cannot do it)",
                "map", key=t.id, word=f"effect on task '{t.id}'",
            ))
        for q in s.resources:
            unit = f" {q.unit}" if q.unit else ""
            cols.append(Column(
                "uses", f"Uses of\n{_short(q.name)}",
                f"How much of '{q.name}' ({q.id}) one unit consumes, in{unit or ' its unit'}; the resource "
                f"{_BASIS_TIP.get(q.basis, '')} (blank = 0)",
                "map", key=q.id, word=f"use of resource '{q.id}'",
            ))
        cols.append(Column("note", "Note", _NOTE_TIP, "note"))
        self._cols = cols

    def _columns(self) -> Sequence[Column]:
        return self._cols

    def _choices(self, column: Column):
        if column.field == "category":
            return list(dict.fromkeys(c.category for c in self._scenario.capabilities)), True
        return None, False

    def _map_order(self, c: Column) -> list[str]:
        return [t.id for t in self._scenario.tasks] if c.field == "effect" else [
            q.id for q in self._scenario.resources]


class RulesModel(_ListModel):
    """Rules: what applies depends on the kind; cells that do not apply are greyed."""

    kind = "rule"
    columns = (
        Column("id", "ID", _ID_TIP, "id"),
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
        Column("note", "Note", _NOTE_TIP, "note"),
    )

    def _items(self) -> tuple:
        return self._scenario.rules or ()

    def _choices(self, column: Column):
        if column.field == "kind":
            return list(RULE_KINDS), False
        return None, False

    # -- showing ------------------------------------------------------------------
    def _na(self, rule) -> Cell:
        return Cell("—", editable=False, muted=True,
                    tip=f"Does not apply to a {_KIND_WORDS.get(rule.kind, rule.kind)} rule")

    def _item_cell(self, rule, c: Column) -> Cell:
        s = self._scenario
        applies = _RULE_FIELDS.get(rule.kind, ())
        if c.field == "name":
            return Cell(rule.name or "", tip=rule.name)
        if c.field == "kind":
            return Cell(rule.kind, choices=list(RULE_KINDS), tip=self.columns[2].tip)
        if c.field == "task":
            if "task" not in applies:
                return self._na(rule)
            ids = [t.id for t in s.tasks]
            if rule.task is None:
                return Cell("(all)", edit="", muted=True, choices=[""] + ids, free_text=True,
                            tip="Every task")
            return Cell(rule.task, choices=ids, free_text=True, tip=self._name_of(s.tasks, rule.task))
        if c.field == "capability":
            ids = [x.id for x in s.capabilities]
            if rule.kind == "max_share":
                if not rule.capabilities:
                    return Cell("(all)", edit="", muted=True, choices=[""] + ids, free_text=True,
                                tip="Every capability counts")
                return Cell(", ".join(rule.capabilities), choices=ids, free_text=True,
                            tip="; ".join(self._name_of(s.capabilities, x) for x in rule.capabilities))
            if "capability" not in applies:
                return self._na(rule)
            if rule.capability is None:
                return Cell("(all)", edit="", muted=True, choices=[""] + ids, free_text=True,
                            tip="Every capability")
            return Cell(rule.capability, choices=ids, free_text=True,
                        tip=self._name_of(s.capabilities, rule.capability))
        if c.field == "where":
            regions = [r.id for r in s.regions]
            if rule.kind == "forbid":
                if rule.region is None:
                    return Cell("(all)", edit="", muted=True, choices=[""] + regions, free_text=True,
                                tip="Every region")
                return Cell(rule.region, choices=regions, free_text=True,
                            tip=self._name_of(s.regions, rule.region))
            if rule.kind not in ("floor", "min_units"):
                return self._na(rule)
            choices = [f"zone: {z}" for z in s.zones()] + regions
            if rule.zone is not None:
                members = [r.name for r in s.regions if r.zone == rule.zone]
                return Cell(f"zone: {rule.zone}", choices=choices, free_text=True,
                            tip=f"Every region of zone '{rule.zone}': {', '.join(members)}")
            text = ", ".join(rule.regions or ())
            return Cell(text, choices=choices, free_text=True,
                        tip="; ".join(self._name_of(s.regions, x) for x in rule.regions or ()))
        if c.field == "value":
            key = _RULE_VALUE.get(rule.kind)
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
                raise EditRefused(f"'{text}' is not a kind of rule: use one of {', '.join(RULE_KINDS)}")
            rules = data["rules"]
            rules[rules.index(rule)] = convert_rule(rule, kind, data)
            return f"Make {who} a {_KIND_WORDS[kind]} rule"
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
                    raise EditRefused(f"a {_KIND_WORDS[kind]} rule names one capability")
                self._set(rule, "capability", self._resolve(text, data, "capability") if text else None)
        elif c.field == "where":
            self._edit_where(data, rule, text)
        elif c.field == "value":
            key = _RULE_VALUE[kind]
            if not text:
                raise EditRefused(f"{who} {_FIELD_WORDS[key]}: a number is needed")
            try:
                value = parse_number(text, percent=key != "units")
            except EditRefused as exc:
                raise EditRefused(f"{who} {_FIELD_WORDS[key]}: {exc}") from None
            old = rule.get(key)
            if old is not None and math.isclose(value, old, rel_tol=1e-12, abs_tol=1e-15):
                value = old  # what the display rounded, typed back
            rule[key] = _store(value)
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
        items = data.get(_LIST_KEY[kind]) or []
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
            names = ", ".join(p["name"] for p in periods)
            raise EditRefused(f"'{text}' is not a period: use one of {names} or a period index") from None


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;]", text) if p.strip()]


# -- matrix models ---------------------------------------------------------------


class RegionFactorsModel(EditorModel):
    """Capabilities × regions: the terrain/distance factor (blank = 1)."""

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenario.capabilities)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenario.regions)

    def _header(self, col: int) -> tuple[str, str]:
        r = self._scenario.regions[col]
        return r.name, f"{r.name}: region '{r.id}', zone {r.zone}"

    def _row_header(self, row: int) -> tuple[str, str]:
        c = self._scenario.capabilities[row]
        return c.name, f"{c.name}: capability '{c.id}' ({c.category})"

    def _cell(self, row: int, col: int) -> Cell:
        cap = self._scenario.capabilities[row]
        region = self._scenario.regions[col]
        value = cap.region_factor.get(region.id)
        tip = (f"{cap.name} in {region.name}: effect multiplied by this factor; 1 = full effect, "
               f"0 = cannot operate there (blank = 1)")
        return Cell(format_number(value), edit=edit_number(value), number=True, tip=tip)

    def _edit(self, data: dict, row: int, col: int, text: str) -> str:
        cap = data["capabilities"][row]
        region_id = self._scenario.regions[col].id
        who = f"capability '{cap['id']}' region factor in region '{region_id}'"
        factors = cap.get("region_factor") or {}
        if text:
            try:
                value = _store(parse_number(text))
            except EditRefused as exc:
                raise EditRefused(f"{who}: {exc}") from None
            factors = _put_key(factors, region_id, value, [r.id for r in self._scenario.regions])
        else:
            factors.pop(region_id, None)
        if factors or "region_factor" in cap:
            cap["region_factor"] = factors
        return f"Edit the region factor of capability '{cap['id']}' in region '{region_id}'"


class DemandModel(EditorModel):
    """Tasks × regions: the need (blank = no demand), or the importance of each need."""

    modes = ("need", "importance")
    _mode = "need"

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show the need ("need") or the importance ("importance") of each pair."""
        if mode not in self.modes:
            raise ValueError(mode)
        if mode != self._mode:
            self.beginResetModel()
            self._mode = mode
            self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenario.tasks)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenario.regions)

    def _header(self, col: int) -> tuple[str, str]:
        r = self._scenario.regions[col]
        return r.name, f"{r.name}: region '{r.id}', zone {r.zone}"

    def _row_header(self, row: int) -> tuple[str, str]:
        t = self._scenario.tasks[row]
        return t.name, f"{t.name}: task '{t.id}', weight {format_number(t.weight)}"

    def _cell(self, row: int, col: int) -> Cell:
        task = self._scenario.tasks[row]
        region = self._scenario.regions[col]
        d = (self._scenario.demand.get(task.id) or {}).get(region.id)
        where = f"{task.name} in {region.name}"
        if self._mode == "need":
            value = None if d is None else d.need
            return Cell(format_number(value), edit=edit_number(value), number=True,
                        tip=f"{where}: effect units per period for full satisfaction (blank = no demand)")
        if d is None:
            return Cell("", editable=False, tip=f"{where}: no demand (give it a need first)")
        if d.importance is None:
            return Cell("1", edit="", number=True, muted=True,
                        tip=f"{where}: how much it matters (blank = the default, 1)")
        return Cell(format_number(d.importance), edit=edit_number(d.importance), number=True,
                    tip=f"{where}: how much it matters (0 = not at all; blank = the default, 1)")

    def _edit(self, data: dict, row: int, col: int, text: str) -> str:
        task_id = self._scenario.tasks[row].id
        region_id = self._scenario.regions[col].id
        demand = data.setdefault("demand", {})
        per = demand.get(task_id)
        pair = f"task '{task_id}' in region '{region_id}'"
        if self._mode == "importance":
            if per is None or region_id not in per:
                raise EditRefused(f"{pair} has no demand: give it a need first")
            if text:
                try:
                    per[region_id]["importance"] = _store(parse_number(text))
                except EditRefused as exc:
                    raise EditRefused(f"importance of {pair}: {exc}") from None
            else:
                per[region_id].pop("importance", None)
            return f"Edit the importance of {pair}"
        if not text:
            if per is None or region_id not in per:
                return f"Remove the demand of {pair}"  # nothing there: no change, no undo step
            del per[region_id]
            if not per:
                del demand[task_id]
            return f"Remove the demand of {pair}"
        try:
            need = _store(parse_number(text))
        except EditRefused as exc:
            raise EditRefused(f"need of {pair}: {exc}") from None
        if per is not None and region_id in per:
            per[region_id]["need"] = need
            return f"Edit the need of {pair}"
        regions = [r.id for r in self._scenario.regions]
        tasks = [t.id for t in self._scenario.tasks]
        per = _put_key(per or {}, region_id, {"need": need}, regions)
        data["demand"] = _put_key(demand, task_id, per, tasks)
        return f"Add a need of {pair}"


# -- the widget ------------------------------------------------------------------


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for cells that offer choices (basis, kind, zone, …), a line edit otherwise."""

    def createEditor(self, parent, option, index):
        choices = index.data(CHOICES_ROLE)
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(bool(index.data(FREE_TEXT_ROLE)))
        combo.addItems([str(c) for c in choices])
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if not combo.isEditable():
            combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def eventFilter(self, editor, event) -> bool:  # noqa: N802 (Qt's name)
        # An edit resets the model, which hides and later deletes the editor;
        # its focus-out on the way must not commit it a second time.
        if event.type() == QEvent.Type.FocusOut and not editor.isVisible():
            return False
        return super().eventFilter(editor, event)

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            text = index.data(EDIT) or ""
            i = editor.findText(text)
            if i >= 0:
                editor.setCurrentIndex(i)
            elif editor.isEditable():
                editor.setCurrentIndex(-1)
                editor.setEditText(text)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), EDIT)
            return
        super().setModelData(editor, model, index)


@dataclass(frozen=True)
class _Editor:
    key: str
    title: str
    model: type
    hint: str


_EDITORS = (
    _Editor("tasks", "Tasks", TasksModel,
            "The mandate's tasks and their priority weights."),
    _Editor("regions", "Regions", RegionsModel,
            "Where the mission operates; rules can name a zone for all its regions."),
    _Editor("capabilities", "Capabilities", CapabilitiesModel,
            "Units: what exists, what can be generated, their effect on each task and what they use."),
    _Editor("region_factors", "Region factors", RegionFactorsModel,
            "How well each capability works in each region: blank = 1 (full effect), 0 = cannot operate."),
    _Editor("demand", "Demand", DemandModel, ""),
    _Editor("resources", "Resources", ResourcesModel,
            "Budgets, ceilings and flight hours that limit the plan."),
    _Editor("rules", "Rules", RulesModel,
            "Policy rules; cells that do not apply to a rule's kind are greyed."),
)
_DEMAND_HINTS = {
    "need": "Need: effect units per period for full satisfaction of a task in a region; blank = no demand.",
    "importance": "Importance: how much a task matters in a region (blank = 1); only where there is a need.",
}


class EditorsWidget(QWidget):
    """One tab per editor: a table with Add / Remove above it and the last refusal below."""

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self.models: dict[str, EditorModel] = {}
        self.views: dict[str, QTableView] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        self.remove_buttons: dict[str, QPushButton] = {}
        self._current: dict[str, tuple[int, int] | None] = {}
        self._unfitted: set[str] = set()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.setDocumentMode(True)
        for spec in _EDITORS:
            self.tabs.addTab(self._page(spec), spec.title)
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.message = QLabel()
        self.message.setObjectName("editor_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(f"color: {_REFUSAL_COLOUR};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

        document.scenarioChanged.connect(self._on_scenario_changed)

    # -- building ---------------------------------------------------------------------
    def _page(self, spec: _Editor) -> QWidget:
        model = spec.model(self.document, self)
        view = QTableView()
        view.setObjectName(f"editor_{spec.key}")
        view.setModel(model)
        view.setItemDelegate(ChoiceDelegate(view))  # one each: a delegate's commitData goes to all its views
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        if model.can_add:
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)  # the note
        else:  # long task and capability names: elided, whole in the tooltip
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            view.verticalHeader().setMaximumWidth(_MAX_ROW_HEADER_WIDTH)
            view.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.models[spec.key] = model
        self.views[spec.key] = view

        model.editRefused.connect(self.show_refusal)
        model.modelAboutToBeReset.connect(lambda k=spec.key: self._remember_current(k))
        model.modelReset.connect(lambda k=spec.key: self._after_reset(k))
        view.selectionModel().currentChanged.connect(lambda *_a, k=spec.key: self._update_buttons(k))

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        if model.can_add:
            add = QPushButton(f"Add {model.kind}")
            add.setObjectName(f"add_{model.kind}")
            add.setToolTip(f"Add a {model.kind} after the selected one, with a new id (undoable)")
            add.clicked.connect(lambda _c=False, k=spec.key: self.add_row(k))
            remove = QPushButton(f"Remove {model.kind}")
            remove.setObjectName(f"remove_{model.kind}")
            remove.setToolTip(self._remove_tip(model.kind))
            remove.clicked.connect(lambda _c=False, k=spec.key: self.remove_row(k))
            bar.addWidget(add)
            bar.addWidget(remove)
            self.add_buttons[spec.key] = add
            self.remove_buttons[spec.key] = remove
        hint = QLabel(spec.hint)
        hint.setObjectName(f"hint_{spec.key}")
        hint.setEnabled(False)  # quiet, secondary text
        if isinstance(model, DemandModel):
            bar.addWidget(QLabel("Show:"))
            group = QButtonGroup(view)
            for mode in DemandModel.modes:
                button = QRadioButton(mode.capitalize())
                button.setObjectName(f"demand_{mode}")
                button.setChecked(mode == model.mode)
                button.toggled.connect(
                    lambda on, m=mode, h=hint: on and self._set_demand_mode(m, h))
                group.addButton(button)
                bar.addWidget(button)
            hint.setText(_DEMAND_HINTS[model.mode])
        bar.addSpacing(8)
        bar.addWidget(hint, 1)

        page = QWidget()
        page.setObjectName(f"page_{spec.key}")
        v = QVBoxLayout(page)
        v.setContentsMargins(4, 6, 4, 0)
        v.setSpacing(4)
        v.addLayout(bar)
        v.addWidget(view, 1)
        self._fit_columns(view)
        self._update_buttons(spec.key)
        return page

    @staticmethod
    def _remove_tip(kind: str) -> str:
        also = {
            "task": ", with its demand and every capability's effect on it",
            "region": ", with its demand and region factors",
            "resource": ", with every capability's use of it",
        }.get(kind, "")
        return f"Remove the selected {kind}{also} (undoable)"

    # -- actions ------------------------------------------------------------------------
    def add_row(self, key: str) -> int | None:
        view = self.views[key]
        current = view.currentIndex()
        row = self.models[key].add_row(current.row() if current.isValid() else None)
        if row is not None:
            index = self.models[key].index(row, 1)
            view.setCurrentIndex(index)
            view.scrollTo(index)
            view.setFocus()
        return row

    def remove_row(self, key: str) -> bool:
        view = self.views[key]
        current = view.currentIndex()
        if not current.isValid():
            self.show_refusal(f"Select the {self.models[key].kind} to remove first")
            return False
        return self.models[key].remove_row(current.row())

    def show_refusal(self, message: str) -> None:
        text = message[:1].upper() + message[1:]
        self.message.setText(text)
        self.message.setToolTip(text)

    def _set_demand_mode(self, mode: str, hint: QLabel) -> None:
        self.models["demand"].set_mode(mode)
        hint.setText(_DEMAND_HINTS[mode])

    # -- keeping the view steady across resets --------------------------------------------
    def _remember_current(self, key: str) -> None:
        index = self.views[key].currentIndex()
        self._current[key] = (index.row(), index.column()) if index.isValid() else None

    def _after_reset(self, key: str) -> None:
        view = self.views[key]
        if not isValid(view):  # the widget is being destroyed
            return
        # fitting columns measures every cell: only for the table on screen
        # (a slider drag elsewhere changes the scenario many times a second)
        if view.isVisible():
            self._fit_columns(view)
        else:
            self._unfitted.add(key)
        where = self._current.pop(key, None)
        model = view.model()
        if where and model.rowCount() and model.columnCount():
            row = min(where[0], model.rowCount() - 1)
            col = min(where[1], model.columnCount() - 1)
            view.setCurrentIndex(model.index(row, col))
        self._update_buttons(key)

    @staticmethod
    def _fit_columns(view: QTableView) -> None:
        view.resizeColumnsToContents()
        header = view.horizontalHeader()
        for col in range(header.count()):
            size = header.sectionSize(col)
            if not _MIN_COLUMN_WIDTH <= size <= _MAX_COLUMN_WIDTH:
                header.resizeSection(col, min(max(size, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._on_tab_changed(self.tabs.currentIndex())

    def _on_tab_changed(self, index: int) -> None:
        if 0 <= index < len(_EDITORS) and _EDITORS[index].key in self._unfitted:
            self._unfitted.discard(_EDITORS[index].key)
            self._fit_columns(self.views[_EDITORS[index].key])

    def _update_buttons(self, key: str) -> None:
        if key in self.remove_buttons and isValid(self.remove_buttons[key]) and isValid(self.views[key]):
            self.remove_buttons[key].setEnabled(self.views[key].currentIndex().isValid())

    def _on_scenario_changed(self, _scenario) -> None:
        self.message.clear()
        self.message.setToolTip("")


__all__ = [
    "CHOICES_ROLE",
    "CapabilitiesModel",
    "ChoiceDelegate",
    "DemandModel",
    "EditRefused",
    "EditorModel",
    "EditorsWidget",
    "RegionFactorsModel",
    "RegionsModel",
    "ResourcesModel",
    "RulesModel",
    "TasksModel",
    "add_item",
    "convert_rule",
    "describe_problem",
    "describe_problems",
    "format_number",
    "parse_number",
    "remove_item",
    "rename_id",
]
