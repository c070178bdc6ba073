"""What the rebuild and snapshot tests share: a partnership as the service shows it, the
documents of one generation of the read models, and the service's answers to a request asked
again and again while something runs."""

import asyncio
from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

import httpx
from reporting.conftest import Reporting
from reporting.scenario import MembershipClient

from contracts.vocabulary import Phase, Sector
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


async def a_partnership(membership: Any, reporting: Reporting) -> tuple[str, list[str], Any]:
    """Three schools joined, one left; the composition as the service shows it."""
    ms = MembershipClient(membership.http, membership.officer)
    pid = await ms.partnership("Thanet Learning Partnership")
    schools = [
        await ms.school("Margate Primary", Sector.STATE, Phase.PRIMARY),
        await ms.school("Ramsgate College", Sector.INDEPENDENT, Phase.SECONDARY),
        await ms.school("Broadstairs Juniors", Sector.STATE, Phase.PRIMARY),
    ]
    for school in schools:
        await ms.join(pid, school["urn"])
    await ms.act(pid, schools[2]["urn"], "leave")

    def complete(response: httpx.Response) -> bool:
        found = response.json() if response.status_code == 200 else {}
        return found.get("counts", {}).get("left") == 1 and all(
            s["name"] for s in found["member_schools"]
        )

    built = await reporting.eventually(composition(pid), reporting.officer, complete)
    assert complete(built), built.text
    assert built.json()["counts"] == {"active": 2, "invited": 0, "suspended": 0, "left": 1}
    return pid, [s["urn"] for s in schools], built.json()


def composition(pid: str) -> str:
    return f"/partnerships/{pid}/composition"
