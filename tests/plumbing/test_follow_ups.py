"""Follow-ups on the real database: work after a commit, by its own handler, with its own retry."""

import asyncio
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession

from eventkit.aggregate import InternalEvent
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from eventkit.unit_of_work import MongoUnitOfWork
from support.polling import eventually


class Counted(InternalEvent):
    key: str


class Echoed(InternalEvent):
    key: str


class Notes:
    """A tally per key and what happened, in the unit of work's transaction."""

    def __init__(self, uow: MongoUnitOfWork, session: AsyncClientSession) -> None:
        self._collection = uow.db.notes
        self._session = session

    async def add(self, key: str, what: str) -> None:
        await self._collection.update_one(
            {"_id": key}, {"$push": {"seen": what}}, upsert=True, session=self._session
        )


class NotesUnitOfWork(MongoUnitOfWork):
    notes: Notes

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.notes = Notes(self, session)


async def command(uow: NotesUnitOfWork, key: str) -> None:
    async with uow:
        await uow.notes.add(key, "command")
        uow.record([Counted(key=key)])
        await uow.commit()


async def seen(mongo: AsyncMongoClient[dict[str, Any]], db: str, key: str) -> list[str]:
    doc = await mongo[db].notes.find_one({"_id": key})
    return list(doc["seen"]) if doc else []


async def test_a_follow_up_runs_after_the_commit_is_retried_and_never_repeats_the_command(
    settings: ServiceSettings, mongo: AsyncMongoClient[dict[str, Any]]
) -> None:
    failures = {"flaky": 2, "broken": 99}
    calls: dict[str, int] = {}

    async def count(event: Counted, uow: NotesUnitOfWork) -> None:
        calls[event.key] = calls.get(event.key, 0) + 1
        if calls[event.key] <= failures.get(event.key, 0):
            raise RuntimeError("not yet")
        async with uow:
            await uow.notes.add(event.key, "follow-up")
            uow.record([Echoed(key=event.key)])
            await uow.commit()

    async def echo(event: Echoed, uow: NotesUnitOfWork) -> None:
        async with uow:
            await uow.notes.add(event.key, "echo")
            await uow.commit()

    runtime = ServiceRuntime(
        settings, NotesUnitOfWork, follow_ups={Counted: [count], Echoed: [echo]}
    )
    db = settings.database_name
    for key in ("flaky", "broken"):
        await command(runtime.unit_of_work(), key)  # returns although its follow-up fails
        assert (await seen(mongo, db, key))[0] == "command"

    async def flaky_done() -> bool:
        return await seen(mongo, db, "flaky") == ["command", "follow-up", "echo"]

    await eventually(flaky_done, what="the flaky follow-up and the one it caused")
    assert calls["flaky"] == 3
    await eventually(lambda: _equal(calls.get("broken"), settings.consumer_max_attempts))
    await asyncio.sleep(0.3)
    assert await seen(mongo, db, "broken") == ["command"]  # the command ran once, not again
    await runtime.stop()


async def _equal(value: object, expected: object) -> bool:
    return value == expected
