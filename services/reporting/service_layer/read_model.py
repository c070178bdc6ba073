"""What the handlers need of the read model: the port its adapters implement."""

from collections.abc import Collection, Iterable
from typing import Protocol

from contracts.vocabulary import MembershipRole, MembershipStatus
from services.reporting.domain.records import MembershipRecord, PartnershipRecord, SchoolRecord


class ReadModelWriter(Protocol):
    """Every write is an upsert that sets fields, so replaying an event changes nothing more;
    only the coordinator count adds up, and the inbox applies each event to it once."""

    async def describe_partnership(self, partnership: PartnershipRecord) -> None: ...
    async def add_coordinator(self, partnership_id: str, person_id: str) -> None: ...
    async def remove_coordinator(self, partnership_id: str, person_id: str) -> None: ...
    async def set_membership(
        self,
        partnership_id: str,
        urn: str,
        status: MembershipStatus,
        role: MembershipRole | None = None,
    ) -> None: ...
    async def describe_school(self, school: SchoolRecord) -> None: ...


class ReadModelReader(Protocol):
    async def partnerships(self, ids: Collection[str] | None = None) -> list[PartnershipRecord]:
        """The described partnerships with these ids (all when None), by name."""
        ...

    async def memberships(self, partnership_ids: Collection[str]) -> list[MembershipRecord]: ...
    async def coordinated_by(self, person_id: str) -> set[str]:
        """The partnerships membership says this person coordinates."""
        ...

    async def memberships_of_schools(self, urns: Collection[str]) -> list[MembershipRecord]: ...
    async def schools(self, urns: Iterable[str]) -> dict[str, SchoolRecord]: ...
