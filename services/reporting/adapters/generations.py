"""Which generation of the read models is served and which is being built, in one control
document (`read_model_generations`), and the collections each generation has in the database.

Numbers are never reused: a rebuild that is thrown away leaves its number (and the committed
offsets of its consumer groups) behind, and the next one takes a new number.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from eventkit.inbox import INBOX
from services.reporting.adapters import participation, read_model
from services.reporting.adapters.collections import Document
from services.reporting.domain.generation import Generation

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


async def begin(db: AsyncDatabase[Document]) -> Generation:
    """A new generation to build (numbered after every one before)."""
    await db[CONTROL].update_one(
        {"_id": _ID}, {"$setOnInsert": {"live": 0, "last": 0, "building": None}}, upsert=True
    )
    doc = await db[CONTROL].find_one_and_update(
        {"_id": _ID, "building": None},
        {"$inc": {"last": 1}, "$currentDate": {"began_at": True}},
        return_document=ReturnDocument.AFTER,
    )
    if doc is None:
        raise RebuildUnderWay("a rebuild is under way: resume it or discard it first")
    await db[CONTROL].update_one({"_id": _ID}, {"$set": {"building": doc["last"]}})
    return Generation(doc["last"])


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
