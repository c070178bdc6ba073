"""The membership API over real HTTP on a real broker and database: who may do what, bad input,
and what reaches the topic."""

import asyncio
import json
import time
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from contracts.topics import MEMBERSHIP
from eventkit.auth import ISSUER, Role, SigningKey, mint_token
from eventkit.topics import ensure_topics
from support.issuer import signing_key
from support.kafka import ce_type, records_about
from support.membership import Membership
from support.problems import problem

pytestmark = pytest.mark.integration

FENLAND = {
    "name": "Fenland Learning Partnership",
    "kind": "formal_partnership",
    "aims": ["stem", "teacher_development"],
    "area": ["873"],
}
A, B, C = "110001", "110002", "110003"
JO = {"name": "Jo Hartley", "email": "jo.hartley@example.org", "job_title": "Head of Physics"}


def school(urn: str, **extra: Any) -> dict[str, Any]:
    return {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": "state", **extra}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def create_partnership(
    m: Membership, body: dict[str, Any] | None = None, **scope: Any
) -> str:
    headers = m.as_(Role.PARTNERSHIP_COORDINATOR, **scope) if scope else m.officer
    created = ok(await m.http.post("/partnerships", json=body or FENLAND, headers=headers), 201)
    return str(created["id"])


async def register(m: Membership, *urns: str) -> None:
    for urn in urns:
        ok(await m.http.post("/schools", json=school(urn), headers=m.officer), 201)


def field_errors(response: httpx.Response) -> list[tuple[str, str]]:
    """(field path, message) of each problem in a 422 from request validation."""
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in response.json()["errors"]]


# authentication


async def test_no_token_is_401_asking_for_a_bearer_token(membership: Membership) -> None:
    for method, path in [
        ("GET", "/partnerships"),
        ("POST", "/partnerships"),
        ("GET", "/partnerships/anything"),
        ("GET", f"/schools/{A}"),
        ("POST", "/people"),
        ("POST", "/people/anyone/erase"),
    ]:
        response = await membership.http.request(method, path, json=FENLAND)
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["detail"] == "missing bearer token"


async def test_a_token_that_is_not_good_is_401(membership: Membership) -> None:
    key = signing_key()
    expired = mint_token(key, subject="o", role=Role.COUNTY_OFFICER, ttl=-timedelta(minutes=1))
    impostor = SigningKey.generate()
    forged = jwt.encode(
        jwt.decode(
            mint_token(key, subject="o", role=Role.COUNTY_OFFICER),
            options={"verify_signature": False},
        ),
        impostor.private_key,
        algorithm="ES256",
        headers={"kid": key.kid},
    )
    unknown_key = mint_token(impostor, subject="o", role=Role.COUNTY_OFFICER)
    foreign = jwt.encode(
        {
            "sub": "o",
            "role": "county_officer",
            "iss": "another-council",
            "iat": time.time(),
            "exp": time.time() + 60,
        },
        key.private_key,
        algorithm="ES256",
        headers={"kid": key.kid},
    )
    made_up_role = jwt.encode(
        {"sub": "o", "role": "admin", "iss": ISSUER, "iat": time.time(), "exp": time.time() + 60},
        key.private_key,
        algorithm="ES256",
        headers={"kid": key.kid},
    )
    shared_secret = jwt.encode(
        {
            "sub": "o",
            "role": "county_officer",
            "iss": ISSUER,
            "iat": time.time(),
            "exp": time.time() + 60,
        },
        membership.settings.link_secret,
        algorithm="HS256",
    )
    unsigned = jwt.encode(
        {"sub": "o", "role": "county_officer", "iss": ISSUER},
        key=None,
        algorithm="none",
    )
    nobody = mint_token(key, subject="", role=Role.COUNTY_OFFICER)
    for_ever = mint_token(key, subject="o", role=Role.COUNTY_OFFICER, ttl=timedelta(days=30))
    cases = {
        "garbage": ("Bearer not-a-token", "the token is not valid"),
        "expired": (f"Bearer {expired}", "the token has expired"),
        "signed by someone else": (f"Bearer {forged}", "the token is not valid"),
        "a key the issuer never published": (
            f"Bearer {unknown_key}",
            "the token is signed with a key the platform does not know",
        ),
        "a shared secret (a service's own)": (
            f"Bearer {shared_secret}",
            "the token was not issued by the platform's identity service",
        ),
        "another issuer": (f"Bearer {foreign}", "the token was not issued for this platform"),
        "unknown role": (f"Bearer {made_up_role}", "the token's role claim is not valid"),
        "unsigned": (
            f"Bearer {unsigned}",
            "the token was not issued by the platform's identity service",
        ),
        "no subject": (f"Bearer {nobody}", "the token's sub claim is not valid"),
        "too long-lived": (
            f"Bearer {for_ever}",
            "the token lives longer than 24 hours: ask for a new one",
        ),
        "not bearer": (f"Basic {expired}", "missing bearer token"),
    }
    for case, (authorization, says) in cases.items():
        response = await membership.http.get(
            "/partnerships", headers={"Authorization": authorization}
        )
        assert response.status_code == 401, (case, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer", case
        assert response.json()["detail"] == says, (case, response.text)  # and nothing more


# authorisation


async def test_the_coordinator_of_another_partnership_gets_404(membership: Membership) -> None:
    m = membership
    await register(m, A)
    ours = await create_partnership(m)
    theirs = await create_partnership(m, {**FENLAND, "name": "East Kent Partnership"})
    bob = m.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[theirs], person_id="p-bob")
    never = "000000000000"

    renamed = {**FENLAND, "name": "Taken over"}
    for pid in (ours, never):
        expected = problem(404, f"no partnership {pid}")  # the same answer: existence does not leak
        for method, path, body in [
            ("GET", f"/partnerships/{pid}", None),
            ("PUT", f"/partnerships/{pid}", renamed),
            ("POST", f"/partnerships/{pid}/invitations", {"urn": A}),
            ("POST", f"/partnerships/{pid}/members", {"urn": A}),
        ]:
            response = await m.http.request(method, path, json=body, headers=bob)
            assert (response.status_code, response.json()) == (404, expected), (method, path)

    assert [p["id"] for p in ok(await m.http.get("/partnerships", headers=bob))] == [theirs]
    unchanged = ok(await m.http.get(f"/partnerships/{ours}", headers=m.officer))
    assert (unchanged["version"], unchanged["memberships"]) == (1, {})


async def test_callers_without_the_right_role_get_403_saying_why(membership: Membership) -> None:
    m = membership
    await register(m, A, B)
    pid = await create_partnership(m)
    ok(await m.http.post(f"/partnerships/{pid}/invitations", json={"urn": A}, headers=m.officer))
    person = ok(
        await m.http.post(
            "/people",
            json={**JO, "role": {"role": "teacher", "urn": A, "starts_on": "2025-09-01"}},
            headers=m.officer,
        ),
        201,
    )
    teacher = m.as_(Role.TEACHER, schools=[A], person_id=person["id"])
    lead_of_b = m.as_(Role.SCHOOL_LEAD, schools=[B])

    attempts = [
        ("POST", "/partnerships", teacher, FENLAND, "only a county officer or a partnership"),
        ("POST", "/partnerships", m.as_(Role.SCHOOL_LEAD, schools=[A]), FENLAND, "coordinator"),
        ("POST", f"/partnerships/{pid}/members/{A}/accept", teacher, {}, A),
        ("PUT", f"/schools/{A}", lead_of_b, school(A, name="Renamed"), A),
        ("POST", f"/people/{person['id']}/erase", teacher, None, "county officer"),
        (
            "POST",
            f"/people/{person['id']}/erase",
            m.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid]),
            None,
            "county officer",
        ),
    ]
    for method, path, headers, body, says in attempts:
        response = await m.http.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path, response.text)
        assert says in response.json()["detail"], (method, path, response.text)


# bad input


async def test_a_wrong_body_is_422_naming_the_field(membership: Membership) -> None:
    m = membership
    await register(m, A)
    pid = await create_partnership(m)
    person = ok(
        await m.http.post(
            "/people",
            json={**JO, "role": {"role": "teacher", "urn": A, "starts_on": "2025-09-01"}},
            headers=m.officer,
        ),
        201,
    )
    role = {"role": "teacher", "urn": A, "starts_on": "2025-09-01"}
    cases: list[tuple[str, str, Any, str, str]] = [
        # method, path, body, field, words in the message
        ("POST", "/partnerships", {}, "body.kind", "required"),
        ("POST", "/partnerships", {**FENLAND, "kind": "club"}, "body.kind", "formal_partnership"),
        ("POST", "/partnerships", {**FENLAND, "name": 42}, "body.name", "string"),
        ("POST", "/partnerships", {**FENLAND, "name": "x" * 100_000}, "body.name", "200"),
        ("POST", "/partnerships", {**FENLAND, "aims": "stem"}, "body.aims", "list"),
        ("POST", "/partnerships", {**FENLAND, "aims": ["knitting"]}, "body.aims.0", "stem"),
        ("PUT", f"/partnerships/{pid}", {**FENLAND, "status": "dormant"}, "body.status", "active"),
        ("POST", f"/partnerships/{pid}/invitations", {"urn": "12ab"}, "body.urn", "pattern"),
        (
            "POST",
            f"/partnerships/{pid}/invitations",
            {"urn": A, "on": "2025-02-30"},
            "body.on",
            "day",
        ),
        ("POST", f"/partnerships/{pid}/members", {"urn": A, "on": "soon"}, "body.on", "date"),
        ("POST", f"/partnerships/{pid}/members", {"urn": A, "role": "boss"}, "body.role", "member"),
        (
            "POST",
            f"/partnerships/{pid}/members/{A}/suspend",
            {"reason": "x" * 3000},
            "body.reason",
            "2000",
        ),
        ("POST", "/schools", school("1234"), "body.urn", "pattern"),
        ("POST", "/schools", school(B, la_code="8730"), "body.la_code", "pattern"),
        ("POST", "/schools", school(B, pupils=-5), "body.pupils", "greater than or equal"),
        ("POST", "/schools", school(B, fsm_share="lots"), "body.fsm_share", "number"),
        ("POST", "/schools", school(B, phase=None), "body.phase", "primary"),
        ("POST", "/people", {**JO, "email": "not-an-email", "role": role}, "body.email", "email"),
        (
            "POST",
            "/people",
            {**JO, "role": {**role, "starts_on": "2025-13-01"}},
            "body.role.starts_on",
            "month",
        ),
        (
            "POST",
            "/people",
            {**JO, "role": {**role, "ends_on": "2025-01-01"}},
            "body.role",
            "before",
        ),
        (
            "POST",
            "/people",
            {**JO, "role": {**role, "partnership_id": pid}},
            "body.role",
            "exactly one",
        ),
        ("POST", "/people", JO, "body.role", "required"),
        (
            "POST",
            "/people",
            {**JO, "role": {**role, "role": "county_officer", "urn": None}},
            "body.role",
            "at least one local authority",
        ),
        (
            "POST",
            "/people",
            {
                **JO,
                "role": {
                    "role": "county_officer",
                    "local_authorities": ["Kent"],
                    "starts_on": "2025-09-01",
                },
            },
            "body.role.local_authorities.0",
            "pattern",
        ),
        (
            "POST",
            "/people",
            {**JO, "role": {**role, "local_authorities": ["886"]}},
            "body.role",
            "only a county officer",
        ),
        ("POST", "/people", {**JO, "role": {**role, "urn": "12"}}, "body.role.urn", "pattern"),
        ("PUT", f"/people/{person['id']}", {**JO, "name": ""}, "body.name", "at least 1"),
        (
            "POST",
            f"/people/{person['id']}/roles",
            {**role, "role": "wizard"},
            "body.role",
            "teacher",
        ),
        (
            "POST",
            f"/partnerships/{pid}/coordinators",
            {"person_id": {"$ne": None}},
            "body.person_id",
            "string",
        ),
    ]
    wrong = []
    for method, path, body, field, says in cases:
        response = await m.http.request(method, path, json=body, headers=m.officer)
        if response.status_code != 422:
            wrong.append((method, path, field, response.status_code, response.text[:200]))
            continue
        problems = field_errors(response)
        if not any(where == field and says in message for where, message in problems):
            wrong.append((method, path, field, problems))
    assert wrong == []


async def test_bodies_that_are_not_objects_are_422(membership: Membership) -> None:
    json_headers = {**membership.officer, "Content-Type": "application/json"}
    for raw in [b"", b"not json", b"[]", b"null", b'"Fenland"', b"{", b"\xff\xfe"]:
        response = await membership.http.post("/partnerships", content=raw, headers=json_headers)
        assert response.status_code == 422, (raw, response.text)
        assert field_errors(response)[0][0].startswith("body"), raw


async def test_no_bad_input_is_ever_a_500(membership: Membership) -> None:
    """Input that trips the database, the JSON encoder or the event bus is refused with a 4xx."""
    m = membership
    await register(m, A)
    pid = await create_partnership(m)
    json_headers = {**m.officer, "Content-Type": "application/json"}
    nested = b'{"name": "Deep", "kind": "cluster", "aims": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    school_with = b'{"urn": "%s", "name": "S\\ud800", "phase": "primary", "sector": "state"}'
    cases: dict[str, tuple[str, str, dict[str, Any]]] = {
        "pupils beyond 64 bits": ("POST", "/schools", {"json": school(B, pupils=10**30)}),
        "skip beyond 64 bits": ("GET", f"/schools?skip={10**30}", {}),
        "NaN share": (
            "POST",
            "/schools",
            {"content": json.dumps(school(B, fsm_share=float("nan"))).encode()},
        ),
        "infinite share": (
            "POST",
            "/schools",
            {"content": json.dumps(school(B, fsm_share=float("inf"))).encode()},
        ),
        "lone surrogate": ("POST", "/schools", {"content": school_with % B.encode()}),
        "deeply nested": ("POST", "/partnerships", {"content": nested}),
        "area of 2 MB": (
            "POST",
            "/partnerships",
            {"json": {**FENLAND, "area": ["873" * 1000] * 700}},
        ),
        "body of 17 MB": (
            "PUT",
            f"/partnerships/{pid}",
            {"json": {**FENLAND, "area": ["x" * 1000] * 17_000}},
        ),
        "huge path": ("GET", "/partnerships/" + "x" * 8_000, {}),
        "huge query": ("GET", "/schools?name=" + "x" * 20_000, {}),
        "NUL in path": ("GET", "/people/%00", {}),
    }
    outcomes = {}
    for case, (method, path, kwargs) in cases.items():
        response = await m.http.request(method, path, headers=json_headers, **kwargs)
        outcomes[case] = response.status_code
    assert {case: s for case, s in outcomes.items() if not 400 <= s < 500} == {}
    assert (ok(await m.http.get(f"/partnerships/{pid}", headers=m.officer)))["version"] == 1


async def test_inviting_an_unregistered_school_is_422_saying_so(membership: Membership) -> None:
    m = membership
    pid = await create_partnership(m)

    for step in ("invitations", "members"):
        response = await m.http.post(
            f"/partnerships/{pid}/{step}", json={"urn": "999999"}, headers=m.officer
        )
        assert response.status_code == 422, response.text
        assert response.json() == problem(
            422, "no school with URN 999999: register or import it first"
        )


async def test_a_step_the_membership_is_not_ready_for_is_409_saying_why(
    membership: Membership,
) -> None:
    m = membership
    await register(m, A, B)
    pid = await create_partnership(m)
    members = f"/partnerships/{pid}/members"
    ok(await m.http.post(f"/partnerships/{pid}/invitations", json={"urn": A}, headers=m.officer))
    ok(await m.http.post(members, json={"urn": B}, headers=m.officer))

    steps = [
        (
            f"{members}/{B}/accept",
            None,
            f"cannot accept an invitation for school {B}: its membership is active",
        ),
        (
            f"{members}/{A}/suspend",
            {"reason": "why not"},
            f"cannot suspend school {A}: its membership is invited",
        ),
        (members, {"urn": B}, f"school {B} is already active in this partnership"),
        (
            f"{members}/{B}/reinstate",
            None,
            f"cannot reinstate school {B}: its membership is active",
        ),
    ]
    for path, body, says in steps:
        response = await m.http.post(path, json=body, headers=m.officer)
        assert (response.status_code, response.json()) == (409, problem(409, says)), path


async def test_concurrent_changes_are_each_a_success_or_a_409(membership: Membership) -> None:
    """The API takes no version from the caller: a stale copy is one loaded by a request that a
    concurrent request overtook. It must never overwrite, and never be a 500."""
    m = membership
    pid = await create_partnership(m)
    renames = [{**FENLAND, "name": f"Fenland {i}"} for i in range(8)]
    responses = await asyncio.gather(
        *(m.http.put(f"/partnerships/{pid}", json=body, headers=m.officer) for body in renames)
    )
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 409}, [r.text[:200] for r in responses]
    assert 200 in statuses
    final = ok(await m.http.get(f"/partnerships/{pid}", headers=m.officer))
    assert final["version"] == 1 + statuses.count(200)
    assert final["details"]["name"] in {
        r.json()["details"]["name"] for r in responses if r.status_code == 200
    }


async def test_a_school_registered_twice_at_once_is_one_201_and_409s(
    membership: Membership,
) -> None:
    m = membership
    responses = await asyncio.gather(
        *(
            m.http.post("/schools", json=school(C, name=f"School {i}"), headers=m.officer)
            for i in range(5)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409], [
        r.text[:200] for r in responses
    ]


# erasure and the happy path, with what reaches the topic


async def test_erasure_removes_a_person_and_tells_every_service(
    membership: Membership, kafka_bootstrap: str
) -> None:
    m = membership
    await ensure_topics(kafka_bootstrap, [MEMBERSHIP])
    await register(m, A)
    lead = m.as_(Role.SCHOOL_LEAD, schools=[A])
    role = {"role": "teacher", "urn": A, "starts_on": "2025-09-01"}
    person = ok(await m.http.post("/people", json={**JO, "role": role}, headers=lead), 201)
    pid = person["id"]

    erased = ok(await m.http.post(f"/people/{pid}/erase", headers=m.officer))

    shown = ok(await m.http.get(f"/people/{pid}", headers=m.officer))
    assert shown["details"] is None and shown["erased_at"] == erased["erased_at"]
    assert [r["urn"] for r in shown["roles"]] == [A]
    for response_text in (json.dumps(shown), (await m.http.get("/people", headers=lead)).text):
        assert JO["name"] not in response_text and JO["email"] not in response_text
    again = await m.http.put(f"/people/{pid}", json=JO, headers=m.officer)
    assert (again.status_code, again.json()) == (409, problem(409, f"person {pid} has been erased"))

    records = await records_about(kafka_bootstrap, pid, expect=3)
    [erasure] = [r for r in records if ce_type(r) == "membership.person_erased.v1"]
    value = json.loads(erasure.value or b"")
    assert value == {"person_id": pid, "erased_at": value["erased_at"]}
    wire = (erasure.value or b"") + b"".join(v for _, v in erasure.headers)
    assert JO["name"].encode() not in wire and JO["email"].encode() not in wire
    assert sorted(map(ce_type, records)) == [
        "membership.person_added.v2",
        "membership.person_erased.v1",
        "membership.role_assigned.v1",
    ]
    for record in records:  # the name and email went to the people topic only
        assert JO["email"].encode() not in (record.value or b""), ce_type(record)


async def test_the_events_of_one_request_reach_the_topic_in_the_order_they_happened(
    membership: Membership, kafka_bootstrap: str
) -> None:
    """Adding a person records PersonAdded then RoleAssigned in one commit: a consumer must never
    see the role of a person it has not heard of."""
    m = membership
    await ensure_topics(kafka_bootstrap, [MEMBERSHIP])
    await register(m, A)
    role = {"role": "teacher", "urn": A, "starts_on": "2025-09-01"}
    people = [
        ok(await m.http.post("/people", json={**JO, "role": role}, headers=m.officer), 201)["id"]
        for _ in range(6)
    ]

    records = await records_about(kafka_bootstrap, *people, expect=2 * len(people))

    assert {
        person: [ce_type(r) for r in records if r.key == person.encode()] for person in people
    } == {
        person: ["membership.person_added.v2", "membership.role_assigned.v1"] for person in people
    }


async def test_a_partnership_with_schools_and_people_from_start_to_finish(
    membership: Membership, kafka_bootstrap: str
) -> None:
    m = membership
    http = m.http
    await ensure_topics(kafka_bootstrap, [MEMBERSHIP])
    for urn, la in ((A, "873"), (B, "873"), (C, "886")):
        lead = m.as_(Role.SCHOOL_LEAD, schools=[urn])
        ok(await http.post("/schools", json=school(urn, la_code=la, pupils=420), headers=lead), 201)
    lead_a, lead_b = m.as_(Role.SCHOOL_LEAD, schools=[A]), m.as_(Role.SCHOOL_LEAD, schools=[B])
    ann = m.as_(Role.PARTNERSHIP_COORDINATOR, person_id="p-ann")

    pid = await create_partnership(m, person_id="p-ann")
    at = f"/partnerships/{pid}"
    ok(
        await http.post(
            f"{at}/invitations", json={"urn": A, "role": "founder", "on": "2025-09-01"}, headers=ann
        )
    )
    ok(await http.post(f"{at}/members/{A}/accept", json={"on": "2025-09-08"}, headers=lead_a))
    straight_in = {"urn": B, "on": "2025-09-10"}
    refused = await http.post(f"{at}/members", json=straight_in, headers=ann)
    assert refused.status_code == 403  # a coordinator invites; only an officer adds straight in
    ok(await http.post(f"{at}/members", json=straight_in, headers=m.officer))
    ok(await http.post(f"{at}/members/{B}/suspend", json={"reason": "new head"}, headers=ann))
    ok(await http.post(f"{at}/members/{B}/reinstate", headers=ann))
    ok(await http.post(f"{at}/invitations", json={"urn": C}, headers=ann))
    ok(await http.post(f"{at}/members/{C}/leave", headers=ann))
    renamed = {**FENLAND, "name": "Fenland and Ely Partnership", "status": "active"}
    ok(await http.put(at, json=renamed, headers=ann))

    expertise = {
        "subjects": ["Physics"],
        "categories": ["stem"],
        "summary": "Physics masterclasses",
    }
    ok(await http.put(f"/schools/{A}/expertise", json=expertise, headers=lead_a))
    role_at_a = {"role": "head", "urn": A, "starts_on": "2025-09-01"}
    head = ok(await http.post("/people", json={**JO, "role": role_at_a}, headers=lead_a), 201)
    cpd = {
        "role": "cpd_approver",
        "partnership_id": pid,
        "starts_on": "2025-09-01",
        "ends_on": "2026-08-31",
    }
    head = ok(await http.post(f"/people/{head['id']}/roles", json=cpd, headers=ann))
    ended = ok(
        await http.post(
            f"/people/{head['id']}/roles/{head['roles'][1]['id']}/end",
            json={"on": "2026-07-31"},
            headers=ann,
        )
    )
    assert ended["roles"][1]["ends_on"] == "2026-07-31"

    partnership = ok(await http.get(at, headers=lead_b))
    assert partnership["details"]["name"] == "Fenland and Ely Partnership"
    assert partnership["coordinators"] == ["p-ann"]
    statuses = {urn: ms["status"] for urn, ms in partnership["memberships"].items()}
    assert statuses == {A: "active", B: "active", C: "left"}
    assert [p["id"] for p in ok(await http.get("/partnerships", headers=ann))] == [pid]
    assert [p["id"] for p in ok(await http.get("/partnerships", headers=lead_a))] == [pid]
    lead_c = m.as_(Role.SCHOOL_LEAD, schools=[C])
    assert ok(await http.get("/partnerships", headers=lead_c)) == []
    assert [s["urn"] for s in ok(await http.get("/schools?la_code=873", headers=lead_c))] == [A, B]
    assert (ok(await http.get(f"/schools/{A}", headers=lead_c)))["expertise"]["subjects"] == [
        "Physics"
    ]
    assert [p["id"] for p in ok(await http.get("/people", headers=lead_a))] == [head["id"]]
    assert ok(await http.get("/people", headers=lead_b)) == []

    records = await records_about(kafka_bootstrap, pid, expect=10)
    assert [ce_type(r) for r in records] == [
        "membership.partnership_created.v1",
        "membership.coordinator_assigned.v1",
        "membership.school_invited.v1",
        "membership.school_joined.v1",
        "membership.school_joined.v1",
        "membership.membership_suspended.v1",
        "membership.membership_reinstated.v1",
        "membership.school_invited.v1",
        "membership.school_left.v1",
        "membership.partnership_updated.v1",
    ]
    assert len({r.partition for r in records}) == 1
