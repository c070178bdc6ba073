"""Which generation of the read models is served and which is being built, in one control
document (`read_model_generations`), and the collections each generation has in the database.

Numbers are never reused: a rebuild that is thrown away leaves its number (and the committed
offsets of its consumer groups) behind, and the next one takes a new number.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from eventkit.inbox import INBOX
from services.reporting.adapters import participation, read_model
from services.reporting.adapters.collections import Document
from services.reporting.domain.generation import Generation
from services.reporting.domain.snapshot import Snapshot, SnapshotState

CONTROL = "read_model_generations"
_ID = "read_models"
COLLECTIONS = frozenset(read_model.COLLECTIONS + participation.COLLECTIONS)


class RebuildUnderWay(RuntimeError):
    """Another rebuild began a generation meanwhile."""


async def _control(db: AsyncDatabase[Document]) -> Document:
    return await db[CONTROL].find_one({"_id": _ID}) or {}


async def live(db: AsyncDatabase[Document]) -> Generation:
    """The generation the service answers from and keeps up to date."""
    return Generation((await _control(db)).get("live", 0))


async def building(db: AsyncDatabase[Document]) -> Generation | None:
    number = (await _control(db)).get("building")
    return None if number is None else Generation(number)


async def _control_document(db: AsyncDatabase[Document]) -> None:
    await db[CONTROL].update_one(
        {"_id": _ID}, {"$setOnInsert": {"live": 0, "last": 0, "building": None}}, upsert=True
    )


async def begin(db: AsyncDatabase[Document]) -> Generation:
    """A new generation to build (numbered after every one before), in one update: of two
    rebuilds begun at once, one is refused."""
    await _control_document(db)
    doc = await db[CONTROL].find_one_and_update(
        {"_id": _ID, "building": None},
        [
            {
                "$set": {
                    "last": {"$add": ["$last", 1]},
                    "building": {"$add": ["$last", 1]},
                    "began_at": "$$NOW",
                }
            }
        ],
        return_document=ReturnDocument.AFTER,
    )
    if doc is None:
        raise RebuildUnderWay("a rebuild is under way: resume it or discard it first")
    return Generation(doc["building"])


async def switch(db: AsyncDatabase[Document], to: Generation) -> Generation:
    """Serve `to` (the generation being built) from now on; the one it replaces."""
    before = await db[CONTROL].find_one_and_update(
        {"_id": _ID, "building": to.number},
        {"$set": {"live": to.number, "building": None, "switched_at": datetime.now(UTC)}},
    )
    if before is None:
        raise RebuildUnderWay(f"{to} is no longer the one being built")
    return Generation(before["live"])


async def forget(db: AsyncDatabase[Document], generation: Generation) -> None:
    """No longer building `generation` (it has been thrown away)."""
    await db[CONTROL].update_one(
        {"_id": _ID, "building": generation.number}, {"$set": {"building": None}}
    )


def _snapshot_id(as_of: date) -> str:
    return f"snapshot:{as_of.isoformat()}"


def _snapshot(doc: Document) -> Snapshot:
    return Snapshot.model_validate({k: v for k, v in doc.items() if k != "_id"})


async def begin_snapshot(db: AsyncDatabase[Document], as_of: date) -> tuple[Snapshot, bool]:
    """The snapshot of the day: begun now with a generation of its own, unless it was asked for
    before; whether it is new."""
    if (found := await snapshot(db, as_of)) is not None:
        return found, False
    await _control_document(db)
    numbered = await db[CONTROL].find_one_and_update(
        {"_id": _ID}, {"$inc": {"last": 1}}, return_document=ReturnDocument.AFTER
    )
    assert numbered is not None
    begun = Snapshot(
        as_of=as_of,
        generation=numbered["last"],
        state=SnapshotState.BUILDING,
        requested_at=datetime.now(UTC),
    )
    try:
        await db[CONTROL].insert_one({"_id": _snapshot_id(as_of), **begun.model_dump(mode="json")})
    except DuplicateKeyError:  # asked for at the same moment: the other one stands
        return await snapshot(db, as_of) or begun, False
    return begun, True


async def snapshot(db: AsyncDatabase[Document], as_of: date) -> Snapshot | None:
    doc = await db[CONTROL].find_one({"_id": _snapshot_id(as_of)})
    return None if doc is None else _snapshot(doc)


async def snapshots(db: AsyncDatabase[Document]) -> list[Snapshot]:
    cursor = db[CONTROL].find({"_id": {"$regex": "^snapshot:"}}).sort("_id")
    return [_snapshot(doc) async for doc in cursor]


async def snapshot_ready(db: AsyncDatabase[Document], built: Snapshot, complete: bool) -> bool:
    """Mark it ready (and complete, once its day has ended); False if it was thrown away (or
    asked for again, with a generation of its own) meanwhile."""
    done = await db[CONTROL].update_one(
        {"_id": _snapshot_id(built.as_of), "generation": built.generation},
        {
            "$set": {
                "state": SnapshotState.READY.value,
                "complete": complete,
                "ready_at": built.ready_at or datetime.now(UTC),
            }
        },
    )
    return done.matched_count == 1


async def forget_snapshot(db: AsyncDatabase[Document], as_of: date) -> None:
    await db[CONTROL].delete_one({"_id": _snapshot_id(as_of)})


async def ready_snapshot(db: AsyncDatabase[Document], as_of: date) -> Generation | None:
    """The generation of the day's snapshot, if it is ready."""
    found = await snapshot(db, as_of)
    ready = found is not None and found.state == SnapshotState.READY
    return Generation(found.generation) if found is not None and ready else None


async def kept(db: AsyncDatabase[Document]) -> set[Generation]:
    """What a rebuild must leave: the live generation, the one being built, and snapshots."""
    keep = {await live(db), *(Generation(s.generation) for s in await snapshots(db))}
    if (being_built := await building(db)) is not None:
        keep.add(being_built)
    return keep


async def present(db: AsyncDatabase[Document]) -> dict[Generation, list[str]]:
    """Every generation that has collections in the database, with their names."""
    found: dict[Generation, list[str]] = {}
    for name in sorted(await db.list_collection_names()):
        if (generation := Generation.of_collection(name, COLLECTIONS)) is not None:
            found.setdefault(generation, []).append(name)
    return found


async def drop(
    db: AsyncDatabase[Document], generation: Generation, consumers: Iterable[str]
) -> int:
    """Drop a generation's collections and its consumers' inbox entries; how many documents
    they held."""
    held = 0
    for name in (await present(db)).get(generation, []):
        held += await db[name].estimated_document_count()
        await db.drop_collection(name)
    names = [generation.consumer(c) for c in consumers]
    held += (await db[INBOX].delete_many({"consumer": {"$in": names}})).deleted_count
    return held
