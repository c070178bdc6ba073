"""Rebuilding the read model from the log: refused while the service runs; once it is stopped,
`python -m services.reporting.rebuild` empties the read model and rewinds the consumer group,
and the restarted service builds the same composition again from offset 0."""

import asyncio
import os
import sys

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from reporting.scenario import MembershipClient

from contracts import MEMBERSHIP
from contracts.vocabulary import Phase, Sector
from devstack.servers import SOURCE_ROOT, python_path_env
from eventkit import mongo
from eventkit.consumer import INBOX
from services.reporting.adapters.consumer_group import GroupStillActive
from services.reporting.adapters.read_model import COLLECTIONS
from services.reporting.bootstrap import ReportingSettings, composition_consumer
from services.reporting.rebuild import rebuild

pytestmark = pytest.mark.integration


async def run_rebuild_command(settings: ReportingSettings) -> tuple[int, str, str]:
    env = {
        **os.environ,
        **python_path_env(),
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "MONGODB_URI": settings.mongodb_uri,
        "MONGODB_DATABASE": settings.database_name,
        "CONSUMER_GROUP_SUFFIX": settings.consumer_group_suffix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.reporting.rebuild",
        cwd=SOURCE_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def read_model_documents(settings: ReportingSettings) -> dict[str, int]:
    client = mongo.connect(settings)
    try:
        db = mongo.database(client, settings)
        consumer = composition_consumer(settings).name
        counts = {name: await db[name].count_documents({}) for name in COLLECTIONS}
        counts[INBOX] = await db[INBOX].count_documents({"consumer": consumer})
        return counts
    finally:
        await client.close()


async def committed_and_first_offsets(
    settings: ReportingSettings,
) -> tuple[dict[int, int | None], dict[int, int]]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=composition_consumer(settings).name,
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(MEMBERSHIP.name, p)
            for p in sorted(consumer.partitions_for_topic(MEMBERSHIP.name) or ())
        ]
        committed = {tp.partition: await consumer.committed(tp) for tp in partitions}
        first = await consumer.beginning_offsets(partitions)
        return committed, {tp.partition: offset for tp, offset in first.items()}
    finally:
        await consumer.stop()


async def test_rebuild_replays_the_same_composition_from_offset_0(membership, reporting) -> None:
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
    path = f"/partnerships/{pid}/composition"

    def complete(response: httpx.Response) -> bool:
        found = response.json() if response.status_code == 200 else {}
        return found.get("counts", {}).get("left") == 1 and all(
            s["name"] for s in found["member_schools"]
        )

    built = await reporting.eventually(path, reporting.officer, complete)
    assert complete(built), built.text
    assert built.json()["counts"] == {"active": 2, "invited": 0, "suspended": 0, "left": 1}
    assert built.json()["by_sector"] == {"state": 1, "independent": 1}

    with pytest.raises(GroupStillActive, match="stop the service first"):
        await rebuild(reporting.settings)
    assert (await reporting.http.get(path, headers=reporting.officer)).json() == built.json()

    await reporting.stop()
    before = await read_model_documents(reporting.settings)
    assert all(n for name, n in before.items() if name != "county_officers"), before
    code, out, err = await run_rebuild_command(reporting.settings)
    assert code == 0, err
    assert "offset 0" in out and composition_consumer(reporting.settings).name in out
    assert await read_model_documents(reporting.settings) == dict.fromkeys(before, 0)
    committed, first = await committed_and_first_offsets(reporting.settings)
    assert committed == first

    await reporting.start()
    rebuilt = await reporting.eventually(
        path, reporting.officer, lambda r: r.json() == built.json()
    )
    assert rebuilt.json() == built.json()
