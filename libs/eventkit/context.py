"""Correlation and causation ids of the unit of work in progress (an HTTP request, a batch of
messages, a follow-up), and the log context bound with them."""

from contextvars import ContextVar

import structlog

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)
_actor: ContextVar[str | None] = ContextVar("actor", default=None)


def begin(
    correlation_id: str | None = None, causation_id: str | None = None, **log_context: object
) -> None:
    """Start a unit of work: new ids for events it records, fresh log context."""
    _correlation_id.set(correlation_id)
    _causation_id.set(causation_id)
    service = structlog.contextvars.get_contextvars().get("service")
    _actor.set(f"service:{service}" if service else None)  # until a caller is known
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service, **log_context)
    if correlation_id is not None:
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)


def within(correlation_id: str, causation_id: str, **log_context: object) -> None:
    """One message of the unit of work under way (a batch): its ids, its fields in the log."""
    _correlation_id.set(correlation_id)
    _causation_id.set(causation_id)
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id, **log_context)


def act_as(actor: str) -> None:
    """Who makes the changes of the unit of work under way (recorded on its events)."""
    _actor.set(actor)
    structlog.contextvars.bind_contextvars(actor=actor)


def actor() -> str | None:
    return _actor.get()


def bind_log(**log_context: object) -> None:
    structlog.contextvars.bind_contextvars(**log_context)


def correlation_id() -> str | None:
    return _correlation_id.get()


def causation_id() -> str | None:
    return _causation_id.get()
