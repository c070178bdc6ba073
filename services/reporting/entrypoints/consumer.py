"""The Kafka side: membership events into the read model, the events service's into the
participation records, each in its batch's unit of work (beside the consumer's inbox entries),
into the generation of the read models the service serves."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import structlog
from pymongo.asynchronous.database import AsyncDatabase

from contracts import MEMBERSHIP
from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS, NOTIFICATIONS, Topic
from eventkit.consumer import EventConsumer, Subscriber
from eventkit.replay import catch_up
from eventkit.runtime import ServiceRuntime
from eventkit.unit_of_work import Committed
from services.reporting.adapters import generations, read_model
from services.reporting.adapters import participation as records
from services.reporting.domain.generation import Generation
from services.reporting.service_layer import participation_projection, projection
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork

log = structlog.get_logger(__name__)

PARTNERSHIP_COMPOSITION = "reporting.partnership_composition"
PARTICIPATION = "reporting.participation"
MAIL = "reporting.mail"


async def _project(event: IntegrationEvent, uow: ReportingUnitOfWork) -> None:
    await projection.apply(event, uow.read_model)


def partnership_composition(name: str = PARTNERSHIP_COMPOSITION) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps partnerships, memberships and schools."""
    consumer = EventConsumer(name, MEMBERSHIP)
    consumer.on(*projection.HANDLERS)(_project)
    return consumer


async def _record(event: IntegrationEvent, uow: ReportingUnitOfWork) -> None:
    await participation_projection.apply(event, uow.participation)


def _recording(name: str, topic: Topic) -> EventConsumer:
    consumer = EventConsumer(name, topic)
    consumer.on(*[t for t in participation_projection.HANDLERS if t.topic == topic])(_record)
    return consumer


def participation(name: str = PARTICIPATION) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps activities, bookings and ratings."""
    return _recording(name, EVENTS)


def mail(name: str = MAIL) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps which emails were sent and held."""
    return _recording(name, NOTIFICATIONS)


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]], generation: Generation) -> None:
    await read_model.ensure_indexes(db, generation)
    await records.ensure_indexes(db, generation)


def generation_unit_of_work(
    runtime: ServiceRuntime[ReportingUnitOfWork], generation: Generation
) -> Callable[[], ReportingUnitOfWork]:
    """Units of work over one generation of the read models, whose commits wake the relay."""

    def woken(committed: Committed) -> None:
        if committed.envelopes:
            runtime.relay.wake()

    return lambda: ReportingUnitOfWork(
        runtime.client, runtime.db, source=runtime.source, on_commit=woken, generation=generation
    )


async def replay(
    runtime: ServiceRuntime[ReportingUnitOfWork],
    consumers: Sequence[EventConsumer],
    generation: Generation,
    *,
    batch_size: int,
    progress: Callable[[str, int, int], None] = lambda consumer, done, total: None,
    until: datetime | None = None,
) -> dict[str, int]:
    """Replay the log into a generation with the projections' consumers of it, one after the
    other, from where their groups stand; how many records each read."""
    await ensure_indexes(runtime.db, generation)
    unit_of_work = generation_unit_of_work(runtime, generation)
    read: dict[str, int] = {}
    for consumer in of_generation(consumers, generation):

        def report(done: int, total: int, name: str = consumer.name) -> None:
            progress(name, done, total)

        read[consumer.name] = await catch_up(
            runtime.processor(consumer, unit_of_work),
            runtime.settings.kafka_bootstrap_servers,
            batch_size=batch_size,
            progress=report,
            until=until,
        )
    return read


def of_generation(
    consumers: Sequence[EventConsumer], generation: Generation
) -> list[EventConsumer]:
    """The projection consumers that keep `generation` (their groups and inbox entries)."""
    return [c.renamed(generation.consumer(c.name)) for c in consumers]


class ServedGeneration:
    """The projection consumers of the generation the service serves. When a rebuild switches
    over, they move to the new generation's groups, which go on from where the rebuild stopped;
    reads follow at once (`generation`)."""

    def __init__(
        self,
        runtime: ServiceRuntime[ReportingUnitOfWork],
        consumers: Sequence[EventConsumer],
    ) -> None:
        self._runtime = runtime
        self._consumers = list(consumers)
        self.generation = Generation()
        """The generation reads are answered from."""
        self._consuming = self.generation
        self._subscribers: list[Subscriber] = [
            runtime.attach(c, generation_unit_of_work(runtime, self.generation))
            for c in of_generation(self._consumers, self.generation)
        ]  # generation 0's until the service starts: what its AsyncAPI document shows

    def unit_of_work(self) -> ReportingUnitOfWork:
        """One over the generation served now."""
        return generation_unit_of_work(self._runtime, self.generation)()

    async def start(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        """Before the broker starts: the live generation's consumers, to start with it."""
        await self._follow(db)
        await ensure_indexes(db, self.generation)

    async def follow(self, uow: ReportingUnitOfWork) -> None:
        """Move to the live generation if a rebuild switched over."""
        await self._follow(uow.db)

    async def _follow(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        """Reads move first: the rebuild drops the old generation once its consumers are gone.
        The consumers' generation is noted only once they all run on it, so a switch that
        failed half-way is tried again at the next look."""
        live = await generations.live(db)
        was, self.generation = self.generation, live
        if live == self._consuming:
            return
        while self._subscribers:
            await self._runtime.detach(self._subscribers[-1])
            self._subscribers.pop()
        await ensure_indexes(db, live)
        unit_of_work = generation_unit_of_work(self._runtime, live)
        for c in of_generation(self._consumers, live):
            self._subscribers.append(await self._runtime.start_attached(c, unit_of_work))
        self._consuming = live
        log.info("read_models.switched", served=live.number, was=was.number)
