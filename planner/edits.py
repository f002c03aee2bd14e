"""Changes to a scenario's file data: add, rename and remove items, set values, convert rules.

Plain dicts in, plain dicts changed in place: the caller takes the file data
(``scenario_to_dict``), changes it here and checks the whole scenario again
(``scenario_from_dict``) before using it, so a change that breaks a rule of
the file is refused as a whole. What these functions refuse themselves, they
refuse with :class:`EditRefused`, naming items by their names.

This module is where an editor finds every edit; each lives in a module of
its own job:

- :mod:`planner.item_refs`: where the file data names items (:data:`REFERENCES`,
  written once, so that renaming and removing follow the same references), ids,
  defaults, :class:`EditRefused`;
- :mod:`planner.item_names`: the names a person knows items by, and typed text
  back to ids;
- :mod:`planner.item_edits`: adding, renaming and removing items;
- :mod:`planner.value_edits`: setting a field, a need, an importance, a setting;
- :mod:`planner.rule_edits`: a rule made another kind.
"""

from __future__ import annotations

from .item_edits import add_item, fresh_id, new_item, remove_item, rename_id, rules_using
from .item_names import display_names, item_label, named, names, resolve, resolve_list
from .item_refs import (
    DEFAULTS, LIST_KEY, MAP_KEYS, REFERENCES, EditRefused, Ref, check_id, find_item, ids, put_key, slug,
)
from .rule_edits import RULE_VALUE, convert_rule, set_rule_kind
from .value_edits import set_importance, set_need, set_place, set_setting, set_value

__all__ = [
    "DEFAULTS", "LIST_KEY", "MAP_KEYS", "REFERENCES", "RULE_VALUE", "EditRefused", "Ref", "add_item", "check_id",
    "convert_rule", "display_names", "find_item", "fresh_id", "ids", "item_label", "named", "names", "new_item",
    "put_key", "remove_item", "rename_id", "resolve", "resolve_list", "rules_using", "set_importance", "set_need",
    "set_place", "set_rule_kind", "set_setting", "set_value", "slug",
]
