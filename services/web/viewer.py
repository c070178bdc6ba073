"""Who is looking at a page: the signed-in person, acting in one of the ways they may, with the
token the pages call the services with. Their tokens are checked with the identity service at
least every `SESSION_RECHECK_SECONDS`, so a session ends within that long of the person's roles
ending.
"""

import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from services.web import session
from services.web.adapters.identity import EARLY_SECONDS, IdentityClient, SignInRefused

GRANT = "grant"


@dataclass(frozen=True)
class Way:
    role: str
    label: str


@dataclass(frozen=True)
class Viewer:
    person_id: str
    name: str
    acting_as: str
    ways: tuple[Way, ...]
    token: str

    @property
    def way(self) -> Way:
        return next(w for w in self.ways if w.role == self.acting_as)


class NotSignedIn(Exception):
    """The page needs a signed-in person: they are sent to sign in, and back here after."""


def keep_grant(request: Request, grant: dict[str, Any]) -> None:
    """What the session keeps of the identity service's answer."""
    request.session[GRANT] = {
        "access_token": grant["access_token"],
        "expires_at": time.time() + grant["expires_in"],
        "checked_at": time.time(),
        "refresh_token": grant["refresh_token"],
        "person": grant["person"],
        "acting_as": grant["acting_as"],
        "ways": [{"role": w["role"], "label": w["label"]} for w in grant["ways"]],
    }


async def current_viewer(request: Request) -> Viewer | None:
    """The signed-in person, or None; a session whose person may no longer act ends here.
    Found once per request (the session middleware asks first); a route's dependency reuses it."""
    found: Viewer | None = getattr(request.state, "viewer", None)
    if found is not None:
        return found
    kept = request.session.get(GRANT)
    if not kept:
        return None
    now = time.time()
    recheck = request.app.state.settings.session_recheck_seconds
    if now - kept["checked_at"] > recheck or kept["expires_at"] - now < EARLY_SECONDS:
        identity: IdentityClient = request.app.state.identity
        try:
            keep_grant(request, await identity.refresh(kept["refresh_token"], kept["acting_as"]))
        except SignInRefused as refused:
            request.session.clear()
            session.end(request)
            request.state.session_ended = str(refused)
            return None
        kept = request.session[GRANT]
    viewer = Viewer(
        person_id=kept["person"]["id"],
        name=kept["person"]["name"],
        acting_as=kept["acting_as"],
        ways=tuple(Way(w["role"], w["label"]) for w in kept["ways"]),
        token=kept["access_token"],
    )
    request.state.viewer = viewer
    return viewer


async def signed_in(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise NotSignedIn()
    return viewer


MaybeViewer = Annotated[Viewer | None, Depends(current_viewer)]
SignedIn = Annotated[Viewer, Depends(signed_in)]


def needs_role(*roles: str) -> Any:
    """A dependency: the signed-in person acting in one of these roles (else 403 page)."""

    async def check(viewer: SignedIn) -> Viewer:
        if viewer.acting_as not in roles:
            raise WrongRole(viewer, roles)
        return viewer

    return Depends(check)


class WrongRole(Exception):
    def __init__(self, viewer: Viewer, roles: tuple[str, ...]) -> None:
        self.viewer = viewer
        self.roles = roles
