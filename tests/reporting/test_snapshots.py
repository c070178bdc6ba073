"""Reports as of a past day: a county officer asks for a snapshot, the service replays the log
up to the end of that day into a generation of its own, and every report then answers
`?as_of=` that day as the records stood, while the live read models go on."""

from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from reporting.conftest import Reporting
from reporting.rebuilds import a_partnership, composition
from reporting.scenario import MembershipClient

from contracts.vocabulary import Phase, Sector
from eventkit.auth import Role
from services.reporting.domain.participation import ENGLAND
from support.polling import eventually

pytestmark = pytest.mark.integration


async def ready(reporting: Reporting, day: date) -> dict[str, Any]:
    async def built() -> bool:
        found = await reporting.http.get(f"/snapshots/{day}", headers=reporting.officer)
        return found.status_code == 200 and found.json()["state"] == "ready"

    await eventually(built, 60, what=f"the snapshot as of {day}")
    found = await reporting.http.get(f"/snapshots/{day}", headers=reporting.officer)
    return dict(found.json())


def field_of(response: httpx.Response) -> str:
    return ".".join(map(str, response.json()["errors"][0]["loc"]))


async def test_a_report_as_of_a_past_day_shows_the_log_as_it_stood(
    membership: Any, reporting: Reporting
) -> None:
    pid, _, shown = await a_partnership(membership, reporting)
    today = datetime.now(ENGLAND).date()
    yesterday = today - timedelta(days=1)
    path = composition(pid)

    missing = await reporting.http.get(
        path, params={"as_of": str(today)}, headers=reporting.officer
    )
    assert missing.status_code == 404 and "as_of" in missing.json()["detail"]
    lead = reporting.as_(Role.SCHOOL_LEAD, schools=["100001"])
    refused = await reporting.http.post("/snapshots", json={"as_of": str(today)}, headers=lead)
    assert refused.status_code == 403
    for bad in (str(today + timedelta(days=1)), "yesterday", "2026-02-30"):
        wrong = await reporting.http.post(
            "/snapshots", json={"as_of": bad}, headers=reporting.officer
        )
        assert wrong.status_code == 422 and field_of(wrong) == "body.as_of", bad

    asked = await reporting.http.post(
        "/snapshots", json={"as_of": str(today)}, headers=reporting.officer
    )
    assert asked.status_code == 202, asked.text
    again = await reporting.http.post(
        "/snapshots", json={"as_of": str(today)}, headers=reporting.officer
    )
    assert again.status_code == 200 and again.json()["generation"] == asked.json()["generation"]
    built = await ready(reporting, today)
    assert built["ready_at"] is not None and built["generation"] > 0
    assert built["complete"] is False  # today is not over: it follows the log till midnight
    as_it_stood = await reporting.http.get(
        path, params={"as_of": str(today)}, headers=reporting.officer
    )
    assert as_it_stood.status_code == 200 and as_it_stood.json() == shown

    # Yesterday the partnership did not exist.
    assert (
        await reporting.http.post(
            "/snapshots", json={"as_of": str(yesterday)}, headers=reporting.officer
        )
    ).status_code == 202
    assert (await ready(reporting, yesterday))["complete"] is True
    before = await reporting.http.get(
        path, params={"as_of": str(yesterday)}, headers=reporting.officer
    )
    assert before.status_code == 404

    # Reports as of a day are for county officers.
    coordinator = reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid])
    assert (await reporting.http.get(path, headers=coordinator)).status_code == 200
    theirs = await reporting.http.get(path, params={"as_of": str(today)}, headers=coordinator)
    assert theirs.status_code == 403

    # Today's snapshot takes in what happens later today; yesterday's never changes.
    ms = MembershipClient(membership.http, membership.officer)
    late = await ms.school("Westgate Infants", Sector.STATE, Phase.PRIMARY)
    await ms.join(pid, late["urn"])
    grown = await reporting.eventually(
        path, reporting.officer, lambda r: r.json()["counts"]["active"] == 3
    )
    assert grown.json()["counts"]["active"] == 3
    followed = await reporting.eventually(
        f"{path}?as_of={today}",
        reporting.officer,
        lambda r: r.json()["counts"]["active"] == 3,
        seconds=40,
    )
    assert followed.json()["counts"]["active"] == 3
    unchanged = await reporting.http.get(
        path, params={"as_of": str(yesterday)}, headers=reporting.officer
    )
    assert unchanged.status_code == 404
    listed = await reporting.http.get("/snapshots", headers=reporting.officer)
    assert [s["as_of"] for s in listed.json()] == [str(yesterday), str(today)]

    thrown = await reporting.http.delete(f"/snapshots/{today}", headers=reporting.officer)
    assert thrown.status_code == 204
    gone = await reporting.http.get(path, params={"as_of": str(today)}, headers=reporting.officer)
    assert gone.status_code == 404
