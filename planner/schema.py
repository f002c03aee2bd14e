"""The scenario file's structure, as pydantic models.

These models check types, ranges and unknown keys and give the JSON Schema
that editors can use. Cross-references (ids that must resolve, rules that
must make sense) are checked in :mod:`planner.validate`. Each model's fields
are the file keys of one object of :mod:`planner.scenario` (a test holds them
to it); the choices of a field (bases, rule kinds, ...) are that module's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .scenario import BASES, FORMAT, PLACES, REQUIRES_COUNTS, REQUIRES_SCOPES, RULE_FIELDS, RULE_KINDS

#: The newest file format version this program reads and writes.
CURRENT_VERSION = 2

ID_PATTERN = r"^[a-z0-9_-]{1,64}$"

# Planning numbers never come near this; HiGHS refuses matrix values from 1e15 and its
# tolerances give way well before, so larger numbers are refused with their path.
MAX_NUMBER = 1e12

Id = Annotated[str, Field(pattern=ID_PATTERN)]
NonNeg = Annotated[float, Field(ge=0, le=MAX_NUMBER)]
Positive = Annotated[float, Field(gt=0, le=MAX_NUMBER)]
Share = Annotated[float, Field(ge=0, le=1)]
Fraction = Annotated[float, Field(gt=0, le=1)]  # a share that is never nothing
PeriodIndex = Annotated[int, Field(ge=0)]  # a lead time past the cycle means "never"

# Text a planner writes, with room to spare; longer names would only slow every table,
# chart and export that shows them.
MAX_NAME_CHARS = 200  # names, categories, units
MAX_TEXT_CHARS = 10_000  # descriptions, notes, sources
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
Category = Name  # a capability category, as a key: {"air": 6}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class PeriodModel(_Strict):
    id: Id
    name: Name
    weight: NonNeg | None = None
    effect_factor: dict[Category, NonNeg] | None = None
    note: Text | None = None
    extra: dict[str, Any] | None = None


class TaskModel(_Strict):
    id: Id
    name: Name
    weight: NonNeg
    note: Text | None = None
    extra: dict[str, Any] | None = None


class LocationModel(_Strict):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class RegionModel(_Strict):
    id: Id
    name: Name
    zone: Id
    location: LocationModel | None = None
    camp: bool | None = None
    camp_capacity: NonNeg | None = None
    camp_limits: dict[Category, NonNeg] | None = None
    note: Text | None = None
    extra: dict[str, Any] | None = None


class CapabilityModel(_Strict):
    id: Id
    name: Name
    category: Name
    existing: NonNeg
    max_new: NonNeg
    lead_time: PeriodIndex
    max_per_region: NonNeg | None = None
    effect: dict[Id, NonNeg] = Field(default_factory=dict)
    region_factor: dict[Id, NonNeg] | None = None
    uses: dict[Id, NonNeg] | None = None
    reach_km: NonNeg | None = None
    edge_factor: Fraction | None = None
    uses_per_km: dict[Id, NonNeg] | None = None
    bases: list[Id] | None = None
    based_at: dict[Id, NonNeg] | None = None
    move_uses: dict[Id, NonNeg] | None = None
    max_repatriate: NonNeg | None = None
    note: Text | None = None
    extra: dict[str, Any] | None = None


class DemandModel(_Strict):
    need: Positive
    importance: NonNeg | None = None
    need_by_period: dict[Id, Positive] | None = None


class ResourceModel(_Strict):
    id: Id
    name: Name
    basis: Literal[BASES]
    capacity: NonNeg
    unit: Name
    personnel: bool | None = None
    note: Text | None = None
    extra: dict[str, Any] | None = None


def _rule_kinds_schema(schema: dict) -> None:
    """The JSON Schema of each kind's fields: what it needs, and what applies to it."""
    cases = []
    for kind, fields in RULE_FIELDS.items():
        then: dict[str, Any] = {"propertyNames": {"enum": list(fields.allowed)}}
        if fields.required:
            then["required"] = list(fields.required)
        if fields.place:  # exactly one place, or (with "any") also none
            then["oneOf"] = [{"required": [p]} for p in PLACES]
            if fields.place == "any":
                then["oneOf"].append({"not": {"anyOf": then["oneOf"][:]}})
        if "within_km" in fields.optional:  # with "count": "based_within", and only then
            then["if"] = {"properties": {"count": {"const": "based_within"}}, "required": ["count"]}
            then["then"] = {"required": ["within_km"]}
            then["else"] = {"not": {"required": ["within_km"]}}
        cases.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": then})
    schema["allOf"] = cases


class RuleModel(_Strict):
    model_config = ConfigDict(json_schema_extra=_rule_kinds_schema)

    id: Id
    name: Name | None = None
    kind: Literal[RULE_KINDS]
    task: Id | None = None
    capability: Id | None = None
    region: Id | None = None
    regions: list[Id] | None = None
    zone: Id | None = None
    capabilities: list[Id] | None = None
    min_satisfaction: Share | None = None
    max_share: Share | None = None
    units: NonNeg | None = None
    from_period: PeriodIndex | None = None
    to_period: PeriodIndex | None = None
    needs: dict[Id, Positive] | None = None
    scope: Literal[REQUIRES_SCOPES] | None = None
    via_task: Id | None = None
    beyond_km: NonNeg | None = None
    count: Literal[REQUIRES_COUNTS] | None = None
    within_km: NonNeg | None = None
    any: bool | None = None
    note: Text | None = None
    extra: dict[str, Any] | None = None


class SettingsModel(_Strict):
    integer_units: bool = False
    stationing: bool | None = None


class PanelMemberModel(_Strict):
    id: Id
    name: Name
    weights: dict[Id, NonNeg]
    extra: dict[str, Any] | None = None


class ScenarioModel(_Strict):
    """A Mandate Planner scenario file (format versions 1 and 2)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        title="Mandate Planner scenario",
    )

    format: Literal[FORMAT]
    version: Annotated[int, Field(ge=1, le=CURRENT_VERSION)]
    name: Name
    description: Text | None = None
    illustrative: bool | None = None
    sources: list[Text] | None = None
    periods: Annotated[list[PeriodModel], Field(min_length=1)]
    tasks: Annotated[list[TaskModel], Field(min_length=1)]
    regions: Annotated[list[RegionModel], Field(min_length=1)]
    capabilities: Annotated[list[CapabilityModel], Field(min_length=1)]
    demand: dict[Id, dict[Id, DemandModel]]
    resources: list[ResourceModel]
    returns: Annotated[list[Positive], Field(min_length=1, max_length=20)] | None = None
    rules: list[RuleModel] | None = None
    settings: SettingsModel | None = None
    panel: list[PanelMemberModel] | None = None
    extra: dict[str, Any] | None = None


def json_schema() -> dict:
    """The JSON Schema of a scenario file (draft 2020-12)."""
    schema = ScenarioModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
