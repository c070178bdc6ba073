"""The inbox: which events each consumer has applied, written in the transaction of their effect.

One document per consumer and CloudEvents id (`<consumer>:<ce_id>` as `_id`, so unique): a
redelivered event finds its entry and has no second effect.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from contracts.envelope import Envelope

INBOX = "inbox"


async def ensure_inbox_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[INBOX].create_index("applied_at")


class AlreadyApplied(Exception):
    """Some of the events are in the consumer's inbox already; the transaction is spoilt."""


def _entry_id(consumer: str, event_id: str) -> str:
    return f"{consumer}:{event_id}"


async def claim(
    db: AsyncDatabase[dict[str, Any]],
    session: AsyncClientSession,
    consumer: str,
    envelopes: Sequence[Envelope],
    *,
    look_first: bool,
) -> list[Envelope]:
    """The envelopes this consumer has not applied yet, now entered in its inbox, in order.

    Without `look_first` every one is entered at once, as nearly all arrive for the first time:
    if one was applied before, the unique `_id` refuses it and `AlreadyApplied` is raised (the
    transaction must then be given up, and the batch claimed again with `look_first`, which
    enters only those not found). A racing copy of the consumer that entered one meanwhile fails
    the same way: nothing is applied twice.
    """
    ids = {_entry_id(consumer, e.id): e for e in envelopes}  # drops a repeat within the batch
    applied: set[str] = set()
    if look_first:
        cursor = db[INBOX].find({"_id": {"$in": list(ids)}}, {"_id": 1}, session=session)
        applied = {doc["_id"] async for doc in cursor}
    fresh = [envelope for entry_id, envelope in ids.items() if entry_id not in applied]
    if fresh:
        now = datetime.now(UTC)
        try:
            await db[INBOX].insert_many(
                [
                    {
                        "_id": _entry_id(consumer, e.id),
                        "consumer": consumer,
                        "event_id": e.id,
                        "type": e.type,
                        "applied_at": now,
                    }
                    for e in fresh
                ],
                session=session,
            )
        except (DuplicateKeyError, BulkWriteError) as exc:
            if isinstance(exc, BulkWriteError) and not _only_duplicates(exc):
                raise
            raise AlreadyApplied(consumer) from exc
    return fresh


def _only_duplicates(exc: BulkWriteError) -> bool:
    errors = exc.details.get("writeErrors", [])
    return bool(errors) and all(error.get("code") == 11000 for error in errors)
