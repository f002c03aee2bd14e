"""Immutable scenario objects.

A :class:`Scenario` is a frozen snapshot: safe to hand to a worker thread, and
an edit is a pure function returning a new snapshot (``dataclasses.replace``).
Optional fields keep ``None`` when the file left them out, so that a load and a
save give back the same bytes; the ``effective_*`` helpers apply the defaults
of the contract.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple
from collections.abc import Mapping

FORMAT = "mandate-planner-scenario"
DEFAULT_RETURNS = (1.0, 0.6, 0.3)
BASES = ("generated", "fielded", "employed", "in_service")
REQUIRES_SCOPES = ("region", "zone")
REQUIRES_COUNTS = ("employed", "based_within")
EARTH_RADIUS_KM = 6371.0

#: Where a rule applies: one of these names its regions.
PLACES = ("region", "regions", "zone")
#: The fields every rule has, whatever its kind.
RULE_COMMON = ("id", "name", "kind", "note", "extra")


class RuleFields(NamedTuple):
    """The fields a kind of rule takes, beside :data:`RULE_COMMON`."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    place: str | None = None  # "one": exactly one of PLACES; "any": at most one; None: none
    needs_one_optional: bool = False  # at least one of the optional fields must be given

    @property
    def allowed(self) -> tuple[str, ...]:
        places = PLACES if self.place else ()
        return RULE_COMMON + self.required + places + self.optional


_PERIOD_RANGE = ("from_period", "to_period")

#: Each rule kind and its fields (MODEL.md, constraint 5 and "Enabler links").
RULE_FIELDS: Mapping[str, RuleFields] = MappingProxyType({
    "floor": RuleFields(("task", "min_satisfaction"), _PERIOD_RANGE, place="one"),
    "max_share": RuleFields(("task", "max_share"), ("capabilities",)),
    "forbid": RuleFields((), ("capability", "task", "region"), needs_one_optional=True),
    "min_units": RuleFields(("capability", "units"), _PERIOD_RANGE, place="one"),
    "requires": RuleFields(
        ("capability", "needs"),
        ("scope", *_PERIOD_RANGE, "via_task", "beyond_km", "count", "within_km", "any"),
        place="any",
    ),
})
RULE_KINDS = tuple(RULE_FIELDS)


def frozen_map(d: Mapping | None = None) -> Mapping:
    """A read-only view of a copy of ``d`` (insertion order kept)."""
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class Period:
    id: str
    name: str
    weight: float | None = None
    note: str | None = None
    extra: Mapping[str, Any] | None = None
    effect_factor: Mapping[str, float] | None = None  # v2: {category: factor >= 0}

    def factor(self, category: str) -> float:
        """How much a capability of ``category`` delivers in this period (1 = as usual)."""
        return 1.0 if self.effect_factor is None else float(self.effect_factor.get(category, 1.0))

    @property
    def effective_weight(self) -> float:
        return 1.0 if self.weight is None else self.weight


@dataclass(frozen=True)
class Task:
    id: str
    name: str
    weight: float
    note: str | None = None
    extra: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    zone: str
    location: Location | None = None
    note: str | None = None
    extra: Mapping[str, Any] | None = None
    # v2 stationing
    camp: bool | None = None  # units may be based here (default true)
    camp_capacity: float | None = None  # persons based here in a period, at most
    camp_limits: Mapping[str, float] | None = None  # {category: units based here}, at most

    @property
    def is_camp(self) -> bool:
        return self.camp is None or bool(self.camp)


@dataclass(frozen=True)
class Capability:
    id: str
    name: str
    category: str
    existing: float
    max_new: float
    lead_time: int
    max_per_region: float | None = None
    effect: Mapping[str, float] = field(default_factory=frozen_map)
    region_factor: Mapping[str, float] = field(default_factory=frozen_map)
    uses: Mapping[str, float] = field(default_factory=frozen_map)
    note: str | None = None
    extra: Mapping[str, Any] | None = None
    # Which optional mappings the file spelled out (so a save writes them back).
    has_region_factor: bool = False
    has_uses: bool = False
    # v2: posture and drawdown
    reach_km: float | None = None  # how far from its base a unit works (default 0: its base region)
    edge_factor: float | None = None  # share of its effect left at the edge of its reach (default 1)
    uses_per_km: Mapping[str, float] | None = None  # {resource: per unit per km from base}
    bases: tuple[str, ...] | None = None  # where it may be based (default: every camp)
    based_at: Mapping[str, float] | None = None  # where the existing units start {region: units}
    move_uses: Mapping[str, float] | None = None  # {resource: per unit leaving a base}
    max_repatriate: float | None = None  # existing units that may be sent home (default 0)

    @property
    def effective_reach_km(self) -> float:
        return 0.0 if self.reach_km is None else float(self.reach_km)

    @property
    def effective_edge_factor(self) -> float:
        return 1.0 if self.edge_factor is None else float(self.edge_factor)

    @property
    def effective_max_repatriate(self) -> float:
        return 0.0 if self.max_repatriate is None else float(self.max_repatriate)


@dataclass(frozen=True)
class Demand:
    need: float
    importance: float | None = None
    need_by_period: Mapping[str, float] | None = None  # v2: {period id: need} overriding need

    def need_in(self, period_id: str) -> float:
        if self.need_by_period is not None and period_id in self.need_by_period:
            return float(self.need_by_period[period_id])
        return float(self.need)

    @property
    def effective_importance(self) -> float:
        return 1.0 if self.importance is None else self.importance


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    basis: str
    capacity: float
    unit: str
    note: str | None = None
    extra: Mapping[str, Any] | None = None
    personnel: bool | None = None  # v2: its uses are persons (counted by camp capacities)


@dataclass(frozen=True)
class Rule:
    """One policy rule; which fields apply depends on ``kind`` (see :data:`RULE_FIELDS`)."""

    id: str
    kind: str
    name: str | None = None
    task: str | None = None
    capability: str | None = None
    region: str | None = None
    regions: tuple[str, ...] | None = None
    zone: str | None = None
    capabilities: tuple[str, ...] | None = None
    min_satisfaction: float | None = None
    max_share: float | None = None
    units: float | None = None
    from_period: int | None = None
    to_period: int | None = None
    note: str | None = None
    extra: Mapping[str, Any] | None = None
    # v2: requires
    needs: Mapping[str, float] | None = None
    scope: str | None = None  # "region" (default) or "zone"
    via_task: str | None = None
    beyond_km: float | None = None
    count: str | None = None  # "employed" (default) or "based_within"
    within_km: float | None = None
    any: bool | None = None

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def effective_scope(self) -> str:
        return self.scope or "region"

    @property
    def effective_count(self) -> str:
        return self.count or "employed"


@dataclass(frozen=True)
class Settings:
    integer_units: bool = False
    stationing: bool | None = None  # v2: units are based and work within reach (default false)


@dataclass(frozen=True)
class PanelMember:
    id: str
    name: str
    weights: Mapping[str, float] = field(default_factory=frozen_map)
    extra: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    periods: tuple[Period, ...]
    tasks: tuple[Task, ...]
    regions: tuple[Region, ...]
    capabilities: tuple[Capability, ...]
    demand: Mapping[str, Mapping[str, Demand]]
    resources: tuple[Resource, ...]
    version: int = 1
    description: str | None = None
    illustrative: bool | None = None
    sources: tuple[str, ...] | None = None
    returns: tuple[float, ...] | None = None
    rules: tuple[Rule, ...] | None = None
    settings: Settings | None = None
    panel: tuple[PanelMember, ...] | None = None
    extra: Mapping[str, Any] | None = None

    # -- defaults of the contract ------------------------------------------
    @property
    def effective_returns(self) -> tuple[float, ...]:
        return DEFAULT_RETURNS if self.returns is None else self.returns

    @property
    def effective_rules(self) -> tuple[Rule, ...]:
        return self.rules or ()

    @property
    def integer_units(self) -> bool:
        return bool(self.settings and self.settings.integer_units)

    @property
    def stationing(self) -> bool:
        return bool(self.settings and self.settings.stationing)

    @property
    def is_illustrative(self) -> bool:
        return bool(self.illustrative)

    # -- look-ups -------------------------------------------------------------
    def task(self, task_id: str) -> Task:
        return _by_id(self.tasks, task_id, "task")

    def region(self, region_id: str) -> Region:
        return _by_id(self.regions, region_id, "region")

    def capability(self, capability_id: str) -> Capability:
        return _by_id(self.capabilities, capability_id, "capability")

    def resource(self, resource_id: str) -> Resource:
        return _by_id(self.resources, resource_id, "resource")

    def zones(self) -> tuple[str, ...]:
        """Zones in the order their first region appears."""
        return tuple(dict.fromkeys(r.zone for r in self.regions))

    # -- edits (pure) ---------------------------------------------------------
    def with_task_weight(self, task_id: str, weight: float) -> Scenario:
        return self._replace_item("tasks", task_id, weight=float(weight))

    def with_resource_capacity(self, resource_id: str, capacity: float) -> Scenario:
        return self._replace_item("resources", resource_id, capacity=float(capacity))

    def with_integer_units(self, on: bool) -> Scenario:
        settings = self.settings or Settings()
        return dataclasses.replace(self, settings=dataclasses.replace(settings, integer_units=bool(on)))

    def with_panel(self, members) -> Scenario:
        """The scenario with this stakeholder panel (a sequence of PanelMember)."""
        return dataclasses.replace(self, panel=tuple(members))

    def with_weights(self, weights: Mapping[str, float]) -> Scenario:
        unknown = set(weights) - {t.id for t in self.tasks}
        if unknown:
            raise KeyError(f"unknown task '{sorted(unknown)[0]}'")
        tasks = tuple(
            dataclasses.replace(t, weight=float(weights[t.id])) if t.id in weights else t
            for t in self.tasks
        )
        return dataclasses.replace(self, tasks=tasks)

    def _replace_item(self, attr: str, item_id: str, **changes) -> Scenario:
        items = getattr(self, attr)
        _by_id(items, item_id, _ITEM_NAMES[attr])
        new = tuple(dataclasses.replace(i, **changes) if i.id == item_id else i for i in items)
        return dataclasses.replace(self, **{attr: new})


_ITEM_NAMES = {"tasks": "task", "resources": "resource", "regions": "region",
               "capabilities": "capability", "periods": "period"}


def _by_id(items, item_id, what):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"unknown {what} '{item_id}'")


def blank_scenario() -> Scenario:
    """The smallest useful scenario, to start a new one from."""
    return Scenario(
        name="New scenario",
        description="",
        illustrative=True,
        sources=(),
        periods=tuple(Period(f"q{i + 1}", f"Quarter {i + 1}") for i in range(4)),
        tasks=(Task("task_1", "Task 1", 50.0),),
        regions=(Region("region_1", "Region 1", "zone_1"),),
        capabilities=(
            Capability("capability_1", "Capability 1", "ground", 1.0, 0.0, 0, effect=frozen_map({"task_1": 1.0})),
        ),
        demand=frozen_map({"task_1": frozen_map({"region_1": Demand(10.0)})}),
        resources=(),
        returns=DEFAULT_RETURNS,
        rules=(),
        settings=Settings(False),
    )
