"""The ports of the events service: what its handlers need of storage, as Protocols.

Each repository Protocol has exactly the methods the handlers call. The Mongo adapters
(services/events/adapters/) and EventsUnitOfWork implement them for the running service; the
in-memory fakes of tests/unit/events_fakes.py implement them for the handler tests.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from contracts.attendance import EvaluationStage
from contracts.membership import HeldRole
from contracts.peer_review import PeerReviewStatus
from contracts.support import SupportStatus
from contracts.vocabulary import MembershipStatus
from eventkit import unit_of_work as eventkit_uow
from services.events.domain.activity import Activity
from services.events.domain.attendance import IssuedCertificate
from services.events.domain.booking import Booking
from services.events.domain.calendar_token import CalendarToken
from services.events.domain.case_study import CaseStudy, CaseStudyCriteria
from services.events.domain.directory import (
    OrganisationCopy,
    PartnershipCopy,
    PersonCopy,
    SchoolCopy,
)
from services.events.domain.evaluation import Evaluation
from services.events.domain.peer_review import PeerReview
from services.events.domain.placement_swap import PlacementSwap
from services.events.domain.publication import Publication
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

    async def contributed_to_by(self, person_id: str) -> list[Activity]:
        """Those the person is a confirmed speaker, facilitator or host of."""
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


class PlacementSwaps(Saving[PlacementSwap], Protocol):
    async def of_partnership(self, partnership_id: str) -> list[PlacementSwap]: ...
    async def of_visitor(self, person_id: str) -> list[PlacementSwap]:
        """The swaps with a leg on which the person is the visitor."""
        ...


class Publications(Saving[Publication], Protocol):
    async def of_partnership(self, partnership_id: str) -> list[Publication]: ...


class PeerReviews(Saving[PeerReview], Protocol):
    async def of_partnership(
        self, partnership_id: str, status: PeerReviewStatus | None = None
    ) -> list[PeerReview]:
        """In order of their first visit day."""
        ...


class Evaluations(Repository[Evaluation], Protocol):
    async def of_booking(self, booking_id: str) -> list[Evaluation]: ...
    async def of_activity(self, activity_id: str) -> list[Evaluation]: ...
    async def stages_of(self, booking_id: str) -> set[EvaluationStage]: ...
    async def erase_answers(self, person_id: str) -> int:
        """Remove the free text a person wrote or that was written about their booking; keep
        the ratings. Returns how many evaluations changed."""
        ...


class Certificates(Repository[IssuedCertificate], Protocol):
    pass


class CalendarTokens(Saving[CalendarToken], Protocol):
    async def of_holder(self, holder: str) -> list[CalendarToken]: ...


class Directory(Protocol):
    """This service's copy of what membership owns: partnerships, schools, people."""

    async def partnership(self, pid: str) -> PartnershipCopy | None: ...
    async def partnerships_of(self, urn: str) -> set[str]:
        """The partnerships the school is an active member of."""
        ...

    async def coordinated_by(self, person_id: str) -> set[str]:
        """The partnerships membership names this person coordinator of."""
        ...

    async def school(self, urn: str) -> SchoolCopy | None: ...
    async def schools(self) -> list[SchoolCopy]: ...
    async def person(self, person_id: str) -> PersonCopy | None: ...
    async def organisation(self, organisation_id: str) -> OrganisationCopy | None: ...

    # kept up to date from membership's events; each write is idempotent
    async def describe_partnership(self, pid: str, *, name: str, status: str) -> None: ...
    async def add_coordinator(self, pid: str, person_id: str) -> None: ...
    async def remove_coordinator(self, pid: str, person_id: str) -> None: ...
    async def set_membership(self, pid: str, urn: str, status: MembershipStatus) -> None: ...
    async def describe_school(self, school: SchoolCopy, fields: set[str]) -> None:
        """Set these fields of the school's copy (each event owns some of them)."""
        ...

    async def describe_person(self, person_id: str, *, name: str, email: str) -> None: ...
    async def describe_organisation(self, organisation: OrganisationCopy) -> None: ...
    async def put_role(self, person_id: str, role: HeldRole) -> None:
        """Add the role, or replace the one with its id."""
        ...

    async def end_role(self, person_id: str, role_id: str, ended_on: date) -> None: ...
    async def erase_person(self, person_id: str) -> None:
        """Keep the roles (counts still add up), drop the name and email."""
        ...


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
    def placement_swaps(self) -> PlacementSwaps: ...
    @property
    def publications(self) -> Publications: ...
    @property
    def peer_reviews(self) -> PeerReviews: ...
    @property
    def evaluations(self) -> Evaluations: ...
    @property
    def certificates(self) -> Certificates: ...
    @property
    def calendar_tokens(self) -> CalendarTokens: ...
    @property
    def directory(self) -> Directory: ...
    @property
    def policies(self) -> Policies: ...
    @property
    def offer_window(self) -> timedelta:
        """How long a waitlist offer stays open."""
        ...
