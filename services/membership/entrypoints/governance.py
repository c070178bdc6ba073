"""HTTP routes for a partnership's governance: its boards (or steering groups) and their
members, their meetings with agenda and minutes, and the actions agreed at them."""

from datetime import date, datetime
from typing import Self

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Day, HappenedOn
from services.membership.domain.board import Appointment, Board, BoardDetails, BoardMember
from services.membership.domain.board_meeting import (
    Action,
    BoardMeeting,
    MeetingDetails,
    Minutes,
    MinutesIn,
)
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import board_meetings as meetings
from services.membership.service_layer import boards
from services.membership.service_layer.board_meetings import OwnedAction

router = APIRouter(tags=["governance"])


class StandingDown(BaseModel):
    on: Day = Field(default_factory=date.today, description="The first day they are not a member")


class Done(BaseModel):
    done_on: HappenedOn = Field(default_factory=date.today)


class MemberOut(BoardMember):
    current: bool = Field(description="Their term covers today")

    @classmethod
    def of(cls, member: BoardMember) -> Self:
        return cls(**member.model_dump(), current=member.covers(date.today()))


class BoardOut(BaseModel):
    id: str
    partnership_id: str
    details: BoardDetails
    members: list[MemberOut]
    formed_at: datetime
    version: int

    @classmethod
    def of(cls, board: Board) -> Self:
        return cls(
            **board.model_dump(exclude={"members"}),
            members=[MemberOut.of(m) for m in board.members],
        )


class ActionOut(Action):
    overdue: bool = Field(description="Past its due date and not done")

    @classmethod
    def of(cls, action: Action) -> Self:
        return cls(**action.model_dump(), overdue=action.is_overdue(date.today()))


class MeetingOut(BaseModel):
    id: str
    board_id: str
    partnership_id: str
    details: MeetingDetails
    minutes: Minutes | None
    actions: list[ActionOut]
    scheduled_at: datetime
    version: int

    @classmethod
    def of(cls, meeting: BoardMeeting) -> Self:
        return cls(
            **meeting.model_dump(exclude={"actions"}),
            actions=[ActionOut.of(a) for a in meeting.actions],
        )


class OwnedActionOut(ActionOut):
    meeting_id: str
    board_id: str
    partnership_id: str
    meeting_starts_at: datetime

    @classmethod
    def owned(cls, owned: OwnedAction) -> Self:
        meeting = owned.meeting
        return cls(
            **ActionOut.of(owned.action).model_dump(),
            meeting_id=meeting.id,
            board_id=meeting.board_id,
            partnership_id=meeting.partnership_id,
            meeting_starts_at=meeting.details.starts_at,
        )


@router.post(
    "/partnerships/{pid}/boards",
    status_code=status.HTTP_201_CREATED,
    summary="Form a board or steering group of the partnership",
)
async def form(pid: str, body: BoardDetails, uow: UoW, principal: CurrentPrincipal) -> BoardOut:
    return BoardOut.of(await boards.form_board(uow, principal, pid, body))


@router.get("/partnerships/{pid}/boards", summary="The partnership's boards the caller may see")
async def of_partnership(pid: str, uow: UoW, principal: CurrentPrincipal) -> list[BoardOut]:
    return [BoardOut.of(b) for b in await boards.boards_of(uow, principal, pid)]


@router.get("/boards/{board_id}", summary="A board with its members, past, current and to come")
async def one(board_id: str, uow: UoW, principal: CurrentPrincipal) -> BoardOut:
    return BoardOut.of(await boards.get_board(uow, principal, board_id))


@router.post(
    "/boards/{board_id}/members",
    status_code=status.HTTP_201_CREATED,
    summary="Appoint a person to an office on the board, for a term",
)
async def appoint(
    board_id: str, body: Appointment, uow: UoW, principal: CurrentPrincipal
) -> MemberOut:
    return MemberOut.of(await boards.appoint(uow, principal, board_id, body))


@router.post(
    "/boards/{board_id}/members/{member_id}/stand-down",
    summary="A member stands down: their term ends on a day",
)
async def stand_down(
    board_id: str,
    member_id: str,
    uow: UoW,
    principal: CurrentPrincipal,
    body: StandingDown | None = None,
) -> MemberOut:
    on = (body or StandingDown()).on
    return MemberOut.of(await boards.stand_down(uow, principal, board_id, member_id, on))


@router.post(
    "/boards/{board_id}/meetings",
    status_code=status.HTTP_201_CREATED,
    summary="Schedule a meeting of the board, with its agenda",
)
async def schedule(
    board_id: str, body: MeetingDetails, uow: UoW, principal: CurrentPrincipal
) -> MeetingOut:
    return MeetingOut.of(await meetings.schedule_meeting(uow, principal, board_id, body))


@router.get("/boards/{board_id}/meetings", summary="The board's meetings, earliest first")
async def meetings_of(board_id: str, uow: UoW, principal: CurrentPrincipal) -> list[MeetingOut]:
    return [MeetingOut.of(m) for m in await meetings.meetings_of(uow, principal, board_id)]


@router.get("/meetings/{meeting_id}", summary="A board meeting, its minutes and actions")
async def meeting(meeting_id: str, uow: UoW, principal: CurrentPrincipal) -> MeetingOut:
    return MeetingOut.of(await meetings.get_meeting(uow, principal, meeting_id))


@router.put(
    "/meetings/{meeting_id}/minutes",
    summary="Record the minutes, decisions and actions of a meeting, or correct them",
)
async def minutes(
    meeting_id: str, body: MinutesIn, uow: UoW, principal: CurrentPrincipal
) -> MeetingOut:
    return MeetingOut.of(await meetings.record_minutes(uow, principal, meeting_id, body))


@router.post("/meetings/{meeting_id}/minutes/approve", summary="Approve the minutes: locks them")
async def approve(meeting_id: str, uow: UoW, principal: CurrentPrincipal) -> MeetingOut:
    return MeetingOut.of(await meetings.approve_minutes(uow, principal, meeting_id))


@router.post("/meetings/{meeting_id}/actions/{action_id}/done", summary="An action agreed is done")
async def done(
    meeting_id: str,
    action_id: str,
    uow: UoW,
    principal: CurrentPrincipal,
    body: Done | None = None,
) -> ActionOut:
    on = (body or Done()).done_on
    return ActionOut.of(await meetings.mark_action_done(uow, principal, meeting_id, action_id, on))


@router.get(
    "/people/{person_id}/board-actions",
    summary="A person's actions from board meetings, soonest due first",
)
async def actions_of(person_id: str, uow: UoW, principal: CurrentPrincipal) -> list[OwnedActionOut]:
    return [OwnedActionOut.owned(o) for o in await meetings.actions_of(uow, principal, person_id)]
