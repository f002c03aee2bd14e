"""The data editors: every edit one undo step, every refusal in words, nothing half-done."""

from __future__ import annotations

import copy

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QRadioButton, QTableView  # noqa: E402

from planner.fileio import scenario_from_dict  # noqa: E402
from ui.document import Document  # noqa: E402
from ui.editors import (
    CHOICES_ROLE,
    CapabilitiesModel,
    DemandModel,
    EditorsWidget,
    RegionFactorsModel,
    RegionsModel,
    ResourcesModel,
    RulesModel,
    TasksModel,
    describe_problem,
    format_number,
    parse_number,
)

EDIT = Qt.ItemDataRole.EditRole

SMALL = {
    "format": "mandate-planner-scenario",
    "version": 1,
    "name": "Small test scenario",
    "periods": [{"id": "p0", "name": "Q1"}, {"id": "p1", "name": "Q2"}, {"id": "p2", "name": "Q3"}],
    "tasks": [
        {"id": "poc", "name": "Protection of civilians", "weight": 3},
        {"id": "peace", "name": "Peace agreement", "weight": 2, "note": "first priority"},
        {"id": "rights", "name": "Human rights", "weight": 1},
    ],
    "regions": [
        {"id": "mopti", "name": "Mopti", "zone": "center", "location": {"lat": 14.49, "lon": -4.18}},
        {"id": "segou", "name": "Ségou", "zone": "center"},
        {"id": "gao", "name": "Gao", "zone": "north"},
    ],
    "capabilities": [
        {"id": "infantry", "name": "Infantry battalion", "category": "ground", "existing": 4, "max_new": 0,
         "lead_time": 0, "max_per_region": 3, "effect": {"poc": 3, "peace": 2, "rights": 0.5},
         "uses": {"personnel": 650}},
        {"id": "heli", "name": "Utility helicopter", "category": "air", "existing": 2, "max_new": 4,
         "lead_time": 1, "effect": {"poc": 2, "peace": 1}, "region_factor": {"gao": 0.8},
         "uses": {"budget": 4500000, "personnel": 25}},
    ],
    "demand": {
        "poc": {"mopti": {"need": 10}, "segou": {"need": 6, "importance": 0.5}},
        "peace": {"gao": {"need": 8}},
        "rights": {"mopti": {"need": 2}, "gao": {"need": 2}},
    },
    "resources": [
        {"id": "budget", "name": "Adaptation budget", "basis": "generated", "capacity": 20000000,
         "unit": "USD"},
        {"id": "personnel", "name": "Troop ceiling", "basis": "fielded", "capacity": 5000,
         "unit": "personnel"},
    ],
    "rules": [
        {"id": "poc-floor", "name": "PoC in the centre >= 40%", "kind": "floor", "task": "poc",
         "zone": "center", "min_satisfaction": 0.4, "from_period": 1},
        {"id": "no-heli-rights", "kind": "forbid", "capability": "heli", "task": "rights"},
        {"id": "gao-presence", "kind": "min_units", "capability": "infantry", "regions": ["gao"], "units": 1},
    ],
    "panel": [{"id": "chair", "name": "Chair", "weights": {"poc": 2, "peace": 1, "rights": 1}}],
}


@pytest.fixture
def doc():
    return Document(scenario_from_dict(copy.deepcopy(SMALL)))


def _column(model, title: str) -> int:
    for col in range(model.columnCount()):
        if model.headerData(col, Qt.Orientation.Horizontal).replace("\n", " ") == title:
            return col
    raise AssertionError(f"no column {title!r}")


def _row(model, first_cell: str) -> int:
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == first_cell:
            return row
    raise AssertionError(f"no row {first_cell!r}")


def _cell(model, row_id: str, title: str):
    return model.index(_row(model, row_id), _column(model, title))


def _refused(qtbot, model, index, value, *expected):
    """Edit ``index``; assert it is refused with a message containing ``expected``, changing nothing."""
    doc = model.document
    before, count = doc.scenario, doc.undo_stack.count()
    with qtbot.waitSignal(model.editRefused, timeout=1000) as blocker:
        assert model.setData(index, value, EDIT) is False
    message = blocker.args[0]
    for word in expected:
        assert word in message, message
    assert doc.scenario == before
    assert doc.undo_stack.count() == count
    return message


# -- numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,200", 1200), ("58 000 000", 58e6), ("4.5M", 4.5e6), ("250k", 250e3), (" -3 ", -3), ("0.25", 0.25),
     ("1e3", 1000), ("12,345.5", 12345.5)],
)
def test_parse_number_accepts_what_people_type(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_parse_number_refuses_with_the_text():
    for text in ("abc", "nan", "inf", "1,5", "12,34,5", "40%"):
        with pytest.raises(ValueError, match="is not a"):
            parse_number(text)
    assert parse_number("40%", percent=True) == pytest.approx(0.4)
    assert format_number(58e6) == "58,000,000"
    assert format_number(0.25) == "0.25"


def test_problems_are_described_in_words():
    data = copy.deepcopy(SMALL)
    assert describe_problem("tasks[0].weight", "input should be greater than or equal to 0", data) == (
        "task 'poc' weight: must not be negative")
    assert describe_problem("capabilities[1].effect.pocc", "unknown task 'pocc'", data) == (
        "capability 'heli' effect on task 'pocc': unknown task 'pocc'")
    assert describe_problem("demand.poc.mopti.need", "input should be greater than 0", data).startswith(
        "need of task 'poc' in region 'mopti': must be more than 0")
    assert describe_problem("rules[0].zone", "unknown zone 'x'", data) == (
        "rule 'poc-floor' zone: unknown zone 'x'")


# -- editing cells -------------------------------------------------------------------


def test_edit_task_weight_then_undo(qtbot, doc):
    model = TasksModel(doc)
    original = doc.scenario
    index = _cell(model, "poc", "Weight")
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    assert model.setData(index, "1,200", EDIT)
    assert doc.scenario.task("poc").weight == 1200
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText().startswith("Edit weight of task 'poc'")
    assert model.index(index.row(), index.column()).data() == "1,200"
    doc.undo_stack.undo()
    assert doc.scenario == original
    assert model.index(index.row(), index.column()).data() == "3"


def test_negative_need_is_refused(qtbot, doc):
    model = DemandModel(doc)
    index = model.index(0, 0)  # poc in mopti
    _refused(qtbot, model, index, "-5", "need", "poc", "mopti", "more than 0")


def test_text_in_a_number_cell_is_refused(qtbot, doc):
    model = TasksModel(doc)
    _refused(qtbot, model, _cell(model, "poc", "Weight"), "abc", "'abc' is not a number")
    caps = CapabilitiesModel(doc)
    _refused(qtbot, caps, _cell(caps, "heli", "Lead time (periods)"), "1.5", "'1.5' is not a whole number")


def test_duplicate_id_is_refused(qtbot, doc):
    model = TasksModel(doc)
    _refused(qtbot, model, _cell(model, "poc", "ID"), "peace", "duplicate id 'peace'", "already a task")


def test_invalid_id_is_refused_with_a_suggestion(qtbot, doc):
    model = RegionsModel(doc)
    _refused(qtbot, model, _cell(model, "gao", "ID"), "Gao North",
             "'Gao North' is not a valid id", "gao_north")


def test_unknown_zone_in_a_rule_is_refused(qtbot, doc):
    model = RulesModel(doc)
    _refused(qtbot, model, _cell(model, "poc-floor", "Region(s) / zone"), "zone: nowhere",
             "rule 'poc-floor'", "unknown zone 'nowhere'")


def test_share_out_of_range_is_refused(qtbot, doc):
    model = RulesModel(doc)
    _refused(qtbot, model, _cell(model, "poc-floor", "Value"), "40", "min satisfaction", "at most 1")
    assert model.setData(_cell(model, "poc-floor", "Value"), "55%", EDIT)
    assert doc.scenario.rules[0].min_satisfaction == pytest.approx(0.55)


def test_unknown_basis_is_refused(qtbot, doc):
    model = ResourcesModel(doc)
    index = _cell(model, "budget", "Basis")
    assert index.data(CHOICES_ROLE) == ["generated", "fielded", "employed"]
    _refused(qtbot, model, index, "monthly", "resource 'budget' basis", "generated")
    assert model.setData(index, "Employed", EDIT)
    assert doc.scenario.resource("budget").basis == "employed"


def test_blank_name_and_weight_are_refused(qtbot, doc):
    model = TasksModel(doc)
    _refused(qtbot, model, _cell(model, "poc", "Name"), "  ", "needs a name")
    _refused(qtbot, model, _cell(model, "poc", "Weight"), "", "a number is needed")


def test_rename_task_updates_every_reference_in_one_step(qtbot, doc):
    model = TasksModel(doc)
    original = doc.scenario
    assert model.setData(_cell(model, "poc", "ID"), "poc_center", EDIT)
    s = doc.scenario
    assert doc.undo_stack.count() == 1
    assert [t.id for t in s.tasks] == ["poc_center", "peace", "rights"]
    assert list(s.demand) == ["poc_center", "peace", "rights"]
    assert dict(s.demand["poc_center"]) == dict(original.demand["poc"])
    assert s.capability("infantry").effect["poc_center"] == 3
    assert "poc" not in s.capability("heli").effect
    assert s.rules[0].task == "poc_center"
    assert dict(s.panel[0].weights) == {"poc_center": 2, "peace": 1, "rights": 1}
    doc.undo_stack.undo()
    assert doc.scenario == original


def test_rename_region_and_capability_update_rules(qtbot, doc):
    regions = RegionsModel(doc)
    assert regions.setData(_cell(regions, "gao", "ID"), "gao_region", EDIT)
    s = doc.scenario
    assert s.rules[2].regions == ("gao_region",)
    assert s.capability("heli").region_factor == {"gao_region": 0.8}
    assert "gao_region" in s.demand["peace"]
    caps = CapabilitiesModel(doc)
    assert caps.setData(_cell(caps, "heli", "ID"), "utility_heli", EDIT)
    assert doc.scenario.rules[1].capability == "utility_heli"
    resources = ResourcesModel(doc)
    assert resources.setData(_cell(resources, "budget", "ID"), "new_budget", EDIT)
    assert doc.scenario.capability("utility_heli").uses == {"new_budget": 4500000, "personnel": 25}
    assert doc.undo_stack.count() == 3


def test_capability_columns_edit_effect_and_uses(qtbot, doc):
    model = CapabilitiesModel(doc)
    assert model.columnCount() == 7 + 3 + 2 + 1  # fixed, a task each, a resource each, note
    heli = _row(model, "heli")
    rights = _column(model, "Effect on Human rights")
    assert model.index(heli, rights).data() == ""
    assert model.setData(model.index(heli, rights), "0.7", EDIT)
    assert list(doc.scenario.capability("heli").effect) == ["poc", "peace", "rights"]
    budget = _column(model, "Uses of Adaptation budget")
    assert model.index(heli, budget).data() == "4,500,000"
    assert model.setData(model.index(heli, budget), "", EDIT)
    assert doc.scenario.capability("heli").uses == {"personnel": 25}
    tip = model.headerData(_column(model, "Lead time (periods)"), Qt.Orientation.Horizontal,
                           Qt.ItemDataRole.ToolTipRole)
    assert "Lead time: periods before a new unit can be used" in tip  # as rich text, escaped
    max_per_region = _column(model, "Max per region")
    assert model.setData(model.index(_row(model, "infantry"), max_per_region), "", EDIT)
    assert doc.scenario.capability("infantry").max_per_region is None


def test_demand_cells_add_remove_and_importance(qtbot, doc):
    model = DemandModel(doc)
    assert model.setData(model.index(0, 2), "4", EDIT)  # poc in gao: new
    assert list(doc.scenario.demand["poc"]) == ["mopti", "segou", "gao"]
    assert model.setData(model.index(2, 0), "", EDIT)  # rights in mopti: removed
    assert list(doc.scenario.demand["rights"]) == ["gao"]
    model.set_mode("importance")
    assert model.index(0, 1).data() == "0.5"
    assert model.index(0, 0).data() == "1"  # the default, shown grey
    assert not (model.index(1, 0).flags() & Qt.ItemFlag.ItemIsEditable)  # peace in mopti: no demand
    assert model.setData(model.index(0, 1), "", EDIT)
    assert doc.scenario.demand["poc"]["segou"].importance is None
    assert doc.undo_stack.count() == 3


def test_removing_the_demand_a_floor_needs_is_refused(qtbot, doc):
    model = DemandModel(doc)
    assert model.setData(model.index(0, 0), "", EDIT)  # poc in mopti; segou still has demand
    _refused(qtbot, model, model.index(0, 1), "", "rule 'poc-floor'", "matches no region")


def test_region_factor_blank_means_default(qtbot, doc):
    model = RegionFactorsModel(doc)
    assert model.headerData(0, Qt.Orientation.Vertical) == "Infantry battalion"
    assert model.index(1, 2).data() == "0.8"
    assert model.setData(model.index(1, 2), "", EDIT)
    assert doc.scenario.capability("heli").region_factor == {}
    assert model.setData(model.index(0, 0), "0", EDIT)
    assert doc.scenario.capability("infantry").region_factor == {"mopti": 0}


def test_region_location_needs_both_halves(qtbot, doc):
    model = RegionsModel(doc)
    lat, lon = _cell(model, "gao", "Latitude"), _cell(model, "gao", "Longitude")
    assert model.setData(lat, "16.27", EDIT)
    assert doc.scenario.region("gao").location is None  # waits for the longitude
    assert doc.undo_stack.count() == 0
    assert model.setData(lon, "-0.04", EDIT)
    location = doc.scenario.region("gao").location
    assert (location.lat, location.lon) == (16.27, -0.04)
    assert doc.undo_stack.count() == 1
    _refused(qtbot, model, _cell(model, "mopti", "Latitude"), "95", "between -90 and 90")


def test_rule_kind_change_keeps_what_applies(qtbot, doc):
    model = RulesModel(doc)
    kind = _cell(model, "gao-presence", "Kind")
    assert model.setData(kind, "floor", EDIT)
    rule = doc.scenario.rules[2]
    assert (rule.kind, rule.task, rule.regions, rule.min_satisfaction) == ("floor", "peace", ("gao",), 0)
    assert rule.capability is None
    assert not (_cell(model, "gao-presence", "Capability").flags() & Qt.ItemFlag.ItemIsEditable)
    assert model.setData(kind, "max_share", EDIT)
    assert doc.scenario.rules[2].max_share == 1
    assert doc.undo_stack.count() == 2


def test_rule_fields_take_names_and_periods(qtbot, doc):
    model = RulesModel(doc)
    assert model.setData(_cell(model, "poc-floor", "Region(s) / zone"), "Mopti, segou", EDIT)
    assert doc.scenario.rules[0].regions == ("mopti", "segou")
    assert doc.scenario.rules[0].zone is None
    assert model.setData(_cell(model, "poc-floor", "To period"), "Q2", EDIT)
    assert doc.scenario.rules[0].to_period == 1
    assert model.setData(_cell(model, "poc-floor", "From period"), "(first)", EDIT)
    assert doc.scenario.rules[0].from_period is None
    _refused(qtbot, model, _cell(model, "poc-floor", "To period"), "Q9", "'Q9' is not a period")


# -- adding and removing rows -----------------------------------------------------------


def test_add_then_remove_a_capability(qtbot, doc):
    model = CapabilitiesModel(doc)
    original = doc.scenario
    row = model.add_row()
    assert row == 2
    new = doc.scenario.capabilities[2]
    assert new.id == "capability_3"
    assert (new.existing, new.max_new, new.lead_time, dict(new.effect)) == (0, 0, 0, {})
    assert model.rowCount() == 3
    assert doc.undo_stack.count() == 1
    assert model.remove_row(row)
    assert doc.scenario == original
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.scenario.capabilities[2].id == "capability_3"


def test_add_gives_fresh_ids(qtbot, doc):
    tasks = TasksModel(doc)
    tasks.add_row()
    tasks.add_row(after=0)
    assert [t.id for t in doc.scenario.tasks] == ["poc", "task_5", "peace", "rights", "task_4"]
    assert doc.undo_stack.count() == 2
    rules = RulesModel(doc)
    rules.add_row()
    assert doc.scenario.rules[-1].kind == "max_share"
    regions = RegionsModel(doc)
    regions.add_row(after=2)
    assert doc.scenario.regions[-1].zone == "north"
    resources = ResourcesModel(doc)
    resources.add_row()
    assert doc.scenario.resources[-1].basis == "generated"


def test_removing_a_task_used_by_a_rule_is_refused(qtbot, doc):
    model = TasksModel(doc)
    before, count = doc.scenario, doc.undo_stack.count()
    with qtbot.waitSignal(model.editRefused, timeout=1000) as blocker:
        assert not model.remove_row(_row(model, "poc"))
    assert blocker.args[0] == "task 'poc' is used by rule 'poc-floor'; remove or change the rule first"
    assert doc.scenario == before
    assert doc.undo_stack.count() == count


def test_removing_a_task_removes_its_demand_and_effects(qtbot, doc):
    rules = RulesModel(doc)
    assert rules.remove_row(_row(rules, "no-heli-rights"))
    model = TasksModel(doc)
    assert model.remove_row(_row(model, "rights"))
    s = doc.scenario
    assert "rights" not in s.demand
    assert "rights" not in s.capability("infantry").effect
    assert dict(s.panel[0].weights) == {"poc": 2, "peace": 1}
    assert doc.undo_stack.count() == 2


def test_removing_the_last_region_of_a_zone_a_rule_uses_is_refused(qtbot, doc):
    rules = RulesModel(doc)
    assert rules.remove_row(_row(rules, "gao-presence"))
    regions = RegionsModel(doc)
    assert regions.remove_row(_row(regions, "gao"))  # no rule uses the north any more
    assert regions.remove_row(_row(regions, "segou"))
    regions.add_row()  # a region in the centre, so the scenario keeps one region
    assert doc.scenario.regions[-1].zone == "center"
    assert regions.setData(_cell(regions, doc.scenario.regions[-1].id, "Zone"), "west", EDIT)
    before, count = doc.scenario, doc.undo_stack.count()
    with qtbot.waitSignal(regions.editRefused, timeout=1000) as blocker:
        assert not regions.remove_row(_row(regions, "mopti"))
    assert "last region of zone 'center'" in blocker.args[0]
    assert "rule 'poc-floor'" in blocker.args[0]
    assert doc.scenario == before and doc.undo_stack.count() == count


def test_removing_a_resource_removes_its_uses(qtbot, doc):
    model = ResourcesModel(doc)
    assert model.remove_row(_row(model, "personnel"))
    assert doc.scenario.capability("heli").uses == {"budget": 4500000}
    assert doc.scenario.capability("infantry").uses == {}


# -- the models follow the document --------------------------------------------------------


def test_models_reset_after_undo_and_redo(qtbot, doc):
    tasks, caps, demand = TasksModel(doc), CapabilitiesModel(doc), DemandModel(doc)
    assert tasks.add_row() is not None
    assert caps.columnCount() == 14  # a new task: a new effect column
    assert demand.rowCount() == 4
    for model in (tasks, caps, demand):
        with qtbot.waitSignal(model.modelReset, timeout=1000):
            doc.undo_stack.undo()
            doc.undo_stack.redo()
            doc.undo_stack.undo()
    assert tasks.rowCount() == 3
    assert caps.columnCount() == 13
    assert demand.rowCount() == 3
    assert tasks.index(2, 0).data() == "rights"


# -- the widget --------------------------------------------------------------------------------

VIEW_NAMES = ("editor_tasks", "editor_regions", "editor_capabilities", "editor_region_factors",
              "editor_demand", "editor_resources", "editor_rules")


def test_widget_has_a_view_per_editor(qtbot, doc):
    widget = EditorsWidget(doc)
    qtbot.addWidget(widget)
    widget.resize(1050, 620)
    widget.show()
    qtbot.waitExposed(widget)
    for name in VIEW_NAMES:
        view = widget.findChild(QTableView, name)
        assert view is not None, name
        assert view.alternatingRowColors()
        assert view.model().rowCount() > 0
    assert widget.tabs.count() == 7
    assert widget.findChild(QLabel, "editor_message") is widget.message


def test_widget_shows_a_refusal_until_the_next_edit(qtbot, doc):
    widget = EditorsWidget(doc)
    qtbot.addWidget(widget)
    model = widget.models["tasks"]
    assert not model.setData(_cell(model, "poc", "Weight"), "abc", EDIT)
    assert "'abc' is not a number" in widget.message.text()
    assert "b00020" in widget.message.styleSheet()
    assert model.setData(_cell(model, "poc", "Weight"), "4", EDIT)
    assert widget.message.text() == ""


def test_widget_buttons_add_and_remove(qtbot, doc):
    widget = EditorsWidget(doc)
    qtbot.addWidget(widget)
    view = widget.views["tasks"]
    remove = widget.remove_buttons["tasks"]
    assert remove.text() == "Remove task"
    assert not remove.isEnabled()
    qtbot.mouseClick(widget.add_buttons["tasks"], Qt.MouseButton.LeftButton)
    assert doc.scenario.tasks[-1].id == "task_4"
    assert view.currentIndex().row() == 3
    assert remove.isEnabled()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [t.id for t in doc.scenario.tasks] == ["poc", "peace", "rights"]
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert "used by rule 'poc-floor'" in widget.message.text()
    assert doc.undo_stack.count() == 2


def test_editing_through_the_view_and_its_delegates(qtbot, doc):
    widget = EditorsWidget(doc)
    qtbot.addWidget(widget)
    widget.resize(1050, 620)
    widget.show()
    qtbot.waitExposed(widget)

    widget.tabs.setCurrentIndex(0)
    view = widget.views["tasks"]
    index = _cell(view.model(), "peace", "Weight")
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    editor.setText("7")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the loop
    qtbot.waitUntil(lambda: doc.scenario.task("peace").weight == 7, timeout=1000)
    assert view.currentIndex().row() == index.row()  # the view keeps its place

    widget.tabs.setCurrentIndex(5)
    view = widget.views["resources"]
    index = _cell(view.model(), "personnel", "Basis")
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.findChild(QComboBox)
    assert combo is not None and not combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == ["generated", "fielded", "employed"]
    assert combo.currentText() == "fielded"
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert doc.scenario.resource("personnel").basis == "employed"
    doc.undo_stack.undo()
    assert doc.scenario.resource("personnel").basis == "fielded"
    assert view.model().index(index.row(), index.column()).data() == "fielded"

    widget.tabs.setCurrentIndex(6)
    view = widget.views["rules"]
    index = _cell(view.model(), "poc-floor", "Region(s) / zone")
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.findChild(QComboBox)
    assert combo.isEditable() and combo.currentText() == "zone: center"
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Mopti, gao")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.scenario.rules[0].regions == ("mopti", "gao"), timeout=1000)
    assert doc.scenario.rules[0].zone is None


def test_demand_tab_switches_between_need_and_importance(qtbot, doc):
    widget = EditorsWidget(doc)
    qtbot.addWidget(widget)
    model = widget.models["demand"]
    assert model.mode == "need"
    assert "Need" in widget.findChild(QLabel, "hint_demand").text()
    widget.findChild(QRadioButton, "demand_importance").setChecked(True)
    assert model.mode == "importance"
    assert model.index(0, 1).data() == "0.5"
    assert "Importance" in widget.findChild(QLabel, "hint_demand").text()


def test_setdata_ignores_other_roles_and_bad_indexes(qtbot, doc):
    model = TasksModel(doc)
    assert not model.setData(model.index(0, 2), "5", Qt.ItemDataRole.DisplayRole)
    assert not model.setData(QModelIndex(), "5", EDIT)
    assert doc.undo_stack.count() == 0
