"""Whether a resource's unit is money: the one place that decides it.

A resource's ``unit`` is free text ("USD", "persons", "flight hours"); an
amount of money is shown as ``$9.0M`` and a capacity in millions, any other
amount with its unit. This module only tells them apart; formatting an
amount is :func:`planner.summary.format_amount`'s job.
"""

from __future__ import annotations

#: The units read as US dollars, in capitals (a unit is compared without regard to case).
MONEY_UNITS = ("USD", "$", "US$")


def is_money(unit: str) -> bool:
    """Whether ``unit`` is US dollars ("usd", "$", "US$")."""
    return unit.upper() in MONEY_UNITS
