"""Membership's answer to what a person signing in may do, over HTTP with our own token."""

from datetime import timedelta

import httpx

from contracts.sign_in import PersonAccess
from eventkit.auth import Role, mint_token
from services.identity.adapters.key_files import KeyFiles


class MembershipDirectory:
    def __init__(self, http: httpx.AsyncClient, keys: KeyFiles) -> None:
        self.http = http
        self.keys = keys

    async def access_of(
        self, *, email: str | None = None, person_id: str | None = None
    ) -> PersonAccess | None:
        token = mint_token(
            self.keys.active(), subject="identity", role=Role.SERVICE, ttl=timedelta(minutes=2)
        )
        response = await self.http.post(
            "/people/access",
            json={"email": email, "person_id": person_id},
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return PersonAccess.model_validate(response.json())
