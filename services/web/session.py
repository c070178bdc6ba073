"""Browser sessions, kept on the server: the cookie holds a random id only (HttpOnly, Secure,
SameSite=Lax, `__Host-` so no other site or path can set it); the session itself (who signed
in, their tokens, the CSRF token, the sign-in's state) is a document in the web's own database
under the id's hash, so neither a stolen database nor a log gives anyone a session.

Every unsafe request (POST) must carry the session's CSRF token (`csrf_token` form field or
`X-CSRF-Token` header, for htmx); else it is refused before any route runs.
"""

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from pymongo import AsyncMongoClient

COOKIE = "__Host-session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
ROTATE = "session.rotate"
END = "session.end"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSIONLESS = ("/static/", "/health", "/ready")


class SessionStore:
    def __init__(self, client: AsyncMongoClient[dict[str, Any]], database: str) -> None:
        self.sessions = client[database]["sessions"]
        self._indexed = False

    async def load(self, session_id: str) -> dict[str, Any] | None:
        found = await self.sessions.find_one({"_id": _key(session_id)})
        if found is None or found["expires_at"].replace(tzinfo=UTC) <= datetime.now(UTC):
            return None
        data: dict[str, Any] = found["data"]
        return data

    async def save(self, session_id: str, data: dict[str, Any], lifetime: timedelta) -> None:
        expires_at = datetime.now(UTC) + lifetime
        if not self._indexed:  # on first use: the pages that need no session start without it
            await self.sessions.create_index("expires_at")
            self._indexed = True
        await self.sessions.replace_one(
            {"_id": _key(session_id)}, {"data": data, "expires_at": expires_at}, upsert=True
        )

    async def delete(self, session_id: str) -> None:
        await self.sessions.delete_one({"_id": _key(session_id)})
        await self.sessions.delete_many({"expires_at": {"$lte": datetime.now(UTC)}})


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the page's forms carry it)."""
    session: dict[str, Any] = request.session
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(session[CSRF_FIELD])


def rotate(request: Request) -> None:
    """Give the session a new id (after sign-in: an id known before it is worth nothing)."""
    request.scope[ROTATE] = True


def end(request: Request) -> None:
    request.scope[END] = True


def install(
    app: FastAPI,
    store: Callable[[], SessionStore],
    lifetime: timedelta,
    refused: Callable[[Request], Response],
    on_load: Callable[[Request], Awaitable[object]],
) -> None:
    """Load the session before each page (then `on_load`: who is looking) and keep it after;
    refuse an unsafe request without the session's CSRF token."""

    @app.middleware("http")
    async def sessions(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith(SESSIONLESS):
            return await call_next(request)
        sessions_ = store()
        session_id = request.cookies.get(COOKIE)
        data = (await sessions_.load(session_id) if session_id else None) or {}
        before = dict(data)
        request.scope["session"] = data
        if request.method not in SAFE_METHODS and not await _csrf_ok(request, data):
            return refused(request)
        await on_load(request)
        response = await call_next(request)
        if request.scope.get(END):
            if session_id:
                await sessions_.delete(session_id)
            response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="lax")
            return response
        if request.scope.get(ROTATE) and session_id:
            await sessions_.delete(session_id)
            session_id = None
        if data != before or (session_id is None and data):
            session_id = session_id or secrets.token_urlsafe(32)
            await sessions_.save(session_id, data, lifetime)
            response.set_cookie(
                COOKIE,
                session_id,
                max_age=int(lifetime.total_seconds()),
                path="/",
                secure=True,
                httponly=True,
                samesite="lax",
            )
        return response


async def _csrf_ok(request: Request, session: dict[str, Any]) -> bool:
    expected = session.get(CSRF_FIELD)
    if not expected:
        return False
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        body = await request.body()  # Starlette keeps it for the route to read again
        given = next(iter(parse_qs(body.decode(errors="replace")).get(CSRF_FIELD, [])), None)
    return given is not None and hmac.compare_digest(given, str(expected))
