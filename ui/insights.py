"""Insights: the delivery score, per-task scores, what to generate and what it
costs, what limits the plan in plain words, and a banner when there is no plan."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

from planner.result import Result, Status
from planner.summary import (
    arrival_text, capacity_step, coverage_changes, format_amount, format_points, format_units, rule_cost_text,
)

from planner.plots import task_color
from .display import clipped, tooltip

SAVED_BASES = ("fielded", "in_service")  # what a repatriated unit stops charging
BANNER_PROBLEMS = 12  # what has to give, listed in the banner at most


PROVISIONAL = ("<span style='color:#8a5300'>Provisional: fractions of units while you drag; "
               "the whole-units plan follows when you let go</span>")


class InsightsPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 10, 6)
        layout.setSpacing(6)

        self.banner = QLabel()
        self.banner.setObjectName("infeasibleBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.RichText)
        self.banner.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            " border-radius: 4px; padding: 8px; }"
        )
        self.banner.hide()
        layout.addWidget(self.banner)

        caption = QLabel("Mandate delivery score")
        caption.setStyleSheet("color: palette(mid); font-weight: 600;")
        layout.addWidget(caption)
        self.score = QLabel("–")
        self.score.setObjectName("scoreLabel")
        font = self.score.font()
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.score.setFont(font)
        self.score.setToolTip("100 means every weighted need is fully met in every period")
        layout.addWidget(self.score)
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.RichText)  # what it quotes is escaped
        layout.addWidget(self.status)

        self._task_box = QVBoxLayout()
        self._task_box.setSpacing(2)
        layout.addLayout(self._task_box)
        self._task_bars: list[QWidget] = []

        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        layout.addWidget(line)

        self.details = QLabel()
        self.details.setObjectName("insightsText")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.RichText)
        self.details.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self._result: Result | None = None
        self._gains = []

    # -- results ----------------------------------------------------------------
    def show_result(self, result: Result, provisional: bool = False):
        """Show a plan; ``provisional``: the continuous plan shown while a slider is dragged."""
        self._result, self._gains = result, []
        s = result.scenario
        if not result.ok:
            self.score.setText("–")
            problems = [d.message for d in result.diagnosis]
            if len(problems) > BANNER_PROBLEMS:
                problems[BANNER_PROBLEMS - 1:] = [f"and {len(problems) - BANNER_PROBLEMS + 1} more"]
            items = "".join(f"<li>{html.escape(clipped(p, 600))}</li>" for p in problems)
            self.banner.setText(
                "<b>No plan meets every rule.</b> What has to give:"
                + (f"<ul style='margin:0'>{items}</ul>" if items else f"<br>{html.escape(clipped(result.message))}")
            )
            self.banner.show()
            self.status.setText("Relax a floor or a presence rule, or raise a resource, to get a plan.")
            self._set_task_scores(result, empty=True)
            self.details.setText("")
            return
        self.banner.hide()
        self.score.setText(f"{result.score:.1f}")
        self.status.setText(
            "".join(f"<span style='color:#8a5300'>⚠ {html.escape(w)}</span><br>" for w in result.warnings)
            + (PROVISIONAL if provisional else
               ("Best plan found" if result.status == Status.OPTIMAL else html.escape(result.message))
               + (" · whole units" if s.integer_units else ""))
            + ("" if not s.is_illustrative else " · illustrative data")
        )
        self._set_task_scores(result)
        self._render_details()

    def show_gains(self, gains):
        self._gains = list(gains)
        self._render_details()

    def show_error(self, message: str):
        self.banner.setText(f"<b>The solver failed.</b><br>{html.escape(clipped(message))}")
        self.banner.show()

    def _set_task_scores(self, result: Result, empty=False):
        s = result.scenario
        if len(self._task_bars) != len(s.tasks):
            for w in self._task_bars:
                w.deleteLater()
            self._task_bars = []
            for _ in s.tasks:
                bar = QProgressBar()
                bar.setRange(0, 1000)
                bar.setTextVisible(False)
                bar.setFixedHeight(6)
                name = QLabel()
                name.setWordWrap(True)
                name.setTextFormat(Qt.RichText)  # the task's name is escaped
                row = QWidget()
                rl = QVBoxLayout(row)
                rl.setContentsMargins(0, 0, 0, 2)
                rl.setSpacing(1)
                rl.addWidget(name)
                rl.addWidget(bar)
                row.bar, row.name = bar, name
                self._task_box.addWidget(row)
                self._task_bars.append(row)
        sq = None if empty else result.status_quo
        for row, t in zip(self._task_bars, s.tasks):
            value = None if empty else result.task_scores.get(t.id)
            before = None if sq is None or value is None else sq.task_scores.get(t.id)
            row.bar.setValue(0 if value is None else round(10 * value))
            shown = "–" if value is None else f"{value:.0f}"
            delta = "" if before is None or abs(value - before) < 0.05 else (
                f" <span style='color:gray'>({value - before:+.1f} vs status quo)</span>")
            row.name.setText(f"{html.escape(t.name)} <b style='float:right'>&nbsp;{shown}</b>{delta}")
            tip = f"{t.name}: task score {'n/a' if value is None else f'{value:.1f}'} / 100"
            if before is not None:
                tip += f"; the status quo (no new units, no repatriation) scores {before:.1f}"
            row.setToolTip(tooltip(tip))
            color = QColor(task_color(s, t.id))
            row.bar.setStyleSheet(
                "QProgressBar { border: none; background: #e6e6e6; border-radius: 3px; }"
                f"QProgressBar::chunk {{ background: {color.name()}; border-radius: 3px; }}"
            )

    def _render_details(self):
        result = self._result
        if result is None or not result.ok:
            return
        s = result.scenario
        parts = []
        budget = [q for q in s.resources if q.basis == "generated"]
        if result.generate or result.repatriate:
            items = []
            for cid, n in result.generate.items():
                cap = s.capability(cid)
                items.append(f"<li><b>{format_units(n)}</b> {html.escape(cap.name)} "
                             f"<span style='color:gray'>({html.escape(arrival_text(s, cap))})</span></li>")
            items.extend(f"<li>{html.escape(repatriation_text(result, cid, n))}</li>"
                         for cid, n in result.repatriate.items())
            cost = ", ".join(
                f"{format_amount(result.resources[q.id].used, q.unit)} of {format_amount(q.capacity, q.unit)}"
                for q in budget
            )
            parts.append(f"<b>Generate</b>{' — ' + cost if cost else ''}<ul style='margin:0'>{''.join(items)}</ul>")
        else:
            parts.append("<b>Generate</b>: nothing new — the existing force carries the plan.")
        gap = gap_closed_text(result)
        if gap:
            parts.append(html.escape(gap))
        changes = coverage_changes(result, limit=3)  # the panel is narrow: the summary lists more
        if changes:
            items = "".join(f"<li>{html.escape(s.tasks[t].name)} in {html.escape(s.regions[r].name)}: "
                            f"{before:.0%} → <b>{after:.0%}</b></li>" for t, r, before, after in changes)
            parts.append(f"<b>Coverage against the status quo</b> (need met, mean over periods)"
                         f"<ul style='margin:0'>{items}</ul>")

        limits = []
        gains = {g.resource: g for g in self._gains}
        for q in s.resources:
            use = result.resources[q.id]
            if use.shadow_price <= 1e-9:
                continue
            g = gains.get(q.id)
            if g is not None:
                where = ""
                if g.task:
                    where = f", mostly {html.escape(s.task(g.task).name)} in {html.escape(s.region(g.region).name)}"
                limits.append(f"Another {format_amount(g.step, q.unit)} of {html.escape(q.name)} "
                              f"adds <b>{format_points(g.points)}</b> points{where}.")
            else:
                step = capacity_step(q.capacity)
                limits.append(f"Another {format_amount(step, q.unit)} of {html.escape(q.name)} "
                              f"adds about <b>{format_points(use.shadow_price * step)}</b> points.")
        for b in result.binding:
            if b.kind == "rule":
                text = rule_cost_text(result, b)
                if text:
                    limits.append(html.escape(text))
        scarce = [b for b in result.binding if b.kind == "availability" and b.shadow_price >= 0.05][:3]
        if scarce:
            names = "; ".join(f"{html.escape(b.label)} (+{format_points(b.shadow_price)})" for b in scarce)
            limits.append(f"All units in use — one more for the whole cycle would add: {names} points.")
        if limits:
            parts.append("<b>What limits the plan</b><ul style='margin:0'>"
                         + "".join(f"<li>{x}</li>" for x in limits) + "</ul>")
        res_lines = []
        for q in s.resources:
            use = result.resources[q.id]
            peak = "peak " if q.basis == "employed" else ""
            res_lines.append(f"<li>{html.escape(q.name)}: {peak}{format_amount(use.used, q.unit)} of "
                             f"{format_amount(q.capacity, q.unit)}</li>")
        if res_lines:
            parts.append("<b>Resources</b><ul style='margin:0'>" + "".join(res_lines) + "</ul>")
        self.details.setText("".join(f"<p style='margin:0 0 6px 0'>{p}</p>" for p in parts))


def repatriation_text(result: Result, capability_id: str, units: float) -> str:
    """"Repatriate 1 Infantry battalion: saves $4.0M (Running costs)": what the units stop
    charging on the resources that carry the existing force (in service: every period)."""
    s = result.scenario
    cap = s.capability(capability_id)
    saved = []
    for q in s.resources:
        if q.basis not in SAVED_BASES or cap.uses.get(q.id, 0.0) <= 0:
            continue
        amount = cap.uses[q.id] * units * (len(s.periods) if q.basis == "in_service" else 1)
        saved.append(f"{format_amount(amount, q.unit)} ({q.name})")
    text = f"Repatriate {format_units(units)} {cap.name}"
    return text + (f": saves {', '.join(saved)}" if saved else "")


def gap_closed_text(result: Result) -> str | None:
    """"The plan closes 31 % of the remaining gap (status quo 54.2 / 100)", or None."""
    if result.gap_closed is None or result.status_quo is None:
        return None
    return (f"The plan closes {100 * result.gap_closed:.0f} % of the remaining gap "
            f"(status quo {result.status_quo.score:.1f} / 100)")
