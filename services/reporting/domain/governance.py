"""A partnership's governance in figures, per board (by id and kind: its name stays in
membership): who sits on it today by office and whom they represent, the meetings held term by
term and whether their minutes are approved, and the actions agreed, done (late or not), open and
overdue. Derived when asked for: a meeting counts once its board is known, an action once its
meeting and board are, and a withdrawn action not at all."""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from pydantic import BaseModel, Field

from contracts.vocabulary import BoardKind, BoardOffice
from services.reporting.domain.participation import Term
from services.reporting.domain.records import (
    BoardActionRecord,
    BoardMeetingRecord,
    BoardMemberRecord,
    GovernanceRecords,
)


class Members(BaseModel):
    current: int = Field(description="Members whose term covers today")
    by_office: dict[str, int] = Field(description="Office (chair, vice_chair, member) -> members")
    representing_schools: int = Field(description="Members representing a member school")
    representing_bodies: int = Field(description="Members representing an outside body")
    schools_represented: list[str] = Field(description="The URNs of the schools represented")


class TermMeetings(BaseModel):
    term: str = Field(description="As people say it: `Autumn 2026/27`")
    key: str = Field(description="As the API takes it: `2026-autumn`")
    meetings: int


class Meetings(BaseModel):
    held: int = Field(description="Meetings that have started")
    to_come: int
    by_term: list[TermMeetings] = Field(description="Meetings held, term by term, earliest first")
    minutes_approved: int = Field(description="Meetings held whose minutes are approved")
    minutes_to_approve: int = Field(description="Meetings held, minuted, not approved yet")
    without_minutes: int = Field(description="Meetings held with no minutes yet")
    decisions: int = Field(description="Decisions in the minutes as they stand")


class Actions(BaseModel):
    assigned: int = Field(description="Agreed at meetings and not withdrawn")
    done: int
    done_late: int = Field(description="Done after the day they were due")
    open: int = Field(description="Not done yet")
    overdue: int = Field(description="Not done, and the day they were due has passed")


class Figures(BaseModel):
    members: Members
    meetings: Meetings
    actions: Actions


class BoardFigures(Figures):
    board_id: str
    partnership_id: str
    kind: BoardKind


class Governance(BaseModel):
    partnership_ids: list[str]
    boards: int
    totals: Figures = Field(description="Every board's figures together")
    by_board: list[BoardFigures]


def _members(found: Iterable[BoardMemberRecord], today: date) -> Members:
    now = [m for m in found if m.current(today)]
    offices = Counter(m.office for m in now)
    return Members(
        current=len(now),
        by_office={office.value: offices[office] for office in BoardOffice},
        representing_schools=sum(1 for m in now if m.represents_urn is not None),
        representing_bodies=sum(1 for m in now if m.represents_body),
        schools_represented=sorted({m.represents_urn for m in now if m.represents_urn}),
    )


def _meetings(found: Iterable[BoardMeetingRecord], now: datetime) -> Meetings:
    meetings = list(found)
    held = [m for m in meetings if m.starts_at < now]
    terms = Counter(Term.of(m.starts_at) for m in held)
    approved = [m for m in held if m.approved_revision is not None]
    minuted = [m for m in held if m.minutes_revision is not None]
    return Meetings(
        held=len(held),
        to_come=len(meetings) - len(held),
        by_term=[
            TermMeetings(term=term.name, key=term.key, meetings=count)
            for term, count in sorted(terms.items(), key=lambda item: item[0].order)
        ],
        minutes_approved=len(approved),
        minutes_to_approve=len(minuted) - len(approved),
        without_minutes=len(held) - len(minuted),
        decisions=sum(m.decisions for m in minuted),
    )


def _actions(found: Iterable[BoardActionRecord], today: date) -> Actions:
    actions = list(found)
    done = [a for a in actions if a.done_on is not None]
    still_open = [a for a in actions if a.done_on is None]
    return Actions(
        assigned=len(actions),
        done=len(done),
        done_late=sum(1 for a in done if a.done_on and a.done_on > a.due_on),
        open=len(still_open),
        overdue=sum(1 for a in still_open if a.due_on < today),
    )


def _figures(records: GovernanceRecords, today: date, now: datetime) -> Figures:
    return Figures(
        members=_members(records.members, today),
        meetings=_meetings(records.meetings, now),
        actions=_actions(records.actions, today),
    )


def counted(records: GovernanceRecords) -> GovernanceRecords:
    """Only what counts: the members and meetings of known boards, the actions (not
    withdrawn) of known meetings."""
    boards = {b.board_id for b in records.boards}
    meetings = [m for m in records.meetings if m.board_id in boards]
    met = {m.meeting_id for m in meetings}
    return GovernanceRecords(
        boards=sorted(records.boards, key=lambda b: (b.partnership_id, b.board_id)),
        members=[m for m in records.members if m.board_id in boards],
        meetings=meetings,
        actions=[a for a in records.actions if a.meeting_id in met and not a.withdrawn],
    )


def summarise(
    partnership_ids: Iterable[str], records: GovernanceRecords, today: date, now: datetime
) -> Governance:
    kept = counted(records)

    def of_board(board_id: str) -> GovernanceRecords:
        return GovernanceRecords(
            members=[m for m in kept.members if m.board_id == board_id],
            meetings=[m for m in kept.meetings if m.board_id == board_id],
            actions=[a for a in kept.actions if a.board_id == board_id],
        )

    return Governance(
        partnership_ids=sorted(partnership_ids),
        boards=len(kept.boards),
        totals=_figures(kept, today, now),
        by_board=[
            BoardFigures(
                board_id=b.board_id,
                partnership_id=b.partnership_id,
                kind=b.kind,
                **dict(_figures(of_board(b.board_id), today, now)),
            )
            for b in kept.boards
        ],
    )
