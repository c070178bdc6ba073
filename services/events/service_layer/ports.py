"""The ports of the events service: what its handlers need of storage, as Protocols.

Each repository Protocol has exactly the methods the handlers call. The Mongo adapters
(services/events/adapters/) and EventsUnitOfWork implement them for the running service; the
in-memory fakes of tests/unit/events_fakes.py implement them for the handler tests.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from contracts.attendance import EvaluationStage
from contracts.support import SupportStatus
from eventkit import unit_of_work as eventkit_uow
from services.events.domain.activity import Activity
from services.events.domain.attendance import IssuedCertificate
from services.events.domain.booking import Booking
from services.events.domain.case_study import CaseStudy, CaseStudyCriteria
from services.events.domain.directory import PartnershipCopy, PersonCopy, SchoolCopy
from services.events.domain.evaluation import Evaluation
from services.events.domain.support import SupportEngagement

A = TypeVar("A")


class Repository(Protocol[A]):
    async def get(self, aggregate_id: str) -> A | None: ...
    async def add(self, aggregate: A) -> None: ...


class Saving(Repository[A], Protocol):
    async def save(self, aggregate: A) -> None: ...


class Activities(Saving[Activity], Protocol):
    async def all(self) -> list[Activity]: ...
    async def in_partnerships(
        self, partnership_ids: set[str], *, drafts: bool
    ) -> list[Activity]: ...
    async def with_ids(self, activity_ids: Iterable[str]) -> list[Activity]:
        """These activities, in order of their first session."""
        ...

    async def take_places(self, activity_id: str, urn: str, places: int) -> bool:
        """Take `places` for the school if the activity is published and they fit its capacity
        and per-school cap; True if taken."""
        ...

    async def give_back_places(self, activity_id: str, urn: str, places: int) -> None: ...
    async def needing_minimum_warning(self, before: datetime) -> list[Activity]: ...


class Bookings(Saving[Booking], Protocol):
    async def by_idempotency_key(self, requested_by: str, key: str) -> Booking | None: ...
    async def by_check_in_code(self, activity_id: str, code: str) -> Booking | None: ...
    async def of_activity(self, activity_id: str) -> list[Booking]:
        """In arrival order (first come, first served)."""
        ...

    async def of_person(self, person_id: str) -> list[Booking]: ...
    async def live_booking_of(self, person_id: str, activity_id: str) -> Booking | None:
        """The person's booking here that holds or waits for a place, if any."""
        ...

    async def of_schools(self, urns: set[str]) -> list[Booking]: ...
    async def activities_with_a_waitlist(self) -> set[str]: ...
    async def expired_offers(self, now: datetime) -> list[Booking]: ...


class CaseStudies(Saving[CaseStudy], Protocol):
    async def matching(self, criteria: CaseStudyCriteria) -> list[CaseStudy]:
        """Those meeting the criteria, most recently changed first."""
        ...


class SupportEngagements(Saving[SupportEngagement], Protocol):
    async def all(self, status: SupportStatus | None = None) -> list[SupportEngagement]: ...
    async def involving(
        self, *, partnerships: set[str], schools: set[str], status: SupportStatus | None = None
    ) -> list[SupportEngagement]: ...
    async def worked_together(self, urn: str, *, excluding: str) -> Counter[str]: ...


class Evaluations(Repository[Evaluation], Protocol):
    async def of_booking(self, booking_id: str) -> list[Evaluation]: ...
    async def of_activity(self, activity_id: str) -> list[Evaluation]: ...
    async def stages_of(self, booking_id: str) -> set[EvaluationStage]: ...


class Certificates(Repository[IssuedCertificate], Protocol):
    pass


class Directory(Protocol):
    """This service's copy of what membership owns: partnerships, schools, people."""

    async def partnership(self, pid: str) -> PartnershipCopy | None: ...
    async def partnerships_of(self, urn: str) -> set[str]:
        """The partnerships the school is an active member of."""
        ...

    async def school(self, urn: str) -> SchoolCopy | None: ...
    async def schools(self) -> list[SchoolCopy]: ...
    async def person(self, person_id: str) -> PersonCopy | None: ...


class Policies(Protocol):
    """Each school's booking policy: whether staff bookings wait for a CPD approver."""

    async def needs_approval(self, urn: str) -> bool: ...
    async def set_needs_approval(self, urn: str, value: bool) -> None: ...


class UnitOfWork(eventkit_uow.UnitOfWork, Protocol):
    @property
    def activities(self) -> Activities: ...
    @property
    def bookings(self) -> Bookings: ...
    @property
    def case_studies(self) -> CaseStudies: ...
    @property
    def support(self) -> SupportEngagements: ...
    @property
    def evaluations(self) -> Evaluations: ...
    @property
    def certificates(self) -> Certificates: ...
    @property
    def directory(self) -> Directory: ...
    @property
    def policies(self) -> Policies: ...
    @property
    def offer_window(self) -> timedelta:
        """How long a waitlist offer stays open."""
        ...
