"""Registered clients: who may ask for tokens without a person, and which may sign people in."""

import hashlib
import hmac

from pydantic import BaseModel, Field

from eventkit.auth import Role


class Client(BaseModel):
    client_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    secret_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    role: Role = Role.SERVICE
    may_sign_people_in: bool = Field(
        False, description="The web front end: exchanges a person's ID token for their tokens"
    )

    def verifies(self, secret: str) -> bool:
        given = hashlib.sha256(secret.encode()).hexdigest()
        return hmac.compare_digest(given, self.secret_sha256)


class ClientRegistry(BaseModel):
    clients: list[Client] = Field(default_factory=list)

    def authenticate(self, client_id: str, secret: str) -> Client | None:
        client = next((c for c in self.clients if c.client_id == client_id), None)
        return client if client is not None and client.verifies(secret) else None


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
