"""The data editors: one table per part of the scenario.

Every edit of a cell is one undoable command that the document checks as a
whole scenario before anything changes; a refused edit changes nothing and
says why, in words. The changes themselves (:mod:`planner.edits`) and the
words for problems (:mod:`planner.problems`) are the core's, so that the
command line can make and explain the same edits.

The package, from the bottom up:

- ``numbers``: numbers as typed and shown;
- ``base``: :class:`Cell` and :class:`EditorModel`, which every table model builds on;
- ``lists``, ``rules``, ``matrices``: the table models;
- ``delegates``, ``widget``: the views and :class:`EditorsWidget`.
"""

from __future__ import annotations

from .base import CHOICES_ROLE, FREE_TEXT_ROLE, NEEDS_STATIONING, Cell, EditorModel
from .delegates import ChoiceDelegate
from .lists import CapabilitiesModel, Column, PerItem, PostureModel, RegionsModel, ResourcesModel, TasksModel
from .matrices import DemandModel, LaydownModel, RegionFactorsModel
from .numbers import edit_number, format_number, format_share, parse_number, parse_whole
from .rules import RulesModel
from .widget import EditorsWidget

__all__ = [
    "CHOICES_ROLE",
    "FREE_TEXT_ROLE",
    "NEEDS_STATIONING",
    "CapabilitiesModel",
    "Cell",
    "ChoiceDelegate",
    "Column",
    "DemandModel",
    "EditorModel",
    "EditorsWidget",
    "LaydownModel",
    "PerItem",
    "PostureModel",
    "RegionFactorsModel",
    "RegionsModel",
    "ResourcesModel",
    "RulesModel",
    "TasksModel",
    "edit_number",
    "format_number",
    "format_share",
    "parse_number",
    "parse_whole",
]
