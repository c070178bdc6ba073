"""Racing writes to one partnership: each answers 200 or a clear 409, and nothing is lost."""

import asyncio

from support.membership import Membership


async def test_racing_joins_to_one_partnership_never_fail_silently(membership: Membership) -> None:
    http, officer = membership.http, membership.officer
    created = await http.post(
        "/partnerships", json={"name": "Racing Partnership", "kind": "cluster"}, headers=officer
    )
    pid = created.json()["id"]
    urns = [str(300000 + n) for n in range(8)]
    for urn in urns:
        school = {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": "state"}
        assert (await http.post("/schools", json=school, headers=officer)).status_code == 201

    responses = await asyncio.gather(
        *(
            http.post(f"/partnerships/{pid}/members", json={"urn": urn}, headers=officer)
            for urn in urns
        )
    )

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409}, [r.text for r in responses]
    assert 200 in statuses
    for r in responses:
        if r.status_code == 409:
            assert "retry" in r.json()["detail"]
    joined = {urn for urn, r in zip(urns, responses, strict=True) if r.status_code == 200}
    partnership = (await http.get(f"/partnerships/{pid}", headers=officer)).json()
    assert set(partnership["memberships"]) == joined
