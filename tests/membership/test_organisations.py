"""Outside organisations and the people of theirs who contribute to a partnership, over real
HTTP: registered by coordinators and county officers, public to signed-in callers, published
for the other services; contributors are people with a role at the partnership, for their
organisation, managed by its coordinators like its other people."""

from typing import Any

import httpx
import pytest

from eventkit.auth import Role
from support.kafka import ce_type, records_about
from support.membership import Membership

pytestmark = pytest.mark.integration

UNIVERSITY = {
    "name": "University of Manchester",
    "kind": "university",
    "website": "https://www.manchester.ac.uk/",
}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def partnership(m: Membership) -> tuple[str, dict[str, str]]:
    made = ok(
        await m.http.post(
            "/partnerships",
            json={"name": "Lincolnshire Learning Partnership", "kind": "board"},
            headers=m.officer,
        ),
        201,
    )
    return made["id"], m.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[made["id"]])


async def test_a_guest_speaker_is_a_contributor_of_their_university_at_the_partnership(
    membership: Membership,
) -> None:
    m = membership
    pid, coordinator = await partnership(m)
    university = ok(await m.http.post("/organisations", json=UNIVERSITY, headers=coordinator), 201)
    listed = ok(await m.http.get("/organisations", headers=m.as_(Role.TEACHER, schools=["1"])))
    assert [o["details"]["name"] for o in listed] == ["University of Manchester"]

    speaker = {
        "name": "Mel Ainscow",
        "email": "mel.ainscow@manchester.example",
        "job_title": "Professor of Education",
        "role": {
            "role": "contributor",
            "partnership_id": pid,
            "organisation_id": university["id"],
            "starts_on": "2016-04-01",
        },
    }
    added = ok(await m.http.post("/people", json=speaker, headers=coordinator), 201)
    [role] = added["roles"]
    assert (role["role"], role["organisation_id"]) == ("contributor", university["id"])
    people = ok(await m.http.get("/people", headers=coordinator))
    assert added["id"] in [p["id"] for p in people]

    records = await records_about(
        m.settings.kafka_bootstrap_servers, university["id"], added["id"], expect=3
    )
    by_type = {ce_type(r): r for r in records}
    assert "membership.organisation_registered.v1" in by_type
    assigned = by_type["membership.role_assigned.v1"].value
    assert university["id"].encode() in assigned and b"Ainscow" not in assigned

    renamed = {**UNIVERSITY, "name": "The University of Manchester"}
    path = f"/organisations/{university['id']}"
    assert (await m.http.put(path, json=renamed, headers=coordinator)).status_code == 403
    assert ok(await m.http.put(path, json=renamed, headers=m.officer))["details"]["name"] == (
        "The University of Manchester"
    )


async def test_bad_organisations_and_contributor_roles_are_refused_saying_why(
    membership: Membership,
) -> None:
    m = membership
    pid, coordinator = await partnership(m)
    cases: list[tuple[dict[str, Any], str]] = [
        ({**UNIVERSITY, "kind": "guild"}, "body.kind"),
        ({**UNIVERSITY, "name": " "}, "body.name"),
        ({**UNIVERSITY, "website": "not a link"}, "body.website"),
        ({**UNIVERSITY, "la_code": "9"}, "body.la_code"),
    ]
    for body, field in cases:
        refused = await m.http.post("/organisations", json=body, headers=m.officer)
        assert refused.status_code == 422, body
        assert [".".join(map(str, e["loc"])) for e in refused.json()["errors"]] == [field]
    teacher = m.as_(Role.TEACHER, schools=["100001"])
    assert (
        await m.http.post("/organisations", json=UNIVERSITY, headers=teacher)
    ).status_code == 403
    assert (await m.http.get("/organisations/nosuch", headers=m.officer)).status_code == 404

    person = {"name": "A Speaker", "email": "speaker@example.org"}
    without_org = {"role": "contributor", "partnership_id": pid, "starts_on": "2016-04-01"}
    refused = await m.http.post(
        "/people", json={**person, "role": without_org}, headers=coordinator
    )
    assert refused.status_code == 422 and "organisation_id" in refused.text
    unknown = {**without_org, "organisation_id": "nosuchorg"}
    refused = await m.http.post("/people", json={**person, "role": unknown}, headers=coordinator)
    assert refused.status_code == 422 and "nosuchorg" in refused.json()["detail"]
    at_a_school = {**without_org, "organisation_id": "x", "urn": "100001"}
    refused = await m.http.post("/people", json={**person, "role": at_a_school}, headers=m.officer)
    assert refused.status_code == 422 and "not a school" in refused.text
    teacher_of_org = {
        "role": "teacher",
        "urn": "100001",
        "organisation_id": "x",
        "starts_on": "2016-04-01",
    }
    refused = await m.http.post(
        "/people", json={**person, "role": teacher_of_org}, headers=m.officer
    )
    assert refused.status_code == 422 and "only contributors" in refused.text

    university = ok(await m.http.post("/organisations", json=UNIVERSITY, headers=m.officer), 201)
    other = m.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=["someotherpartnership"])
    elsewhere = {**without_org, "organisation_id": university["id"]}
    refused = await m.http.post("/people", json={**person, "role": elsewhere}, headers=other)
    assert refused.status_code == 403
