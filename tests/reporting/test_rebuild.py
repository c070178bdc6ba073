"""Rebuilding the read models from the log while the service keeps answering:
`python -m services.reporting.rebuild` replays every topic from offset 0 into a new generation
of collections, switches the running service over, and drops the old generation; a rebuild
stopped half-way is resumed or thrown away, and what is served never changes meanwhile."""

import asyncio
import os
import sys
from typing import Any

import pytest
from reporting.rebuilds import a_partnership, answers_while, composition, documents, live
from reporting.scenario import MembershipClient

from contracts.vocabulary import Phase, Sector
from devstack.servers import SOURCE_ROOT, python_path_env
from services.reporting.adapters import read_model
from services.reporting.bootstrap import ReportingSettings
from services.reporting.domain.generation import Generation
from services.reporting.rebuild import Rebuild

pytestmark = pytest.mark.integration


async def run_rebuild_command(settings: ReportingSettings, *args: str) -> tuple[int, str, str]:
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
        *args,
        cwd=SOURCE_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def of_partnership(pid: str, urns: list[str]) -> dict[str, dict[str, Any]]:
    return {
        read_model.PARTNERSHIPS: {"_id": pid},
        read_model.MEMBERSHIPS: {"partnership_id": pid},
        read_model.SCHOOLS: {"_id": {"$in": urns}},
    }


async def test_a_rebuild_while_the_service_answers_gives_the_same_read_models(
    membership, reporting
) -> None:
    pid, urns, shown = await a_partnership(membership, reporting)
    before = await live(reporting.settings)
    held = await documents(reporting.settings, before, of_partnership(pid, urns))
    assert all(held.values()), held

    (code, out, err), answers = await answers_while(
        run_rebuild_command(reporting.settings), reporting, composition(pid), reporting.officer
    )
    assert code == 0, err
    after = await live(reporting.settings)
    assert after == Generation(before.number + 1)
    assert f"Built {after} of the read models" in out and "from offset 0" in out
    assert f"{before} was dropped." in out  # the service moved off it first
    assert len(answers) > 3
    assert [a.status_code for a in answers] == [200] * len(answers)
    assert all(a.json() == shown for a in answers)

    assert await documents(reporting.settings, after, of_partnership(pid, urns)) == held
    gone = await documents(reporting.settings, before, of_partnership(pid, urns))
    assert gone == {name: [] for name in held}
    assert (await reporting.http.get(composition(pid), headers=reporting.officer)).json() == shown

    # The service keeps the new generation up to date, and starts again on it.
    await reporting.stop()
    await reporting.start()
    ms = MembershipClient(membership.http, membership.officer)
    late = await ms.school("Westgate Infants", Sector.STATE, Phase.PRIMARY)
    await ms.join(pid, late["urn"])
    grown = await reporting.eventually(
        composition(pid), reporting.officer, lambda r: r.json()["counts"]["active"] == 3
    )
    assert grown.json()["counts"]["active"] == 3


class Interrupted(Exception):
    pass


def stop_after_first_batch(consumer: str, done: int, total: int) -> None:
    if done:
        raise Interrupted(consumer)


async def test_a_rebuild_stopped_half_way_is_resumed_or_thrown_away_without_touching_what_is_served(
    membership, reporting
) -> None:
    pid, urns, shown = await a_partnership(membership, reporting)
    served = await live(reporting.settings)
    held = await documents(reporting.settings, served, of_partnership(pid, urns))
    small_batches = reporting.settings.model_copy(update={"consumer_batch_size": 5})

    rebuild = Rebuild(small_batches)
    try:
        with pytest.raises(Interrupted):
            await rebuild.run(stop_after_first_batch)
        status = await rebuild.status()
        first = Generation(served.number + 1)
        assert (status["live"], status["building"]) == (served.number, first.number)
        assert first.number in status["present"]  # type: ignore[operator]
        assert await live(reporting.settings) == served
        answer = await reporting.http.get(composition(pid), headers=reporting.officer)
        assert answer.json() == shown

        assert await rebuild.discard() == first
        status = await rebuild.status()
        assert status["building"] is None and first.number not in status["present"]  # type: ignore[operator]
        assert await documents(reporting.settings, served, of_partnership(pid, urns)) == held

        with pytest.raises(Interrupted):
            await rebuild.run(stop_after_first_batch)
    finally:
        await rebuild.close()
    rebuild = Rebuild(reporting.settings)  # batches of the usual size from here
    try:
        resumed = await rebuild.run()
    finally:
        await rebuild.close()
    second = Generation(served.number + 2)  # numbers are never reused
    assert (resumed.generation, resumed.resumed, resumed.replaced) == (second, True, served)
    assert resumed.dropped
    assert await live(reporting.settings) == second
    assert await documents(reporting.settings, second, of_partnership(pid, urns)) == held
    answer = await reporting.http.get(composition(pid), headers=reporting.officer)
    assert answer.json() == shown
