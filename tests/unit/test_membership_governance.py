"""A partnership's board and its meetings: terms and offices, minutes with decisions and
actions, corrections until approval, actions done and overdue; who may do what, through fakes."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from unit.fakes import FakeUnitOfWork, coordinator, officer, school_lead, teacher

from contracts import membership as events
from contracts.vocabulary import BoardOffice, MembershipRole, PartnershipKind, Phase, Sector
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.membership.domain.board import Appointment, Board, BoardDetails
from services.membership.domain.board_meeting import BoardMeeting, MeetingDetails, MinutesIn
from services.membership.domain.partnership import PartnershipDetails
from services.membership.domain.person import PersonDetails, RoleAssignment
from services.membership.domain.school import SchoolDetails
from services.membership.service_layer import board_meetings, boards
from services.membership.service_layer.partnerships import create_partnership, join_school
from services.membership.service_layer.people import add_person
from services.membership.service_layer.schools import register_school

TODAY = date.today()
A_YEAR_AGO = TODAY - timedelta(days=365)
HEAD_SCHOOL, GOVERNOR_SCHOOL, ELSEWHERE = "990401", "990402", "990403"


def appointment(**changes: Any) -> Appointment:
    body = {
        "person_id": "p-head",
        "office": "chair",
        "starts_on": A_YEAR_AGO.isoformat(),
        "represents_urn": HEAD_SCHOOL,
        **changes,
    }
    return Appointment.model_validate(body)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"office": "treasurer"}, "office", "chair"),
        ({"ends_on": A_YEAR_AGO.isoformat()}, "ends_on", "ends after the day it starts"),
        ({"represents_body": "Diocese of Lincoln"}, "represents_body", "one of them"),
        ({"represents_urn": None}, "represents_body", "one of them"),
        ({"represents_urn": "12"}, "represents_urn", "pattern"),
        ({"represents_urn": None, "represents_body": " "}, "represents_body", "blank"),
    ],
)
def test_an_appointment_names_what_is_wrong_with_it(
    changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        appointment(**changes)
    [error] = refused.value.errors()
    assert error["loc"] == (field,) and words in error["msg"], error


def test_one_chair_at_a_time_and_one_office_for_a_person() -> None:
    board = Board.form("lincs", BoardDetails(name="Learning Partnership Board"))
    chair = board.appoint(appointment())
    board.appoint(appointment(person_id="p-vice", office="vice_chair"))
    board.appoint(appointment(person_id="p-member", office="member"))
    board.appoint(appointment(person_id="p-other", office="member"))
    with pytest.raises(Conflict, match="one at a time"):
        board.appoint(appointment(person_id="p-second-chair", starts_on=TODAY.isoformat()))
    with pytest.raises(Conflict, match="already chair"):
        board.appoint(appointment(office="member", starts_on=TODAY.isoformat()))

    board.stand_down(chair.id, TODAY)
    assert not board.holds("p-head", BoardOffice.CHAIR, TODAY)
    assert board.holds("p-head", BoardOffice.CHAIR, TODAY - timedelta(days=1))
    board.appoint(appointment(person_id="p-second-chair", starts_on=TODAY.isoformat()))
    assert board.holds("p-second-chair", BoardOffice.CHAIR, TODAY)
    with pytest.raises(Conflict, match="already ended"):
        board.stand_down(chair.id, TODAY)
    with pytest.raises(NotFound):
        board.stand_down("nosuch", TODAY)

    fixed_term = Board.form("lincs", BoardDetails(name="Steering group", kind="steering_group"))
    fixed_term.appoint(appointment(ends_on=(TODAY - timedelta(days=1)).isoformat()))
    fixed_term.appoint(appointment(person_id="p-next", starts_on=TODAY.isoformat()))
    assert [type(e) for e in fixed_term.collect_events()] == [
        events.BoardFormed,
        events.BoardMemberAppointed,
        events.BoardMemberAppointed,
    ]


def meeting(days_ago: int = 7) -> BoardMeeting:
    starts = datetime.now(UTC) - timedelta(days=days_ago)
    details = MeetingDetails(starts_at=starts, venue="Epic Centre", agenda=["Welcome", "Plans"])
    return BoardMeeting.schedule("board", "lincs", details)


def minutes(*actions: dict[str, Any], decisions: int = 2) -> MinutesIn:
    return MinutesIn.model_validate(
        {
            "minutes": "The board met.\nIt agreed its plans.",
            "decisions": [f"Decision {n}" for n in range(decisions)],
            "actions": list(actions),
        }
    )


def action(owner: str = "p-head", due: date = TODAY + timedelta(days=30), **more: Any) -> Any:
    return {"text": "Write to schools", "owner_person_id": owner, "due_on": due, **more}


def test_minutes_follow_the_meeting_and_name_members_as_owners_due_after_it() -> None:
    now, members = datetime.now(UTC), {"p-head", "p-vice"}
    ahead = meeting(days_ago=-7)
    with pytest.raises(Conflict, match="follow the meeting"):
        ahead.record_minutes(minutes(), members, now)
    past = meeting()
    with pytest.raises(Invalid, match=r"actions\.1\.owner_person_id: p-stranger"):
        past.record_minutes(minutes(action(), action("p-stranger")), members, now)
    with pytest.raises(Invalid, match=r"actions\.0\.due_on: it is due before the meeting"):
        past.record_minutes(minutes(action(due=TODAY - timedelta(days=30))), members, now)
    with pytest.raises(Invalid, match=r"actions\.0\.action_id: the minutes have no action"):
        past.record_minutes(minutes(action(action_id="nosuch")), members, now)
    with pytest.raises(ValidationError, match="kept once"):
        minutes(action(action_id="a"), action(action_id="a"))
    with pytest.raises(ValidationError, match="blank"):
        MeetingDetails(starts_at=now, venue="Epic Centre", agenda=["Welcome", "  "])


def test_minutes_are_corrected_keeping_done_actions_until_approved() -> None:
    now, members = datetime.now(UTC), {"p-head", "p-vice"}
    m = meeting()
    m.collect_events()
    late = TODAY - timedelta(days=1)
    m.record_minutes(minutes(action(), action("p-vice", due=late), action()), members, now)
    first, overdue, dropped = m.actions
    assert [a.is_overdue(TODAY) for a in m.actions] == [False, True, False]
    m.mark_done(first.id, TODAY)
    with pytest.raises(Conflict, match="was done on"):
        m.mark_done(first.id, TODAY)
    with pytest.raises(Invalid, match="done_on"):
        m.mark_done(overdue.id, m.day - timedelta(days=1))
    assert [type(e) for e in m.collect_events()] == [
        events.BoardMeetingMinuted,
        *[events.BoardActionAssigned] * 3,
        events.BoardActionDone,
    ]

    corrected = minutes(
        action(action_id=first.id, text="Write to every school"),
        action("p-head", due=late, action_id=overdue.id),
        decisions=3,
    )
    m.record_minutes(corrected, members, now)
    assert m.minutes is not None and m.minutes.revision == 2
    assert [(a.id, a.done_on) for a in m.actions] == [(first.id, TODAY), (overdue.id, None)]
    recorded = m.collect_events()
    assert [type(e) for e in recorded] == [
        events.BoardMeetingMinuted,
        events.BoardActionAssigned,  # a new owner
        events.BoardActionWithdrawn,
    ]
    minuted = recorded[0]
    assert isinstance(minuted, events.BoardMeetingMinuted)
    assert (minuted.revision, minuted.decisions, minuted.actions) == (2, 3, 2)
    assert {e.action_id for e in recorded[1:] if isinstance(e, events.BoardActionWithdrawn)} == {
        dropped.id
    }

    m.approve_minutes(now)
    with pytest.raises(Conflict, match="approved"):
        m.approve_minutes(now)
    with pytest.raises(Conflict, match="locked"):
        m.record_minutes(corrected, members, now)
    m.mark_done(overdue.id, TODAY)  # an action is still done after approval
    with pytest.raises(Conflict, match="no minutes"):
        meeting().approve_minutes(now)


# The handlers, through fakes of the repositories.


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def lincolnshire(uow: FakeUnitOfWork) -> tuple[str, dict[str, str]]:
    """The partnership with two member schools (and one outside it), a head, a governor and a
    teacher; returns its id and their person ids."""
    for urn in (HEAD_SCHOOL, GOVERNOR_SCHOOL, ELSEWHERE):
        details = SchoolDetails(name=f"School {urn}", phase=Phase.PRIMARY, sector=Sector.STATE)
        await register_school(uow, officer(), urn, details)
    details = PartnershipDetails(name="Lincolnshire LP", kind=PartnershipKind.BOARD)
    partnership = await create_partnership(uow, officer(), details)
    for urn in (HEAD_SCHOOL, GOVERNOR_SCHOOL):
        await join_school(uow, officer(), partnership.id, urn, MembershipRole.MEMBER, TODAY)
    people = {}
    for who, role, urn in (
        ("head", "head", HEAD_SCHOOL),
        ("governor", "governor", GOVERNOR_SCHOOL),
        ("teacher", "teacher", HEAD_SCHOOL),
    ):
        role_at = RoleAssignment.model_validate(
            {"role": role, "urn": urn, "starts_on": "2016-01-01"}
        )
        person_details = PersonDetails(name=f"The {who}", email=f"{who}@lincs.example")
        people[who] = (await add_person(uow, officer(), person_details, role_at)).id
    uow.published.clear()
    return partnership.id, people


async def test_the_coordinator_forms_the_board_and_the_chair_minutes_its_meeting(
    uow: FakeUnitOfWork,
) -> None:
    pid, people = await lincolnshire(uow)
    ours = coordinator(pid)
    board = await boards.form_board(uow, ours, pid, BoardDetails(name="Learning Partnership Board"))
    with pytest.raises(Conflict, match="already"):
        await boards.form_board(uow, ours, pid, BoardDetails(name="learning partnership board"))
    head = await boards.appoint(uow, ours, board.id, appointment(person_id=people["head"]))
    body = appointment(
        person_id=people["governor"],
        office="vice_chair",
        represents_urn=None,
        represents_body="Diocese of Lincoln",
    )
    await boards.appoint(uow, ours, board.id, body)
    with pytest.raises(Invalid, match="person_id: no person p-nobody"):
        await boards.appoint(uow, ours, board.id, appointment(person_id="p-nobody"))
    outside = appointment(person_id=people["teacher"], office="member", represents_urn=ELSEWHERE)
    with pytest.raises(Invalid, match=f"represents_urn: school {ELSEWHERE} is not a member"):
        await boards.appoint(uow, ours, board.id, outside)
    assert uow.published_types() == [events.BoardFormed, *[events.BoardMemberAppointed] * 2]

    chair = school_lead(HEAD_SCHOOL, person_id=people["head"])
    staff = teacher(HEAD_SCHOOL, person_id=people["teacher"])
    stranger = coordinator("another-partnership")
    assert (await boards.get_board(uow, chair, board.id)).id == board.id
    assert [b.id for b in await boards.boards_of(uow, chair, pid)] == [board.id]
    assert await boards.boards_of(uow, staff, pid) == []
    with pytest.raises(Forbidden):
        await boards.get_board(uow, staff, board.id)
    with pytest.raises(NotFound, match=f"no board {board.id}"):
        await boards.get_board(uow, stranger, board.id)
    with pytest.raises(NotFound, match=f"no partnership {pid}"):
        await boards.boards_of(uow, stranger, pid)
    with pytest.raises(Forbidden):
        await boards.appoint(uow, chair, board.id, outside)

    week_ago = datetime.now(UTC) - timedelta(days=7)
    details = MeetingDetails(starts_at=week_ago, venue="Epic Centre", agenda=["Launch"])
    with pytest.raises(Forbidden):
        await board_meetings.schedule_meeting(uow, chair, board.id, details)
    held = await board_meetings.schedule_meeting(uow, ours, board.id, details)
    governor = teacher(GOVERNOR_SCHOOL, person_id=people["governor"])
    given = minutes(action(people["governor"]), action(people["head"]))
    with pytest.raises(Forbidden, match="chair"):
        await board_meetings.record_minutes(uow, governor, held.id, given)
    with pytest.raises(NotFound, match=f"no meeting {held.id}"):
        await board_meetings.record_minutes(uow, stranger, held.id, given)
    minuted = await board_meetings.record_minutes(uow, chair, held.id, given)
    governors = minuted.actions[0]

    with pytest.raises(Forbidden):
        await board_meetings.mark_action_done(uow, governor, held.id, minuted.actions[1].id, TODAY)
    done = await board_meetings.mark_action_done(uow, governor, held.id, governors.id, TODAY)
    assert done.done_on == TODAY
    await board_meetings.approve_minutes(uow, chair, held.id)
    assert [type(e) for e in uow.published[-6:]] == [
        events.BoardMeetingScheduled,
        events.BoardMeetingMinuted,
        events.BoardActionAssigned,
        events.BoardActionAssigned,
        events.BoardActionDone,
        events.BoardMinutesApproved,
    ]

    mine = await board_meetings.actions_of(uow, governor, people["governor"])
    assert [(o.meeting.id, o.action.id) for o in mine] == [(held.id, governors.id)]
    with pytest.raises(NotFound):
        await board_meetings.actions_of(uow, stranger, people["governor"])

    await boards.stand_down(uow, ours, board.id, head.id, TODAY)
    with pytest.raises(NotFound):  # no longer a member: the partnership is not theirs
        await board_meetings.get_meeting(
            uow, chair.model_copy(update={"schools": frozenset()}), held.id
        )
