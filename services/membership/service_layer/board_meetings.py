"""Handlers for board meetings: the partnership's coordinators schedule them; they or the
board's current chair record the minutes and approve them; an action's owner marks it done.
Who may do what: services/membership/service_layer/board_access.py."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from eventkit.auth import Principal
from eventkit.errors import NotFound
from services.membership.domain.board_meeting import (
    Action,
    BoardMeeting,
    MeetingDetails,
    MinutesIn,
)
from services.membership.service_layer import boards, people
from services.membership.service_layer.board_access import (
    ACTION_CLOSERS,
    COORDINATORS,
    MINUTE_TAKERS,
    READERS,
    BoardCaller,
)
from services.membership.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class OwnedAction:
    """An action with the meeting it was agreed at."""

    meeting: BoardMeeting
    action: Action


async def _meeting(
    uow: UnitOfWork, principal: Principal, meeting_id: str
) -> tuple[BoardMeeting, BoardCaller]:
    meeting = await uow.board_meetings.get(meeting_id)
    board = await uow.boards.get(meeting.board_id) if meeting else None
    partnership = await uow.partnerships.get(board.partnership_id) if board else None
    hidden = f"no meeting {meeting_id}"
    if meeting is None or board is None or partnership is None:
        raise NotFound(hidden)
    return meeting, BoardCaller(principal, partnership, board, hidden)


async def schedule_meeting(
    uow: UnitOfWork, principal: Principal, board_id: str, details: MeetingDetails
) -> BoardMeeting:
    async with uow:
        caller = await boards.caller_of(uow, principal, board_id)
        caller.require(caller.coordinates, COORDINATORS)
        meeting = BoardMeeting.schedule(board_id, caller.partnership.id, details)
        await uow.board_meetings.add(meeting)
        await uow.commit()
    return meeting


async def meetings_of(uow: UnitOfWork, principal: Principal, board_id: str) -> list[BoardMeeting]:
    async with uow:
        caller = await boards.caller_of(uow, principal, board_id)
        caller.require(caller.reads, READERS)
        return await uow.board_meetings.of_board(board_id)


async def get_meeting(uow: UnitOfWork, principal: Principal, meeting_id: str) -> BoardMeeting:
    async with uow:
        meeting, caller = await _meeting(uow, principal, meeting_id)
    caller.require(caller.reads, READERS)
    return meeting


async def record_minutes(
    uow: UnitOfWork, principal: Principal, meeting_id: str, given: MinutesIn
) -> BoardMeeting:
    """Record the minutes, or correct them until they are approved. An action's owner is a
    member of the board on the day of the meeting, or now."""
    async with uow:
        meeting, caller = await _meeting(uow, principal, meeting_id)
        caller.require(caller.takes_minutes, MINUTE_TAKERS)
        members = caller.board.members_on(meeting.day) + caller.board.members_on(caller.today)
        meeting.record_minutes(given, {m.person_id for m in members}, datetime.now(UTC))
        await uow.board_meetings.save(meeting)
        await uow.commit()
    return meeting


async def approve_minutes(uow: UnitOfWork, principal: Principal, meeting_id: str) -> BoardMeeting:
    async with uow:
        meeting, caller = await _meeting(uow, principal, meeting_id)
        caller.require(caller.takes_minutes, MINUTE_TAKERS)
        meeting.approve_minutes(datetime.now(UTC))
        await uow.board_meetings.save(meeting)
        await uow.commit()
    return meeting


async def mark_action_done(
    uow: UnitOfWork, principal: Principal, meeting_id: str, action_id: str, on: date
) -> Action:
    async with uow:
        meeting, caller = await _meeting(uow, principal, meeting_id)
        owns = any(a.id == action_id for a in meeting.owned_by(principal.person_id))
        caller.require(owns or caller.takes_minutes, ACTION_CLOSERS)
        done = meeting.mark_done(action_id, on)
        await uow.board_meetings.save(meeting)
        await uow.commit()
    return done


async def actions_of(uow: UnitOfWork, principal: Principal, person_id: str) -> list[OwnedAction]:
    """A person's actions, soonest due first: all of them to the person, to others those of the
    boards they may read."""
    async with uow:
        person = await uow.people.get(person_id)
        if person is None or not await people.may_see(uow, principal, person):
            raise NotFound(f"no person {person_id}")
        found: list[OwnedAction] = []
        for meeting in await uow.board_meetings.with_actions_of(person_id):
            mine = person_id == principal.person_id
            if mine or (await boards.caller_of(uow, principal, meeting.board_id)).reads:
                found += [OwnedAction(meeting, a) for a in meeting.owned_by(person_id)]
    return sorted(found, key=lambda o: (o.action.due_on, o.meeting.details.starts_at))
