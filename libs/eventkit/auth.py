"""Bearer tokens (JWT) carrying the caller's role and the partnerships and schools they act for;
the FastAPI dependency every route uses.

API tokens are issued by the identity service only, signed ES256 with its private key; every
other service verifies them with the public keys it publishes (JWKS at `AUTH_JWKS_URL`), so no
service can mint one. They are short-lived (at most `AUTH_MAX_TOKEN_HOURS`) and go in the bearer
header only.

Calendar tokens (`scope: calendar`) are the events service's own: good for reading one calendar
feed only, put in the feed's URL for calendar apps, long-lived, revocable by their holder, signed
with that service's `LINK_SECRET`. Neither works as the other.
"""

import asyncio
import base64
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eventkit import context
from eventkit.settings import ServiceSettings

ISSUER = "school-partnerships"
API_ALGORITHM = "ES256"


class Role(StrEnum):
    COUNTY_OFFICER = "county_officer"
    PARTNERSHIP_COORDINATOR = "partnership_coordinator"
    SCHOOL_LEAD = "school_lead"
    TEACHER = "teacher"
    SERVICE = "service"


class Principal(BaseModel):
    """Who is calling, and for which partnerships and schools they act."""

    model_config = ConfigDict(frozen=True)

    subject: str = Field(alias="sub", min_length=1, max_length=200)
    role: Role
    partnerships: frozenset[str] = frozenset()
    schools: frozenset[str] = frozenset()
    person_id: str | None = None

    @property
    def county_wide(self) -> bool:
        return self.role in (Role.COUNTY_OFFICER, Role.SERVICE)

    def acts_for_partnership(self, partnership_id: str) -> bool:
        return self.county_wide or partnership_id in self.partnerships

    def acts_for_school(self, urn: str) -> bool:
        return self.county_wide or urn in self.schools

    @property
    def actor(self) -> str:
        """Who this caller is on the events they cause: their person id; for a caller without
        one, a hash of the token's subject (which may be an email, and events carry none)."""
        if self.person_id:
            return self.person_id
        if self.role == Role.SERVICE:
            return f"service:{self.subject}"
        return "caller:" + hashlib.sha256(self.subject.encode()).hexdigest()[:16]


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    """An ES256 (P-256) private key and its id: the RFC 7638 thumbprint of its public key."""

    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: str | bytes) -> "SigningKey":
        key = serialization.load_pem_private_key(
            pem.encode() if isinstance(pem, str) else pem, None
        )
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("a signing key is a P-256 elliptic-curve private key")
        return cls(key)

    def to_pem(self) -> str:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @property
    def public_jwk(self) -> dict[str, str]:
        numbers = self.private_key.public_key().public_numbers()
        required = {"crv": "P-256", "kty": "EC", "x": _b64(numbers.x), "y": _b64(numbers.y)}
        thumbprint = hashlib.sha256(
            json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
        ).digest()
        kid = base64.urlsafe_b64encode(thumbprint).rstrip(b"=").decode()
        return {**required, "kid": kid, "use": "sig", "alg": API_ALGORITHM}

    @property
    def kid(self) -> str:
        return self.public_jwk["kid"]


def jwks(keys: Iterable[SigningKey]) -> dict[str, Any]:
    """The public half of these keys as a JSON Web Key Set."""
    return {"keys": [key.public_jwk for key in keys]}


def mint_token(
    key: SigningKey,
    *,
    subject: str,
    role: "Role",
    partnerships: Iterable[str] = (),
    schools: Iterable[str] = (),
    person_id: str | None = None,
    ttl: timedelta = timedelta(hours=12),
    extra: dict[str, Any] | None = None,
) -> str:
    now = datetime.now(UTC)
    claims = {
        **(extra or {}),
        "sub": subject,
        "role": role.value,
        "partnerships": sorted(partnerships),
        "schools": sorted(schools),
        "person_id": person_id,
        "iss": ISSUER,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, key.private_key, algorithm=API_ALGORITHM, headers={"kid": key.kid})


class PublicKeys:
    """The issuer's public keys, fetched from its JWKS and kept for `lifetime` seconds. A token
    signed with a key not yet seen fetches the set again (at most once a second; requests that
    arrive meanwhile share that fetch), so a new key works the moment the issuer starts using
    it: rotation needs no restart here."""

    def __init__(self, url: str, lifetime: float = 300.0, min_refetch: float = 1.0) -> None:
        self.url = url
        self.lifetime = lifetime
        self.min_refetch = min_refetch
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK:
        asked_at = time.monotonic()
        if asked_at - self._fetched_at > self.lifetime or kid not in self._keys:
            async with self._lock:
                if self._fetched_at < asked_at:  # else a fetch since we asked has answered
                    await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise ValueError("the token is signed with a key the platform does not know") from None

    async def _refresh(self) -> None:
        await asyncio.sleep(max(0.0, self._fetched_at + self.min_refetch - time.monotonic()))
        if not self.url:
            raise ValueError("this service knows no token issuer (AUTH_JWKS_URL is not set)")
        try:
            async with httpx.AsyncClient(timeout=5.0) as http:
                response = await http.get(self.url)
                response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            if self._keys:  # the issuer is away: the keys already known keep working a while
                self._fetched_at = time.monotonic()
                return
            raise ValueError(f"the token issuer's keys cannot be read: {exc}") from None
        self._keys = {k.key_id: k for k in key_set.keys if k.key_id}
        self._fetched_at = time.monotonic()


CALENDAR_SCOPE = "calendar"


def mint_calendar_token(
    settings: ServiceSettings, principal: Principal, *, feed: str, token_id: str, ttl: timedelta
) -> str:
    """A token that reads `feed` (its path) as `principal`, and nothing else. It goes in a URL,
    so its subject is the holder's actor id, never the sign-in subject (which may be an email)."""
    now = datetime.now(UTC)
    claims = {
        "sub": principal.actor,
        "role": principal.role.value,
        "partnerships": sorted(principal.partnerships),
        "schools": sorted(principal.schools),
        "person_id": principal.person_id,
        "scope": CALENDAR_SCOPE,
        "feed": feed,
        "jti": token_id,
        "iss": ISSUER,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, settings.link_secret, algorithm="HS256")


async def read_token(settings: ServiceSettings, keys: PublicKeys, token: str) -> Principal:
    """The principal of a valid API token; raises ValueError saying what is wrong otherwise."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise ValueError("the token is not valid") from None
    if unverified.get("scope") == CALENDAR_SCOPE:  # only to say so: it is refused either way
        raise ValueError("a calendar token opens its calendar feed only")
    if header.get("alg") != API_ALGORITHM or not isinstance(header.get("kid"), str):
        raise ValueError("the token was not issued by the platform's identity service")
    key = await keys.key(header["kid"])
    claims = _decode(token, key, API_ALGORITHM)
    if claims["exp"] - claims["iat"] > settings.auth_max_token_hours * 3600:
        raise ValueError(
            f"the token lives longer than {settings.auth_max_token_hours:g} hours: ask for a new one"
        )
    return _principal(claims)


def read_calendar_token(settings: ServiceSettings, token: str, feed: str) -> tuple[Principal, str]:
    """The holder of a valid calendar token for this feed, and the token's id."""
    claims = _decode(token, settings.link_secret, "HS256", also=("jti",))
    if claims.get("scope") != CALENDAR_SCOPE or claims.get("feed") != feed:
        raise ValueError("the token is not a calendar token for this feed")
    return _principal(claims), str(claims["jti"])


def _decode(token: str, key: Any, algorithm: str, also: tuple[str, ...] = ()) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat", "iss", *also]},
        )
        return claims
    except jwt.ExpiredSignatureError:
        raise ValueError("the token has expired") from None
    except jwt.InvalidIssuerError:
        raise ValueError("the token was not issued for this platform") from None
    except jwt.MissingRequiredClaimError as exc:
        raise ValueError(f"the token has no {exc.claim} claim") from None
    except jwt.PyJWTError:
        raise ValueError("the token is not valid") from None


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        return Principal.model_validate(claims)
    except ValidationError as exc:
        field = ".".join(map(str, exc.errors()[0]["loc"]))
        raise ValueError(f"the token's {field} claim is not valid") from None


_bearer = HTTPBearer(
    auto_error=False,
    description="An access token from the identity service's `POST /token` (or, for local "
    "tools, `partnerships token`)",
)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise _unauthorized("missing bearer token")
    settings: ServiceSettings = request.app.state.settings
    try:
        principal = await read_token(settings, public_keys(request), credentials.credentials)
    except ValueError as exc:
        raise _unauthorized(str(exc)) from exc
    request.state.principal = principal
    context.act_as(principal.actor)
    return principal


def public_keys(request: Request) -> PublicKeys:
    """The app's cache of the issuer's public keys, made on first use."""
    state = request.app.state
    if getattr(state, "public_keys", None) is None:
        state.public_keys = PublicKeys(state.settings.auth_jwks_url)
    keys: PublicKeys = state.public_keys
    return keys


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only these roles through (403 for the others)."""

    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"role {principal.role} may not do this; needs one of: "
                + ", ".join(r.value for r in roles),
            )
        return principal

    return check
