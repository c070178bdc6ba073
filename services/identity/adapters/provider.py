"""The county's OpenID provider: its ID tokens verified with the keys it publishes."""

import time
from typing import Any

import httpx
import jwt

from services.identity.domain.identity import VerifiedIdentity

ALGORITHMS = ["RS256", "ES256", "PS256"]


class OpenIdProvider:
    def __init__(
        self, http: httpx.AsyncClient, issuer: str, client_id: str, metadata_url: str = ""
    ) -> None:
        self.http = http
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.metadata_url = metadata_url or f"{self.issuer}/.well-known/openid-configuration"
        self._keys: jwt.PyJWKSet | None = None
        self._fetched_at = float("-inf")

    async def _key_set(self, refresh: bool) -> jwt.PyJWKSet:
        if self._keys is None or (refresh and time.monotonic() - self._fetched_at > 1):
            config = await self.http.get(self.metadata_url)
            config.raise_for_status()
            keys = await self.http.get(config.json()["jwks_uri"])
            keys.raise_for_status()
            self._keys = jwt.PyJWKSet.from_dict(keys.json())
            self._fetched_at = time.monotonic()
        return self._keys

    async def verify(self, id_token: str) -> VerifiedIdentity:
        """The subject and verified email of a valid ID token; ValueError otherwise."""
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
        except jwt.PyJWTError:
            raise ValueError("the ID token is not a JWT") from None
        for refresh in (False, True):
            key_set = await self._key_set(refresh)
            keys = [k for k in key_set.keys if kid is None or k.key_id == kid]
            if len(keys) == 1:
                return self._claims(id_token, keys[0])
        raise ValueError("the ID token is signed with a key the provider does not publish")

    def _claims(self, id_token: str, key: jwt.PyJWK) -> VerifiedIdentity:
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=ALGORITHMS,
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["sub", "exp", "iat", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise ValueError(f"the ID token is not valid: {exc}") from None
        email = claims.get("email")
        if not isinstance(email, str) or claims.get("email_verified") is not True:
            raise ValueError("the provider did not vouch for an email address")
        return VerifiedIdentity(subject=str(claims["sub"]), email=email.lower())
