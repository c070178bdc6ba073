"""What a benchmark run works with: its own topics, groups and databases, its events, a stopwatch."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from contracts.membership import SchoolRegistered
from contracts.topics import Topic
from contracts.vocabulary import Phase, Sector

BATCH = 100
"""Events per insert_many call and per transaction in the batched figures."""
SOURCE = "/school-partnerships/bench"
"""The CloudEvents source of the benchmark's events."""

T = TypeVar("T")


class BenchmarkError(RuntimeError):
    """A stage did not finish: it names the stage and how far it got."""


@dataclass(frozen=True)
class RunNames:
    """Topics, groups and databases of one run, all fresh so nothing old interferes."""

    run_id: str

    @classmethod
    def fresh(cls) -> RunNames:
        return cls(uuid.uuid4().hex[:12])

    @property
    def topic(self) -> Topic:
        return Topic(f"bench.{self.run_id}")

    @property
    def raw_topic(self) -> Topic:
        return Topic(f"bench.{self.run_id}.raw")

    @property
    def raw_relay_topic(self) -> Topic:
        return Topic(f"bench.{self.run_id}.rawrelay")

    @property
    def consumer_group(self) -> str:
        return f"bench-{self.run_id}-consumer"

    @property
    def raw_group(self) -> str:
        return f"bench-{self.run_id}-raw"

    def database(self, role: str) -> str:
        return f"bench_{self.run_id}_{role}"

    @property
    def databases(self) -> tuple[str, ...]:
        roles = ("raw", "rawrelay", "rawapply", "producer", "batched", "consumer")
        return tuple(self.database(role) for role in roles)


def event_class(run_topic: Topic) -> type[SchoolRegistered]:
    """SchoolRegistered on this run's topic. Its type is unchanged, so it decodes as the original."""

    class BenchSchoolRegistered(SchoolRegistered):
        topic: ClassVar[Topic] = run_topic

    return BenchSchoolRegistered


def school_events(cls: type[SchoolRegistered], count: int) -> list[SchoolRegistered]:
    """`count` registrations with distinct URNs, so each has its own key and its own effect."""
    return [
        cls(
            urn=str(100000 + number),
            name=f"Bench School {number}",
            phase=Phase.PRIMARY if number % 2 else Phase.SECONDARY,
            sector=Sector.STATE,
            establishment_type="Community school",
            la_code="873",
            la_name="Cambridgeshire",
            pupils=200 + number % 900,
            fsm_share=0.15,
        )
        for number in range(count)
    ]


def state_document(event: SchoolRegistered) -> dict[str, Any]:
    return {"_id": event.urn, **event.model_dump(mode="json", exclude={"urn"})}


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class Stopwatch:
    """`with watch: ...` adds the time spent inside to `seconds`."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds += time.perf_counter() - self._started
