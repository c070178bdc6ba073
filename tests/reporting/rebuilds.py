"""What the rebuild tests share: the documents of one generation of the read models, and the
service's answers to a request asked again and again while something runs."""

import asyncio
from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

import httpx
from reporting.conftest import Reporting

from eventkit import mongo
from services.reporting.adapters import generations
from services.reporting.bootstrap import ReportingSettings
from services.reporting.domain.generation import Generation

T = TypeVar("T")
Documents = dict[str, list[dict[str, Any]]]


async def documents(
    settings: ReportingSettings, generation: Generation, only: Mapping[str, dict[str, Any]]
) -> Documents:
    """The documents each read model (by its generation-0 name) has that match its filter."""
    client = mongo.connect(settings)
    try:
        db = mongo.database(client, settings)
        return {
            name: [d async for d in db[generation.collection(name)].find(query).sort("_id")]
            for name, query in only.items()
        }
    finally:
        await client.close()


async def live(settings: ReportingSettings) -> Generation:
    client = mongo.connect(settings)
    try:
        return await generations.live(mongo.database(client, settings))
    finally:
        await client.close()


async def answers_while(
    work: Awaitable[T], reporting: Reporting, path: str, headers: dict[str, str]
) -> tuple[T, list[httpx.Response]]:
    """What `work` gives, and every answer to GET `path` asked while it ran."""
    answers: list[httpx.Response] = []

    async def ask() -> None:
        while True:
            answers.append(await reporting.http.get(path, headers=headers))
            await asyncio.sleep(0.05)

    asking = asyncio.create_task(ask())
    try:
        return await work, answers
    finally:
        asking.cancel()
