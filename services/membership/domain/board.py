"""A partnership's board or steering group and its members: people in an office (chair, vice
chair, member) for a term, each representing a member school or an outside body.

A term runs from `starts_on` up to, not including, `ends_on` (open-ended without one), as a
role does; standing down ends it early. One chair and one vice chair at a time, and a person
holds one office at a time.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from contracts import membership as events
from contracts.vocabulary import BoardKind, BoardOffice, Urn
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid, NotFound
from eventkit.inputs import Day, Name

SINGLE_OFFICES = frozenset({BoardOffice.CHAIR, BoardOffice.VICE_CHAIR})


class BoardDetails(BaseModel):
    name: Annotated[Name, Field(min_length=2)]
    kind: BoardKind = BoardKind.BOARD


class Appointment(BaseModel):
    person_id: str = Field(min_length=1, max_length=64, description="A person known here")
    office: BoardOffice = BoardOffice.MEMBER
    starts_on: Day
    ends_on: Day | None = Field(None, description="The first day after the term; none: open")
    represents_urn: Urn | None = Field(None, description="The member school they represent")
    represents_body: Annotated[Name, Field(min_length=2)] | None = Field(
        None,
        validate_default=True,
        description="Or the outside body they represent, by name (Lincolnshire County Council)",
    )

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, ends_on: date | None, info: ValidationInfo) -> date | None:
        starts_on = info.data.get("starts_on")
        if ends_on is not None and starts_on is not None and ends_on <= starts_on:
            raise ValueError(f"a term ends after the day it starts ({starts_on})")
        return ends_on

    @field_validator("represents_body")
    @classmethod
    def _one_represented(cls, body: str | None, info: ValidationInfo) -> str | None:
        if "represents_urn" in info.data and (info.data["represents_urn"] is None) == (
            body is None
        ):
            raise ValueError(
                "a member represents a school (represents_urn) or an outside body "
                "(represents_body): one of them"
            )
        return body


class BoardMember(Appointment):
    id: str
    stood_down_on: date | None = None

    @property
    def ends(self) -> date:
        """The first day they are no longer a member (date.max while open-ended)."""
        return min(d for d in (self.ends_on, self.stood_down_on, date.max) if d is not None)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day < self.ends

    def overlaps(self, other: Appointment) -> bool:
        other_ends = other.ends_on or date.max
        return self.starts_on < other_ends and other.starts_on < self.ends


class Board(Aggregate):
    id: str
    partnership_id: str
    details: BoardDetails
    members: list[BoardMember] = Field(default_factory=list)
    formed_at: datetime

    @classmethod
    def form(cls, partnership_id: str, details: BoardDetails) -> "Board":
        board = cls(
            id=uuid.uuid4().hex[:12],
            partnership_id=partnership_id,
            details=details,
            formed_at=datetime.now(UTC),
        )
        board.record(
            events.BoardFormed(board_id=board.id, partnership_id=partnership_id, kind=details.kind)
        )
        return board

    def appoint(self, appointment: Appointment) -> BoardMember:
        for held in self.members:
            if not held.overlaps(appointment):
                continue
            if held.person_id == appointment.person_id:
                raise Conflict(
                    f"person {held.person_id} is already {held.office} of this board from "
                    f"{held.starts_on}: they stand down first"
                )
            if appointment.office in SINGLE_OFFICES and held.office == appointment.office:
                raise Conflict(
                    f"the board has a {held.office} from {held.starts_on}"
                    f"{'' if held.ends == date.max else f' until {held.ends}'}: "
                    "one at a time, so they stand down first"
                )
        member = BoardMember(id=uuid.uuid4().hex[:12], **appointment.model_dump())
        self.members = [*self.members, member]
        self.record(
            events.BoardMemberAppointed(
                board_id=self.id,
                partnership_id=self.partnership_id,
                member_id=member.id,
                **appointment.model_dump(),
            )
        )
        return member

    def member(self, member_id: str) -> BoardMember:
        found = next((m for m in self.members if m.id == member_id), None)
        if found is None:
            raise NotFound(f"no member {member_id} of board {self.id}")
        return found

    def stand_down(self, member_id: str, on: date) -> BoardMember:
        member = self.member(member_id)
        if member.ends <= on:
            raise Conflict(f"member {member_id}'s term already ended on {member.ends}")
        if on < member.starts_on:
            raise Invalid(f"on: the term starts on {member.starts_on}")
        stood_down = member.model_copy(update={"stood_down_on": on})
        self.members = [stood_down if m.id == member_id else m for m in self.members]
        self.record(
            events.BoardMemberStoodDown(
                board_id=self.id,
                partnership_id=self.partnership_id,
                member_id=member_id,
                person_id=member.person_id,
                office=member.office,
                stood_down_on=on,
            )
        )
        return stood_down

    def members_on(self, day: date) -> list[BoardMember]:
        return [m for m in self.members if m.covers(day)]

    def sits(self, person_id: str | None, day: date) -> bool:
        return any(m.person_id == person_id for m in self.members_on(day))

    def holds(self, person_id: str | None, office: BoardOffice, day: date) -> bool:
        return any(m.person_id == person_id and m.office == office for m in self.members_on(day))
