"""The identity service, as the web front end uses it: its own service token (client
credentials), and a person's tokens (their ID token exchanged, then refreshed)."""

import time
from typing import Any

import httpx

EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token"
EARLY_SECONDS = 30
"""A token this close to its end is asked for again."""


class SignInRefused(Exception):
    """The identity service would not give the person a token: it says why."""


class IdentityClient:
    def __init__(self, http: httpx.AsyncClient, client_id: str, client_secret: str) -> None:
        self.http = http
        self.auth = (client_id, client_secret)
        self._own: tuple[str, float] | None = None

    async def public(self) -> str:
        """The web's own token, for pages anyone may read."""
        if self._own is None or self._own[1] - time.monotonic() < EARLY_SECONDS:
            grant = await self._token({"grant_type": "client_credentials"})
            self._own = (grant["access_token"], time.monotonic() + grant["expires_in"])
        return self._own[0]

    async def sign_in(self, id_token: str) -> dict[str, Any]:
        form = {"grant_type": EXCHANGE, "subject_token": id_token, "subject_token_type": ID_TOKEN}
        return await self._token(form)

    async def refresh(self, refresh_token: str, acting_as: str | None) -> dict[str, Any]:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if acting_as:
            form["acting_as"] = acting_as
        return await self._token(form)

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        response = await self.http.post("/token", data=form, auth=self.auth)
        if response.status_code == 400:
            raise SignInRefused(str(response.json().get("detail", "")).partition(": ")[2])
        response.raise_for_status()
        grant: dict[str, Any] = response.json()
        return grant
