"""The charts' names and titles, in the order the window shows them, and the allocation's
measures (no matplotlib here: the window names its tabs and fills its boxes before it
draws a chart). :mod:`.registry` pairs each name with its drawing function."""

#: plan chart name -> title
PLAN_TITLES: dict[str, str] = {
    "allocation": "Units employed by region and task",
    "coverage": "Need met by task and region",
    "timeline": "Deployments across periods",
    "resources": "Resource use against capacity",
    "map": "Where the units work",
    "tasks": "Task scores",
}

#: analysis kind -> title
ANALYSIS_TITLES: dict[str, str] = {
    "budget": "Score against capacity",
    "stability": "How far each task's weight can move",
    "smaa": "Robustness to uncertain weights",
    "pareto": "Trade-off between two tasks",
    "panel": "Stakeholder panel: what the compromise costs",
    "compare": "Scenarios compared",
    "alternatives": "Near-optimal alternatives: which units the data decides",
}


def measures(scenario) -> list[tuple[str, str]]:
    """The measures the allocation can count in, ``(id, name)``: units, then each resource."""
    return [("units", "Units")] + [(q.id, q.name) for q in scenario.resources]
