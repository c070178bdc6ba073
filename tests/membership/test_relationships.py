"""Relationships between schools over real HTTP: an independent school sponsoring a state
school, an academy trust's school, a teaching school's alliance; who may record and end them,
and bad input answered with problem details naming what is wrong."""

from typing import Any

import httpx
import pytest

from eventkit.auth import Role
from support.membership import Membership

pytestmark = pytest.mark.integration

NEW_HALL, MESSING, OTHER = "990301", "990302", "990303"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def schools(m: Membership) -> None:
    for urn, sector in ((NEW_HALL, "independent"), (MESSING, "state"), (OTHER, "state")):
        body = {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": sector}
        ok(await m.http.post("/schools", json=body, headers=m.officer), 201)


SPONSORSHIP = {
    "kind": "sponsorship",
    "first": {"school_urn": NEW_HALL},
    "second": {"school_urn": MESSING},
    "starts_on": "2013-09-01",
    "support": ["music", "academic", "sport", "music"],
}


async def test_a_sponsorship_is_recorded_by_the_sponsors_lead_listed_and_ended(
    membership: Membership,
) -> None:
    m = membership
    await schools(m)
    sponsor = m.as_(Role.SCHOOL_LEAD, schools=[NEW_HALL])
    made = ok(await m.http.post("/relationships", json=SPONSORSHIP, headers=sponsor), 201)
    assert made["details"]["support"] == ["academic", "music", "sport"]
    assert made["ended_on"] is None

    teacher = m.as_(Role.TEACHER, schools=[MESSING])
    for urn in (NEW_HALL, MESSING):
        listed = ok(await m.http.get(f"/schools/{urn}/relationships", headers=teacher))
        assert [r["id"] for r in listed] == [made["id"]]
    assert ok(await m.http.get(f"/schools/{OTHER}/relationships", headers=teacher)) == []
    assert ok(await m.http.get(f"/relationships/{made['id']}", headers=teacher)) == made

    sponsored = m.as_(Role.SCHOOL_LEAD, schools=[MESSING])
    end = f"/relationships/{made['id']}/end"
    refused = await m.http.post(end, json={"ended_on": "2026-08-31"}, headers=sponsored)
    assert refused.status_code == 403
    ended = ok(await m.http.post(end, json={"ended_on": "2026-08-31"}, headers=sponsor))
    assert ended["ended_on"] == "2026-08-31"
    again = await m.http.post(end, json={"ended_on": "2026-09-01"}, headers=sponsor)
    assert again.status_code == 409
    too_early = await m.http.post(
        "/relationships", json=SPONSORSHIP, headers=sponsor
    )  # a second sponsorship may follow; ended before it began is refused
    second = ok(too_early, 201)
    early = await m.http.post(
        f"/relationships/{second['id']}/end", json={"ended_on": "2001-01-01"}, headers=sponsor
    )
    assert early.status_code == 422 and "ended_on" in early.json()["detail"]


async def test_an_academy_trust_is_the_first_party_of_its_schools_and_only_officers_record_it(
    membership: Membership,
) -> None:
    m = membership
    await schools(m)
    body = {
        "kind": "academy_trust_membership",
        "first": {"trust_uid": "16724", "trust_name": "New Hall Multi Academy Trust"},
        "second": {"school_urn": MESSING},
        "starts_on": "2013-09-01",
    }
    lead = m.as_(Role.SCHOOL_LEAD, schools=[MESSING])
    assert (await m.http.post("/relationships", json=body, headers=lead)).status_code == 403
    made = ok(await m.http.post("/relationships", json=body, headers=m.officer), 201)
    listed = ok(await m.http.get(f"/schools/{MESSING}/relationships", headers=lead))
    assert [r["details"]["first"]["trust_name"] for r in listed] == ["New Hall Multi Academy Trust"]
    assert made["details"]["kind"] == "academy_trust_membership"


async def test_bad_relationships_are_refused_saying_why(membership: Membership) -> None:
    m = membership
    await schools(m)
    trust = {"trust_uid": "16724", "trust_name": "A Trust"}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**SPONSORSHIP, "kind": "friendship"}, "body.kind", "sponsorship"),
        ({**SPONSORSHIP, "starts_on": "2013-02-30"}, "body.starts_on", "day"),
        ({**SPONSORSHIP, "first": {}}, "body.first", "not both"),
        ({**SPONSORSHIP, "first": {"school_urn": NEW_HALL, **trust}}, "body.first", "not both"),
        ({**SPONSORSHIP, "first": {"trust_uid": "1"}}, "body.first", "trust_name"),
        ({**SPONSORSHIP, "first": {"school_urn": "12"}}, "body.first.school_urn", "pattern"),
        ({**SPONSORSHIP, "second": {"school_urn": NEW_HALL}}, "body", "itself"),
        ({**SPONSORSHIP, "ends_on": "2010-01-01"}, "body", "ends_on"),
        ({**SPONSORSHIP, "support": ["knitting"]}, "body.support.0", "academic"),
        ({**SPONSORSHIP, "kind": "academy_trust_membership"}, "body", "trust"),
        ({**SPONSORSHIP, "kind": "teaching_school_alliance", "second": trust}, "body", "school"),
    ]
    for body, field, words in cases:
        refused = await m.http.post("/relationships", json=body, headers=m.officer)
        assert refused.status_code == 422, body
        [error] = refused.json()["errors"]
        assert ".".join(map(str, error["loc"])) == field, (body, error)
        assert words in error["msg"], (body, error)

    unknown = {**SPONSORSHIP, "second": {"school_urn": "999999"}}
    refused = await m.http.post("/relationships", json=unknown, headers=m.officer)
    assert refused.status_code == 422 and "999999" in refused.json()["detail"]
    elsewhere = {**SPONSORSHIP, "partnership_id": "nosuchpartner"}
    assert (
        await m.http.post("/relationships", json=elsewhere, headers=m.officer)
    ).status_code == 404
    stranger = m.as_(Role.SCHOOL_LEAD, schools=[OTHER])
    assert (
        await m.http.post("/relationships", json=SPONSORSHIP, headers=stranger)
    ).status_code == 403
    assert (await m.http.get("/relationships/nosuch", headers=m.officer)).status_code == 404
    assert (await m.http.get("/schools/123456/relationships", headers=m.officer)).status_code == 404
    malformed = await m.http.get("/schools/12ab/relationships", headers=m.officer)
    assert malformed.status_code == 422
