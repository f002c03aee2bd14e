"""Which units are money: decided in one place."""

from __future__ import annotations

import pytest

from planner.money import is_money


@pytest.mark.parametrize("unit", ["USD", "usd", "$", "US$", "us$"])
def test_dollars_are_money_in_any_case(unit):
    assert is_money(unit)


@pytest.mark.parametrize("unit", ["", "persons", "flight hours", "USD millions", "EUR"])
def test_other_units_are_counts(unit):
    assert not is_money(unit)
