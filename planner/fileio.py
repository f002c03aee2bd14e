"""Reading and writing scenario files.

Loading checks everything the contract asks and reports every problem at once,
each by its JSON path; a failed load never touches the file. Saving is atomic
and canonical: keys in a stable order, 2-space indentation, whole numbers
written as integers, so that load -> save gives back the same bytes.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any
from collections.abc import Callable

from pydantic import ValidationError

from .scenario import (
    FORMAT,
    Capability,
    Demand,
    Location,
    PanelMember,
    Period,
    Region,
    Resource,
    Rule,
    Scenario,
    Settings,
    Task,
    frozen_map,
)
from .schema import ScenarioModel
from .validate import Problem, check_references, path_join

CURRENT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024

# version n -> function turning a version-n dict into a version-(n+1) dict.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every problem by JSON path."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            path, msg = self.problems[0]
            return f"{head}{path + ': ' if path else ''}{msg}"
        lines = [f"{head}{len(self.problems)} problems"]
        lines += [f"  {p + ': ' if p else ''}{m}" for p, m in self.problems]
        return "\n".join(lines)


# -- reading ------------------------------------------------------------------


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and check a scenario file; raise :class:`ScenarioError` if it is bad."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                [("", f"the file is {size / 1e6:.1f} MB; scenario files are limited to {MAX_FILE_BYTES / 1e6:.0f} MB")],
                name,
            )
        data = path.read_bytes()
    except ScenarioError:
        raise
    except FileNotFoundError:
        raise ScenarioError([("", "no such file")], str(path)) from None
    except IsADirectoryError:
        raise ScenarioError([("", "this is a folder, not a scenario file")], str(path)) from None
    except OSError as exc:
        raise ScenarioError([("", f"cannot be read ({exc.strerror or exc})")], str(path)) from None
    return loads_scenario(data, source=name)


def loads_scenario(text: str | bytes, source: str | None = None) -> Scenario:
    """Parse and check a scenario from JSON text."""
    data = parse_json(text, source)
    return scenario_from_dict(data, source)


def parse_json(text: str | bytes, source: str | None = None) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                [("", f"not UTF-8 text (byte {exc.start} cannot be decoded)")], source
            ) from None
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError([("", "the text is too large for a scenario file")], source)

    def reject_constant(name):
        raise ValueError(f"{name} is not allowed: numbers must be finite")

    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"key '{key}' appears twice in one object")
            seen[key] = value
        return seen

    try:
        return json.loads(text, parse_constant=reject_constant, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [("", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")], source
        ) from None
    except ValueError as exc:
        raise ScenarioError([("", f"not valid JSON: {exc}")], source) from None
    except RecursionError:
        raise ScenarioError([("", "not valid JSON: nested too deeply")], source) from None


MAX_DEPTH = 64


def check_values(data) -> list:
    """Problems no schema can see: nesting too deep, numbers too big to be finite
    (``1e999``), text that is not valid Unicode. Walks the data without recursion."""
    problems = []
    stack = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            shown = path if len(path) <= 80 else path[:80] + "…"
            problems.append((shown, f"nested more than {MAX_DEPTH} levels deep"))
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                sub = path_join(path, key) if _is_text(key) else path
                if not _is_text(key):
                    problems.append((path, "a key is not valid Unicode text"))
                stack.append((sub, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((path, "must be a finite number"))
        elif isinstance(value, str) and not _is_text(value):
            problems.append((path, "text that is not valid Unicode (a lone surrogate)"))
    problems.sort()
    return problems


def _is_text(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scenario_from_dict(data: Any, source: str | None = None) -> Scenario:
    """Check a parsed scenario file and build the :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError([("", "a scenario file must hold one JSON object")], source)
    problems = check_values(data)
    if problems:
        raise ScenarioError(problems[:50], source)
    if data.get("format") != FORMAT:
        raise ScenarioError(
            [("format", f"not a Mandate Planner scenario (expected \"format\": \"{FORMAT}\")")],
            source,
        )
    data = migrate(data, source)
    problems: list[Problem] = []
    model = None
    try:
        model = ScenarioModel.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc))
    except RecursionError:
        problems.append(("", "nested too deeply"))
    problems.extend(check_references(data))
    if problems:
        raise ScenarioError(_dedupe(problems), source)
    return _to_scenario(model)


def migrate(data: dict, source: str | None = None) -> dict:
    """Bring an older file up to :data:`CURRENT_VERSION`; refuse newer ones."""
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ScenarioError([("version", "must be a whole number (the file format version)")], source)
    if version > CURRENT_VERSION:
        raise ScenarioError(
            [("version", f"the file is format version {version}, newer than this program reads "
              f"(up to {CURRENT_VERSION}); update Mandate Planner to open it")],
            source,
        )
    if version < 1:
        raise ScenarioError([("version", f"unknown format version {version}")], source)
    while version < CURRENT_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["version"] = version
    return data


_FRIENDLY = {
    "extra_forbidden": "unknown key (check the spelling)",
    "missing": "required field is missing",
    "finite_number": "must be a finite number",
}


def _pydantic_problems(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        suffix = ""
        if loc and loc[-1] == "[key]":
            loc.pop()
            suffix = " (as a key)"
        path = ""
        for part in loc:
            path = path_join(path, part)
        msg = _FRIENDLY.get(err["type"], err["msg"])
        limit = (err.get("ctx") or {})
        if err["type"] == "less_than_equal":
            msg = f"must be at most {limit['le']:g}"
        elif err["type"] == "greater_than_equal":
            msg = "must not be negative" if limit["ge"] == 0 else f"must be at least {limit['ge']:g}"
        elif err["type"] == "greater_than":
            msg = f"must be more than {limit['gt']:g}"
        if err["type"] == "string_pattern_mismatch":
            msg = "an id must be 1-64 characters of a-z, 0-9, '_' or '-'"
        elif err["type"] == "literal_error":
            msg = f"{err['msg'][0].lower()}{err['msg'][1:]}"
        elif err["type"] not in _FRIENDLY and msg[:1].isupper():
            msg = msg[0].lower() + msg[1:]
        if err["type"] in ("string_pattern_mismatch",) and isinstance(err.get("input"), str):
            msg = f"'{err['input']}': {msg}"
        problems.append((path, msg + suffix))
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _frozen_extra(value):
    return None if value is None else frozen_map(value)


def _to_scenario(m: ScenarioModel) -> Scenario:
    return Scenario(
        name=m.name,
        version=m.version,
        description=m.description,
        illustrative=m.illustrative,
        sources=None if m.sources is None else tuple(m.sources),
        periods=tuple(
            Period(p.id, p.name, p.weight, p.note, _frozen_extra(p.extra)) for p in m.periods
        ),
        tasks=tuple(Task(t.id, t.name, t.weight, t.note, _frozen_extra(t.extra)) for t in m.tasks),
        regions=tuple(
            Region(
                r.id,
                r.name,
                r.zone,
                None if r.location is None else Location(r.location.lat, r.location.lon),
                r.note,
                _frozen_extra(r.extra),
            )
            for r in m.regions
        ),
        capabilities=tuple(
            Capability(
                id=c.id,
                name=c.name,
                category=c.category,
                existing=c.existing,
                max_new=c.max_new,
                lead_time=c.lead_time,
                max_per_region=c.max_per_region,
                effect=frozen_map(c.effect),
                region_factor=frozen_map(c.region_factor),
                uses=frozen_map(c.uses),
                note=c.note,
                extra=_frozen_extra(c.extra),
                has_region_factor=c.region_factor is not None,
                has_uses=c.uses is not None,
            )
            for c in m.capabilities
        ),
        demand=frozen_map(
            {
                t: frozen_map({r: Demand(d.need, d.importance) for r, d in per.items()})
                for t, per in m.demand.items()
            }
        ),
        resources=tuple(
            Resource(q.id, q.name, q.basis, q.capacity, q.unit, q.note, _frozen_extra(q.extra))
            for q in m.resources
        ),
        returns=None if m.returns is None else tuple(m.returns),
        rules=None
        if m.rules is None
        else tuple(
            Rule(
                id=r.id,
                kind=r.kind,
                name=r.name,
                task=r.task,
                capability=r.capability,
                region=r.region,
                regions=None if r.regions is None else tuple(r.regions),
                zone=r.zone,
                capabilities=None if r.capabilities is None else tuple(r.capabilities),
                min_satisfaction=r.min_satisfaction,
                max_share=r.max_share,
                units=r.units,
                from_period=r.from_period,
                to_period=r.to_period,
                note=r.note,
                extra=_frozen_extra(r.extra),
            )
            for r in m.rules
        ),
        settings=None if m.settings is None else Settings(m.settings.integer_units),
        panel=None
        if m.panel is None
        else tuple(
            PanelMember(p.id, p.name, frozen_map(p.weights), _frozen_extra(p.extra))
            for p in m.panel
        ),
        extra=_frozen_extra(m.extra),
    )


# -- writing ------------------------------------------------------------------


def _num(x: float) -> int | float:
    """Whole numbers as integers, so files stay tidy and diffs stable."""
    if isinstance(x, bool):
        return x
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def _plain(value):
    """A JSON-ready copy of verbatim data (read-only maps become dicts)."""
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _put(out: dict, key: str, value, transform=None):
    if value is not None:
        out[key] = transform(value) if transform else value


def _numbers(mapping) -> dict:
    return {k: _num(v) for k, v in mapping.items()}


def scenario_to_dict(s: Scenario) -> dict:
    """The scenario as file data, keys in the canonical order."""
    out: dict[str, Any] = {"format": FORMAT, "version": CURRENT_VERSION, "name": s.name}
    _put(out, "description", s.description)
    _put(out, "illustrative", s.illustrative)
    _put(out, "sources", s.sources, list)
    out["periods"] = []
    for p in s.periods:
        d = {"id": p.id, "name": p.name}
        _put(d, "weight", p.weight, _num)
        _put(d, "note", p.note)
        _put(d, "extra", p.extra, _plain)
        out["periods"].append(d)
    out["tasks"] = []
    for t in s.tasks:
        d = {"id": t.id, "name": t.name, "weight": _num(t.weight)}
        _put(d, "note", t.note)
        _put(d, "extra", t.extra, _plain)
        out["tasks"].append(d)
    out["regions"] = []
    for r in s.regions:
        d = {"id": r.id, "name": r.name, "zone": r.zone}
        if r.location is not None:
            d["location"] = {"lat": _num(r.location.lat), "lon": _num(r.location.lon)}
        _put(d, "note", r.note)
        _put(d, "extra", r.extra, _plain)
        out["regions"].append(d)
    out["capabilities"] = []
    for c in s.capabilities:
        d = {
            "id": c.id,
            "name": c.name,
            "category": c.category,
            "existing": _num(c.existing),
            "max_new": _num(c.max_new),
            "lead_time": c.lead_time,
        }
        _put(d, "max_per_region", c.max_per_region, _num)
        d["effect"] = _numbers(c.effect)
        if c.has_region_factor or c.region_factor:
            d["region_factor"] = _numbers(c.region_factor)
        if c.has_uses or c.uses:
            d["uses"] = _numbers(c.uses)
        _put(d, "note", c.note)
        _put(d, "extra", c.extra, _plain)
        out["capabilities"].append(d)
    out["demand"] = {
        t: {
            r: {"need": _num(dm.need), **({} if dm.importance is None else {"importance": _num(dm.importance)})}
            for r, dm in per.items()
        }
        for t, per in s.demand.items()
    }
    out["resources"] = []
    for q in s.resources:
        d = {"id": q.id, "name": q.name, "basis": q.basis, "capacity": _num(q.capacity), "unit": q.unit}
        _put(d, "note", q.note)
        _put(d, "extra", q.extra, _plain)
        out["resources"].append(d)
    _put(out, "returns", s.returns, lambda v: [_num(x) for x in v])
    if s.rules is not None:
        out["rules"] = [_rule_to_dict(r) for r in s.rules]
    if s.settings is not None:
        out["settings"] = {"integer_units": s.settings.integer_units}
    if s.panel is not None:
        out["panel"] = []
        for p in s.panel:
            d = {"id": p.id, "name": p.name, "weights": _numbers(p.weights)}
            _put(d, "extra", p.extra, _plain)
            out["panel"].append(d)
    _put(out, "extra", s.extra, _plain)
    return out


_RULE_ORDER = (
    "task", "capability", "region", "regions", "zone", "capabilities",
    "min_satisfaction", "max_share", "units", "from_period", "to_period",
)


def _rule_to_dict(r: Rule) -> dict:
    d: dict[str, Any] = {"id": r.id}
    _put(d, "name", r.name)
    d["kind"] = r.kind
    for key in _RULE_ORDER:
        value = getattr(r, key)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float):
            value = _num(value)
        _put(d, key, value)
    _put(d, "note", r.note)
    _put(d, "extra", r.extra, _plain)
    return d


def dumps_scenario(s: Scenario) -> str:
    """The canonical file text of a scenario."""
    return json.dumps(scenario_to_dict(s), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save_scenario(s: Scenario, path: str | os.PathLike) -> None:
    """Write a scenario atomically: the old file stays whole if anything fails."""
    write_atomic(Path(path), dumps_scenario(s).encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            try:
                os.chmod(tmp, path.stat().st_mode & 0o777)
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable where the platform allows it
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
