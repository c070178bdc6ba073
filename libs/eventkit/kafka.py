"""The FastStream Kafka broker every service uses, and the fetch settings of its consumers.

The producer is idempotent with `acks=all`. Subscribers are made by `eventkit.consumer`, which
commits offsets only after the effect is stored.
"""

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.consumer.fetcher import Fetcher
from faststream import BaseMiddleware
from faststream.kafka import KafkaBroker

from eventkit import context
from eventkit.settings import ServiceSettings

FETCH_MAX_WAIT_MS = 100
"""How long a fetch of a quiet partition waits for news: the most an idle consumer adds to the
time a new event takes to be picked up."""


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        logger=logging.getLogger("faststream.kafka"),
        client_id=settings.service_name,
        enable_idempotence=True,
        acks="all",
        middlewares=[ConsumeContext],
    )


@contextlib.asynccontextmanager
async def admin_client(bootstrap_servers: str) -> AsyncIterator[AIOKafkaAdminClient]:
    """A started Kafka admin client, closed when the block ends."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


class ConsumeContext(BaseMiddleware):
    """A fresh log context (and no ids left over) for each batch a subscriber receives."""

    async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: Any) -> Any:
        raw = msg.raw_message
        records = raw if isinstance(raw, tuple) else (raw,)
        first, last = records[0], records[-1]
        context.begin(
            topic=first.topic, records=len(records), offsets=f"{first.offset}..{last.offset}"
        )
        return await call_next(msg)


FetchRequest = Callable[..., Awaitable[bool]]


def _long_poll(proc_fetch_request: FetchRequest) -> FetchRequest:
    """Hold a fetch that brought nothing until `fetch_max_wait_ms` has passed.

    Apache Kafka holds an empty fetch on the broker for up to `fetch_max_wait_ms`; a broker that
    answers at once instead (the embedded noida-db does) sends aiokafka's background fetcher into
    a tight loop that burns a core while nothing happens. A fetch that returned records is never
    held, so a busy consumer runs at full speed on every broker.
    """

    @functools.wraps(proc_fetch_request)
    async def held(self: Fetcher, *args: Any, **kwargs: Any) -> bool:
        started = time.monotonic()
        has_new_data = await proc_fetch_request(self, *args, **kwargs)
        if not has_new_data:
            left = self._fetch_max_wait_ms / 1000 - (time.monotonic() - started)
            if left > 0:
                try:
                    await asyncio.sleep(left)
                except asyncio.CancelledError:  # closing or reassigned, as aiokafka's own fetch
                    return False
        return has_new_data

    held.__long_poll__ = True  # type: ignore[attr-defined]
    return held


if not getattr(Fetcher._proc_fetch_request, "__long_poll__", False):
    Fetcher._proc_fetch_request = _long_poll(Fetcher._proc_fetch_request)
