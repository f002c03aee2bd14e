"""The data editors: one table per part of the scenario.

Every edit of a cell is one undoable command that the document checks as a
whole scenario before anything changes; a refused edit changes nothing and
says why, in words.

The package, from the bottom up:

- ``numbers``: numbers as typed and shown, and :class:`EditRefused`;
- ``edits``: changes to the file data (add, rename, remove, convert a rule), no Qt;
- ``problems``: a ScenarioError's problems in words;
- ``base``: :class:`Cell` and :class:`EditorModel`, which every table model builds on;
- ``lists``, ``rules``, ``matrices``: the table models;
- ``delegates``, ``widget``: the views and :class:`EditorsWidget`.
"""

from __future__ import annotations

from .base import CHOICES_ROLE, FREE_TEXT_ROLE, Cell, EditorModel
from .delegates import ChoiceDelegate
from .edits import (
    add_item,
    check_id,
    convert_rule,
    fresh_id,
    new_item,
    remove_item,
    rename_id,
    rules_using,
    slug,
)
from .lists import CapabilitiesModel, Column, RegionsModel, ResourcesModel, TasksModel
from .matrices import DemandModel, RegionFactorsModel
from .numbers import EditRefused, edit_number, format_number, format_share, parse_number, parse_whole
from .problems import describe_problem, describe_problems
from .rules import RulesModel
from .widget import EditorsWidget

__all__ = [
    "CHOICES_ROLE",
    "FREE_TEXT_ROLE",
    "CapabilitiesModel",
    "Cell",
    "ChoiceDelegate",
    "Column",
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
    "check_id",
    "convert_rule",
    "describe_problem",
    "describe_problems",
    "edit_number",
    "format_number",
    "format_share",
    "fresh_id",
    "new_item",
    "parse_number",
    "parse_whole",
    "remove_item",
    "rename_id",
    "rules_using",
    "slug",
]
