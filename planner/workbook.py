"""Scenarios as Excel workbooks, out and in (openpyxl).

:func:`workbook_bytes` writes one sheet per table of the scenario (the sheets of
:mod:`planner.workbook_sheets`: a header row with units, the names beside the ids,
drop-down lists of the ids) and, given a solved plan, the plan in sheets of its own.
:func:`read_workbook` reads a scenario back through the same checks as a scenario file
(:func:`planner.fileio.scenario_from_dict`) and names each problem by sheet and cell
(``capabilities!D7: 'abc' is not a number``); it returns a scenario only when the whole
workbook is valid. A formula is read as the value the spreadsheet saved with it, or
refused: it is never evaluated. The plan's sheets are written for reading, and skipped
when a workbook is read.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .atomic import write_atomic
from .csv_export import allocation_table
from .errors import ScenarioError
from .fileio import scenario_from_dict, scenario_to_dict
from .jsontext import MAX_FILE_BYTES, MAX_PROBLEMS, size_text
from .result import Result
from .scenario import FORMAT, Scenario
from .summary import arrival_text
from .text import shown
from .validate import quoted
from .workbook_cells import ONE, Cells, Reading, cell_ref, header_key
from .workbook_sheets import OPTIONAL_LISTS, REQUIRED_SHEETS, SHEETS, MapSheet

PLAN_SHEETS = ("plan", "plan generate", "plan allocation", "plan basing", "plan resources")
MAX_UNPACKED_BYTES = 200_000_000  # what a workbook may hold once unzipped
SPARE_ROWS = 50  # rows below the data that get the drop-down lists too
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


# -- writing -------------------------------------------------------------------------------------


def _safe(value):
    """Text as a cell can hold it: XML forbids most control characters, written here as escapes."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def _table(wb: Workbook, title: str, headers: list[str], rows) -> object:
    """A sheet with a bold header row held in place, the rows below, columns wide enough to read."""
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, _safe(value))
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
            if r < 200:
                widths[c - 1] = max(widths[c - 1], len(str(value or "")))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    return ws


def _left_out(sheet, data: dict) -> bool:
    """A sheet of a list the scenario leaves out (so that reading it back leaves it out too)."""
    owner = sheet.owner if isinstance(sheet, MapSheet) else sheet.title
    return owner in OPTIONAL_LISTS and owner not in data


def _drop_downs(ws, sheet, counts: dict[str, int]) -> None:
    """Drop-down lists where a column takes an id of another sheet or one of a few choices."""
    last = max(ws.max_row, 1) + SPARE_ROWS
    for c, column in enumerate(sheet.columns, start=1):
        if column.choices:
            source, what = '"' + ",".join(column.choices) + '"', ", ".join(column.choices)
        elif column.ids_of and counts.get(column.ids_of):
            source = f"{cell_ref(column.ids_of, '$A$2')}:$A${counts[column.ids_of] + 1}"
            what = f"a {ONE[column.ids_of]} id of the {column.ids_of} sheet"
        else:
            continue
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                              errorTitle="Not in the list", error=f"Choose {what}.")
        letter = get_column_letter(c)
        rule.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(rule)


def workbook_bytes(scenario: Scenario, result: Result | None = None) -> bytes:
    """The scenario as an .xlsx workbook; with ``result`` (a solve of it), the plan too."""
    data = scenario_to_dict(scenario)
    data["version"] = scenario.version  # as the file has it: a read gives back the same scenario
    names = {of: {item["id"]: item.get("name", "") for item in data.get(of) or ()} for of in ONE}
    counts = {of: len(data.get(of) or ()) for of in ONE}
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        if not _left_out(sheet, data):
            rows = sheet.rows(data, lambda of, i: names[of].get(i, ""))
            ws = _table(wb, sheet.title, [c.header for c in sheet.columns], rows)
            _drop_downs(ws, sheet, counts)
    if result is not None:
        _plan_sheets(wb, result)
    wb.properties.title = _safe(scenario.name)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(scenario: Scenario, path: str | os.PathLike, result: Result | None = None) -> None:
    """Write the workbook atomically: an earlier file stays whole if anything fails."""
    write_atomic(Path(path), workbook_bytes(scenario, result))


def _plan_sheets(wb: Workbook, result: Result) -> None:
    s = result.scenario
    rows = [["status", "", "", result.status.value], ["message", "", "", result.message]]
    if result.ok:
        rows.append(["score (0-100)", "", "", round(result.score, 4)])
        rows += [["task score (0-100)", t.id, t.name, _rounded(result.task_scores.get(t.id))] for t in s.tasks]
    rows += [["diagnosis", d.key, d.region or "", d.message] for d in result.diagnosis]
    _table(wb, "plan", ["item", "id", "name", "value"], rows)
    if not result.ok:
        return
    _table(wb, "plan generate",
           ["capability", "capability_id", "existing (units)", "generate (new units)", "new units arrive",
            "repatriate (units)"],
           [[c.name, c.id, c.existing, _rounded(result.generate.get(c.id, 0.0)), arrival_text(s, c),
             _rounded(result.repatriate.get(c.id, 0.0))] for c in s.capabilities])
    header, table = allocation_table(result)
    _table(wb, "plan allocation", [h if h != "units" else "units (employed)" for h in header], table)
    moves = {(m["capability"], m["base"], m["period"]): m["units"] for m in result.moves.rows(s)}
    names = {c.id: c.name for c in (*s.capabilities, *s.regions, *s.periods)}
    _table(wb, "plan basing",
           ["capability", "capability_id", "base", "base_id", "period", "period_id", "units (based)",
            "leaving (units)"],
           [[names[b["capability"]], b["capability"], names[b["base"]], b["base"], names[b["period"]], b["period"],
             _rounded(b["units"]), _rounded(moves.get((b["capability"], b["base"], b["period"]), 0.0))]
            for b in result.basing.rows(s)])
    _table(wb, "plan resources",
           ["resource", "resource_id", "basis", "used", "capacity", "unit", "share of capacity (%)",
            "shadow price (score points per unit)"],
           [[q.name, q.id, q.basis, _rounded(result.resources[q.id].used), q.capacity, q.unit,
             _rounded(100 * result.resources[q.id].share), _rounded(result.resources[q.id].shadow_price, 10)]
            for q in s.resources])


def _rounded(value, digits: int = 6):
    return None if value is None else round(float(value), digits)


# -- reading -------------------------------------------------------------------------------------


def _file_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES."""
    name = path.name
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError([("", "this is a folder, not a workbook")], name)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError([("", "not a regular file")], name)
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError([("", f"the file is {size_text(info.st_size)}; workbooks are limited to "
                                      f"{MAX_FILE_BYTES // 1_000_000} MB")], name)
        return path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([("", "no such file")], str(path)) from None
    except OSError as exc:
        raise ScenarioError([("", f"cannot be read ({exc.strerror or exc})")], str(path)) from None


def _open(content: bytes, source: str | None):
    """The workbook twice: with its formulas, and with the values saved with them."""
    if content[:4] == b"\xd0\xcf\x11\xe0":
        raise ScenarioError([("", "an Excel 97-2003 workbook (.xls): save it as .xlsx and import that")], source)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        raise ScenarioError([("", "not an Excel workbook (.xlsx)")], source) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ScenarioError([("", f"the workbook unpacks to {size_text(unpacked)}; at most "
                                  f"{MAX_UNPACKED_BYTES // 1_000_000} MB")], source)
    try:
        with warnings.catch_warnings():  # openpyxl warns of the Excel features it drops
            warnings.simplefilter("ignore")
            return (load_workbook(io.BytesIO(content), data_only=False),
                    load_workbook(io.BytesIO(content), data_only=True))
    except Exception as exc:  # a damaged workbook can fail anywhere in the reader
        why = shown(str(exc) or type(exc).__name__, 120)
        raise ScenarioError([("", f"cannot be read as an Excel workbook ({why})")], source) from None


def _formula_text(cell) -> str:
    text = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "") or ""
    return text if text.startswith("=") else "=" + text


def _rows(ws, saved, sheet, r: Reading, structure: list) -> list[Cells]:
    """The sheet's rows that hold anything, as {column name: (value, cell)}; its header's
    problems go to ``structure``, its formulas without a saved value to ``r.problems``."""
    known = {c.name: c for c in sheet.columns}
    columns: dict[int, str] = {}
    for cell in next(ws.iter_rows(max_row=1), ()):
        if cell.value is None or not str(cell.value).strip():
            continue
        key = header_key(str(cell.value))
        ref = cell_ref(ws.title, cell.coordinate)
        if key not in known:
            structure.append((ref, f"unknown column {quoted(str(cell.value))} (check the spelling)"))
        elif key in columns.values():
            structure.append((ref, f"the column {quoted(str(cell.value))} is there twice"))
        elif known[key].kind != "name":
            columns[cell.column] = key
    for c in sheet.columns:
        if c.required and c.name not in columns.values():
            structure.append((ws.title, f"no column {quoted(c.header)} in the header row"))
    rows = []
    for row in ws.iter_rows(min_row=2):
        cells: Cells = {}
        refused = False
        for cell in row:
            key = columns.get(cell.column)
            if key is None:
                continue
            value, ref = cell.value, cell_ref(ws.title, cell.coordinate)
            if cell.data_type == "f":
                value = saved[cell.coordinate].value
                if value is None:
                    r.problems.append((ref, f"a formula ({shown(_formula_text(cell))}) with no saved value: "
                                            "type the value itself (formulas are never run)"))
                    refused = True
            cells[key] = (value, ref)
        if refused or any(v is not None and str(v).strip() for v, _ in cells.values()):
            for c, key in columns.items():  # every column of the row has its cell, blank or not
                cells.setdefault(key, (None, cell_ref(ws.title, f"{get_column_letter(c)}{row[0].row}")))
            rows.append(cells)
    return rows


def read_workbook(path: str | os.PathLike) -> Scenario:
    """Read and check a scenario workbook; raise :class:`ScenarioError` naming every problem by sheet and cell."""
    path = Path(path)
    return read_workbook_bytes(_file_bytes(path), path.name)


def read_workbook_bytes(content: bytes, source: str | None = None) -> Scenario:
    """:func:`read_workbook` of a workbook's bytes (``source``: its name, for the messages)."""
    formulas, saved = _open(content, source)
    sheets = {ws.title: ws for ws in formulas.worksheets}
    known = {sheet.title for sheet in SHEETS}
    structure = [(title, "the sheet is missing") for title in REQUIRED_SHEETS if title not in sheets]
    structure += [(quoted(title), "unknown sheet (check its name)") for title in sheets
                  if title not in known and title not in PLAN_SHEETS]
    r = Reading({"format": FORMAT})
    for sheet in SHEETS:
        owner = getattr(sheet, "owner", None)
        if sheet.title in sheets and (owner is None or owner in r.data):
            r.where.setdefault(sheet.title, sheet.title)  # a problem of a whole list: its sheet
            sheet.read(_rows(sheets[sheet.title], saved[sheet.title], sheet, r, structure), r)
    if structure:
        raise ScenarioError(structure, source)
    r.data.setdefault("version", 1)
    try:
        scenario = scenario_from_dict(r.data)
    except ScenarioError as exc:
        checked = [_placed(r, path, message) for path, message in exc.problems]
    else:
        checked = []
    problems: dict[tuple[str, str], None] = {}
    cells: set[str] = set()
    for ref, message in r.problems + checked:  # one problem a cell: the first, the others follow from it
        if ref not in cells:
            problems[ref, message] = None
            cells.update([ref] if "!" in ref else [])
    if problems:
        order = {sheet.title: i for i, sheet in enumerate(SHEETS)}
        ordered = sorted(problems, key=lambda p: _position(p[0], order))
        raise ScenarioError(ordered[:MAX_PROBLEMS], source)  # past that many, not worth listing
    return scenario


_CELL = re.compile(r"(?:'((?:[^']|'')+)'|([^!']+))!([A-Z]+)(\d+)")


def _position(ref: str, order: dict[str, int]) -> tuple:
    """Where a problem's cell stands in the workbook: sheet, row, column (a whole sheet first)."""
    cell = _CELL.fullmatch(ref)
    if cell is None:
        return order.get(ref, len(order)), 0, 0, ""
    title = (cell.group(1) or "").replace("''", "'") or cell.group(2)
    return order.get(title, len(order)), int(cell.group(4)), len(cell.group(3)), cell.group(3)


_LAST_STEP = re.compile(r"(.*?)(\.[^.\[]*|\[\d+\])$")
_ITEM_PATH = re.compile(r"\b[a-z_]+\[\d+\]")  # "tasks[0]", as a message names another item


def _placed(r: Reading, path: str, message: str) -> tuple[str, str]:
    """A problem of the file data named by the cell its value came from (a mapping's key,
    for a problem of the key); a path with no cell of its own by the nearest cell above it,
    with the rest of the path before the message."""
    message = _ITEM_PATH.sub(lambda m: r.where.get(m.group(), m.group()), message)
    if path in r.key_where and (message.startswith("unknown") or message.endswith("(as a key)")):
        return r.key_where[path], message
    at = path
    while at and at not in r.where:
        step = _LAST_STEP.match(at)
        at = step.group(1) if step else ""
    rest = path[len(at):].lstrip(".")
    if rest and not rest.startswith("["):
        message = f"{rest}: {message}"
    return (r.where[at] if at else "scenario"), message
