"""What one service process runs: its database client, its broker, its outbox relay and its
consumers; started and stopped by the HTTP app's lifespan."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from eventkit import consumer, mongo, outbox
from eventkit.kafka import make_broker
from eventkit.settings import ServiceSettings

log = structlog.get_logger(__name__)

IndexSetup = Callable[[AsyncDatabase[dict[str, Any]]], Awaitable[None]]


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        *,
        consumers: Sequence[consumer.EventConsumer] = (),
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
        retry = consumer.RetryPolicy(
            settings.consumer_max_attempts, settings.consumer_backoff_seconds
        )
        self.consumers = list(consumers)
        for c in self.consumers:
            consumer.subscribe(self.broker, c, self.client, self.db, retry)
        self._index_setup = [
            outbox.ensure_outbox_indexes,
            consumer.ensure_inbox_indexes,
            *index_setup,
        ]
        self._jobs: list[tuple[float, Callable[[], Awaitable[object]]]] = []
        self._tasks: list[asyncio.Task[None]] = []

    def every(self, seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        """Run a job periodically while the service runs (e.g. expiring timed offers)."""
        self._jobs.append((seconds, job))

    async def _repeat(self, seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        while True:
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job.failed", job=getattr(job, "__name__", repr(job)))
            await asyncio.sleep(seconds)

    @property
    def source(self) -> str:
        """The CloudEvents source of what this service publishes."""
        return f"/school-partnerships/{self.settings.service_name}"

    async def start(self) -> None:
        for setup in self._index_setup:
            await setup(self.db)
        await self.broker.start()
        self._tasks = [asyncio.create_task(self.relay.run(), name="outbox-relay")]
        self._tasks += [asyncio.create_task(self._repeat(s, job)) for s, job in self._jobs]
        log.info("service.started", kafka=self.settings.kafka_bootstrap_servers)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
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
