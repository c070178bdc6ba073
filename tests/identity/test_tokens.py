"""The identity service against a real membership service and a real OpenID provider: client
credentials, a person's sign-in and its refresh, and key rotation while services verify."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from devstack.servers import free_port
from eventkit.auth import Role, SigningKey, mint_token
from services.identity.adapters.key_files import KeyFiles
from services.identity.bootstrap import build
from services.identity.domain.clients import secret_hash
from services.identity.settings import IdentitySettings
from support.membership import Membership, running_membership
from support.oidc import add_person, id_token, running_provider
from support.services import serve

pytestmark = pytest.mark.integration

EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token"
A, B = "120001", "120002"


@dataclass
class Platform:
    identity: httpx.AsyncClient
    membership: Membership
    provider: str
    keys: KeyFiles

    @property
    def officer(self) -> dict[str, str]:
        token = mint_token(self.keys.active(), subject="setup", role=Role.COUNTY_OFFICER)
        return {"Authorization": f"Bearer {token}"}

    async def token(self, **form: str) -> httpx.Response:
        return await self.identity.post("/token", data=form)

    async def sign_in(self, subject: str, **form: str) -> httpx.Response:
        return await self.token(
            grant_type=EXCHANGE,
            client_id="web",
            client_secret="web-secret",
            subject_token=id_token(self.provider, subject),
            subject_token_type=ID_TOKEN,
            **form,
        )


@pytest.fixture(scope="module")
async def platform(
    kafka_bootstrap: str, mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    folder = tmp_path_factory.mktemp("identity")
    clients = {
        "clients": [
            {
                "client_id": "web",
                "name": "Web",
                "secret_sha256": secret_hash("web-secret"),
                "may_sign_people_in": True,
            },
            {
                "client_id": "council-hr",
                "name": "Council HR",
                "secret_sha256": secret_hash("hr-secret"),
            },
        ]
    }
    (folder / "clients.json").write_text(json.dumps(clients))
    port = free_port()
    jwks_url = f"http://127.0.0.1:{port}/.well-known/jwks.json"
    with running_provider() as provider:
        async with running_membership(
            kafka_bootstrap, mongodb_uri, f"membership_identity_{port}", auth_jwks_url=jwks_url
        ) as membership:
            settings = IdentitySettings(
                identity_keys_dir=folder / "keys",
                identity_clients_file=folder / "clients.json",
                membership_url=membership.url,
                oidc_issuer=provider,
                oidc_client_id="web",
                log_format="console",
                log_level="WARNING",
            )
            async with serve(build(settings), port) as url, httpx.AsyncClient(base_url=url) as http:
                yield Platform(http, membership, provider, KeyFiles(folder / "keys"))


async def person(platform: Platform, email: str, *roles: dict[str, Any]) -> str:
    m = platform.membership
    for urn in (A, B):
        school = {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": "state"}
        await m.http.post("/schools", json=school, headers=platform.officer)
    body = {"name": email.split("@")[0].title(), "email": email, "role": roles[0]}
    made = await m.http.post("/people", json=body, headers=platform.officer)
    assert made.status_code == 201, made.text
    for role in roles[1:]:
        added = await m.http.post(
            f"/people/{made.json()['id']}/roles", json=role, headers=platform.officer
        )
        assert added.status_code == 200, added.text
    return str(made.json()["id"])


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


async def test_a_council_system_gets_a_service_token_the_services_accept(
    platform: Platform,
) -> None:
    got = await platform.token(
        grant_type="client_credentials", client_id="council-hr", client_secret="hr-secret"
    )
    assert got.status_code == 200, got.text
    grant = got.json()
    assert grant["token_type"] == "Bearer" and grant["expires_in"] == 600
    assert claims(grant["access_token"])["role"] == "service"
    headers = {"Authorization": f"Bearer {grant['access_token']}"}
    assert (await platform.membership.http.get("/partnerships", headers=headers)).status_code == 200

    basic = await platform.identity.post(
        "/token", data={"grant_type": "client_credentials"}, auth=("council-hr", "hr-secret")
    )
    assert basic.status_code == 200, basic.text

    for form, says in (
        ({"client_id": "council-hr", "client_secret": "wrong"}, "invalid_client"),
        ({"client_id": "nobody", "client_secret": "hr-secret"}, "invalid_client"),
        ({}, "invalid_client: give client_id and client_secret"),
    ):
        refused = await platform.token(grant_type="client_credentials", **form)
        assert refused.status_code == 401, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"].startswith(says)
    odd = await platform.token(
        grant_type="password", client_id="council-hr", client_secret="hr-secret"
    )
    assert odd.status_code == 422 and odd.json()["errors"][0]["loc"] == ["body", "grant_type"]


async def test_a_person_signs_in_as_each_way_they_may_act_until_their_roles_end(
    platform: Platform,
) -> None:
    head = await person(
        platform,
        "hana@school.example",
        {"role": "head", "urn": A, "starts_on": "2020-09-01"},
        {"role": "teacher", "urn": B, "starts_on": "2020-09-01"},
    )
    add_person(
        platform.provider,
        "hana-at-idp",
        email="hana@school.example",
        email_verified=True,
        name="Hana",
    )

    signed_in = await platform.sign_in("hana-at-idp")
    assert signed_in.status_code == 200, signed_in.text
    grant = signed_in.json()
    assert grant["person"]["id"] == head and grant["acting_as"] == "school_lead"
    assert [w["role"] for w in grant["ways"]] == ["school_lead", "teacher"]
    assert grant["ways"][0]["label"] == f"School lead at School {A}"
    token = claims(grant["access_token"])
    assert (token["role"], token["schools"], token["person_id"]) == ("school_lead", [A], head)
    headers = {"Authorization": f"Bearer {grant['access_token']}"}
    assert (
        await platform.membership.http.get(f"/people/{head}", headers=headers)
    ).status_code == 200

    as_teacher = await platform.token(
        grant_type="refresh_token",
        client_id="web",
        client_secret="web-secret",
        refresh_token=grant["refresh_token"],
        acting_as="teacher",
    )
    assert as_teacher.status_code == 200, as_teacher.text
    assert claims(as_teacher.json()["access_token"])["schools"] == [A, B]

    refused = await platform.token(
        grant_type="refresh_token",
        client_id="web",
        client_secret="web-secret",
        refresh_token=grant["refresh_token"],
        acting_as="county_officer",
    )
    assert refused.status_code == 400 and "does not act as" in refused.json()["detail"]
    not_a_token = await platform.token(
        grant_type="refresh_token",
        client_id="web",
        client_secret="web-secret",
        refresh_token=grant["access_token"],
    )
    assert not_a_token.status_code == 400, not_a_token.text
    stolen = await platform.token(
        grant_type="refresh_token",
        client_id="council-hr",
        client_secret="hr-secret",
        refresh_token=grant["refresh_token"],
    )
    assert stolen.status_code == 400 and "another client" in stolen.json()["detail"]
    refresh_as_api = {"Authorization": f"Bearer {grant['refresh_token']}"}
    assert (
        await platform.membership.http.get("/partnerships", headers=refresh_as_api)
    ).status_code == 401

    person_record = (
        await platform.membership.http.get(f"/people/{head}", headers=platform.officer)
    ).json()
    today = "2099-01-01"
    for role in person_record["roles"]:
        ended = await platform.membership.http.post(
            f"/people/{head}/roles/{role['id']}/end",
            json={"on": role["starts_on"]},
            headers=platform.officer,
        )
        assert ended.status_code == 200, (today, ended.text)
    gone = await platform.token(
        grant_type="refresh_token",
        client_id="web",
        client_secret="web-secret",
        refresh_token=grant["refresh_token"],
    )
    assert gone.status_code == 400 and "no current role" in gone.json()["detail"]


async def test_who_the_platform_does_not_know_is_told_so_and_a_bad_id_token_is_refused(
    platform: Platform,
) -> None:
    add_person(
        platform.provider, "stranger", email="stranger@elsewhere.example", email_verified=True
    )
    stranger = await platform.sign_in("stranger")
    assert stranger.status_code == 400
    assert "no one with this email" in stranger.json()["detail"]

    await person(
        platform,
        "unverified@school.example",
        {"role": "teacher", "urn": A, "starts_on": "2020-09-01"},
    )
    add_person(
        platform.provider, "unverified", email="unverified@school.example", email_verified=False
    )
    unverified = await platform.sign_in("unverified")
    assert unverified.status_code == 400 and "did not vouch" in unverified.json()["detail"]

    good = id_token(platform.provider, "unverified")
    forged = jwt.encode(
        claims(good) | {"email_verified": True},
        SigningKey.generate().private_key,
        algorithm="ES256",
    )
    for bad in (forged, "not-a-jwt"):
        refused = await platform.token(
            grant_type=EXCHANGE,
            client_id="web",
            client_secret="web-secret",
            subject_token=bad,
            subject_token_type=ID_TOKEN,
        )
        assert refused.status_code == 400, refused.text
        assert refused.json()["detail"].startswith("invalid_grant")
    not_web = await platform.token(
        grant_type=EXCHANGE,
        client_id="council-hr",
        client_secret="hr-secret",
        subject_token=good,
        subject_token_type=ID_TOKEN,
    )
    assert not_web.status_code == 401 and "does not sign people in" in not_web.json()["detail"]


async def test_a_new_key_signs_at_once_and_tokens_of_the_old_one_stay_good(
    platform: Platform,
) -> None:
    old_token = (
        await platform.token(
            grant_type="client_credentials", client_id="council-hr", client_secret="hr-secret"
        )
    ).json()["access_token"]
    old = platform.keys.active()
    membership = platform.membership.http
    assert (
        await membership.get("/partnerships", headers={"Authorization": f"Bearer {old_token}"})
    ).status_code == 200

    new = platform.keys.rotate()
    published = (await platform.identity.get("/.well-known/jwks.json")).json()["keys"]
    assert [k["kid"] for k in published] == [new.kid, old.kid]
    assert all(set(k) == {"kty", "crv", "x", "y", "kid", "use", "alg"} for k in published)
    new_token = (
        await platform.token(
            grant_type="client_credentials", client_id="council-hr", client_secret="hr-secret"
        )
    ).json()["access_token"]
    assert jwt.get_unverified_header(new_token)["kid"] == new.kid
    for token in (new_token, old_token):  # membership met the new key id and fetched the set again
        answer = await membership.get("/partnerships", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text

    assert platform.keys.prune(timedelta(hours=1)) == []
    assert platform.keys.prune(timedelta(0)) == [old.kid]
    assert [k.kid for k in platform.keys.published()] == [new.kid]
    assert [key.kid for key in KeyFiles(platform.keys.folder).published()] == [new.kid]
