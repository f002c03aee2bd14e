"""The Analyses tab runs the near-optimal alternatives with its two settings and shows them."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")


def test_alternatives_run_from_the_analyses_tab(qtbot, window):
    window.charts.setCurrentWidget(window.analyses)
    view = window.analyses
    view.kind.setCurrentIndex(view.kind.findData("alternatives"))
    assert view.params.currentWidget().isAncestorOf(view.alternatives_within)
    view.alternatives_within.setValue(0.5)
    view.alternatives_count.setValue(3)
    with qtbot.waitSignal(view.finished, timeout=120000) as blocker:
        assert view.run()
    result = blocker.args[0]
    assert result.within == pytest.approx(0.5) and result.count == 3
    assert 1 <= len(result.alternatives) <= 3
    assert view.result_kind == "alternatives" and view.figure.axes
    text = view.text.toPlainText()
    assert "Near-optimal alternatives" in text
    if result.whole_units_assumed:  # the fixed test scenario plans fractional units
        assert "whole units" in text
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
