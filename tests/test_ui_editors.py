"""The data editors: every edit one undo step, every refusal in words, nothing half-done."""

from __future__ import annotations

import copy

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QRadioButton, QTableView  # noqa: E402
from test_planner_edits import SMALL, stationed  # noqa: E402

from planner.fileio import scenario_from_dict  # noqa: E402
from ui.document import Document  # noqa: E402
from ui.editors import (  # noqa: E402
    CHOICES_ROLE,
    NEEDS_STATIONING,
    CapabilitiesModel,
    DemandModel,
    EditorsWidget,
    LaydownModel,
    PostureModel,
    RegionFactorsModel,
    RegionsModel,
    ResourcesModel,
    RulesModel,
    TasksModel,
    format_number,
    parse_number,
)

EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BASES = ["generated", "fielded", "employed", "in_service"]

@pytest.fixture
def doc():
    return Document(scenario_from_dict(copy.deepcopy(SMALL)))


@pytest.fixture
def v2doc():
    """Stationing on, with a laydown, reach, move costs and an enabler rule."""
    return Document(scenario_from_dict(stationed()))


def _column(model, title: str) -> int:
    for col in range(model.columnCount()):
        if model.headerData(col, Qt.Orientation.Horizontal).replace("\n", " ") == title:
            return col
    raise AssertionError(f"no column {title!r}")


def _row(model, first_cell: str) -> int:
    """The row whose first cell (a list's id) or row header (a name) reads ``first_cell``."""
    for row in range(model.rowCount()):
        if first_cell in (model.index(row, 0).data(), model.headerData(row, Qt.Orientation.Vertical)):
            return row
    raise AssertionError(f"no row {first_cell!r}")


def _cell(model, row_id: str, title: str):
    return model.index(_row(model, row_id), _column(model, title))


def _widget(qtbot, document, shown: bool = False) -> EditorsWidget:
    widget = EditorsWidget(document)
    qtbot.addWidget(widget)
    if shown:
        widget.resize(1050, 620)
        widget.show()
        qtbot.waitExposed(widget)
    return widget


def _view_cell(widget, key: str, row_id: str, title: str):
    """Show the tab of editor ``key`` and make a cell of its view the current one: (view, index)."""
    widget.tabs.setCurrentIndex(list(widget.views).index(key))
    view = widget.views[key]
    index = _cell(view.model(), row_id, title)
    view.setCurrentIndex(index)
    view.scrollTo(index)
    return view, index


def _refused(qtbot, model, index, value, *expected, role=EDIT):
    """Edit ``index``; assert it is refused with a message containing ``expected``, changing nothing."""
    doc = model.document
    before, count = doc.scenario, doc.undo_stack.count()
    with qtbot.waitSignal(model.editRefused, timeout=1000) as blocker:
        assert model.setData(index, value, role) is False
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


# -- editing cells -------------------------------------------------------------------


def test_edit_task_weight_then_undo(qtbot, doc):
    model = TasksModel(doc)
    original = doc.scenario
    index = _cell(model, "poc", "Weight")
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    assert model.setData(index, "1,200", EDIT)
    assert doc.scenario.task("poc").weight == 1200
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Change 'Protection of civilians': weight"
    assert model.index(index.row(), index.column()).data() == "1,200"
    doc.undo_stack.undo()
    assert doc.scenario == original
    assert model.index(index.row(), index.column()).data() == "3"


def test_negative_need_is_refused(qtbot, doc):
    model = DemandModel(doc)
    index = model.index(0, 0)  # poc in mopti
    _refused(qtbot, model, index, "-5", "need of task 'Protection of civilians' in region 'Mopti'", "more than 0")


def test_text_in_a_number_cell_is_refused(qtbot, doc):
    model = TasksModel(doc)
    _refused(qtbot, model, _cell(model, "poc", "Weight"), "abc", "'abc' is not a number")
    caps = CapabilitiesModel(doc)
    _refused(qtbot, caps, _cell(caps, "heli", "Lead time (periods)"), "1.5", "'1.5' is not a whole number")


def test_duplicate_id_is_refused(qtbot, doc):
    model = TasksModel(doc)
    _refused(qtbot, model, _cell(model, "poc", "ID"), "peace", "duplicate id 'peace'",
             "already the id of task 'Peace agreement'")


def test_invalid_id_is_refused_with_a_suggestion(qtbot, doc):
    model = RegionsModel(doc)
    _refused(qtbot, model, _cell(model, "gao", "ID"), "Gao North",
             "'Gao North' is not a valid id", "gao_north")


def test_unknown_zone_in_a_rule_is_refused(qtbot, doc):
    model = RulesModel(doc)
    _refused(qtbot, model, _cell(model, "poc-floor", "Region(s) / zone"), "zone: nowhere",
             "rule 'PoC in the centre >= 40%' zone", "unknown zone 'nowhere'")


def test_share_out_of_range_is_refused(qtbot, doc):
    model = RulesModel(doc)
    _refused(qtbot, model, _cell(model, "poc-floor", "Value"), "40", "minimum satisfaction", "at most 1")
    assert model.setData(_cell(model, "poc-floor", "Value"), "55%", EDIT)
    assert doc.scenario.rules[0].min_satisfaction == pytest.approx(0.55)


def test_unknown_basis_is_refused(qtbot, doc):
    model = ResourcesModel(doc)
    index = _cell(model, "budget", "Basis")
    assert index.data(CHOICES_ROLE) == BASES
    _refused(qtbot, model, index, "monthly", "resource 'Adaptation budget' basis", "generated")
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
    assert model.columnCount() == 8 + 3 + 2 + 1  # fixed, a task each, a resource each, note
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
    _refused(qtbot, model, model.index(0, 1), "", "rule 'PoC in the centre >= 40%'", "matches no region",
             "task 'Protection of civilians'")


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
    assert blocker.args[0] == ("task 'Protection of civilians' is used by rule 'PoC in the centre >= 40%'; "
                               "remove or change the rule first")
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
    assert "region 'Mopti' is the last region of zone 'center'" in blocker.args[0]
    assert "rule 'PoC in the centre >= 40%'" in blocker.args[0]
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
    assert caps.columnCount() == 15  # a new task: a new effect column
    assert demand.rowCount() == 4
    for model in (tasks, caps, demand):
        with qtbot.waitSignal(model.modelReset, timeout=1000):
            doc.undo_stack.undo()
            doc.undo_stack.redo()
            doc.undo_stack.undo()
    assert tasks.rowCount() == 3
    assert caps.columnCount() == 14
    assert demand.rowCount() == 3
    assert tasks.index(2, 0).data() == "rights"


# -- the widget --------------------------------------------------------------------------------

VIEW_NAMES = ("editor_tasks", "editor_regions", "editor_capabilities", "editor_region_factors",
              "editor_posture", "editor_laydown", "editor_demand", "editor_resources", "editor_rules")


def test_widget_has_a_view_per_editor(qtbot, doc):
    widget = _widget(qtbot, doc, shown=True)
    for name in VIEW_NAMES:
        view = widget.findChild(QTableView, name)
        assert view is not None, name
        assert view.alternatingRowColors()
        assert view.model().rowCount() > 0
    assert widget.tabs.count() == len(VIEW_NAMES)
    assert widget.findChild(QLabel, "editor_message") is widget.message


def test_widget_shows_a_refusal_until_the_next_edit(qtbot, doc):
    widget = _widget(qtbot, doc)
    model = widget.models["tasks"]
    assert not model.setData(_cell(model, "poc", "Weight"), "abc", EDIT)
    assert "'abc' is not a number" in widget.message.text()
    assert "b00020" in widget.message.styleSheet()
    assert model.setData(_cell(model, "poc", "Weight"), "4", EDIT)
    assert widget.message.text() == ""


def test_widget_buttons_add_and_remove(qtbot, doc):
    widget = _widget(qtbot, doc)
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
    assert "used by rule 'PoC in the centre >= 40%'" in widget.message.text()
    assert doc.undo_stack.count() == 2


def test_editing_through_the_view_and_its_delegates(qtbot, doc):
    widget = _widget(qtbot, doc, shown=True)

    view, index = _view_cell(widget, "tasks", "peace", "Weight")
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    editor.setText("7")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the loop
    qtbot.waitUntil(lambda: doc.scenario.task("peace").weight == 7, timeout=1000)
    assert view.currentIndex().row() == index.row()  # the view keeps its place

    view, index = _view_cell(widget, "resources", "personnel", "Basis")
    view.edit(index)
    combo = view.findChild(QComboBox)
    assert combo is not None and not combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == BASES
    assert combo.currentText() == "fielded"
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert doc.scenario.resource("personnel").basis == "employed"
    doc.undo_stack.undo()
    assert doc.scenario.resource("personnel").basis == "fielded"
    assert view.model().index(index.row(), index.column()).data() == "fielded"

    view, index = _view_cell(widget, "rules", "poc-floor", "Region(s) / zone")
    view.edit(index)
    combo = view.findChild(QComboBox)
    assert combo.isEditable() and combo.currentText() == "zone: center"
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Mopti, gao")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.scenario.rules[0].regions == ("mopti", "gao"), timeout=1000)
    assert doc.scenario.rules[0].zone is None


def test_demand_tab_switches_between_need_and_importance(qtbot, doc):
    widget = _widget(qtbot, doc)
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


# -- names, not ids, in what users read ------------------------------------------------------


def test_undo_texts_name_items_and_fields_in_words(qtbot, doc):
    rules = RulesModel(doc)
    assert rules.setData(_cell(rules, "poc-floor", "Value"), "45%", EDIT)
    assert doc.undo_stack.undoText() == "Change 'PoC in the centre >= 40%': minimum satisfaction"
    caps = CapabilitiesModel(doc)
    assert caps.setData(_cell(caps, "heli", "Uses of Troop ceiling"), "30", EDIT)
    assert doc.undo_stack.undoText() == "Change 'Utility helicopter': use of resource 'Troop ceiling'"
    assert caps.setData(_cell(caps, "heli", "Name"), "Utility heli", EDIT)
    assert doc.undo_stack.undoText() == "Rename capability 'Utility helicopter' to 'Utility heli'"
    factors = RegionFactorsModel(doc)
    assert factors.setData(factors.index(_row(factors, "Utility heli"), 2), "0.5", EDIT)
    assert doc.undo_stack.undoText() == "Change 'Utility heli': region factor in region 'Gao'"
    demand = DemandModel(doc)
    assert demand.setData(demand.index(0, 2), "4", EDIT)
    assert doc.undo_stack.undoText() == "Add a need of task 'Protection of civilians' in region 'Gao'"
    tasks = TasksModel(doc)
    tasks.add_row()
    assert doc.undo_stack.undoText() == "Add task 'New task'"
    assert rules.remove_row(_row(rules, "no-heli-rights"))
    assert doc.undo_stack.undoText() == "Remove rule 'no-heli-rights'"  # a rule without a name goes by its id


def test_shared_names_carry_the_id_in_parentheses(qtbot, doc):
    tasks = TasksModel(doc)
    assert tasks.setData(_cell(tasks, "rights", "Name"), "Peace agreement", EDIT)
    assert tasks.setData(_cell(tasks, "rights", "Weight"), "2", EDIT)
    assert doc.undo_stack.undoText() == "Change 'Peace agreement' (rights): weight"
    demand = DemandModel(doc)
    assert [demand.headerData(r, Qt.Orientation.Vertical) for r in range(3)] == [
        "Protection of civilians", "Peace agreement (peace)", "Peace agreement (rights)"]
    rules = RulesModel(doc)
    assert rules.setData(_cell(rules, "poc-floor", "Task"), "Peace agreement (rights)", EDIT)
    assert doc.scenario.rules[0].task == "rights"


def test_rule_cells_and_headers_show_names(qtbot, doc):
    rules = RulesModel(doc)
    task = _cell(rules, "poc-floor", "Task")
    assert task.data() == "Protection of civilians"
    assert "Protection of civilians (poc)" in task.data(TOOLTIP)
    assert _cell(rules, "no-heli-rights", "Capability").data() == "Utility helicopter"
    assert _cell(rules, "gao-presence", "Region(s) / zone").data() == "Gao"
    assert _cell(rules, "no-heli-rights", "Task").data(CHOICES_ROLE) == [
        "", "Protection of civilians", "Peace agreement", "Human rights"]
    factors = RegionFactorsModel(doc)
    assert [factors.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Mopti", "Ségou", "Gao"]
    assert "Ségou (segou), zone center" in factors.headerData(1, Qt.Orientation.Horizontal, TOOLTIP)
    _refused(qtbot, rules, _cell(rules, "poc-floor", "Task"), "Security", "'Security' is not a task",
             "Protection of civilians")


# -- the v2 fields --------------------------------------------------------------------------------

#: (editor, row, column, typed, the value then read from the scenario, whose name the undo text gives);
#: ``typed`` True or False ticks a box or clears it.
V2_EDITS = [
    (RegionsModel, "segou", "Camp", False, lambda s: s.region("segou").camp, False, "Ségou"),
    (RegionsModel, "mopti", "Camp capacity (persons)", "2,000", lambda s: s.region("mopti").camp_capacity,
     2000, "Mopti"),
    (RegionsModel, "gao", "Camp limit air", "6", lambda s: s.region("gao").camp_limits, {"air": 6}, "Gao"),
    (CapabilitiesModel, "heli", "Max repatriate", "1", lambda s: s.capability("heli").max_repatriate, 1,
     "Utility helicopter"),
    (PostureModel, "Infantry battalion", "Reach (km)", "120", lambda s: s.capability("infantry").reach_km,
     120, "Infantry battalion"),
    (PostureModel, "Utility helicopter", "Edge factor", "0.3", lambda s: s.capability("heli").edge_factor,
     0.3, "Utility helicopter"),
    (PostureModel, "Utility helicopter", "Bases", "Ségou, gao", lambda s: s.capability("heli").bases,
     ("segou", "gao"), "Utility helicopter"),
    (PostureModel, "Utility helicopter", "Move cost in Troop ceiling", "2",
     lambda s: s.capability("heli").move_uses, {"budget": 100000, "personnel": 2}, "Utility helicopter"),
    (PostureModel, "Infantry battalion", "Use per km of Adaptation budget", "1.5k",
     lambda s: s.capability("infantry").uses_per_km, {"budget": 1500}, "Infantry battalion"),
    (LaydownModel, "Utility helicopter", "Mopti", "1", lambda s: s.capability("heli").based_at,
     {"mopti": 1, "gao": 1}, "Utility helicopter"),
    (ResourcesModel, "budget", "Basis", "in_service", lambda s: s.resource("budget").basis, "in_service",
     "Adaptation budget"),
    (ResourcesModel, "personnel", "Persons", False, lambda s: s.resource("personnel").personnel, None,
     "Troop ceiling"),
    (RulesModel, "lift", "Needs", "Utility helicopter: 0.25", lambda s: s.rules[3].needs, {"heli": 0.25},
     "Lift for the infantry"),
    (RulesModel, "lift", "Region(s) / zone", "zone: center", lambda s: s.rules[3].zone, "center",
     "Lift for the infantry"),
    (RulesModel, "lift", "Scope", "zone", lambda s: s.rules[3].scope, "zone", "Lift for the infantry"),
    (RulesModel, "lift", "From period", "Q2", lambda s: s.rules[3].from_period, 1, "Lift for the infantry"),
    (RulesModel, "lift", "Via task", "Peace agreement", lambda s: s.rules[3].via_task, "peace",
     "Lift for the infantry"),
    (RulesModel, "lift", "Beyond (km)", "80", lambda s: s.rules[3].beyond_km, 80, "Lift for the infantry"),
    (RulesModel, "lift", "Count", "based within", lambda s: (s.rules[3].count, s.rules[3].within_km),
     ("based_within", 0), "Lift for the infantry"),
    (RulesModel, "lift", "Any", True, lambda s: s.rules[3].any, True, "Lift for the infantry"),
]


@pytest.mark.parametrize("edit", V2_EDITS, ids=[f"{e[0].__name__}-{e[2]}" for e in V2_EDITS])
def test_each_v2_field_edits_undoes_and_redoes(qtbot, v2doc, edit):
    model_class, row, title, typed, read, value, name = edit
    model = model_class(v2doc)
    before = v2doc.scenario
    if isinstance(typed, bool):
        typed, role = Qt.CheckState.Checked if typed else Qt.CheckState.Unchecked, CHECK
    else:
        role = EDIT
    assert model.setData(_cell(model, row, title), typed, role)
    assert read(v2doc.scenario) == value
    assert v2doc.undo_stack.count() == 1
    assert v2doc.undo_stack.undoText().startswith(f"Change '{name}': ")
    v2doc.undo_stack.undo()
    assert v2doc.scenario == before
    v2doc.undo_stack.redo()
    assert read(v2doc.scenario) == value


def test_v2_refusals_are_in_words_and_change_nothing(qtbot, v2doc):
    laydown = LaydownModel(v2doc)
    _refused(qtbot, laydown, _cell(laydown, "Utility helicopter", "Mopti"), "2",
             "capability 'Utility helicopter'", "the units based sum to 3, more than the 2 existing")
    posture = PostureModel(v2doc)
    _refused(qtbot, posture, _cell(posture, "Utility helicopter", "Edge factor"), "0",
             "capability 'Utility helicopter' edge factor: must be more than 0")
    _refused(qtbot, posture, _cell(posture, "Utility helicopter", "Bases"), "Kidal", "'Kidal' is not a region")
    rules = RulesModel(v2doc)
    _refused(qtbot, rules, _cell(rules, "lift", "Needs"), "Infantry battalion: 1",
             "rule 'Lift for the infantry' needs capability 'Infantry battalion'", "own capability")
    _refused(qtbot, rules, _cell(rules, "lift", "Capability"), "Utility helicopter", "own capability")
    _refused(qtbot, rules, _cell(rules, "lift", "Needs"), "Utility helicopter", "give each enabler its number")
    caps = CapabilitiesModel(v2doc)
    _refused(qtbot, caps, _cell(caps, "heli", "Max repatriate"), "3",
             "capability 'Utility helicopter' max repatriation: 3 is more than the 2 existing units")
    regions = RegionsModel(v2doc)
    _refused(qtbot, regions, _cell(regions, "gao", "Camp"), Qt.CheckState.Unchecked,
             "capability 'Utility helicopter'", "region 'Gao' is not a camp", role=CHECK)
    resources = ResourcesModel(v2doc)
    _refused(qtbot, resources, _cell(resources, "budget", "Persons"), Qt.CheckState.Checked,
             "only one resource may count persons", role=CHECK)
    before, count = v2doc.scenario, v2doc.undo_stack.count()
    with qtbot.waitSignal(rules.editRefused, timeout=1000) as blocker:
        assert not rules.set_setting("stationing", False)  # a use per km needs stationing
    assert "use per km: works only with stationing on" in blocker.args[0]
    assert v2doc.scenario == before and v2doc.undo_stack.count() == count


def test_counting_where_based_brings_its_distance(qtbot, v2doc):
    rules = RulesModel(v2doc)
    within = _cell(rules, "lift", "Within (km)")
    assert not within.flags() & Qt.ItemFlag.ItemIsEditable
    assert "count: based_within" in within.data(TOOLTIP)
    assert rules.setData(_cell(rules, "lift", "Count"), "based_within", EDIT)
    assert rules.setData(within, "250", EDIT)
    assert v2doc.scenario.rules[3].within_km == 250
    assert rules.setData(_cell(rules, "lift", "Count"), "", EDIT)  # back to the default: no distance
    assert (v2doc.scenario.rules[3].count, v2doc.scenario.rules[3].within_km) == (None, None)
    assert v2doc.undo_stack.count() == 3


def test_fields_that_need_stationing_are_greyed_until_it_is_on(qtbot, doc):
    posture, laydown, regions, rules = PostureModel(doc), LaydownModel(doc), RegionsModel(doc), RulesModel(doc)
    assert rules.setData(_cell(rules, "gao-presence", "Kind"), "requires", EDIT)
    greyed = [_cell(posture, "Utility helicopter", "Reach (km)"), laydown.index(0, 0),
              _cell(regions, "mopti", "Camp"), _cell(regions, "mopti", "Camp limit air"),
              _cell(rules, "gao-presence", "Beyond (km)"), _cell(rules, "gao-presence", "Count")]
    for index in greyed:
        assert not index.flags() & Qt.ItemFlag.ItemIsEnabled
        assert "Needs stationing" in index.data(TOOLTIP)
    assert NEEDS_STATIONING.startswith("Needs stationing")
    with qtbot.waitSignal(rules.editRefused, timeout=1000) as blocker:
        assert not rules.set_setting("stationing", True)  # Ségou and Gao have no location
    assert "region 'Ségou' location: missing: with stationing on" in blocker.args[0]
    data = copy.deepcopy(SMALL)
    data["regions"] = stationed(posture=False)["regions"]
    located = Document(scenario_from_dict(data))
    posture = PostureModel(located)
    assert posture.set_setting("stationing", True)
    assert located.undo_stack.undoText() == "Turn stationing on"
    assert _cell(posture, "Utility helicopter", "Reach (km)").flags() & Qt.ItemFlag.ItemIsEditable
    assert _cell(posture, "Utility helicopter", "Reach (km)").data() == "0"  # the default, grey
    located.undo_stack.undo()
    assert not located.scenario.stationing


def test_laydown_offers_only_camps_among_the_bases(qtbot, v2doc):
    laydown = LaydownModel(v2doc)
    segou = _cell(laydown, "Utility helicopter", "Ségou")
    assert not segou.flags() & Qt.ItemFlag.ItemIsEnabled  # not one of its bases
    assert "not one of the bases of Utility helicopter" in segou.data(TOOLTIP)
    regions = RegionsModel(v2doc)
    assert regions.setData(_cell(regions, "segou", "Camp"), Qt.CheckState.Unchecked, CHECK)
    assert "Ségou is not a camp" in _cell(laydown, "Infantry battalion", "Ségou").data(TOOLTIP)
    posture = PostureModel(v2doc)
    assert _cell(posture, "Infantry battalion", "Bases").data() == "(every camp)"
    assert _cell(posture, "Infantry battalion", "Bases").data(CHOICES_ROLE) == ["", "Mopti", "Gao"]
    assert posture.headerData(0, Qt.Orientation.Vertical) == "Infantry battalion"


def test_the_stationing_box_toggles_with_undo_and_shows_a_refusal(qtbot, v2doc):
    widget = _widget(qtbot, v2doc)
    assert set(widget.stationing_boxes) == {"regions", "posture", "laydown", "rules"}
    box = widget.findChild(QCheckBox, "stationing_posture")
    assert box.isChecked()
    box.setChecked(False)  # refused: a use per km needs stationing
    assert box.isChecked() and v2doc.scenario.stationing
    assert "works only with stationing on" in widget.message.text()
    posture = widget.models["posture"]
    for row in range(posture.rowCount()):
        for title in ("Use per km of Adaptation budget", "Use per km of Troop ceiling"):
            posture.setData(posture.index(row, _column(posture, title)), "", EDIT)
    box.setChecked(False)
    assert not v2doc.scenario.stationing
    assert not widget.findChild(QCheckBox, "stationing_rules").isChecked()  # every box follows
    v2doc.undo_stack.undo()
    assert v2doc.scenario.stationing and box.isChecked()


def test_typing_back_what_every_cell_shows_changes_nothing(qtbot, v2doc):
    widget = _widget(qtbot, v2doc)
    before = v2doc.scenario
    for key, model in widget.models.items():
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                index = model.index(row, col)
                if index.flags() & Qt.ItemFlag.ItemIsEditable:
                    assert model.setData(index, index.data(EDIT), EDIT), (key, row, col)
                    assert v2doc.scenario == before, (key, row, model.headerData(col, Qt.Orientation.Horizontal))
    assert v2doc.undo_stack.count() == 0


def test_a_click_on_a_check_box_in_the_view_is_one_undo_step(qtbot, v2doc):
    widget = _widget(qtbot, v2doc, shown=True)
    view, index = _view_cell(widget, "regions", "segou", "Camp")
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))
    qtbot.waitUntil(lambda: v2doc.scenario.region("segou").camp is False, timeout=1000)
    assert v2doc.undo_stack.undoText() == "Change 'Ségou': camp"
