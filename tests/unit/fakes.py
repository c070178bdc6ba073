"""In-memory fakes of the membership service's unit of work and repositories, for handler tests.

They keep the promises of the Mongo ones (services/membership/adapters/repositories.py and
MembershipUnitOfWork), without I/O:
- aggregates are stored as their JSON documents, so every load is a fresh copy, as from a database;
- `add` and `add_many` start an aggregate at version 1 and refuse an id that exists (Conflict);
  `save` succeeds only if the stored version is still the one the aggregate was loaded with, and
  raises eventkit.errors.Conflict otherwise;
- writes are staged inside the `async with` block and reach the shared `Store` only on commit;
  leaving the block without commit discards them (like aborting the transaction);
- commit collects the events every loaded or added aggregate recorded into `published` (the
  outbox, in order) and sets `committed`.

Several FakeUnitOfWork objects over one Store behave like concurrent requests on one database.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

from contracts.envelope import Envelope, IntegrationEvent
from eventkit.aggregate import Aggregate, InternalEvent, Recorded
from eventkit.auth import Principal, Role
from eventkit.errors import Conflict
from eventkit.unit_of_work import Committed
from services.membership.domain.board import Board
from services.membership.domain.board_meeting import BoardMeeting
from services.membership.domain.organisation import Organisation
from services.membership.domain.partnership import Partnership
from services.membership.domain.person import Person
from services.membership.domain.relationship import SchoolRelationship
from services.membership.domain.school import School

A = TypeVar("A", bound=Aggregate)
Document = dict[str, Any]

SOURCE = "/school-partnerships/membership"
STALE = "it was changed by someone else meanwhile; fetch it again and retry"
EXISTS = "it already exists (added by someone else meanwhile)"


@dataclass
class Store:
    """The 'database': one table of JSON documents per aggregate type, keyed by aggregate id."""

    tables: dict[str, dict[str, Document]] = field(default_factory=dict)

    def table(self, name: str) -> dict[str, Document]:
        return self.tables.setdefault(name, {})


class FakeRepository(Generic[A]):
    model: type[A]
    table_name: str
    id_field: str

    def __init__(self, store: Store) -> None:
        self._stored = store.table(self.table_name)
        self._staged: dict[str, Document] = {}
        self._based_on: dict[str, int] = {}
        self.seen: list[A] = []

    # what this unit of work sees: the stored documents with its own writes on top
    def _current(self, aggregate_id: str) -> Document | None:
        return self._staged.get(aggregate_id, self._stored.get(aggregate_id))

    def _documents(self) -> list[Document]:
        return [d for key in {**self._stored, **self._staged} if (d := self._current(key))]

    def _load(self, doc: Document) -> A:
        aggregate = self.model.model_validate(doc)
        self.seen.append(aggregate)
        return aggregate

    def _find(
        self, matches: Callable[[A], bool], sort: Callable[[A], Any] | None = None
    ) -> list[A]:
        found = [a for a in map(self.model.model_validate, self._documents()) if matches(a)]
        if sort:
            found.sort(key=sort)
        self.seen.extend(found)
        return found

    def _id(self, aggregate: A) -> str:
        return str(getattr(aggregate, self.id_field))

    def _stage(self, aggregate: A, based_on: int) -> None:
        key = self._id(aggregate)
        self._staged[key] = aggregate.model_dump(mode="json")
        self._based_on.setdefault(key, based_on)

    async def get(self, aggregate_id: str) -> A | None:
        doc = self._current(aggregate_id)
        return self._load(doc) if doc else None

    async def add(self, aggregate: A) -> None:
        await self.add_many([aggregate])

    async def add_many(self, aggregates: list[A]) -> None:
        if any(self._current(self._id(a)) is not None for a in aggregates):
            raise Conflict(EXISTS)
        for aggregate in aggregates:
            aggregate.version = 1
            self._stage(aggregate, based_on=0)
        self.seen.extend(aggregates)

    async def save(self, aggregate: A) -> None:
        expected = aggregate.version
        current = self._current(self._id(aggregate))
        if current is None or current["version"] != expected:
            raise Conflict(STALE)
        aggregate.version = expected + 1
        self._stage(aggregate, based_on=self._stored.get(self._id(aggregate), {}).get("version", 0))

    def check_not_stale(self) -> None:
        """Raise Conflict if another unit of work committed any of these documents meanwhile."""
        for key, based_on in self._based_on.items():
            if self._stored.get(key, {}).get("version", 0) != based_on:
                raise Conflict(STALE)

    def write_staged(self) -> None:
        self._stored.update(self._staged)


class FakePartnerships(FakeRepository[Partnership]):
    model = Partnership
    table_name = "partnerships"
    id_field = "id"

    async def all(self) -> list[Partnership]:
        return self._find(lambda p: True, sort=lambda p: p.details.name)

    async def related_to(
        self, partnership_ids: Iterable[str], person_id: str | None, urns: Iterable[str]
    ) -> list[Partnership]:
        ids, schools = set(partnership_ids), set(urns)
        return self._find(
            lambda p: (
                p.id in ids
                or (person_id is not None and person_id in p.coordinators)
                or bool(schools & p.memberships.keys())
            ),
            sort=lambda p: p.details.name,
        )


class FakeSchools(FakeRepository[School]):
    model = School
    table_name = "schools"
    id_field = "urn"

    async def search(
        self,
        *,
        la_code: str | None,
        sector: str | None,
        phase: str | None,
        name: str | None,
        limit: int,
        skip: int,
    ) -> list[School]:
        found = self._find(
            lambda s: (
                (not la_code or s.details.la_code == la_code)
                and (not sector or s.details.sector == sector)
                and (not phase or s.details.phase == phase)
                and (not name or name.lower() in s.details.name.lower())
            ),
            sort=lambda s: s.details.name,
        )
        return found[skip : skip + limit] if limit else found[skip:]

    async def get_many(self, urns: Iterable[str]) -> dict[str, School]:
        wanted = set(urns)
        return {s.urn: s for s in self._find(lambda s: s.urn in wanted)}


class FakePeople(FakeRepository[Person]):
    model = Person
    table_name = "people"
    id_field = "id"

    async def all(self) -> list[Person]:
        return self._find(lambda p: True, sort=_by_name)

    async def with_email(self, email: str) -> Person | None:
        found = self._find(lambda p: p.details is not None and p.details.email == email)
        return found[0] if found else None

    async def at(self, urns: Iterable[str], partnership_ids: Iterable[str]) -> list[Person]:
        schools, partnerships = set(urns), set(partnership_ids)
        return self._find(
            lambda p: any(r.urn in schools or r.partnership_id in partnerships for r in p.roles),
            sort=_by_name,
        )


class FakeRelationships(FakeRepository[SchoolRelationship]):
    model = SchoolRelationship
    table_name = "school_relationships"
    id_field = "id"

    async def of_school(self, urn: str) -> list[SchoolRelationship]:
        return self._find(
            lambda r: urn in {r.details.first.school_urn, r.details.second.school_urn},
            sort=lambda r: r.details.starts_on,
        )


class FakeOrganisations(FakeRepository[Organisation]):
    model = Organisation
    table_name = "organisations"
    id_field = "id"

    async def all(self) -> list[Organisation]:
        return self._find(lambda o: True, sort=lambda o: o.details.name)


class FakeBoards(FakeRepository[Board]):
    model = Board
    table_name = "boards"
    id_field = "id"

    async def of_partnership(self, partnership_id: str) -> list[Board]:
        return self._find(
            lambda b: b.partnership_id == partnership_id, sort=lambda b: b.details.name
        )


class FakeMeetings(FakeRepository[BoardMeeting]):
    model = BoardMeeting
    table_name = "board_meetings"
    id_field = "id"

    async def of_board(self, board_id: str) -> list[BoardMeeting]:
        return self._find(lambda m: m.board_id == board_id, sort=lambda m: m.details.starts_at)

    async def with_actions_of(self, person_id: str) -> list[BoardMeeting]:
        return self._find(lambda m: bool(m.owned_by(person_id)), sort=lambda m: m.details.starts_at)


def _by_name(person: Person) -> str:
    return person.details.name if person.details else ""


class FakeUnitOfWorkBase:
    """What every fake unit of work does: stage the repositories' writes, and on commit check
    none is stale, write them to the store, and keep the events recorded — integration events in
    `published` (the outbox, in order), internal ones in `follow_ups`."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else Store()
        self.published: list[IntegrationEvent] = []
        self.follow_ups: list[InternalEvent] = []
        self.commits = 0
        self.committed = False
        self._recorded: list[Recorded] = []
        self._open_repositories()

    def _open_repositories(self) -> None:
        """Subclasses make fresh repositories over `self.store` here."""

    def _repositories(self) -> tuple[FakeRepository[Any], ...]:
        return ()

    async def __aenter__(self) -> Self:
        self.committed = False
        self._recorded = []
        self._open_repositories()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._recorded = []
        self._open_repositories()  # whatever was not committed is gone

    def record(self, events: Iterable[Recorded]) -> None:
        self._recorded.extend(events)

    async def commit(self) -> Committed:
        for repo in self._repositories():
            repo.check_not_stale()
        for repo in self._repositories():
            repo.write_staged()
        recorded = self._recorded + [
            e for repo in self._repositories() for a in repo.seen for e in a.collect_events()
        ]
        self._recorded = []
        events = [e for e in recorded if isinstance(e, IntegrationEvent)]
        internal = [e for e in recorded if isinstance(e, InternalEvent)]
        self.published.extend(events)
        self.follow_ups.extend(internal)
        self.commits += 1
        self.committed = True
        self._open_repositories()
        return Committed([Envelope(event=e, source=SOURCE) for e in events], internal)

    def published_types(self) -> list[type[IntegrationEvent]]:
        return [type(e) for e in self.published]


class FakeUnitOfWork(FakeUnitOfWorkBase):
    """Use like MembershipUnitOfWork: `async with uow: ...; await uow.commit()`."""

    partnerships: FakePartnerships
    schools: FakeSchools
    people: FakePeople
    relationships: FakeRelationships
    organisations: FakeOrganisations
    boards: FakeBoards
    board_meetings: FakeMeetings

    def _open_repositories(self) -> None:
        self.partnerships = FakePartnerships(self.store)
        self.schools = FakeSchools(self.store)
        self.people = FakePeople(self.store)
        self.relationships = FakeRelationships(self.store)
        self.organisations = FakeOrganisations(self.store)
        self.boards = FakeBoards(self.store)
        self.board_meetings = FakeMeetings(self.store)

    def _repositories(self) -> tuple[FakeRepository[Any], ...]:
        return (
            self.partnerships,
            self.schools,
            self.people,
            self.relationships,
            self.organisations,
            self.boards,
            self.board_meetings,
        )


# who is calling


def officer() -> Principal:
    return Principal(sub="officer", role=Role.COUNTY_OFFICER)


def coordinator(*partnerships: str, person_id: str | None = None) -> Principal:
    return Principal(
        sub=person_id or "coordinator",
        role=Role.PARTNERSHIP_COORDINATOR,
        partnerships=frozenset(partnerships),
        person_id=person_id,
    )


def school_lead(*urns: str, person_id: str | None = None) -> Principal:
    return Principal(
        sub=person_id or "lead", role=Role.SCHOOL_LEAD, schools=frozenset(urns), person_id=person_id
    )


def teacher(*urns: str, person_id: str | None = None) -> Principal:
    return Principal(
        sub=person_id or "teacher", role=Role.TEACHER, schools=frozenset(urns), person_id=person_id
    )
