"""Plan charts that keep their artists: drawn once, then updated in place.

A :class:`PlanChart` draws a chart of a plan on a figure with :meth:`~PlanChart.draw`
and keeps the axes and artists it made. :meth:`~PlanChart.update` shows a new
result on those same artists (bar heights, texts, offsets, limits where they
change) and returns True, or changes nothing and returns False when the chart
must be drawn afresh: the scenario's shape changed (tasks, regions,
capabilities, periods or resources added, removed or renamed), the plan has
no numbers to chart, or the chart's own layout would differ (a legend entry
appearing, say).

A subclass splits its drawing in three:

- ``numbers(result)``: what the chart shows, computed from the result, or an
  :class:`Empty` message when there is nothing to chart;
- ``layout(result, n)``: a value that is equal for two results exactly when
  their charts have the same artists (compared with ``==``);
- ``build(fig, n)`` makes the artists (an axes, bars, texts, legends), and
  ``show(n)`` sets everything that changes from one result to the next.

:meth:`PlanChart.draw` runs all of them; :meth:`PlanChart.update` only
``numbers``, ``layout`` and ``show``. As a fresh drawing runs the same ``show``,
an updated chart and a fresh one draw the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from planner.result import Result
from planner.scenario import Scenario

from .parts import check_plan, draw_message, prepare

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Empty:
    """Nothing to chart: the message (and detail) to show instead."""

    text: str
    detail: str | list[str] | None = None


def scenario_shape(s: Scenario) -> tuple:
    """What a plan chart's artists depend on in every chart: the ids and names of the
    scenario's tasks, regions (and their zones and places), capabilities, periods and
    resources."""
    return (
        tuple((t.id, t.name) for t in s.tasks),
        tuple((r.id, r.name, r.zone, r.location) for r in s.regions),
        tuple((c.id, c.name) for c in s.capabilities),
        tuple((p.id, p.name) for p in s.periods),
        tuple((q.id, q.name) for q in s.resources),
    )


class PlanChart:
    """A chart of a plan on a figure, drawn once and updated in place (see the module)."""

    def __init__(self, **options):
        self.options = options
        self.fig = None
        self._layout = None  # the layout on the figure; None when it shows a message

    # -- to implement ---------------------------------------------------------------------

    def numbers(self, result: Result):  # pragma: no cover - abstract
        raise NotImplementedError

    def layout(self, result: Result, n) -> object:
        return scenario_shape(result.scenario)

    def build(self, fig, n) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show(self, n) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- the protocol ---------------------------------------------------------------------

    def draw(self, fig, result: Result) -> None:
        """Clear ``fig`` and draw the chart of ``result`` on it."""
        self.fig, self._layout = fig, None
        if not check_plan(fig, result):
            return
        n = self.numbers(result)
        if isinstance(n, Empty):
            draw_message(fig, n.text, n.detail)
            return
        prepare(fig)
        self.build(fig, n)
        self.show(n)
        self._layout = self.layout(result, n)

    def update(self, result: Result) -> bool:
        """Show ``result`` on the artists of the last :meth:`draw`; False (and nothing
        changed) when the chart must be drawn afresh instead."""
        if self._layout is None or not result.ok:
            return False
        n = self.numbers(result)
        if isinstance(n, Empty) or self.layout(result, n) != self._layout:
            return False
        self.show(n)
        return True

    def render(self, fig, result: Result) -> bool:
        """Update in place when the chart on ``fig`` allows it, else draw afresh;
        True when updated in place."""
        if fig is self.fig:
            try:
                if self.update(result):
                    return True
            except Exception:  # a chart drawn afresh is always right: never lose the picture
                _log.exception("updating the %s chart in place failed; drawing it afresh",
                               type(self).__name__)
        self.draw(fig, result)
        return False
