"""Keeping the history of every record from the log, and showing it to county officers."""

from typing import Protocol

from contracts.envelope import Envelope
from eventkit.auth import Principal
from eventkit.errors import Forbidden
from services.reporting.domain.history import HistoryEntry, RecordKind, history_entry, record_key

MOST_ENTRIES = 1000


class History(Protocol):
    async def add(self, entries: list[HistoryEntry]) -> None: ...
    async def of(self, record: str, limit: int) -> list[HistoryEntry]:
        """The entries that concern the record, oldest first."""
        ...


class HasHistory(Protocol):
    history: History


async def record_history(envelopes: list[Envelope], uow: HasHistory) -> None:
    await uow.history.add([history_entry(e) for e in envelopes])


async def history_of(
    history: History, principal: Principal, kind: RecordKind, record_id: str, limit: int
) -> list[HistoryEntry]:
    """Every change to the record, in order. A record no event named has no history: an empty
    list, not a 404 (the history cannot tell a record that does not exist from a quiet one)."""
    if not principal.county_wide:
        raise Forbidden("only a county officer reads the history of a record")
    return await history.of(record_key(kind, record_id), min(limit, MOST_ENTRIES))
