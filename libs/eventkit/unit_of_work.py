"""A unit of work over one MongoDB transaction: state changes and the events they record are
committed together (the events into the outbox), or not at all."""

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ParamSpec, Protocol, Self, TypeVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from contracts.envelope import Envelope
from eventkit import context, inbox, outbox
from eventkit.aggregate import InternalEvent, MongoRepository, Recorded

R = TypeVar("R", bound=MongoRepository[Any])


@dataclass(frozen=True)
class Committed:
    """What one commit stored: events for the outbox, and internal events to follow up."""

    envelopes: list[Envelope] = field(default_factory=list)
    follow_ups: list[InternalEvent] = field(default_factory=list)


class UnitOfWork(Protocol):
    """What every handler (HTTP, Kafka or sweep) works with: one transaction, events recorded."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def record(self, events: Iterable[Recorded]) -> None: ...
    async def commit(self) -> Committed: ...


class MongoUnitOfWork:
    """Use as `async with uow: ...; uow.record(events); await uow.commit()`.

    Leaving the block without commit aborts the transaction. Services subclass it to add their
    repositories in `open_repositories`. `on_commit` hears of what each commit stored: the
    runtime wakes the relay and follows up internal events.
    """

    def __init__(
        self,
        client: AsyncMongoClient[dict[str, Any]],
        db: AsyncDatabase[dict[str, Any]],
        *,
        source: str,
        on_commit: Callable[[Committed], None] | None = None,
    ) -> None:
        self.client = client
        self.db = db
        self.source = source
        self._on_commit = on_commit
        self._session: AsyncClientSession | None = None
        self._envelopes: list[Envelope] = []
        self._follow_ups: list[InternalEvent] = []
        self._repositories: list[MongoRepository[Any]] = []

    @property
    def session(self) -> AsyncClientSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    def open_repositories(self, session: AsyncClientSession) -> None:
        """Subclasses create their repositories here with `self.repository(...)`."""

    def repository(self, cls: type[R]) -> R:
        """A repository bound to this transaction; commit records its aggregates' events."""
        repo = cls(self.db, self.session)
        self._repositories.append(repo)
        return repo

    async def __aenter__(self) -> Self:
        self._session = self.client.start_session()
        await self._session.start_transaction()
        self._envelopes = []
        self._follow_ups = []
        self._repositories = []
        self.open_repositories(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        if session.in_transaction:
            await session.abort_transaction()
        await session.end_session()

    def record(self, events: Iterable[Recorded]) -> None:
        """Events to commit: integration events into the outbox, internal ones to follow up.

        Each envelope takes the correlation and causation ids in force when it is recorded.
        """
        for event in events:
            if isinstance(event, InternalEvent):
                self._follow_ups.append(event)
                continue
            self._envelopes.append(
                Envelope(
                    event=event,
                    source=self.source,
                    correlation_id=context.correlation_id(),
                    causation_id=context.causation_id(),
                    actor=context.actor(),
                )
            )

    def record_from_aggregates(self) -> None:
        """Take the events the aggregates seen so far recorded (commit does this too)."""
        for repo in self._repositories:
            for aggregate in repo.seen:
                self.record(aggregate.collect_events())

    async def claim(
        self, consumer: str, envelopes: Sequence[Envelope], *, look_first: bool = True
    ) -> list[Envelope]:
        """Enter the events in this consumer's inbox; those it had not applied yet, in order
        (see `eventkit.inbox.claim`)."""
        return await inbox.claim(self.db, self.session, consumer, envelopes, look_first=look_first)

    async def commit(self) -> Committed:
        self.record_from_aggregates()
        await outbox.store(self.db, self._envelopes, self.session)
        await self.session.commit_transaction()
        committed = Committed(self._envelopes, self._follow_ups)
        self._envelopes, self._follow_ups = [], []
        if self._on_commit and (committed.envelopes or committed.follow_ups):
            self._on_commit(committed)
        return committed


P = ParamSpec("P")
T = TypeVar("T")


def retry_on_write_conflict(
    attempts: int = 12, backoff_seconds: float = 0.005
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Run a handler again, with jittered backoff, when its transaction lost a write race.

    The handler must do all its work inside its own units of work, so a rerun starts afresh.
    """

    def decorate(handler: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(handler)
        async def run(*args: P.args, **kwargs: P.kwargs) -> T:
            for attempt in range(1, attempts + 1):
                try:
                    return await handler(*args, **kwargs)
                except PyMongoError as exc:
                    if attempt == attempts or not exc.has_error_label("TransientTransactionError"):
                        raise
                await asyncio.sleep(random.uniform(0, backoff_seconds * 2**attempt))
            raise AssertionError("unreachable")

        return run

    return decorate
