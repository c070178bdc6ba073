"""Issuing tokens: to registered clients (client credentials), and to people signing in
through the web front end (their provider's ID token exchanged, then refreshed).

A person's access token is for one way they may act (one role) and lives minutes; every
refresh asks membership again, so a session ends as soon as the person's roles end. The
refresh token is the web front end's alone (it never reaches a browser), lives one session,
and is signed with this service's own secret, so no service takes it as an access token.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pydantic import BaseModel, Field

from contracts.sign_in import PersonAccess, WayToAct
from eventkit.auth import ISSUER, Role, mint_token
from eventkit.errors import DomainError, Unauthorized
from services.identity.domain.clients import Client, ClientRegistry
from services.identity.service_layer.ports import Directory, Keys, Provider

REFRESH = "refresh"


class Person(BaseModel):
    id: str
    name: str


class Grant(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="Seconds the access token lives")
    refresh_token: str | None = None
    person: Person | None = None
    acting_as: str | None = Field(None, description="The role of this access token")
    ways: list[WayToAct] = Field(
        default_factory=list, description="Every way the person may act; ask for one by its role"
    )


class InvalidGrant(DomainError):
    """OAuth's invalid_grant: the ID token or refresh token is not (or no longer) good."""


def authenticate(clients: ClientRegistry, client_id: str, secret: str) -> Client:
    client = clients.authenticate(client_id, secret)
    if client is None:
        raise Unauthorized("invalid_client: unknown client or wrong secret")
    return client


def for_client(keys: Keys, client: Client, ttl: timedelta) -> Grant:
    token = mint_token(
        keys.active(), subject=f"client:{client.client_id}", role=client.role, ttl=ttl
    )
    return Grant(access_token=token, expires_in=int(ttl.total_seconds()))


async def sign_in(
    keys: Keys,
    provider: Provider,
    directory: Directory,
    client: Client,
    id_token: str,
    role: Role | None,
    *,
    secret: str,
    ttl: timedelta,
    session: timedelta,
) -> Grant:
    if not client.may_sign_people_in:
        raise Unauthorized("unauthorized_client: this client does not sign people in")
    try:
        identity = await provider.verify(id_token)
    except ValueError as exc:
        raise InvalidGrant(f"invalid_grant: {exc}") from None
    access = await directory.access_of(email=identity.email)
    if access is None:
        raise InvalidGrant("invalid_grant: the platform has no one with this email address")
    now = datetime.now(UTC)
    refresh_claims = {
        "sub": access.person_id,
        "typ": REFRESH,
        "client": client.client_id,
        "iss": ISSUER,
        "iat": now,
        "exp": now + session,
    }
    refresh_token = jwt.encode(refresh_claims, secret, algorithm="HS256")
    return _grant(keys, access, role, ttl, refresh_token)


async def refresh(
    keys: Keys,
    directory: Directory,
    client: Client,
    refresh_token: str,
    role: Role | None,
    *,
    secret: str,
    ttl: timedelta,
) -> Grant:
    claims = _refresh_claims(refresh_token, secret)
    if claims["client"] != client.client_id:
        raise InvalidGrant("invalid_grant: the refresh token is another client's")
    access = await directory.access_of(person_id=str(claims["sub"]))
    if access is None:
        raise InvalidGrant("invalid_grant: the person is no longer on the platform")
    return _grant(keys, access, role, ttl, refresh_token)


def _grant(
    keys: Keys, access: PersonAccess, role: Role | None, ttl: timedelta, refresh_token: str
) -> Grant:
    if not access.ways:
        raise InvalidGrant("invalid_grant: the person holds no current role")
    way = access.way(role.value if role else None)
    if way is None:
        raise InvalidGrant(f"invalid_grant: the person does not act as {role}")
    token = mint_token(
        keys.active(),
        subject=access.person_id,
        role=Role(way.role),
        partnerships=way.partnerships,
        schools=way.schools,
        person_id=access.person_id,
        ttl=ttl,
    )
    return Grant(
        access_token=token,
        expires_in=int(ttl.total_seconds()),
        refresh_token=refresh_token,
        person=Person(id=access.person_id, name=access.name),
        acting_as=way.role,
        ways=access.ways,
    )


def _refresh_claims(token: str, secret: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat", "iss", "typ", "client"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidGrant("invalid_grant: the session has ended: sign in again") from None
    except jwt.PyJWTError:
        raise InvalidGrant("invalid_grant: the refresh token is not valid") from None
    if claims["typ"] != REFRESH:
        raise InvalidGrant("invalid_grant: not a refresh token")
    return claims
