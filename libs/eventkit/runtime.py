"""What one service process runs: its database client, its broker, its outbox relay, its
consumers and sweeps, and the message bus that gives each of them its unit of work; started and
stopped by the HTTP app's lifespan."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import structlog
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from eventkit import consumer, context, mongo, outbox
from eventkit.aggregate import InternalEvent
from eventkit.kafka import make_broker
from eventkit.messagebus import FollowUp, MessageBus
from eventkit.settings import ServiceSettings
from eventkit.unit_of_work import Committed, MongoUnitOfWork

log = structlog.get_logger(__name__)

IndexSetup = Callable[[AsyncDatabase[dict[str, Any]]], Awaitable[None]]
U = TypeVar("U", bound=MongoUnitOfWork)
UnitOfWorkClass = Callable[..., U]
"""The service's unit of work: called with (client, db, source=, on_commit=)."""
Sweep = Callable[[U], Awaitable[object]]


class ServiceRuntime(Generic[U]):
    def __init__(
        self,
        settings: ServiceSettings,
        unit_of_work: UnitOfWorkClass[U],
        *,
        consumers: Sequence[consumer.EventConsumer] = (),
        follow_ups: Mapping[type[InternalEvent], Sequence[FollowUp]] | None = None,
        index_setup: Sequence[IndexSetup] = (),
    ) -> None:
        self.settings = settings
        self.client: AsyncMongoClient[dict[str, Any]] = mongo.connect(settings)
        self.db = mongo.database(self.client, settings)
        self.broker: KafkaBroker = make_broker(settings)
        self.relay = outbox.OutboxRelay(
            self.db,
            self.broker,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
        )
        self.retry = consumer.RetryPolicy(
            settings.consumer_max_attempts, settings.consumer_backoff_seconds
        )
        self.bus: MessageBus[U] = MessageBus(
            lambda on_commit: unit_of_work(
                self.client, self.db, source=self.source, on_commit=on_commit
            ),
            follow_ups or {},
            self.retry,
            on_commit=self._committed,
            actor=self.actor,
        )
        self.batches = consumer.BatchSettings(
            settings.consumer_batch_size, settings.consumer_batch_wait_ms
        )
        self.consumers = list(consumers)
        for c in self.consumers:
            consumer.subscribe(
                self.broker, c, self.unit_of_work, self.retry, self.batches, self.actor
            )
        self._index_setup = [
            outbox.ensure_outbox_indexes,
            consumer.ensure_inbox_indexes,
            *index_setup,
        ]
        self._sweeps: list[tuple[float, Sweep[U]]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._attached: dict[consumer.Subscriber, consumer.EventConsumer] = {}

    def unit_of_work(self) -> U:
        """A fresh unit of work: what every handler of this service, of every kind, works in."""
        return self.bus.unit_of_work()

    def attach(
        self, c: consumer.EventConsumer, unit_of_work: Callable[[], MongoUnitOfWork]
    ) -> consumer.Subscriber:
        """Subscribe a consumer that is not always the same (one per generation of a read
        model) until `detach`: it starts with the broker (`start_attached` once that runs)."""
        subscriber = consumer.subscribe(
            self.broker, c, unit_of_work, self.retry, self.batches, self.actor, persistent=False
        )
        self._attached[subscriber] = c
        return subscriber

    async def start_attached(
        self, c: consumer.EventConsumer, unit_of_work: Callable[[], MongoUnitOfWork]
    ) -> consumer.Subscriber:
        """`attach`, and start it at once if the broker runs."""
        subscriber = self.attach(c, unit_of_work)
        if self.broker.running:
            await subscriber.start()
        return subscriber

    @property
    def subscribed(self) -> list[consumer.EventConsumer]:
        """Every consumer subscribed now: those it was built with and those attached since."""
        return [*self.consumers, *self._attached.values()]

    def processor(
        self, c: consumer.EventConsumer, unit_of_work: Callable[[], MongoUnitOfWork]
    ) -> consumer.BatchProcessor:
        """What a subscriber of this service runs for each batch, to run outside one (a replay
        of the log)."""
        return consumer.BatchProcessor(c, unit_of_work, self.broker, self.retry, self.actor)

    async def detach(self, subscriber: consumer.Subscriber) -> None:
        """Stop it, and take it off the broker, which would start it again with itself; a
        batch it had not committed is delivered again to its group."""
        await subscriber.stop()
        # FastStream keeps its subscribers in a set it starts whole and has no call to take one
        # out: one merely stopped would come back at the next start.
        self.broker._subscribers.discard(subscriber)
        self._attached.pop(subscriber, None)

    def _committed(self, committed: Committed) -> None:
        if committed.envelopes:
            self.relay.wake()

    def at_start(self, setup: IndexSetup) -> None:
        """Run `setup` with the database when the service starts, before the broker does."""
        self._index_setup.append(setup)

    def every(self, seconds: float, sweep: Sweep[U]) -> None:
        """Run a sweep periodically while the service runs (e.g. expiring timed offers).

        It is called with a fresh unit of work, like every other handler.
        """
        self._sweeps.append((seconds, sweep))

    async def _repeat(self, seconds: float, sweep: Sweep[U]) -> None:
        name = getattr(sweep, "__name__", repr(sweep))
        while True:
            context.begin(sweep=name)
            context.act_as(self.actor)
            try:
                await sweep(self.unit_of_work())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sweep.failed")
            await asyncio.sleep(seconds)

    @property
    def actor(self) -> str:
        """Who its own work (consumers, sweeps, follow-ups) is recorded as on events."""
        return f"service:{self.settings.service_name}"

    @property
    def source(self) -> str:
        """The CloudEvents source of what this service publishes."""
        return f"/school-partnerships/{self.settings.service_name}"

    async def start(self) -> None:
        for setup in self._index_setup:
            await setup(self.db)
        await self.broker.start()
        self._tasks = [asyncio.create_task(self.relay.run(), name="outbox-relay")]
        self._tasks += [asyncio.create_task(self._repeat(s, job)) for s, job in self._sweeps]
        log.info("service.started", kafka=self.settings.kafka_bootstrap_servers)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.bus.stop()
        await self.broker.stop()
        await self.client.close()

    async def readiness(self) -> dict[str, bool]:
        checks = {"database": False, "broker": False}
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.admin.command("ping"), 2)
            checks["database"] = True
        with contextlib.suppress(Exception):
            checks["broker"] = bool(await self.broker.ping(timeout=2))
        return checks
