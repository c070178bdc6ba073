"""Bearer tokens (JWT, HS256) carrying the caller's role and the partnerships and schools they
act for; the FastAPI dependency every route uses; minting tokens for local use.

Two kinds: API tokens (bearer header only, short-lived: at most `AUTH_MAX_TOKEN_HOURS`), and
calendar tokens (`scope: calendar`), good for reading one calendar feed only, put in the feed's
URL for calendar apps, long-lived and revocable by their holder. Neither works as the other.
"""

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eventkit import context
from eventkit.settings import ServiceSettings


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


def mint_token(
    settings: ServiceSettings,
    *,
    subject: str,
    role: Role,
    partnerships: Iterable[str] = (),
    schools: Iterable[str] = (),
    person_id: str | None = None,
    ttl: timedelta = timedelta(hours=12),
) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "role": role.value,
        "partnerships": sorted(partnerships),
        "schools": sorted(schools),
        "person_id": person_id,
        "iss": settings.auth_jwt_issuer,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, settings.auth_jwt_secret, algorithm="HS256")


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
        "iss": settings.auth_jwt_issuer,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, settings.auth_jwt_secret, algorithm="HS256")


def read_token(settings: ServiceSettings, token: str) -> Principal:
    """The principal of a valid API token; raises ValueError saying what is wrong otherwise."""
    claims = _claims(settings, token)
    if claims.get("scope") == CALENDAR_SCOPE:
        raise ValueError("a calendar token opens its calendar feed only")
    if claims["exp"] - claims["iat"] > settings.auth_max_token_hours * 3600:
        raise ValueError(
            f"the token lives longer than {settings.auth_max_token_hours:g} hours: ask for a new one"
        )
    return _principal(claims)


def read_calendar_token(settings: ServiceSettings, token: str, feed: str) -> tuple[Principal, str]:
    """The holder of a valid calendar token for this feed, and the token's id."""
    claims = _claims(settings, token, also=("jti",))
    if claims.get("scope") != CALENDAR_SCOPE or claims.get("feed") != feed:
        raise ValueError("the token is not a calendar token for this feed")
    return _principal(claims), str(claims["jti"])


def _claims(settings: ServiceSettings, token: str, also: tuple[str, ...] = ()) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.auth_jwt_secret,
            algorithms=["HS256"],
            issuer=settings.auth_jwt_issuer,
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


_bearer = HTTPBearer(auto_error=False, description="JWT from `partnerships token`")


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
        principal = read_token(settings, credentials.credentials)
    except ValueError as exc:
        raise _unauthorized(str(exc)) from exc
    request.state.principal = principal
    context.act_as(principal.actor)
    return principal


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
