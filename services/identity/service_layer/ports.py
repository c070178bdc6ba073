"""What the identity service's handlers need from the world."""

from typing import Protocol

from contracts.sign_in import PersonAccess
from eventkit.auth import SigningKey
from services.identity.domain.identity import VerifiedIdentity


class Keys(Protocol):
    def active(self) -> SigningKey: ...
    def published(self) -> list[SigningKey]: ...


class Directory(Protocol):
    async def access_of(
        self, *, email: str | None = None, person_id: str | None = None
    ) -> PersonAccess | None: ...


class Provider(Protocol):
    async def verify(self, id_token: str) -> VerifiedIdentity: ...
