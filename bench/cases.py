"""The scenarios the benchmark measures: the default one, the other bundled ones, generated sizes.

Generated scenarios come from ``bench/generate.py`` (seed 0): medium (~10k
x-variables) and large (>= 100k variables), and small for quick looks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench import generate as gen

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DEFAULT_SCENARIO = "minusma_2020"
DEFAULT_NAME = f"default ({DEFAULT_SCENARIO})"
DEFAULT_LP_NAME = "default, fractional units (LP)"


@dataclass
class Case:
    name: str
    text: str  # the scenario file's text
    repeats: int
    note: str = ""


def bundled_names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.json"))


def scenario_text(name: str) -> str:
    """The text of a bundled scenario file."""
    return (SCENARIOS / f"{name}.json").read_text("utf-8")


def make_cases(sizes: list[str], repeat: int | None, quick: bool) -> list[Case]:
    cases = []
    small_reps = repeat or (1 if quick else 7)
    for token in sizes:
        if token == "default":
            cases.append(Case(DEFAULT_NAME, scenario_text(DEFAULT_SCENARIO), small_reps))
            # The same file with fractional units: the LP alone (what a drag solves).
            data = json.loads(scenario_text(DEFAULT_SCENARIO))
            data.setdefault("settings", {})["integer_units"] = False
            cases.append(Case(DEFAULT_LP_NAME, json.dumps(data), small_reps, "fractional units"))
        elif token == "bundled":
            names = [n for n in bundled_names() if n != DEFAULT_SCENARIO]
            if quick:
                names = names[:1]
            for n in names:
                cases.append(Case(n, scenario_text(n), small_reps))
        elif token in gen.SIZES:
            reps = repeat or (1 if quick else {"small": 7, "medium": 5, "large": 3}[token])
            C, R, T, P, _ = gen.SIZES[token]
            text = json.dumps(gen.generate_size(token, seed=0))
            cases.append(Case(f"{token} ({C}×{R}×{T}×{P})", text, reps, "generated"))
        elif (SCENARIOS / f"{token}.json").exists():
            cases.append(Case(token, scenario_text(token), small_reps))
        else:
            raise SystemExit(f"unknown size '{token}' (use default, bundled, small, medium, large "
                             "or a bundled scenario's name)")
    return cases
