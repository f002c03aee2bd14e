"""The error a scenario that cannot be loaded raises: every problem by its JSON path."""

from __future__ import annotations



from .validate import Problem, visible


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every problem by JSON path."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        head = f"{visible(self.source, 300)}: " if self.source else ""
        if len(self.problems) == 1:
            path, msg = self.problems[0]
            return f"{head}{path + ': ' if path else ''}{msg}"
        lines = [f"{head}{len(self.problems)} problems"]
        lines += [f"  {p + ': ' if p else ''}{m}" for p, m in self.problems]
        return "\n".join(lines)
