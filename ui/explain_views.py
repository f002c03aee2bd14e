"""The window explains itself: the scenario header, "About this scenario",
"How the plan is chosen", and the baseline against the plan now.

The texts come from :mod:`planner.about` and :mod:`planner.baseline`; this
module only lays them out. Everything a file holds is escaped before it
becomes rich text, so a name is shown as typed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from planner.about import Section, about_scenario, how_the_plan_is_chosen
from planner.baseline import BaselineDelta
from planner.scenario import Scenario
from planner.text import printable


def _esc(text: str) -> str:
    return html.escape(printable(text), quote=False)


def sections_html(sections: list[Section]) -> str:
    parts = []
    for sec in sections:
        parts.append(f"<h3>{_esc(sec.title)}</h3>")
        if len(sec.paragraphs) > 2 and all(len(p) < 400 for p in sec.paragraphs):
            parts.append("<ul>" + "".join(f"<li>{_esc(p)}</li>" for p in sec.paragraphs) + "</ul>")
        else:
            parts.extend(f"<p>{_esc(p)}</p>" for p in sec.paragraphs)
    return "".join(parts)


class TextDialog(QDialog):
    """A non-modal reading window: the text can stay open beside the plan."""

    def __init__(self, object_name: str, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setModal(False)
        self.resize(720, 600)
        self.browser = QTextBrowser()
        self.browser.setObjectName(f"{object_name}Text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def show_sections(self, sections: list[Section]):
        self.browser.setHtml(sections_html(sections))

    def plain_text(self) -> str:
        return self.browser.toPlainText()


def about_dialog(parent, scenario: Scenario) -> TextDialog:
    dialog = TextDialog("aboutScenarioDialog", "About this scenario", parent)
    dialog.show_sections(about_scenario(scenario))
    return dialog


def how_chosen_dialog(parent, scenario: Scenario) -> TextDialog:
    dialog = TextDialog("howPlanChosenDialog", "How the plan is chosen", parent)
    dialog.show_sections(how_the_plan_is_chosen(scenario))
    return dialog


def header_text(scenario: Scenario, file_label: str) -> str:
    """The one-line header above the panels: which scenario, which file, how sure its data is."""
    badge = "illustrative data" if scenario.is_illustrative else "sourced data"
    return f"{printable(scenario.name)}  ·  {badge}  ·  {file_label}"


class ScenarioHeader(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("scenarioHeader")
        self.setTextFormat(Qt.PlainText)
        self.setContentsMargins(8, 3, 8, 3)
        self.setStyleSheet("#scenarioHeader { background: #eef2f7; color: #223; font-weight: 600; }")

    def show_scenario(self, scenario: Scenario, file_label: str):
        self.setText(header_text(scenario, file_label))
        self.setToolTip("")


def _points(x: float | None) -> str:
    return "no plan" if x is None else f"{x:.1f}"


def _delta(before: float | None, now: float | None) -> str:
    if before is None or now is None:
        return ""
    d = now - before
    return "±0.0" if abs(d) < 0.05 else f"{d:+.1f}"


def delta_html(delta: BaselineDelta) -> str:
    out = [f"<h3>Against {_esc(delta.base_name)}</h3>"]
    out.append(f"<p><b>Score</b> {_points(delta.score_before)} → {_points(delta.score_now)} / 100 "
               f"<b>{_esc(_delta(delta.score_before, delta.score_now))}</b></p>")
    out.append("<h4>What you changed</h4>")
    out.append("<ul>" + "".join(f"<li>{_esc(line)}</li>" for line in delta.inputs) + "</ul>"
               if delta.inputs else "<p>Nothing: the inputs are those of the baseline.</p>")
    out.append("<h4>Task scores</h4><table cellspacing='6'>")
    for name, before, now in delta.tasks:
        out.append(f"<tr><td>{_esc(name)}</td><td align='right'>{_points(before)}</td><td>→</td>"
                   f"<td align='right'>{_points(now)}</td><td align='right'><b>{_delta(before, now)}</b></td></tr>")
    out.append("</table><h4>New units</h4>")
    if delta.generate:
        rows = []
        for g in delta.generate:
            verb = "Adds" if g.delta > 0 else "Drops"
            cost = f" ({'; '.join(g.cost)})" if g.cost else ""
            rows.append(f"<li>{verb} {abs(g.delta):g} {_esc(g.name)}: {g.before:g} → {g.now:g}{_esc(cost)}</li>")
        out.append("<ul>" + "".join(rows) + "</ul>")
    else:
        out.append("<p>The same new units as the baseline.</p>")
    return "".join(out)


class BaselineView(QWidget):
    """The pinned baseline against the plan now (objectName ``baselineView``)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("baselineView")
        self.browser = QTextBrowser()
        self.browser.setObjectName("baselineText")
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.browser)
        self.delta: BaselineDelta | None = None
        self.show_empty()

    def show_empty(self):
        self.delta = None
        self.browser.setHtml("<p>No baseline yet. Use <b>Plan ▸ Pin as baseline</b> (Ctrl+B) to keep the "
                             "plan on screen; then move a weight or a capacity and read here what changed.</p>")

    def show_delta(self, delta: BaselineDelta):
        self.delta = delta
        self.browser.setHtml(delta_html(delta))

    def plain_text(self) -> str:
        return self.browser.toPlainText()
