"""Scenarios as Excel workbooks: out, in, and every problem named by sheet and cell."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planner.errors import ScenarioError
from planner.fileio import dumps_scenario, load_scenario, scenario_from_dict, scenario_to_dict
from planner.scenario import RULE_KINDS, blank_scenario
from planner.solve import solve_scenario
from planner.workbook import read_workbook, read_workbook_bytes, workbook_bytes, write_workbook
from planner.workbook_sheets import REQUIRED_SHEETS, SHEETS

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEFAULT = ROOT / "tests" / "data" / "minusma_2020_v1.json"
FILES = sorted((ROOT / "scenarios").glob("*.json")) + sorted((DATA / "v2").glob("*.json")) + [DATA / "tiny.json"]


@pytest.fixture(scope="module")
def default():
    return load_scenario(DEFAULT)


@pytest.fixture(scope="module")
def default_book(default) -> bytes:
    return workbook_bytes(default, solve_scenario(default))


def edited(content: bytes, edit) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problems_of(content: bytes) -> str:
    """The message a reader of the workbook gets."""
    with pytest.raises(ScenarioError) as caught:
        read_workbook_bytes(content, "bad.xlsx")
    return str(caught.value)


def problem_lines(content: bytes) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        read_workbook_bytes(content, "bad.xlsx")
    return [f"{where}: {message}" if where else message for where, message in caught.value.problems]


def with_saved_value(content: bytes, sheet_file: str, formula: str, value: str) -> bytes:
    """The workbook with the formula's saved value filled in, as a spreadsheet program leaves it."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_file:
                text, n = re.subn(f"<f>{re.escape(formula)}</f><v\\s*/?>(</v>)?", f"<f>{formula}</f><v>{value}</v>",
                                  data.decode())
                assert n == 1
                data = text.encode()
            dst.writestr(item, data)
    return out.getvalue()


# -- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_round_trip_gives_the_same_scenario(path):
    s = load_scenario(path)
    back = read_workbook_bytes(workbook_bytes(s, solve_scenario(s)), "book.xlsx")
    assert back == s
    assert dumps_scenario(back) == dumps_scenario(s)  # the same file, byte for byte


def test_a_blank_scenario_keeps_its_empty_lists_but_no_empty_text():
    s = blank_scenario()
    assert s.description == "" and s.rules == () and s.sources == ()
    # a spreadsheet keeps no empty text: the empty description reads back as left out
    assert read_workbook_bytes(workbook_bytes(s)) == dataclasses.replace(s, description=None)


def test_a_list_left_out_stays_out_and_a_text_like_a_formula_stays_text(tmp_path):
    data = scenario_to_dict(load_scenario(DATA / "tiny.json"))
    del data["rules"], data["returns"]
    data["tasks"][0]["name"] = '=HYPERLINK("http://x","y")'
    s = scenario_from_dict(data)
    path = tmp_path / "book.xlsx"
    write_workbook(s, path)
    wb = openpyxl.load_workbook(path)
    assert "rules" not in wb.sheetnames and "returns" not in wb.sheetnames
    assert wb["tasks"]["B2"].data_type == "s"
    assert read_workbook(path) == s


def test_control_characters_are_written_as_escapes():
    s = load_scenario(DATA / "tiny.json")
    s = dataclasses.replace(s, tasks=(dataclasses.replace(s.tasks[0], name="PoC\x07"),))
    back = read_workbook_bytes(workbook_bytes(s))
    assert back.tasks[0].name == "PoC\\x07"


# -- what the workbook holds ---------------------------------------------------------------------------


def test_a_sheet_per_table_with_units_names_beside_ids_and_the_plan(default, default_book):
    wb = openpyxl.load_workbook(io.BytesIO(default_book))
    assert wb.sheetnames[:5] == ["scenario", "periods", "tasks", "regions", "capabilities"]
    assert set(REQUIRED_SHEETS) <= set(wb.sheetnames)
    assert {s.title for s in SHEETS} | {"plan", "plan generate", "plan allocation", "plan basing",
                                       "plan resources"} == set(wb.sheetnames)
    headers = [c.value for c in wb["capabilities"][1]]
    assert headers[:6] == ["id", "name", "category", "existing (units)", "max_new (units)",
                           "lead_time (periods until new units arrive)"]
    effects = wb["effects"]
    cap = default.capabilities[0]
    assert [c.value for c in effects[1]][:4] == ["capability_id", "capability", "task_id", "task"]
    first_task = next(iter(cap.effect))
    assert [c.value for c in effects[2]] == [cap.id, cap.name, first_task, default.task(first_task).name,
                                             cap.effect[first_task]]


def test_ids_and_choices_have_drop_down_lists(default, default_book):
    wb = openpyxl.load_workbook(io.BytesIO(default_book))
    lists = {(str(v.sqref).split(":")[0], v.formula1) for v in wb["effects"].data_validations.dataValidation}
    n_caps, n_tasks = len(default.capabilities), len(default.tasks)
    assert ("A2", f"capabilities!$A$2:$A${n_caps + 1}") in lists
    assert ("C2", f"tasks!$A$2:$A${n_tasks + 1}") in lists
    kinds = {v.formula1 for v in wb["rules"].data_validations.dataValidation}
    assert '"' + ",".join(RULE_KINDS) + '"' in kinds


def test_the_plan_sheets_hold_the_plan(default, default_book):
    result = solve_scenario(default)
    wb = openpyxl.load_workbook(io.BytesIO(default_book))
    generate = {row[1]: row[3] for row in wb["plan generate"].iter_rows(min_row=2, values_only=True)}
    assert set(generate) == {c.id for c in default.capabilities}
    for cap_id, units in result.generate.items():
        assert generate[cap_id] == pytest.approx(units, abs=1e-6)
    assert wb["plan allocation"].max_row - 1 == len(result.allocation_rows())
    used = {row[1]: row[3] for row in wb["plan resources"].iter_rows(min_row=2, values_only=True)}
    assert used == pytest.approx({q: r.used for q, r in result.resources.items()}, abs=1e-5)
    plan = {row[0]: row[3] for row in wb["plan"].iter_rows(min_row=2, values_only=True)}
    assert plan["score (0-100)"] == pytest.approx(result.score, abs=1e-3)


# -- problems, each by sheet and cell ----------------------------------------------------------------


def test_a_text_in_a_number_column(default_book):
    def edit(wb):
        wb["capabilities"]["D7"] = "abc"
    assert problems_of(edited(default_book, edit)) == "bad.xlsx: capabilities!D7: 'abc' is not a number"


def test_an_unknown_id(default_book):
    def edit(wb):
        wb["effects"]["C5"] = "poc_cente"
    assert problems_of(edited(default_book, edit)) == "bad.xlsx: effects!C5: unknown task 'poc_cente'"


def test_an_unknown_owner_and_a_sheet_name_that_needs_quotes(default_book):
    def edit(wb):
        wb["region factors"]["A2"] = "tank"
    assert problems_of(edited(default_book, edit)) == (
        "bad.xlsx: 'region factors'!A2: unknown capability 'tank' (not on the capabilities sheet)")


def test_a_missing_sheet(default_book):
    def edit(wb):
        del wb["capabilities"]
    assert problems_of(edited(default_book, edit)) == "bad.xlsx: capabilities: the sheet is missing"


def test_a_formula_without_a_saved_value_is_refused(default_book):
    def edit(wb):
        wb["capabilities"]["E3"] = "=2*3"
    assert problems_of(edited(default_book, edit)) == (
        "bad.xlsx: capabilities!E3: a formula (=2*3) with no saved value: type the value itself "
        "(formulas are never run)")


def test_a_formula_is_read_as_its_saved_value_never_run(default, default_book):
    def edit(wb):
        wb["tasks"]["C2"] = "=1+1"
    content = with_saved_value(edited(default_book, edit), "xl/worksheets/sheet3.xml", "1+1", "35")
    assert read_workbook_bytes(content).tasks[0].weight == 35  # what the spreadsheet saved, not 2


def test_every_problem_at_once_and_nothing_else(default_book):
    def edit(wb):
        wb["capabilities"]["D7"] = "abc"
        wb["demand"]["C4"] = "atlantis"
        wb["uses"]["E3"] = -5
    assert problems_of(edited(default_book, edit)).splitlines() == [  # in the workbook's order
        "bad.xlsx: 3 problems",
        "  capabilities!D7: 'abc' is not a number",
        "  uses!E3: must not be negative (found -5)",
        "  demand!C4: unknown region 'atlantis'",
    ]


@pytest.mark.parametrize("edit, message", [
    (lambda wb: wb.create_sheet("notes"), "'notes': unknown sheet (check its name)"),
    (lambda wb: wb["tasks"].cell(1, 6, "colour"), "tasks!F1: unknown column 'colour' (check the spelling)"),
    (lambda wb: wb["tasks"].delete_cols(3), "tasks: no column 'weight (relative priority)' in the header row"),
    (lambda wb: wb["tasks"].cell(2, 5, "{oops"), "tasks!E2: not valid JSON (Expecting property name enclosed in double quotes)"),
    (lambda wb: wb["tasks"].append(["peace_agreement", "Again", 1]),
     "tasks!A7: duplicate id 'peace_agreement' (also tasks!A2)"),
    (lambda wb: setattr(wb["effects"]["C3"], "value", None), "effects!C3: blank: give the task_id of this effect"),
    (lambda wb: wb["effects"].cell(3, 3, wb["effects"]["C2"].value),
     "effects!C3: 'peace_agreement' is given twice here (effects!C2 too)"),
    (lambda wb: wb["effects"].cell(5, 3, "POC"),
     "effects!C5: an id must be 1-64 characters of a-z, 0-9, '_' or '-' (as a key)"),
    (lambda wb: wb["scenario"].cell(2, 2, 7), "scenario!B2: the file is format version 7, newer than this program "
                                             "reads (up to 2); update Mandate Planner to open it"),
    (lambda wb: [wb["tasks"].cell(r, 3, 0) for r in range(2, 7)],
     "tasks: every task weight is 0: give at least one task a positive weight"),
], ids=["sheet", "column", "no-column", "json", "duplicate-id", "blank-key", "twice", "bad-key", "version",
        "weights"])
def test_each_problem_is_named_by_its_sheet_and_cell(default_book, edit, message):
    assert problem_lines(edited(default_book, edit)) == [message]


def test_a_file_that_is_no_workbook(tmp_path):
    with pytest.raises(ScenarioError, match=r"^minusma_2020_v1.json: not an Excel workbook \(.xlsx\)$"):
        read_workbook(DEFAULT)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(ScenarioError, match=r"an Excel 97-2003 workbook \(.xls\): save it as .xlsx"):
        read_workbook(old)
    with pytest.raises(ScenarioError, match="this is a folder, not a workbook"):
        read_workbook(tmp_path)


# -- in the window -------------------------------------------------------------------------------------


def test_the_window_imports_a_workbook_as_a_new_unsaved_scenario(window, tmp_path):
    s = load_scenario(DATA / "tiny.json")
    path = tmp_path / "tiny.xlsx"
    write_workbook(s, path)
    assert window.import_workbook(str(path))
    assert window.document.scenario == s
    assert window.document.path is None and window.document.is_modified


def test_the_window_refuses_a_bad_workbook_and_changes_nothing(window, tmp_path, monkeypatch, default_book):
    from PySide6.QtWidgets import QMessageBox

    def edit(wb):
        wb["capabilities"]["D7"] = "abc"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edited(default_book, edit))
    before = window.document.scenario
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    assert not window.import_workbook(str(path))
    assert window.document.scenario is before and not window.document.is_modified
    assert len(shown) == 1 and "capabilities!D7: 'abc' is not a number" in shown[0]


def test_the_window_exports_the_scenario_and_its_plan(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "plan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.export_workbook()
    book = target.with_suffix(".xlsx")
    assert read_workbook(book) == window.document.scenario
    assert "plan generate" in openpyxl.load_workbook(book).sheetnames
