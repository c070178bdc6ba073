"""In-memory fakes of the events service's unit of work, repositories, directory and policies,
for handler tests. They implement the Protocols of services/events/service_layer/ports.py and keep
the promises of the Mongo adapters, without I/O (see tests/unit/fakes.py for the common ones:
fresh copies on every load, versions checked on save, writes staged until commit):

- `activities.take_places` takes places only on a published activity and only if they fit both
  its capacity and its per-school cap, in one step, and raises the version as the Mongo update
  does (so a copy loaded before it is stale); `give_back_places` returns them;
- `bookings.add` refuses a second booking with the same caller and idempotency key (Conflict),
  as the unique index does;
- commit collects integration events into `published` and internal events (PlacesFreed) into
  `follow_ups`, and returns them as eventkit's Committed does.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from unit.fakes import EXISTS, FakeRepository, FakeUnitOfWorkBase, Store

from contracts.activities import Session
from contracts.attendance import EvaluationStage
from contracts.membership import HeldRole
from contracts.peer_review import PeerReviewStatus
from contracts.support import SupportStatus
from contracts.vocabulary import ActivityStatus, BookingStatus, MembershipStatus, StaffRole
from eventkit.errors import Conflict
from services.events.domain.activity import Activity, ActivityDetails
from services.events.domain.attendance import IssuedCertificate
from services.events.domain.booking import Booking
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

SOURCE = "/school-partnerships/events"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WORKED_TOGETHER = (SupportStatus.ACTIVE, SupportStatus.REVIEWED, SupportStatus.CLOSED)


def _first_session(activity: Activity) -> datetime:
    return activity.details.sessions[0].starts_at


class FakeActivities(FakeRepository[Activity]):
    model = Activity
    table_name = "activities"
    id_field = "id"

    async def all(self) -> list[Activity]:
        return self._find(lambda a: True, sort=_first_session)

    async def in_partnerships(self, partnership_ids: set[str], *, drafts: bool) -> list[Activity]:
        return self._find(
            lambda a: (
                (
                    a.details.partnership_id in partnership_ids
                    or bool(set(a.details.open_to) & partnership_ids)
                    or a.details.county_wide
                )
                and (drafts or a.status != ActivityStatus.DRAFT)
            ),
            sort=_first_session,
        )

    async def contributed_to_by(self, person_id: str) -> list[Activity]:
        return self._find(
            lambda a: any(c.person_id == person_id for c in a.confirmed_contributors()),
            sort=_first_session,
        )

    async def with_ids(self, activity_ids: Iterable[str]) -> list[Activity]:
        wanted = set(activity_ids)
        return self._find(lambda a: a.id in wanted, sort=_first_session)

    def _write(self, activity_id: str, change: Any) -> bool:
        doc = self._current(activity_id)
        if doc is None:
            return False
        new = {**doc, "school_places": dict(doc.get("school_places", {}))}
        if not change(new):
            return False
        new["version"] = doc["version"] + 1
        self._staged[activity_id] = new
        self._based_on.setdefault(activity_id, self._stored.get(activity_id, {}).get("version", 0))
        return True

    async def take_places(self, activity_id: str, urn: str, places: int) -> bool:
        def take(doc: dict[str, Any]) -> bool:
            details = doc["details"]
            school = doc["school_places"].get(urn, 0)
            cap = details.get("per_school_cap")
            if doc["status"] != ActivityStatus.PUBLISHED.value:
                return False
            if doc["places_taken"] + places > details["capacity"]:
                return False
            if cap is not None and school + places > cap:
                return False
            doc["places_taken"] += places
            doc["school_places"][urn] = school + places
            return True

        return self._write(activity_id, take)

    async def give_back_places(self, activity_id: str, urn: str, places: int) -> None:
        def give_back(doc: dict[str, Any]) -> bool:
            doc["places_taken"] -= places
            doc["school_places"][urn] = doc["school_places"].get(urn, 0) - places
            return True

        self._write(activity_id, give_back)

    async def needing_minimum_warning(self, before: datetime) -> list[Activity]:
        return self._find(
            lambda a: (
                a.status == ActivityStatus.PUBLISHED
                and not a.minimum_warning_sent
                and a.details.minimum_numbers is not None
                and a.details.booking_closes_at is not None
                and a.details.booking_closes_at <= before
            )
        )


class FakeBookings(FakeRepository[Booking]):
    model = Booking
    table_name = "bookings"
    id_field = "id"

    async def add_many(self, aggregates: list[Booking]) -> None:
        keys = {(b.requested_by, b.idempotency_key) for b in self._all()}
        if any((b.requested_by, b.idempotency_key) in keys for b in aggregates):
            raise Conflict(EXISTS)
        await super().add_many(aggregates)

    def _all(self) -> list[Booking]:
        return [Booking.model_validate(d) for d in self._documents()]

    async def by_idempotency_key(self, requested_by: str, key: str) -> Booking | None:
        found = self._find(lambda b: b.requested_by == requested_by and b.idempotency_key == key)
        return found[0] if found else None

    async def by_check_in_code(self, activity_id: str, code: str) -> Booking | None:
        found = self._find(lambda b: b.activity_id == activity_id and b.check_in_code == code)
        return found[0] if found else None

    async def of_activity(self, activity_id: str) -> list[Booking]:
        return self._find(lambda b: b.activity_id == activity_id, sort=lambda b: b.queued_ns)

    async def of_person(self, person_id: str) -> list[Booking]:
        return self._find(lambda b: b.person_id == person_id, sort=lambda b: b.created_at)

    async def of_schools(self, urns: set[str]) -> list[Booking]:
        return self._find(lambda b: b.urn in urns, sort=lambda b: b.created_at)

    async def live_booking_of(self, person_id: str, activity_id: str) -> Booking | None:
        found = self._find(
            lambda b: (
                b.person_id == person_id
                and b.activity_id == activity_id
                and (b.status.counted or b.status == BookingStatus.WAITLISTED)
            )
        )
        return found[0] if found else None

    async def activities_with_a_waitlist(self) -> set[str]:
        return {b.activity_id for b in self._all() if b.status == BookingStatus.WAITLISTED}

    async def expired_offers(self, now: datetime) -> list[Booking]:
        return self._find(
            lambda b: (
                b.status == BookingStatus.OFFERED
                and b.offer_expires_at is not None
                and b.offer_expires_at < now
            )
        )


class FakeCaseStudies(FakeRepository[CaseStudy]):
    model = CaseStudy
    table_name = "case_studies"
    id_field = "id"

    async def matching(self, criteria: CaseStudyCriteria) -> list[CaseStudy]:
        found = self._find(criteria.admits)
        found.sort(key=lambda c: c.id)
        found.sort(key=lambda c: c.updated_at, reverse=True)
        return found[criteria.offset : criteria.offset + criteria.limit]


class FakeSupport(FakeRepository[SupportEngagement]):
    model = SupportEngagement
    table_name = "support_engagements"
    id_field = "id"

    async def all(self, status: SupportStatus | None = None) -> list[SupportEngagement]:
        return self._find(
            lambda e: status is None or e.status == status, sort=lambda e: e.requested_at
        )

    async def involving(
        self, *, partnerships: set[str], schools: set[str], status: SupportStatus | None = None
    ) -> list[SupportEngagement]:
        return self._find(
            lambda e: (
                (
                    e.partnership_id in partnerships
                    or e.requesting_urn in schools
                    or e.supporting_urn in schools
                )
                and (status is None or e.status == status)
            ),
            sort=lambda e: e.requested_at,
        )

    async def worked_together(self, urn: str, *, excluding: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for e in self._find(
            lambda e: (
                e.id != excluding
                and e.status in WORKED_TOGETHER
                and urn in (e.requesting_urn, e.supporting_urn)
            )
        ):
            other = e.supporting_urn if e.requesting_urn == urn else e.requesting_urn
            if other:
                counts[other] += 1
        return counts


class FakePlacementSwaps(FakeRepository[PlacementSwap]):
    model = PlacementSwap
    table_name = "placement_swaps"
    id_field = "id"

    async def of_partnership(self, partnership_id: str) -> list[PlacementSwap]:
        return self._find(
            lambda s: s.partnership_id == partnership_id, sort=lambda s: s.proposed_at
        )

    async def of_visitor(self, person_id: str) -> list[PlacementSwap]:
        return self._find(
            lambda s: any(leg.visitor_id == person_id for leg in s.legs),
            sort=lambda s: s.proposed_at,
        )


class FakePublications(FakeRepository[Publication]):
    model = Publication
    table_name = "publications"
    id_field = "id"

    async def of_partnership(self, partnership_id: str) -> list[Publication]:
        return self._find(lambda p: p.partnership_id == partnership_id, sort=lambda p: p.started_at)


class FakePeerReviews(FakeRepository[PeerReview]):
    model = PeerReview
    table_name = "peer_reviews"
    id_field = "id"

    async def of_partnership(
        self, partnership_id: str, status: PeerReviewStatus | None = None
    ) -> list[PeerReview]:
        return self._find(
            lambda r: r.partnership_id == partnership_id and status in (None, r.status),
            sort=lambda r: r.visit_dates[0],
        )


class FakeEvaluations(FakeRepository[Evaluation]):
    model = Evaluation
    table_name = "evaluations"
    id_field = "id"

    async def of_booking(self, booking_id: str) -> list[Evaluation]:
        return self._find(lambda e: e.booking_id == booking_id, sort=lambda e: e.submitted_at)

    async def of_activity(self, activity_id: str) -> list[Evaluation]:
        return self._find(lambda e: e.activity_id == activity_id, sort=lambda e: e.submitted_at)

    async def stages_of(self, booking_id: str) -> set[EvaluationStage]:
        return {e.stage for e in await self.of_booking(booking_id)}

    async def erase_answers(self, person_id: str) -> int:
        about = self._find(
            lambda e: person_id in (e.person_id, e.author_id) and not e.answers_erased
        )
        for evaluation in about:
            evaluation.answers, evaluation.answers_erased = {}, True
            await self.save(evaluation)
        return len(about)


class FakeCertificates(FakeRepository[IssuedCertificate]):
    model = IssuedCertificate
    table_name = "issued_certificates"
    id_field = "booking_id"


class FakeDirectory:
    """The copy of membership's partnerships, schools and people; arrange it with the helpers."""

    def __init__(self) -> None:
        self.partnerships: dict[str, PartnershipCopy] = {}
        self.schools_by_urn: dict[str, SchoolCopy] = {}
        self.people: dict[str, PersonCopy] = {}
        self.organisations: dict[str, OrganisationCopy] = {}

    # arranging

    def add_partnership(
        self,
        pid: str,
        *,
        members: Iterable[str] = (),
        coordinators: Iterable[str] = (),
        invited: Iterable[str] = (),
        name: str = "",
    ) -> PartnershipCopy:
        status = {u: MembershipStatus.ACTIVE for u in members} | {
            u: MembershipStatus.INVITED for u in invited
        }
        copy = PartnershipCopy(
            id=pid, name=name or pid, members=status, coordinators=list(coordinators)
        )
        self.partnerships[pid] = copy
        return copy

    def add_school(self, urn: str, **fields: Any) -> SchoolCopy:
        copy = SchoolCopy(urn=urn, **fields)
        self.schools_by_urn[urn] = copy
        return copy

    def add_person(
        self,
        person_id: str,
        name: str = "",
        *,
        works_at: Iterable[str] = (),
        approves_at: Iterable[str] = (),
        since: date = date(2020, 1, 1),
    ) -> PersonCopy:
        roles = [
            HeldRole(
                role_id=f"{person_id}-t-{urn}", role=StaffRole.TEACHER, urn=urn, starts_on=since
            )
            for urn in works_at
        ] + [
            HeldRole(
                role_id=f"{person_id}-a-{urn}",
                role=StaffRole.CPD_APPROVER,
                urn=urn,
                starts_on=since,
            )
            for urn in approves_at
        ]
        copy = PersonCopy(id=person_id, name=name or person_id, email="", roles=roles)
        self.people[person_id] = copy
        return copy

    # the Directory port

    async def partnership(self, pid: str) -> PartnershipCopy | None:
        return self.partnerships.get(pid)

    async def partnerships_of(self, urn: str) -> set[str]:
        return {pid for pid, p in self.partnerships.items() if urn in p.active_members()}

    async def coordinated_by(self, person_id: str) -> set[str]:
        return {pid for pid, p in self.partnerships.items() if person_id in p.coordinators}

    async def school(self, urn: str) -> SchoolCopy | None:
        return self.schools_by_urn.get(urn)

    async def schools(self) -> list[SchoolCopy]:
        return list(self.schools_by_urn.values())

    async def person(self, person_id: str) -> PersonCopy | None:
        return self.people.get(person_id)

    async def organisation(self, organisation_id: str) -> OrganisationCopy | None:
        return self.organisations.get(organisation_id)

    async def describe_organisation(self, organisation: OrganisationCopy) -> None:
        self.organisations[organisation.id] = organisation

    async def describe_partnership(self, pid: str, *, name: str, status: str) -> None:
        copy = self.partnerships.setdefault(pid, PartnershipCopy(id=pid))
        copy.name, copy.status = name, status

    async def add_coordinator(self, pid: str, person_id: str) -> None:
        copy = self.partnerships.setdefault(pid, PartnershipCopy(id=pid))
        if person_id not in copy.coordinators:
            copy.coordinators.append(person_id)

    async def remove_coordinator(self, pid: str, person_id: str) -> None:
        if copy := self.partnerships.get(pid):
            copy.coordinators = [c for c in copy.coordinators if c != person_id]

    async def set_membership(self, pid: str, urn: str, status: MembershipStatus) -> None:
        self.partnerships.setdefault(pid, PartnershipCopy(id=pid)).members[urn] = status

    async def describe_school(self, school: SchoolCopy, fields: set[str]) -> None:
        known = self.schools_by_urn.get(school.urn, SchoolCopy(urn=school.urn))
        self.schools_by_urn[school.urn] = known.model_copy(update=school.model_dump(include=fields))

    async def describe_person(self, person_id: str, *, name: str, email: str) -> None:
        known = self.people.get(person_id, PersonCopy(id=person_id))
        if not known.erased:
            self.people[person_id] = known.model_copy(update={"name": name, "email": email})

    async def put_role(self, person_id: str, role: HeldRole) -> None:
        known = self.people.setdefault(person_id, PersonCopy(id=person_id))
        known.roles = [r for r in known.roles if r.role_id != role.role_id] + [role]

    async def end_role(self, person_id: str, role_id: str, ended_on: date) -> None:
        if known := self.people.get(person_id):
            for role in known.roles:
                if role.role_id == role_id:
                    role.ends_on = ended_on

    async def erase_person(self, person_id: str) -> None:
        known = self.people.get(person_id, PersonCopy(id=person_id))
        self.people[person_id] = known.model_copy(
            update={"name": "(erased)", "email": "", "erased": True}
        )


class FakePolicies:
    def __init__(self) -> None:
        self.need_approval: set[str] = set()

    async def needs_approval(self, urn: str) -> bool:
        return urn in self.need_approval

    async def set_needs_approval(self, urn: str, value: bool) -> None:
        if value:
            self.need_approval.add(urn)
        else:
            self.need_approval.discard(urn)


class EventsFakeUnitOfWork(FakeUnitOfWorkBase):
    """Use like EventsUnitOfWork: `async with uow: ...; await uow.commit()`. Several over one
    Store (and one directory) behave like concurrent requests on one database."""

    activities: FakeActivities
    bookings: FakeBookings
    case_studies: FakeCaseStudies
    support: FakeSupport
    peer_reviews: FakePeerReviews
    placement_swaps: FakePlacementSwaps
    publications: FakePublications
    evaluations: FakeEvaluations
    certificates: FakeCertificates

    def __init__(
        self,
        store: Store | None = None,
        directory: FakeDirectory | None = None,
        policies: FakePolicies | None = None,
        offer_window: timedelta = timedelta(hours=48),
    ) -> None:
        self.directory = directory if directory is not None else FakeDirectory()
        self.policies = policies if policies is not None else FakePolicies()
        self.offer_window = offer_window
        super().__init__(store)

    def _open_repositories(self) -> None:
        self.activities = FakeActivities(self.store)
        self.bookings = FakeBookings(self.store)
        self.case_studies = FakeCaseStudies(self.store)
        self.support = FakeSupport(self.store)
        self.peer_reviews = FakePeerReviews(self.store)
        self.placement_swaps = FakePlacementSwaps(self.store)
        self.publications = FakePublications(self.store)
        self.evaluations = FakeEvaluations(self.store)
        self.certificates = FakeCertificates(self.store)

    def _repositories(self) -> tuple[FakeRepository[Any], ...]:
        return (
            self.activities,
            self.bookings,
            self.case_studies,
            self.support,
            self.peer_reviews,
            self.placement_swaps,
            self.publications,
            self.evaluations,
            self.certificates,
        )


# -- arranging a world ---------------------------------------------------------------------------

P1, P2 = "p1", "p2"
A, B, C = "100001", "100002", "100003"
"""Schools A and B are members of P1; C of P2."""
STARTS = NOW + timedelta(days=14)


def details(**changes: Any) -> ActivityDetails:
    fields: dict[str, Any] = {
        "title": "Maths TeachMeet",
        "category": "teacher_development",
        "format": "teachmeet",
        "partnership_id": P1,
        "venue": "King's Ely, Ely",
        "sessions": [Session(starts_at=STARTS, ends_at=STARTS + timedelta(hours=2))],
        "capacity": 20,
    }
    fields.update(changes)
    return ActivityDetails.model_validate(fields)


def world() -> EventsFakeUnitOfWork:
    """A unit of work over an empty store and a directory of two partnerships, their schools
    and a few people: ann and bob teach at A, cat at B, dan at C; vic approves CPD at A."""
    uow = EventsFakeUnitOfWork()
    d = uow.directory
    d.add_partnership(P1, members=[A, B], coordinators=["coco"], name="Fenland")
    d.add_partnership(P2, members=[C], name="Ouse")
    for urn in (A, B, C):
        d.add_school(urn, name=f"School {urn}")
    d.add_person("ann", "Ann Able", works_at=[A])
    d.add_person("bob", "Bob Brown", works_at=[A])
    d.add_person("cat", "Cat Cole", works_at=[B])
    d.add_person("dan", "Dan Dee", works_at=[C])
    d.add_person("vic", "Vic Vale", works_at=[A], approves_at=[A])
    return uow


async def given_activity(
    uow: EventsFakeUnitOfWork,
    status: ActivityStatus = ActivityStatus.PUBLISHED,
    activity_id: str = "act1",
    **changes: Any,
) -> Activity:
    activity = Activity(id=activity_id, details=details(**changes), status=status)
    async with uow:
        await uow.activities.add(activity)
        await uow.commit()
    return activity


async def stored(uow: EventsFakeUnitOfWork, booking_id: str) -> Booking:
    async with uow:
        booking = await uow.bookings.get(booking_id)
    assert booking is not None
    return booking


async def stored_activity(uow: EventsFakeUnitOfWork, activity_id: str = "act1") -> Activity:
    async with uow:
        activity = await uow.activities.get(activity_id)
    assert activity is not None
    return activity
