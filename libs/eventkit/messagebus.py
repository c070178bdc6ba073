"""The one message path of a service: every handler — HTTP, Kafka or periodic sweep — works in a
unit of work made here, and the internal events its commit stored are followed up here.

A follow-up (waitlist promotion after a cancellation, say) runs after the commit that caused it,
by its own handler in a unit of work of its own, retried with backoff a bounded number of times.
Its failure never fails nor repeats the command that caused it; what a failure or a crash left
undone, the service's periodic sweep finds from the state itself and does.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import structlog

from eventkit import context
from eventkit.aggregate import InternalEvent
from eventkit.consumer import RetryPolicy
from eventkit.unit_of_work import Committed, MongoUnitOfWork

U = TypeVar("U", bound=MongoUnitOfWork)
FollowUp = Callable[[Any, Any], Awaitable[object]]
"""`async def handler(event, uow)`: the internal event, and a fresh unit of work."""

log = structlog.get_logger(__name__)


class MessageBus(Generic[U]):
    def __init__(
        self,
        make_unit_of_work: Callable[[Callable[[Committed], None]], U],
        follow_ups: Mapping[type[InternalEvent], Sequence[FollowUp]],
        retry: RetryPolicy,
        on_commit: Callable[[Committed], None] = lambda committed: None,
        actor: str = "service",
    ) -> None:
        self._make = make_unit_of_work
        self._follow_ups = follow_ups
        self._retry = retry
        self._on_commit = on_commit
        self._actor = actor
        self._running: set[asyncio.Task[None]] = set()

    def unit_of_work(self) -> U:
        """A fresh unit of work whose commits reach the bus."""
        return self._make(self._committed)

    def _committed(self, committed: Committed) -> None:
        self._on_commit(committed)
        for event in committed.follow_ups:
            for handler in self._follow_ups.get(type(event), ()):
                task = asyncio.create_task(self._follow_up(handler, event))
                self._running.add(task)
                task.add_done_callback(self._running.discard)

    async def _follow_up(self, handler: FollowUp, event: InternalEvent) -> None:
        name = getattr(handler, "__name__", repr(handler))
        context.bind_log(follow_up=name, internal_event=type(event).__name__)
        context.act_as(self._actor)  # automatic work: the service's own
        for attempt in range(1, self._retry.max_attempts + 1):
            try:
                await handler(event, self.unit_of_work())
            except Exception as exc:
                if attempt == self._retry.max_attempts:
                    log.error("follow_up.failed", attempts=attempt, error=repr(exc))
                    return  # the periodic sweep finds what is left undone
                log.warning("follow_up.retry", attempt=attempt, error=repr(exc))
                await asyncio.sleep(self._retry.delay(attempt))
            else:
                log.debug("follow_up.done", attempts=attempt)
                return

    async def stop(self) -> None:
        for task in list(self._running):
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)
