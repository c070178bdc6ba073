"""The county roll-up in the ISC's headline style, from participation records and compositions."""

from datetime import UTC, datetime, timedelta

from unit.test_reporting_participation import activity, booking

from contracts.vocabulary import ActivityCategory, MembershipStatus, PartnershipKind, Phase, Sector
from contracts.vocabulary import BookingStatus as S
from contracts.vocabulary import PartnershipStatus as PS
from services.reporting.domain.composition import MemberSchool, PartnershipComposition
from services.reporting.domain.county import headline
from services.reporting.domain.records import SchoolRecord

KENT, MEDWAY = "886", "887"
KENT_STATE, KENT_INDEPENDENT, MEDWAY_STATE = "110001", "110002", "110003"
SCHOOLS = {
    KENT_STATE: SchoolRecord(
        urn=KENT_STATE, name="K", sector=Sector.STATE, phase=Phase.PRIMARY, la_code=KENT
    ),
    KENT_INDEPENDENT: SchoolRecord(
        urn=KENT_INDEPENDENT,
        name="I",
        sector=Sector.INDEPENDENT,
        phase=Phase.SECONDARY,
        la_code=KENT,
        la_name="Kent",
    ),
    MEDWAY_STATE: SchoolRecord(
        urn=MEDWAY_STATE, name="M", sector=Sector.STATE, phase=Phase.PRIMARY, la_code=MEDWAY
    ),
}
YEAR = 2026
IN_YEAR = datetime(2026, 10, 6, 9, tzinfo=UTC)


def composition(pid: str, *urns: str) -> PartnershipComposition:
    members = [
        MemberSchool(
            urn=u,
            name=SCHOOLS[u].name,
            sector=SCHOOLS[u].sector,
            phase=SCHOOLS[u].phase,
            la_code=SCHOOLS[u].la_code,
            role=None,
            status=MembershipStatus.ACTIVE,
        )
        for u in urns
    ]
    sectors = {m.sector for m in members}
    return PartnershipComposition(
        partnership_id=pid,
        name=pid,
        kind=PartnershipKind.CLUSTER,
        status=PS.ACTIVE,
        area=[],
        coordinators=1,
        member_schools=members,
        by_sector={},
        by_phase={},
        counts={"active": len(members)},
        cross_sector={Sector.STATE, Sector.INDEPENDENT} <= sectors,
    )


ACTIVITIES = [
    activity("debate", IN_YEAR, host=KENT_INDEPENDENT, category=ActivityCategory.ACADEMIC),
    activity(
        "stem", IN_YEAR + timedelta(days=30), host=MEDWAY_STATE, category=ActivityCategory.STEM
    ),
    activity("last-year", datetime(2026, 6, 1, 9, tzinfo=UTC), host=KENT_STATE),
]
BOOKINGS = [
    booking("b1", "debate", KENT_STATE, S.ATTENDED, pupils=20),
    booking("b2", "debate", KENT_STATE, S.ATTENDED, person="ann"),
    booking("b3", "stem", MEDWAY_STATE, S.ATTENDED, pupils=15),
    booking("b4", "stem", KENT_STATE, S.REGISTERED, person="bob"),
    booking("b5", "last-year", KENT_STATE, S.ATTENDED, pupils=99),  # 2025/26: not this year
]
COMPOSITIONS = [
    composition("p-kent", KENT_STATE, KENT_INDEPENDENT),
    composition("p-medway", MEDWAY_STATE),
]


def test_the_whole_deployment_adds_up_every_local_authority() -> None:
    found = headline(YEAR, None, ACTIVITIES, BOOKINGS, SCHOOLS, COMPOSITIONS)
    assert found.year == "2026/27" and found.local_authorities is None
    assert found.state_schools_benefited == 2  # Kent's state school and Medway's
    assert found.independent_schools_involved == 1
    assert found.pupils_benefited == 20 + 15
    assert found.staff_reached == 1
    assert (found.partnerships, found.independent_state_partnerships) == (2, 1)
    areas = {a.la_code: a for a in found.by_local_authority}
    assert sum(a.pupils_reached for a in areas.values()) == found.pupils_benefited
    assert (areas[KENT].schools_taking_part, areas[KENT].state_schools_taking_part) == (2, 1)
    assert areas[KENT].la_name == "Kent"  # from whichever of its schools names it
    categories = {c.category: c for c in found.by_category}
    assert categories["academic"].pupils_reached == 20
    assert categories["stem"].schools_taking_part == 2


def test_an_officer_sees_the_schools_of_the_authorities_they_cover() -> None:
    kent = headline(YEAR, {KENT}, ACTIVITIES, BOOKINGS, SCHOOLS, COMPOSITIONS)
    assert kent.local_authorities == [KENT]
    assert [a.la_code for a in kent.by_local_authority] == [KENT]
    assert kent.pupils_benefited == 20  # Medway's pupils on the STEM day are Medway's
    assert (kent.state_schools_benefited, kent.partnerships) == (1, 1)
    nowhere = headline(YEAR, set(), ACTIVITIES, BOOKINGS, SCHOOLS, COMPOSITIONS)
    assert (nowhere.local_authorities, nowhere.pupils_benefited) == ([], 0)


def test_a_no_show_school_did_not_benefit() -> None:
    missed = [booking("b9", "stem", KENT_INDEPENDENT, S.NO_SHOW, pupils=30)]
    found = headline(YEAR, {KENT}, ACTIVITIES, missed, SCHOOLS, COMPOSITIONS)
    stem = [c for c in found.by_category if c.category == "stem"]
    assert stem == []  # no Kent school took part in Medway's STEM day
    assert found.independent_schools_involved == 1  # the debating day's host
