"""The compatibility check on synthetic events: what breaks readers within a version, what is
additive, and that the committed schemas and AsyncAPI documents are what the code generates."""

import json
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.registry import EVENT_TYPES
from contracts.topics import Topic
from devstack import schema_tool
from devstack.schema_tool import Problem, breaking_changes, compare, event_schema

TOPIC = Topic("test.contracts.v1")


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class FewerColours(StrEnum):
    RED = "red"
    GREEN = "green"


class _Event(IntegrationEvent):
    type: ClassVar[str] = "test.painted.v1"
    topic: ClassVar[Topic] = TOPIC
    wall_id: str

    def aggregate_id(self) -> str:
        return self.wall_id


class Painted(_Event):
    colour: Colour
    coats: int
    note: str | None = None
    palette: list[Colour] = Field(default_factory=list)


class PaintedWithoutNote(_Event):
    colour: Colour
    coats: int
    palette: list[Colour] = Field(default_factory=list)


class PaintedCoatsAsText(_Event):
    colour: Colour
    coats: str
    note: str | None = None
    palette: list[Colour] = Field(default_factory=list)


class PaintedCoatsOptional(_Event):
    colour: Colour
    coats: int | None
    note: str | None = None
    palette: list[Colour] = Field(default_factory=list)


class PaintedNoteRequired(_Event):
    colour: Colour
    coats: int
    note: str | None
    palette: list[Colour] = Field(default_factory=list)


class PaintedWithBrush(_Event):
    colour: Colour
    coats: int
    note: str | None = None
    palette: list[Colour] = Field(default_factory=list)
    brush: str


class PaintedWithOptionalBrush(_Event):
    colour: Colour
    coats: int
    note: str | None = None
    palette: list[Colour] = Field(default_factory=list)
    brush: str | None = None


class PaintedFewerColours(_Event):
    colour: FewerColours
    coats: int
    note: str | None = None
    palette: list[Colour] = Field(default_factory=list)


class PaintedFewerPaletteColours(_Event):
    colour: Colour
    coats: int
    note: str | None = None
    palette: list[FewerColours] = Field(default_factory=list)


class PaintedElsewhere(Painted):
    topic: ClassVar[Topic] = Topic("test.elsewhere.v1")


def changes(old: type[IntegrationEvent], new: type[IntegrationEvent]) -> list[str]:
    return breaking_changes(event_schema(old), event_schema(new))


def test_unchanged_schema_is_clean() -> None:
    schema = event_schema(Painted)
    assert breaking_changes(schema, event_schema(Painted)) == []
    assert compare({Painted.type: schema}, {Painted.type: event_schema(Painted)}) == []


def test_removed_property_is_breaking() -> None:
    assert changes(Painted, PaintedWithoutNote) == ["property 'note' removed"]


def test_changed_type_is_breaking() -> None:
    assert changes(Painted, PaintedCoatsAsText) == [
        "property 'coats': type changed from integer to string"
    ]


def test_a_required_property_becoming_nullable_is_a_type_change() -> None:
    assert changes(Painted, PaintedCoatsOptional) == [
        "property 'coats': type changed from integer to integer | null"
    ]


def test_new_required_property_is_breaking() -> None:
    assert changes(Painted, PaintedWithBrush) == ["property 'brush' newly required"]


def test_optional_property_becoming_required_is_breaking() -> None:
    assert changes(Painted, PaintedNoteRequired) == ["property 'note' newly required"]


def test_new_optional_property_is_additive_but_must_be_written() -> None:
    old, new = event_schema(Painted), event_schema(PaintedWithOptionalBrush)
    assert breaking_changes(old, new) == []
    [problem] = compare({Painted.type: old}, {Painted.type: new})
    assert not problem.breaking
    assert str(problem).startswith(f"out of date: {Painted.type}: ")
    assert "run `python -m devstack.schema_tool generate`" in str(problem)


def test_removed_enum_value_is_breaking_through_refs() -> None:
    assert changes(Painted, PaintedFewerColours) == [
        """property 'colour': enum value(s) removed: "blue\""""
    ]
    assert changes(Painted, PaintedFewerPaletteColours) == [
        """property 'palette[]': enum value(s) removed: "blue\""""
    ]


def test_added_enum_value_is_additive() -> None:
    assert changes(PaintedFewerColours, Painted) == []
    assert changes(PaintedFewerPaletteColours, Painted) == []


def test_changed_topic_is_breaking() -> None:
    assert changes(Painted, PaintedElsewhere) == [
        "x-topic changed from 'test.contracts.v1' to 'test.elsewhere.v1'"
    ]


def test_hand_written_schemas_with_type_lists_and_nested_objects() -> None:
    old = {
        "type": "object",
        "properties": {
            "place": {
                "type": "object",
                "properties": {"postcode": {"type": ["string", "null"]}},
                "required": ["postcode"],
            },
            "sizes": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "required": ["place"],
    }
    new = json.loads(json.dumps(old))
    new["properties"]["place"]["properties"]["postcode"]["type"] = "string"
    new["properties"]["sizes"]["additionalProperties"]["type"] = "number"
    assert breaking_changes(old, new) == [
        "property 'place.postcode': type changed from null | string to string",
        "property 'sizes.*': type changed from integer to number",
    ]


def test_event_types_removed_added_and_new_versions() -> None:
    v1 = event_schema(Painted)
    assert compare({"test.painted.v1": v1}, {}) == [
        Problem("test.painted.v1", "event type removed", breaking=True)
    ]
    [added] = compare({}, {"test.painted.v1": v1})
    assert not added.breaking
    # a new version beside the old one is a new file, not a change of the old one
    v2 = event_schema(PaintedCoatsAsText)
    problems = compare({"test.painted.v1": v1}, {"test.painted.v1": v1, "test.painted.v2": v2})
    assert [(p.subject, p.breaking) for p in problems] == [("test.painted.v2", False)]


def test_key_field_is_found_by_asking_the_event() -> None:
    assert event_schema(Painted)["x-key"].startswith("wall_id:")


def test_every_event_type_has_a_schema_titled_with_its_type() -> None:
    schemas = schema_tool.event_schemas()
    assert set(schemas) == set(EVENT_TYPES)
    assert all(schema["title"] == name for name, schema in schemas.items())


def test_committed_schemas_and_asyncapi_documents_are_up_to_date() -> None:
    problems = schema_tool.check()
    assert problems == [], "\n".join(map(str, problems))
    assert {p.stem for p in schema_tool.ASYNCAPI_DIR.glob("*.json")} >= {"membership"}


def test_check_command_fails_on_a_breaking_change_in_the_committed_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas, docs = tmp_path / "schemas", tmp_path / "asyncapi"
    assert schema_tool.generate(schemas, docs, services=["membership"]) == 0
    assert schema_tool.check(schemas, docs, services=["membership"]) == []

    # The committed file knows a field the code no longer has: as if the code removed it.
    committed = schemas / "membership.school_joined.v1.json"
    schema = json.loads(committed.read_text())
    schema["properties"]["joined_via"] = {"type": "string"}
    committed.write_text(schema_tool.render(schema))
    (docs / "membership.json").write_text("{}\n")

    problems = schema_tool.check(schemas, docs, services=["membership"])
    assert [str(p).split(";")[0] for p in problems] == [
        "BREAKING membership.school_joined.v1: property 'joined_via' removed",
        f"out of date: {docs}/membership.json: differs from what the service serves",
    ]
    # and generate refuses to paper over it
    assert schema_tool.generate(schemas, docs, services=["membership"]) == 1
    assert "BREAKING membership.school_joined.v1" in capsys.readouterr().err
    assert "joined_via" in committed.read_text()
