"""Reading and writing scenario files.

Loading checks everything the contract asks and reports every problem at once,
each by its JSON path; a failed load never touches the file. Saving is atomic
and canonical: keys in a stable order, 2-space indentation, whole numbers
written as integers, so that load -> save gives back the same bytes.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any
from collections.abc import Callable

from pydantic import ValidationError

from .atomic import write_atomic
from .errors import ScenarioError
from .fields import dump_object, load_object, file_keys, saved_version, uses_v2
from .jsontext import MAX_FILE_BYTES, MAX_PROBLEMS, joined_path, size_text, too_large, check_values, parse_json
from .scenario import FORMAT, Scenario
from .schema import CURRENT_VERSION, ScenarioModel
from .validate import Problem, check_references, found

# What other modules import from here (the file API in one place).
__all__ = [
    "CURRENT_VERSION", "MAX_FILE_BYTES", "ScenarioError", "dumps_scenario", "file_keys", "load_scenario",
    "loads_scenario", "save_scenario", "saved_version", "scenario_from_dict", "scenario_to_dict",
    "uses_v2", "write_atomic",
]


def _version_1_to_2(data: dict) -> dict:
    """Version 2 only adds optional fields and choices: a version 1 file reads as it is.

    A version 1 file that already uses version 2 fields is read as well (and saved as
    version 2): every version 1 file stays valid, the additions are optional, and
    refusing the file would only make its author change a number by hand."""
    return data


# version n -> function turning a version-n dict into a version-(n+1) dict.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _version_1_to_2}



# -- reading ------------------------------------------------------------------


def _not_a_file(mode: int) -> str | None:
    """Why a file of this mode cannot be a scenario file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "this is a folder, not a scenario file"
    if stat.S_ISFIFO(mode):
        return "not a regular file (a named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file (a device)"
    if stat.S_ISSOCK(mode):
        return "not a regular file (a socket)"
    return "not a regular file"


# Opening never blocks (a named pipe without a writer would wait forever) and never makes
# a terminal the controlling one; bytes are read as they are.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


def _read_regular_file(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, without ever blocking."""

    def check(info: os.stat_result) -> None:
        why = _not_a_file(info.st_mode)
        if why:
            raise ScenarioError([("", why)], name)
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError([too_large(f"the file is {size_text(info.st_size)}")], name)

    check(os.stat(path))  # does not block, whatever the file is
    fd = os.open(path, _OPEN_FLAGS)
    try:
        check(os.fstat(fd))  # the file opened may not be the one looked at
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise ScenarioError([too_large(f"the file holds more than {MAX_FILE_BYTES:,} bytes")], name)
    return b"".join(chunks)


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and check a scenario file; raise :class:`ScenarioError` if it is bad."""
    path = Path(path)
    name = path.name
    try:
        data = _read_regular_file(path, name)
    except ScenarioError:
        raise
    except FileNotFoundError:
        raise ScenarioError([("", "no such file")], str(path)) from None
    except OSError as exc:
        raise ScenarioError([("", f"cannot be read ({exc.strerror or exc})")], str(path)) from None
    except ValueError:  # a name no file can have
        raise ScenarioError([("", "cannot be read (the name holds a NUL character)")], str(path)) from None
    return loads_scenario(data, source=name)


def loads_scenario(text: str | bytes, source: str | None = None) -> Scenario:
    """Parse and check a scenario from JSON text."""
    data = parse_json(text, source)
    return scenario_from_dict(data, source)



def scenario_from_dict(data: Any, source: str | None = None) -> Scenario:
    """Check a parsed scenario file and build the :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError([("", "a scenario file must hold one JSON object")], source)
    problems = check_values(data)
    if problems:
        raise ScenarioError(problems[:MAX_PROBLEMS], source)
    if data.get("format") != FORMAT:
        head = f"{found(data['format'])}: " if "format" in data else ""
        raise ScenarioError(
            [("format", f"{head}not a Mandate Planner scenario (expected \"format\": \"{FORMAT}\")")],
            source,
        )
    migrated = migrate(data, source)  # checks the version, so data["version"] is a known one
    problems: list[Problem] = []
    model = None
    try:
        model = ScenarioModel.model_validate(migrated)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc))
    except RecursionError:
        problems.append(("", "nested too deeply"))
    problems.extend(check_references(migrated))
    if problems:
        raise ScenarioError(_dedupe(problems), source)
    # The scenario keeps the version the file had, so that a save writes it back.
    return load_object(Scenario, model, version=data["version"])


def migrate(data: dict, source: str | None = None) -> dict:
    """Bring an older file up to :data:`CURRENT_VERSION`; refuse newer ones."""
    if "version" not in data:
        raise ScenarioError([("version", "required field is missing (the file format version)")], source)
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise ScenarioError(
            [("version", f"{found(version)} is not a whole number (the file format version)")], source
        )
    if version > CURRENT_VERSION:
        raise ScenarioError(
            [("version", f"the file is format version {found(version)}, newer than this program reads "
              f"(up to {CURRENT_VERSION}); update Mandate Planner to open it")],
            source,
        )
    if version < 1:
        raise ScenarioError([("version", f"unknown format version {found(version)}")], source)
    while version < CURRENT_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["version"] = version
    return data


_ID_MESSAGE = "an id must be 1-64 characters of a-z, 0-9, '_' or '-'"

_FRIENDLY = {
    "extra_forbidden": "unknown key (check the spelling)",
    "missing": "required field is missing",
    "finite_number": "must be a finite number",
}

# A value of the wrong JSON type: what it should have been.
_EXPECTED = {
    "float_type": "a number",
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
}


def _pydantic_problems(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc.pop()
        message = _pydantic_message(err, is_key)
        problems.append((joined_path(loc), message + (" (as a key)" if is_key else "")))
    return problems


def _pydantic_message(err: dict, is_key: bool) -> str:
    """One validation error in plain words, naming the value found."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        return f"{found(value)} is too large for a number"
    if kind in _EXPECTED:
        return f"{found(value)} is not {_EXPECTED[kind]}"
    if kind == "literal_error":
        choices = str(ctx.get("expected", ""))  # "'a', 'b' or 'c'": our own constants
        if " or " in choices:
            return f"{found(value)} is not one of {choices.replace(' or ', ', ')}"
        return f"{found(value)} is not {choices}"
    if kind == "string_pattern_mismatch":
        # a key is already in the path; a value is named
        return _ID_MESSAGE if is_key else f"{found(value)}: {_ID_MESSAGE}"
    if kind == "string_too_long":
        return f"too long: at most {ctx['max_length']:,} characters (found {len(value):,})"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']:g} (found {found(value)})"
    if kind == "greater_than_equal":
        bound = "must not be negative" if ctx["ge"] == 0 else f"must be at least {ctx['ge']:g}"
        return f"{bound} (found {found(value)})"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']:g} (found {found(value)})"
    msg = err["msg"]
    return msg[:1].lower() + msg[1:]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))



# -- writing ------------------------------------------------------------------



def scenario_to_dict(s: Scenario) -> dict:
    """The scenario as file data, keys in the canonical order."""
    return {"format": FORMAT, "version": saved_version(s), **dump_object(s)}


def dumps_scenario(s: Scenario) -> str:
    """The canonical file text of a scenario."""
    return json.dumps(scenario_to_dict(s), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save_scenario(s: Scenario, path: str | os.PathLike) -> None:
    """Write a scenario atomically: the old file stays whole if anything fails."""
    write_atomic(Path(path), dumps_scenario(s).encode("utf-8"))

