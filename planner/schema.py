"""The scenario file's structure, as pydantic models.

These models check types, ranges and unknown keys and give the JSON Schema
that editors can use. Cross-references (ids that must resolve, rules that
must make sense) are checked in :mod:`planner.validate`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z0-9_-]{1,64}$"

# Planning numbers never come near this; HiGHS refuses matrix values from 1e15 and its
# tolerances give way well before, so larger numbers are refused with their path.
MAX_NUMBER = 1e12

Id = Annotated[str, Field(pattern=ID_PATTERN)]
NonNeg = Annotated[float, Field(ge=0, le=MAX_NUMBER)]
Positive = Annotated[float, Field(gt=0, le=MAX_NUMBER)]
Share = Annotated[float, Field(ge=0, le=1)]
PeriodIndex = Annotated[int, Field(ge=0)]  # a lead time past the cycle means "never"

# Text a planner writes, with room to spare; longer names would only slow every table,
# chart and export that shows them.
MAX_NAME_CHARS = 200  # names, categories, units
MAX_TEXT_CHARS = 10_000  # descriptions, notes, sources
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class PeriodModel(_Strict):
    id: Id
    name: Name
    weight: NonNeg | None = None
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
    note: Text | None = None
    extra: dict[str, Any] | None = None


class DemandModel(_Strict):
    need: Positive
    importance: NonNeg | None = None


class ResourceModel(_Strict):
    id: Id
    name: Name
    basis: Literal["generated", "fielded", "employed"]
    capacity: NonNeg
    unit: Name
    note: Text | None = None
    extra: dict[str, Any] | None = None


class RuleModel(_Strict):
    id: Id
    name: Name | None = None
    kind: Literal["floor", "max_share", "forbid", "min_units"]
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
    note: Text | None = None
    extra: dict[str, Any] | None = None


class SettingsModel(_Strict):
    integer_units: bool = False


class PanelMemberModel(_Strict):
    id: Id
    name: Name
    weights: dict[Id, NonNeg]
    extra: dict[str, Any] | None = None


class ScenarioModel(_Strict):
    """A Mandate Planner scenario file (format version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        title="Mandate Planner scenario",
    )

    format: Literal["mandate-planner-scenario"]
    version: Annotated[int, Field(ge=1)]
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
