"""The governance projection, event by event, into the fake read model (the Mongo adapter's
upserts that set fields): the figures of a partnership's boards, that a replay or any arrival
order across keys gives the same, that an action counts once its meeting and board are known and
not once withdrawn, and who sees which figures."""

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from reporting.fakes import FakeReadModel

from contracts import membership as ev
from contracts.envelope import IntegrationEvent
from contracts.vocabulary import BoardKind, BoardOffice, PartnershipKind, PartnershipStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.reporting.domain import governance
from services.reporting.domain.governance import Governance
from services.reporting.service_layer import projection, queries

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
OFFICER = Principal(sub="officer", role=Role.COUNTY_OFFICER)


def formed(board: str = "b1", pid: str = "p1") -> ev.BoardFormed:
    return ev.BoardFormed(board_id=board, partnership_id=pid, kind=BoardKind.BOARD)


def appointed(
    member: str, office: BoardOffice, urn: str | None = None, body: str | None = None, **term: date
) -> ev.BoardMemberAppointed:
    return ev.BoardMemberAppointed(
        board_id="b1",
        partnership_id="p1",
        member_id=member,
        person_id=f"person-{member}",
        office=office,
        represents_urn=urn,
        represents_body=body,
        starts_on=term.get("starts_on", date(2025, 9, 1)),
        ends_on=term.get("ends_on"),
    )


def scheduled(meeting: str, starts_at: datetime, board: str = "b1") -> ev.BoardMeetingScheduled:
    return ev.BoardMeetingScheduled(
        meeting_id=meeting, board_id=board, partnership_id="p1", starts_at=starts_at, agenda_items=3
    )


def minuted(meeting: str, revision: int, decisions: int, actions: int) -> ev.BoardMeetingMinuted:
    return ev.BoardMeetingMinuted(
        meeting_id=meeting,
        board_id="b1",
        partnership_id="p1",
        revision=revision,
        decisions=decisions,
        actions=actions,
    )


def action(meeting: str, action_id: str, due_on: date) -> dict[str, object]:
    return {
        "meeting_id": meeting,
        "board_id": "b1",
        "partnership_id": "p1",
        "action_id": action_id,
        "person_id": "person-m2",
        "due_on": due_on,
    }


def assigned(meeting: str, action_id: str, due_on: date) -> ev.BoardActionAssigned:
    return ev.BoardActionAssigned(**action(meeting, action_id, due_on))


def done(meeting: str, action_id: str, due_on: date, on: date) -> ev.BoardActionDone:
    return ev.BoardActionDone(**action(meeting, action_id, due_on), done_on=on)


def withdrawn(meeting: str, action_id: str, due_on: date) -> ev.BoardActionWithdrawn:
    return ev.BoardActionWithdrawn(**action(meeting, action_id, due_on))


BOARD_STREAM: list[IntegrationEvent] = [
    formed(),
    appointed("m1", BoardOffice.CHAIR, urn="100001"),
    appointed("m2", BoardOffice.VICE_CHAIR, urn="100002"),
    appointed("m3", BoardOffice.MEMBER, body="Lincolnshire County Council"),
    appointed("m4", BoardOffice.MEMBER, urn="100003", ends_on=date(2026, 1, 1)),  # term over
    appointed("m5", BoardOffice.MEMBER, urn="100001"),
    ev.BoardMemberStoodDown(
        board_id="b1",
        partnership_id="p1",
        member_id="m5",
        person_id="person-m5",
        office=BoardOffice.MEMBER,
        stood_down_on=date(2026, 2, 1),
    ),
    appointed("m6", BoardOffice.MEMBER, urn="100004", starts_on=date(2026, 9, 1)),  # to come
]
AUTUMN = datetime(2025, 10, 8, 17, tzinfo=UTC)
AUTUMN_STREAM: list[IntegrationEvent] = [
    scheduled("mt1", AUTUMN),
    minuted("mt1", 1, decisions=2, actions=3),
    assigned("mt1", "a1", date(2025, 11, 1)),
    assigned("mt1", "a2", date(2025, 12, 1)),
    assigned("mt1", "a3", date(2026, 6, 1)),
    done("mt1", "a1", date(2025, 11, 1), on=date(2025, 11, 20)),  # late
    done("mt1", "a3", date(2026, 6, 1), on=date(2026, 1, 10)),
    minuted("mt1", 2, decisions=3, actions=2),
    withdrawn("mt1", "a3", date(2026, 6, 1)),  # done, then taken out of the minutes
    assigned("mt1", "a2", date(2026, 2, 1)),  # the correction moved its day: still overdue
    ev.BoardMinutesApproved(
        meeting_id="mt1", board_id="b1", partnership_id="p1", revision=2, approved_at=AUTUMN
    ),
]
SPRING_STREAM: list[IntegrationEvent] = [
    scheduled("mt2", datetime(2026, 1, 14, 17, tzinfo=UTC)),
    minuted("mt2", 1, decisions=1, actions=2),
    assigned("mt2", "a4", date(2026, 4, 1)),
    assigned("mt2", "a5", date(2026, 1, 20)),
    done("mt2", "a5", date(2026, 1, 20), on=date(2026, 1, 20)),  # on the day: not late
    scheduled("mt3", datetime(2026, 2, 11, 17, tzinfo=UTC)),  # held, not minuted yet
    scheduled("mt4", NOW + timedelta(days=30)),  # to come
]
EVERYTHING = BOARD_STREAM + AUTUMN_STREAM + SPRING_STREAM


def interleavings(
    first: Sequence[IntegrationEvent], second: Sequence[IntegrationEvent]
) -> Iterator[list[IntegrationEvent]]:
    """Every merge that keeps each stream's own order, as two partitions may deliver them."""
    size = len(first) + len(second)
    for slots in itertools.combinations(range(size), len(second)):
        a, b = iter(first), iter(second)
        yield [next(b) if i in slots else next(a) for i in range(size)]


async def project(
    events: Sequence[IntegrationEvent], model: FakeReadModel | None = None
) -> FakeReadModel:
    model = model or FakeReadModel()
    for event in events:
        await projection.apply(event, model)
    return model


async def figures(model: FakeReadModel, pids: Sequence[str] = ("p1",)) -> Governance:
    return governance.summarise(pids, await model.governance(pids), TODAY, NOW)


async def test_a_boards_members_meetings_and_actions_are_counted() -> None:
    found = await figures(await project(EVERYTHING))
    [board] = found.by_board
    assert (board.board_id, board.partnership_id, board.kind) == ("b1", "p1", "board")
    assert board.members.model_dump() == {
        "current": 3,
        "by_office": {"chair": 1, "vice_chair": 1, "member": 1},
        "representing_schools": 2,
        "representing_bodies": 1,
        "schools_represented": ["100001", "100002"],
    }
    assert board.meetings.model_dump() == {
        "held": 3,
        "to_come": 1,
        "by_term": [
            {"term": "Autumn 2025/26", "key": "2025-autumn", "meetings": 1},
            {"term": "Spring 2025/26", "key": "2025-spring", "meetings": 2},
        ],
        "minutes_approved": 1,
        "minutes_to_approve": 1,
        "without_minutes": 1,
        "decisions": 4,
    }
    assert board.actions.model_dump() == {
        "assigned": 4,
        "done": 2,
        "done_late": 1,
        "open": 2,
        "overdue": 1,
    }
    assert (found.boards, found.partnership_ids) == (1, ["p1"])
    assert found.totals.model_dump() == board.model_dump(include={"members", "meetings", "actions"})


async def test_replaying_every_event_changes_nothing() -> None:
    once = await project(EVERYTHING)
    twice = await project(EVERYTHING, await project(EVERYTHING))
    assert twice.governance_docs == once.governance_docs
    assert await figures(twice) == await figures(once)
    for event in EVERYTHING:  # each one again, after all of them
        await projection.apply(event, twice)
    assert await figures(twice) == await figures(once)


async def test_any_arrival_order_across_keys_gives_the_same_figures() -> None:
    expected = await figures(await project(EVERYTHING))
    board, meeting = BOARD_STREAM[:4], AUTUMN_STREAM[:6]
    orders = list(interleavings(board, meeting))
    assert len(orders) == 210
    for order in orders:
        events = order + BOARD_STREAM[4:] + AUTUMN_STREAM[6:] + SPRING_STREAM
        assert await figures(await project(events)) == expected


async def test_an_action_before_its_meeting_and_board_counts_once_both_are_known() -> None:
    due = date(2026, 2, 1)
    model = await project([assigned("mt9", "a9", due), done("mt9", "a9", due, on=date(2026, 3, 1))])
    assert (await figures(model)).boards == 0
    await project([formed()], model)
    only_board = await figures(model)
    assert (only_board.boards, only_board.totals.actions.assigned) == (1, 0)
    await project([scheduled("mt9", AUTUMN)], model)
    actions = (await figures(model)).totals.actions
    assert (actions.assigned, actions.done, actions.done_late, actions.open) == (1, 1, 1, 0)


async def test_a_withdrawn_action_does_not_count() -> None:
    due = date(2026, 2, 1)
    model = await project([formed(), scheduled("mt1", AUTUMN), assigned("mt1", "a1", due)])
    assert (await figures(model)).totals.actions.overdue == 1
    await project([withdrawn("mt1", "a1", due)], model)
    assert (await figures(model)).totals.actions.model_dump() == {
        "assigned": 0,
        "done": 0,
        "done_late": 0,
        "open": 0,
        "overdue": 0,
    }
    await project([assigned("mt1", "a1", due)], model)  # a replay of its assignment
    assert (await figures(model)).totals.actions.assigned == 0


def created(pid: str) -> ev.PartnershipCreated:
    return ev.PartnershipCreated(
        partnership_id=pid,
        name=f"Partnership {pid}",
        kind=PartnershipKind.BOARD,
        area=["925"],
        status=PartnershipStatus.ACTIVE,
        created_at=NOW,
    )


async def two_partnerships() -> FakeReadModel:
    return await project(
        [
            created("p1"),
            created("p2"),
            *EVERYTHING,
            formed("b2", "p2"),
            ev.BoardMeetingScheduled(
                meeting_id="mt5",
                board_id="b2",
                partnership_id="p2",
                starts_at=AUTUMN,
                agenda_items=1,
            ),
        ]
    )


async def test_the_county_counts_every_board_of_its_partnerships() -> None:
    model = await two_partnerships()
    county = await queries.county_governance(model, OFFICER)
    assert (county.partnership_ids, county.boards) == (["p1", "p2"], 2)
    assert [(b.board_id, b.partnership_id) for b in county.by_board] == [("b1", "p1"), ("b2", "p2")]
    first, second = county.by_board
    assert second.meetings.held == 1
    assert county.totals.meetings.held == first.meetings.held + second.meetings.held
    assert county.totals.actions == first.actions
    one = await queries.partnership_governance(model, OFFICER, "p2")
    assert (one.partnership_ids, one.boards, one.totals.meetings.held) == (["p2"], 1, 1)


async def test_only_those_who_see_the_partnership_see_its_governance() -> None:
    model = await two_partnerships()
    theirs = Principal(sub="x", role=Role.PARTNERSHIP_COORDINATOR, partnerships=frozenset({"p2"}))
    with pytest.raises(NotFound, match="no partnership p1"):
        await queries.partnership_governance(model, theirs, "p1")
    assert (await queries.partnership_governance(model, theirs, "p2")).boards == 1
    with pytest.raises(NotFound, match="no partnership p9"):
        await queries.partnership_governance(model, OFFICER, "p9")
    with pytest.raises(Forbidden, match="county officer"):
        await queries.county_governance(model, theirs)
