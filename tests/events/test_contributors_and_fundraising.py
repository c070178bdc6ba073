"""Speakers, facilitators and hosts from outside the member schools, and money an activity
raises for charity, over real HTTP: Lincolnshire's launch conference invites a professor, who
confirms and is shown on the programme and in calendars; East Kent's sponsored run raises money
for a named charity. The events published name people by id only."""

import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from pymongo import AsyncMongoClient

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.kafka import ce_type, records_about
from support.membership import Membership
from support.polling import eventually

pytestmark = pytest.mark.integration


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def outside_speaker(membership: Membership, pid: str) -> str:
    m = membership
    university = {"name": "University of Manchester", "kind": "university"}
    org = ok(await m.http.post("/organisations", json=university, headers=m.officer), 201)
    person = {
        "name": "Mel Ainscow",
        "email": "mel.ainscow@manchester.example",
        "job_title": "Professor of Education",
        "role": {
            "role": "contributor",
            "partnership_id": pid,
            "organisation_id": org["id"],
            "starts_on": "2016-01-01",
        },
    }
    return str(ok(await m.http.post("/people", json=person, headers=m.officer), 201)["id"])


async def wait_for_person(events: Events, person_id: str) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(events.settings.mongodb_uri)
    db = client[events.settings.database_name]

    async def heard() -> bool:
        person = await db["directory_people"].find_one({"_id": person_id})
        orgs = await db["directory_organisations"].count_documents({})
        return bool(person and person.get("name") and person.get("roles")) and orgs > 0

    try:
        await eventually(heard, 60, what="the events service hearing of the speaker")
    finally:
        await client.close()


async def test_an_outside_speaker_is_invited_confirms_and_is_on_the_programme_and_calendars(
    membership: Membership, events: Events
) -> None:
    partnership = await make_partnership(membership, schools=2)
    speaker = await outside_speaker(membership, partnership.id)
    await wait_for_directory(events, partnership)
    await wait_for_person(events, speaker)
    e = events
    coordinator = e.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[partnership.id])
    body = activity_body(
        partnership.id, title="Towards Equity and Excellence for All", format="conference"
    )
    activity = ok(await e.http.post("/activities", json=body, headers=coordinator), 201)
    aid = activity["id"]
    ok(await e.http.post(f"/activities/{aid}/publish", headers=coordinator))
    invitation = {"person_id": speaker, "role": "speaker", "contribution": "Keynote"}
    contributors = f"/activities/{aid}/contributors"
    invited = ok(await e.http.post(contributors, json=invitation, headers=coordinator), 201)
    assert invited["status"] == "invited"
    again = await e.http.post(contributors, json=invitation, headers=coordinator)
    assert again.status_code == 409

    [teacher_id, teacher_urn] = next(iter(partnership.staff.items()))
    teacher = e.as_(Role.TEACHER, schools=[teacher_urn], person_id=teacher_id)
    assert ok(await e.http.get(contributors, headers=teacher)) == []  # not confirmed yet
    listed = ok(await e.http.get(contributors, headers=coordinator))
    assert [(c["name"], c["of"], c["status"]) for c in listed] == [
        ("Mel Ainscow", "University of Manchester", "invited")
    ]

    confirm = f"{contributors}/{invited['id']}/confirm"
    assert (await e.http.post(confirm, headers=teacher)).status_code == 404
    as_speaker = e.as_(Role.TEACHER, person_id=speaker)
    assert ok(await e.http.post(confirm, headers=as_speaker))["status"] == "confirmed"
    shown = ok(await e.http.get(contributors, headers=teacher))
    assert [(c["name"], c["role"], c["contribution"]) for c in shown] == [
        ("Mel Ainscow", "speaker", "Keynote")
    ]

    feed = ok_calendar(
        await e.http.get(f"/partnerships/{partnership.id}/calendar.ics", headers=teacher)
    )
    [session] = feed.events
    assert "Speaker: Mel Ainscow, University of Manchester (Keynote)" in str(session["DESCRIPTION"])
    own = ok_calendar(await e.http.get(f"/people/{speaker}/calendar.ics", headers=as_speaker))
    assert [str(ev["SUMMARY"]) for ev in own.events] == ["Towards Equity and Excellence for All"]

    withdraw = f"{contributors}/{invited['id']}/withdraw"
    assert (await e.http.post(withdraw, headers=as_speaker)).status_code in (403, 404)
    assert ok(await e.http.post(withdraw, headers=coordinator))["status"] == "withdrawn"
    assert ok(await e.http.get(contributors, headers=teacher)) == []

    records = await records_about(e.settings.kafka_bootstrap_servers, aid, expect=4, topic=EVENTS)
    told = [r for r in records if ce_type(r).startswith("events.contributor_")]
    assert [json.loads(r.value or b"{}").get("status") for r in told] == [
        None,
        "confirmed",
        "withdrawn",
    ]
    assert all(b"Ainscow" not in (r.value or b"") for r in told)


def ok_calendar(response: httpx.Response) -> Calendar:
    assert response.status_code == 200, response.text
    return Calendar.from_ical(response.content)


async def test_bad_invitations_are_refused_and_other_partnerships_see_nothing(
    membership: Membership, events: Events
) -> None:
    ours, theirs = await make_partnership(membership), await make_partnership(membership)
    await wait_for_directory(events, ours)
    await wait_for_directory(events, theirs)
    e = events
    coordinator = e.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[ours.id])
    aid = ok(
        await e.http.post("/activities", json=activity_body(ours.id), headers=coordinator), 201
    )["id"]
    contributors = f"/activities/{aid}/contributors"
    staff = next(iter(ours.staff))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"person_id": staff, "role": "juggler"}, "body.role"),
        ({"person_id": "", "role": "speaker"}, "body.person_id"),
        ({"person_id": staff, "role": "host", "contribution": "a\nb"}, "body.contribution"),
    ]
    for body, field in cases:
        refused = await e.http.post(contributors, json=body, headers=coordinator)
        assert refused.status_code == 422, body
        assert [".".join(map(str, x["loc"])) for x in refused.json()["errors"]] == [field]
    unknown = await e.http.post(
        contributors, json={"person_id": "nobody", "role": "speaker"}, headers=coordinator
    )
    assert unknown.status_code == 422 and "nobody" in unknown.json()["detail"]

    stranger = e.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[theirs.id])
    invitation = {"person_id": staff, "role": "facilitator"}
    assert (await e.http.post(contributors, json=invitation, headers=stranger)).status_code == 404
    assert (await e.http.get(contributors, headers=stranger)).status_code == 404
    made = ok(await e.http.post(contributors, json=invitation, headers=coordinator), 201)
    foreign = f"{contributors}/{made['id']}/confirm"
    assert (await e.http.post(foreign, headers=stranger)).status_code == 404
    missing = f"{contributors}/nosuch/confirm"
    assert (await e.http.post(missing, headers=coordinator)).status_code == 404


async def test_money_raised_for_a_charity_is_totalled_and_corrected(
    membership: Membership, events: Events
) -> None:
    partnership = await make_partnership(membership)
    await wait_for_directory(events, partnership)
    e = events
    coordinator = e.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[partnership.id])
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    body = activity_body(
        partnership.id, title="Sponsored run", category="community_and_volunteering"
    )
    body["sessions"] = [
        {"starts_at": f"{yesterday}T09:00:00+00:00", "ends_at": f"{yesterday}T12:00:00+00:00"}
    ]
    aid = ok(await e.http.post("/activities", json=body, headers=coordinator), 201)["id"]
    fundraising = f"/activities/{aid}/fundraising"
    gift = {"charity": "Pilgrims Hospices", "charity_number": "1185010", "amount_pence": 125000}
    draft = await e.http.post(
        fundraising, json={**gift, "raised_on": yesterday}, headers=coordinator
    )
    assert draft.status_code == 409  # a draft raised nothing
    ok(await e.http.post(f"/activities/{aid}/publish", headers=coordinator))

    first = ok(
        await e.http.post(fundraising, json={**gift, "raised_on": yesterday}, headers=coordinator),
        201,
    )
    second = {**gift, "amount_pence": 4550, "raised_on": yesterday}
    ok(await e.http.post(fundraising, json=second, headers=coordinator), 201)
    other = {"charity": "Kent Air Ambulance", "amount_pence": 999, "raised_on": yesterday}
    mistake = ok(await e.http.post(fundraising, json=other, headers=coordinator), 201)
    [teacher_id, urn] = next(iter(partnership.staff.items()))
    teacher = e.as_(Role.TEACHER, schools=[urn], person_id=teacher_id)
    funds = ok(await e.http.get(fundraising, headers=teacher))
    assert funds["total_pence"] == 125000 + 4550 + 999
    assert funds["by_charity"] == {"Pilgrims Hospices": 129550, "Kent Air Ambulance": 999}
    assert (
        await e.http.delete(f"{fundraising}/{mistake['id']}", headers=teacher)
    ).status_code == 403
    after = ok(await e.http.delete(f"{fundraising}/{mistake['id']}", headers=coordinator))
    assert after["by_charity"] == {"Pilgrims Hospices": 129550}
    assert (
        await e.http.delete(f"{fundraising}/{mistake['id']}", headers=coordinator)
    ).status_code == 404
    assert first["raised_on"] == yesterday

    tomorrow_but_one = (date.today() + timedelta(days=3)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({**gift, "raised_on": tomorrow_but_one}, "body.raised_on"),
        ({**gift, "raised_on": yesterday, "amount_pence": 0}, "body.amount_pence"),
        ({**gift, "raised_on": yesterday, "amount_pence": 12.5}, "body.amount_pence"),
        ({**gift, "raised_on": yesterday, "charity": ""}, "body.charity"),
        ({**gift, "raised_on": yesterday, "charity_number": "12"}, "body.charity_number"),
    ]
    for bad, field in cases:
        refused = await e.http.post(fundraising, json=bad, headers=coordinator)
        assert refused.status_code == 422, bad
        assert [".".join(map(str, x["loc"])) for x in refused.json()["errors"]] == [field]
    before = {**gift, "raised_on": "2020-01-01"}
    refused = await e.http.post(fundraising, json=before, headers=coordinator)
    assert refused.status_code == 422 and "raised_on" in refused.json()["detail"]

    stranger = e.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=["elsewhere"])
    assert (await e.http.get(fundraising, headers=stranger)).status_code == 404
    records = await records_about(e.settings.kafka_bootstrap_servers, aid, expect=6, topic=EVENTS)
    assert [ce_type(r) for r in records if "funds" in ce_type(r)] == [
        "events.funds_raised.v1",
        "events.funds_raised.v1",
        "events.funds_raised.v1",
        "events.funds_entry_removed.v1",
    ]
