"""The inbox: which events each consumer has applied, written in the transaction of their effect.

One document per consumer and CloudEvents id (`<consumer>:<ce_id>` as `_id`, so unique): a
redelivered event finds its entry and has no second effect.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.envelope import Envelope

INBOX = "inbox"


async def ensure_inbox_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[INBOX].create_index("applied_at")


def _entry_id(consumer: str, event_id: str) -> str:
    return f"{consumer}:{event_id}"


async def claim(
    db: AsyncDatabase[dict[str, Any]],
    session: AsyncClientSession,
    consumer: str,
    envelopes: Sequence[Envelope],
) -> list[Envelope]:
    """The envelopes this consumer has not applied yet, now entered in its inbox, in order.

    A racing copy of the consumer that entered one meanwhile makes the insert (and so the whole
    transaction) fail on the unique `_id`: nothing is applied twice.
    """
    ids = {_entry_id(consumer, e.id): e for e in envelopes}
    cursor = db[INBOX].find({"_id": {"$in": list(ids)}}, {"_id": 1}, session=session)
    applied = {doc["_id"] async for doc in cursor}
    fresh: list[Envelope] = []
    for entry_id, envelope in ids.items():  # also drops a repeat of an id within the batch
        if entry_id not in applied:
            fresh.append(envelope)
    if fresh:
        now = datetime.now(UTC)
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
    return fresh
