"""The unit of work of the membership service: its repositories inside one transaction."""

from collections.abc import Iterable
from typing import Protocol, TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession

from eventkit import unit_of_work as eventkit_uow
from eventkit.unit_of_work import MongoUnitOfWork
from services.membership.adapters import repositories as repos
from services.membership.domain.board import Board
from services.membership.domain.board_meeting import BoardMeeting
from services.membership.domain.organisation import Organisation
from services.membership.domain.partnership import Partnership
from services.membership.domain.person import Person
from services.membership.domain.relationship import SchoolRelationship
from services.membership.domain.school import School

A = TypeVar("A")


class Repository(Protocol[A]):
    async def get(self, aggregate_id: str) -> A | None: ...
    async def add(self, aggregate: A) -> None: ...
    async def add_many(self, aggregates: list[A]) -> None: ...
    async def save(self, aggregate: A) -> None: ...


class Partnerships(Repository[Partnership], Protocol):
    async def all(self) -> list[Partnership]: ...
    async def related_to(
        self, partnership_ids: Iterable[str], person_id: str | None, urns: Iterable[str]
    ) -> list[Partnership]: ...


class Schools(Repository[School], Protocol):
    async def search(
        self,
        *,
        la_code: str | None,
        sector: str | None,
        phase: str | None,
        name: str | None,
        limit: int,
        skip: int,
    ) -> list[School]: ...
    async def get_many(self, urns: Iterable[str]) -> dict[str, School]: ...


class People(Repository[Person], Protocol):
    async def at(self, urns: Iterable[str], partnership_ids: Iterable[str]) -> list[Person]: ...
    async def with_email(self, email: str) -> Person | None: ...
    async def all(self) -> list[Person]: ...


class Relationships(Repository[SchoolRelationship], Protocol):
    async def of_school(self, urn: str) -> list[SchoolRelationship]: ...


class Organisations(Repository[Organisation], Protocol):
    async def all(self) -> list[Organisation]: ...


class Boards(Repository[Board], Protocol):
    async def of_partnership(self, partnership_id: str) -> list[Board]: ...


class BoardMeetings(Repository[BoardMeeting], Protocol):
    async def of_board(self, board_id: str) -> list[BoardMeeting]: ...
    async def with_actions_of(self, person_id: str) -> list[BoardMeeting]: ...


class UnitOfWork(eventkit_uow.UnitOfWork, Protocol):
    @property
    def partnerships(self) -> Partnerships: ...
    @property
    def schools(self) -> Schools: ...
    @property
    def people(self) -> People: ...
    @property
    def relationships(self) -> Relationships: ...
    @property
    def organisations(self) -> Organisations: ...
    @property
    def boards(self) -> Boards: ...
    @property
    def board_meetings(self) -> BoardMeetings: ...


class MembershipUnitOfWork(MongoUnitOfWork):
    partnerships: repos.PartnershipRepository
    schools: repos.SchoolRepository
    people: repos.PersonRepository
    relationships: repos.RelationshipRepository
    organisations: repos.OrganisationRepository
    boards: repos.BoardRepository
    board_meetings: repos.BoardMeetingRepository

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.partnerships = self.repository(repos.PartnershipRepository)
        self.schools = self.repository(repos.SchoolRepository)
        self.people = self.repository(repos.PersonRepository)
        self.relationships = self.repository(repos.RelationshipRepository)
        self.organisations = self.repository(repos.OrganisationRepository)
        self.boards = self.repository(repos.BoardRepository)
        self.board_meetings = self.repository(repos.BoardMeetingRepository)
