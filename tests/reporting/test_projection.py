"""The projection and the queries, against an in-memory read model: arrival order, replays,
sector and phase tallies, the county roll-up and who sees what."""

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

import pytest
from reporting.fakes import FakeReadModel

from contracts import membership as ev
from contracts.envelope import IntegrationEvent
from contracts.vocabulary import (
    MembershipRole,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    Sector,
)
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.reporting.domain.composition import PartnershipComposition
from services.reporting.service_layer import projection, queries

DAY = date(2026, 3, 1)
OFFICER = Principal(sub="officer", role=Role.COUNTY_OFFICER)


def created(pid: str, name: str) -> ev.PartnershipCreated:
    return ev.PartnershipCreated(
        partnership_id=pid,
        name=name,
        kind=PartnershipKind.CLUSTER,
        area=["873"],
        status=PartnershipStatus.ACTIVE,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def joined(pid: str, urn: str, role: MembershipRole = MembershipRole.MEMBER) -> ev.SchoolJoined:
    return ev.SchoolJoined(partnership_id=pid, urn=urn, role=role, joined_on=DAY)


def registered(urn: str, name: str, sector: Sector, phase: Phase) -> ev.SchoolRegistered:
    return ev.SchoolRegistered(urn=urn, name=name, sector=sector, phase=phase, la_code="873")


PARTNERSHIP_STREAM: list[IntegrationEvent] = [
    created("p1", "Fenland"),
    ev.CoordinatorAssigned(partnership_id="p1", person_id="c1"),
    joined("p1", "100001", MembershipRole.FOUNDER),
    ev.SchoolInvited(partnership_id="p1", urn="100002", role=MembershipRole.MEMBER, invited_on=DAY),
    joined("p1", "100002"),
    joined("p1", "100003"),
    ev.MembershipSuspended(partnership_id="p1", urn="100003", suspended_on=DAY),
    ev.MembershipReinstated(partnership_id="p1", urn="100003", reinstated_on=DAY),
    ev.MembershipSuspended(partnership_id="p1", urn="100003", suspended_on=DAY),
    ev.SchoolInvited(partnership_id="p1", urn="100004", role=MembershipRole.MEMBER, invited_on=DAY),
    joined("p1", "100005"),
    ev.SchoolLeft(partnership_id="p1", urn="100005", left_on=DAY),
]
SCHOOL_STREAM: list[IntegrationEvent] = [
    registered("100001", "March Primary", Sector.STATE, Phase.PRIMARY),
    registered("100002", "Wisbech Grammar", Sector.INDEPENDENT, Phase.SECONDARY),
    registered("100003", "Kings Prep", Sector.INDEPENDENT, Phase.PRIMARY),
    ev.SchoolUpdated(
        urn="100001", name="March Primary", sector=Sector.STATE, phase=Phase.ALL_THROUGH
    ),
]


def interleavings(
    first: Sequence[IntegrationEvent], second: Sequence[IntegrationEvent]
) -> Iterator[list[IntegrationEvent]]:
    """Every merge that keeps each stream's own order, as two partitions may deliver them."""
    size = len(first) + len(second)
    for slots in itertools.combinations(range(size), len(second)):
        a, b = iter(first), iter(second)
        yield [next(b) if i in slots else next(a) for i in range(size)]


async def project(events: Sequence[IntegrationEvent]) -> FakeReadModel:
    model = FakeReadModel()
    for event in events:
        await projection.apply(event, model)
    return model


async def composition_of(model: FakeReadModel, pid: str = "p1") -> PartnershipComposition:
    return await queries.partnership_composition(model, OFFICER, pid)


async def test_composition_counts_members_by_sector_and_phase() -> None:
    found = await composition_of(await project(PARTNERSHIP_STREAM + SCHOOL_STREAM))
    assert [(s.urn, s.name, s.status, s.role) for s in found.member_schools] == [
        ("100003", "Kings Prep", "suspended", "member"),
        ("100001", "March Primary", "active", "founder"),
        ("100002", "Wisbech Grammar", "active", "member"),
    ]
    assert found.by_sector == {"state": 1, "independent": 2}
    assert found.by_phase == {
        "nursery": 0,
        "primary": 1,
        "middle": 0,
        "secondary": 1,
        "all_through": 1,
        "16_plus": 0,
        "not_applicable": 0,
    }
    assert found.counts.model_dump() == {"active": 2, "invited": 1, "suspended": 1, "left": 1}
    assert (found.name, found.coordinators, found.cross_sector) == ("Fenland", 1, True)


async def test_a_member_whose_school_is_not_known_yet_counts_as_unknown() -> None:
    found = await composition_of(await project(PARTNERSHIP_STREAM + SCHOOL_STREAM[1:3]))
    unknown = next(s for s in found.member_schools if s.urn == "100001")
    assert (unknown.name, unknown.sector, unknown.phase) == (None, None, None)
    assert found.by_sector == {"state": 0, "independent": 2, "unknown": 1}
    assert found.by_phase["unknown"] == 1
    assert not found.cross_sector


async def test_any_arrival_order_across_partitions_gives_the_same_composition() -> None:
    expected = await composition_of(await project(PARTNERSHIP_STREAM + SCHOOL_STREAM))
    orders = list(interleavings(PARTNERSHIP_STREAM[2:7], SCHOOL_STREAM))
    assert len(orders) == 126
    for order in orders:
        events = PARTNERSHIP_STREAM[:2] + order + PARTNERSHIP_STREAM[7:]
        assert await composition_of(await project(events)) == expected


async def test_replaying_events_has_no_second_effect() -> None:
    """Everything but the coordinator count is set, not added; the inbox guards that count."""
    once = await composition_of(await project(PARTNERSHIP_STREAM + SCHOOL_STREAM))
    replayable = [
        e for e in PARTNERSHIP_STREAM + SCHOOL_STREAM if "Coordinator" not in type(e).__name__
    ]
    model = await project(PARTNERSHIP_STREAM + SCHOOL_STREAM)
    for event in replayable:
        await projection.apply(event, model)
    assert await composition_of(model) == once


async def test_coordinators_are_counted() -> None:
    model = await project(
        [
            created("p1", "Fenland"),
            ev.CoordinatorAssigned(partnership_id="p1", person_id="c1"),
            ev.CoordinatorAssigned(partnership_id="p1", person_id="c2"),
            ev.CoordinatorRemoved(partnership_id="p1", person_id="c1"),
        ]
    )
    assert (await composition_of(model)).coordinators == 1


async def test_updates_replace_partnership_and_school_details() -> None:
    model = await project(
        [
            *PARTNERSHIP_STREAM,
            *SCHOOL_STREAM,
            ev.PartnershipUpdated(
                partnership_id="p1",
                name="Fenland Board",
                kind=PartnershipKind.BOARD,
                area=["873", "874"],
                status=PartnershipStatus.PAUSED,
            ),
            ev.SchoolUpdated(urn="100002", name="Wisbech", sector=Sector.STATE, phase=Phase.MIDDLE),
        ]
    )
    found = await composition_of(model)
    assert (found.name, found.kind, found.status, found.area) == (
        "Fenland Board",
        "board",
        "paused",
        ["873", "874"],
    )
    assert (found.coordinators, found.counts.active) == (1, 2)
    assert found.by_sector == {"state": 2, "independent": 1}
    assert found.by_phase["middle"] == 1


async def test_the_county_counts_each_school_once() -> None:
    model = await project(
        [
            *PARTNERSHIP_STREAM,
            *SCHOOL_STREAM,
            created("p2", "Isle Cluster"),
            joined("p2", "100002"),
            joined("p2", "100006"),
            registered("100006", "Ely Primary", Sector.STATE, Phase.PRIMARY),
            created("p3", "Empty Hub"),
        ]
    )
    county = await queries.county_composition(model, OFFICER)
    assert county.partnerships == 3
    assert county.schools == 4  # 100001, 100002 (in two), 100003, 100006
    assert county.by_sector == {"state": 2, "independent": 2}
    assert (county.by_phase["primary"], county.by_phase["all_through"]) == (2, 1)
    assert county.cross_sector_partnerships == 2


@pytest.fixture
async def two_partnerships() -> FakeReadModel:
    return await project(
        [
            *PARTNERSHIP_STREAM,
            *SCHOOL_STREAM,
            created("p2", "Isle Cluster"),
            joined("p2", "200001"),
        ]
    )


def caller(role: Role, partnerships: Sequence[str] = (), schools: Sequence[str] = ()) -> Principal:
    return Principal(
        sub="x", role=role, partnerships=frozenset(partnerships), schools=frozenset(schools)
    )


@pytest.mark.parametrize(
    ("principal", "visible"),
    [
        (OFFICER, {"p1", "p2"}),
        (caller(Role.SERVICE), {"p1", "p2"}),
        (caller(Role.PARTNERSHIP_COORDINATOR, partnerships=["p2"]), {"p2"}),
        (caller(Role.SCHOOL_LEAD, schools=["100002"]), {"p1"}),
        (caller(Role.TEACHER, schools=["100003"]), {"p1"}),  # suspended is still a member
        (caller(Role.SCHOOL_LEAD, schools=["100004"]), {"p1"}),  # invited sees whom it would join
        (caller(Role.SCHOOL_LEAD, schools=["100005"]), set()),  # left
        (caller(Role.TEACHER, schools=["999999"]), set()),
    ],
)
async def test_callers_see_only_their_partnerships(
    two_partnerships: FakeReadModel, principal: Principal, visible: set[str]
) -> None:
    listed = await queries.partnership_summaries(two_partnerships, principal)
    assert {s.partnership_id for s in listed} == visible
    for pid in {"p1", "p2"} - visible:
        with pytest.raises(NotFound, match=f"no partnership {pid}"):
            await queries.partnership_composition(two_partnerships, principal, pid)
    for pid in visible:
        assert (
            await queries.partnership_composition(two_partnerships, principal, pid)
        ).partnership_id == pid


async def test_only_county_officers_see_the_county(two_partnerships: FakeReadModel) -> None:
    for role in (Role.PARTNERSHIP_COORDINATOR, Role.SCHOOL_LEAD, Role.TEACHER):
        with pytest.raises(Forbidden, match="county officer"):
            await queries.county_composition(two_partnerships, caller(role, ["p1"], ["100001"]))


async def test_a_partnership_known_only_by_its_coordinators_is_not_shown() -> None:
    model = await project([ev.CoordinatorAssigned(partnership_id="p9", person_id="c1")])
    assert await queries.partnership_summaries(model, OFFICER) == []
    with pytest.raises(NotFound):
        await composition_of(model, "p9")


async def test_a_coordinator_membership_names_sees_the_partnership_as_in_every_service() -> None:
    """Their token names no partnership (it was made before they created one): membership's
    CoordinatorAssigned decides, as it does in membership and events."""
    model = await project(
        [
            created("p1", "Fenland"),
            created("p2", "Ouse"),
            ev.CoordinatorAssigned(partnership_id="p1", person_id="cora"),
        ]
    )
    cora = Principal(sub="cora", role=Role.PARTNERSHIP_COORDINATOR, person_id="cora")
    listed = await queries.partnership_summaries(model, cora)
    assert [s.partnership_id for s in listed] == ["p1"]
    assert (await queries.partnership_composition(model, cora, "p1")).partnership_id == "p1"
    with pytest.raises(NotFound):
        await queries.partnership_composition(model, cora, "p2")
    teacher = Principal(sub="cora", role=Role.TEACHER, person_id="cora")  # not as a teacher
    with pytest.raises(NotFound):
        await queries.partnership_composition(model, teacher, "p1")


async def test_a_relationship_between_schools_and_its_end_are_kept_in_any_order() -> None:
    started = ev.SchoolRelationshipStarted(
        relationship_id="r1",
        kind="sponsorship",
        first=ev.RelationshipParty(school_urn="990301"),
        second=ev.RelationshipParty(school_urn="990302"),
        starts_on=date(2013, 9, 1),
        partnership_id="p1",
        support=["music"],
    )
    ended = ev.SchoolRelationshipEnded(relationship_id="r1", ended_on=date(2020, 8, 31))
    for order in ((started, ended), (ended, started)):
        model = FakeReadModel()
        for event in order:
            await projection.apply(event, model)
        [kept] = await model.relationships(["p1"])
        assert (kept.first_urn, kept.ends_on, kept.support) == (
            "990301",
            date(2020, 8, 31),
            ["music"],
        )
        assert not kept.current(date(2021, 1, 1)) and kept.current(date(2019, 1, 1))
