"""The county roll-up in the Independent Schools Council's headline style, for one academic year:
how many state schools and how many pupils benefited from partnership activity, how many
partnerships bring independent and state schools together, and reach by category and by local
authority.

A school benefited when it hosted an activity of the year or held a place on one (not a no-show);
pupils and staff were reached when their booking was marked attended. Each school counts in its own local
authority, so a county officer sees what reached the schools of the authorities they cover (all
of them, for a deployment-wide view), and the authorities' figures add up to the whole.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from pydantic import BaseModel, Field

from contracts.vocabulary import BookingStatus, Sector
from services.reporting.domain.composition import PartnershipComposition
from services.reporting.domain.participation import (
    TAKING_PLACE,
    ActivityRecord,
    BookingRecord,
    Term,
    academic_year,
    takes_part,
)
from services.reporting.domain.records import SchoolRecord

UNKNOWN_AREA = "unknown"


class AreaReach(BaseModel):
    la_code: str
    la_name: str | None = None
    schools_taking_part: int = 0
    state_schools_taking_part: int = 0
    staff_reached: int = 0
    pupils_reached: int = 0


class CategoryReach(BaseModel):
    category: str
    activities: int = 0
    schools_taking_part: int = 0
    staff_reached: int = 0
    pupils_reached: int = 0


class Headline(BaseModel):
    year: str = Field(description="The academic year, like 2026/27")
    local_authorities: list[str] | None = Field(
        description="The local authorities it covers; None: every one"
    )
    state_schools_benefited: int
    independent_schools_involved: int
    pupils_benefited: int
    staff_reached: int
    partnerships: int
    independent_state_partnerships: int
    by_category: list[CategoryReach]
    by_local_authority: list[AreaReach]


def covers(areas: Collection[str] | None, composition: PartnershipComposition) -> bool:
    """Whether a partnership is in the local authorities (None: all): one of its member schools
    is, or the area it was set up for."""
    return (
        areas is None
        or any((s.la_code or UNKNOWN_AREA) in areas for s in composition.member_schools)
        or any(code in areas for code in composition.area)
    )


def _in_year(activity: ActivityRecord, year: int) -> bool:
    return (
        activity.status in TAKING_PLACE
        and bool(activity.sessions)
        and (Term.of(activity.starts_at).year == year)
    )


def headline(
    year: int,
    areas: Collection[str] | None,
    activities: Iterable[ActivityRecord],
    bookings: Iterable[BookingRecord],
    schools: Mapping[str, SchoolRecord],
    compositions: Iterable[PartnershipComposition],
) -> Headline:
    """`areas`: the local authority codes covered (None: all)."""

    def area_of(urn: str) -> str:
        school = schools.get(urn)
        return (school.la_code if school else None) or UNKNOWN_AREA

    def covered(urn: str) -> bool:
        return areas is None or area_of(urn) in areas

    running = {a.activity_id: a for a in activities if _in_year(a, year)}
    taking_part: set[tuple[str, str]] = set()  # (activity id, urn)
    for activity in running.values():
        if activity.host_urn and covered(activity.host_urn):
            taking_part.add((activity.activity_id, activity.host_urn))
    came: list[tuple[ActivityRecord, BookingRecord]] = []
    for booking in bookings:
        booked = running.get(booking.activity_id)
        if booked is None or not takes_part(booking) or not covered(booking.urn):
            continue
        taking_part.add((booked.activity_id, booking.urn))
        if booking.status == BookingStatus.ATTENDED:
            came.append((booked, booking))

    def sector(urn: str) -> Sector | None:
        school = schools.get(urn)
        return school.sector if school else None

    urns = {urn for _, urn in taking_part}
    by_area: dict[str, AreaReach] = {}
    for urn in urns:
        code = area_of(urn)
        school = schools.get(urn)
        reach = by_area.setdefault(code, AreaReach(la_code=code))
        reach.la_name = reach.la_name or (school.la_name if school else None)
        reach.schools_taking_part += 1
        reach.state_schools_taking_part += sector(urn) == Sector.STATE
    staff_by_area: dict[str, set[str]] = defaultdict(set)
    by_category: dict[str, CategoryReach] = {}
    category_schools: dict[str, set[str]] = defaultdict(set)
    category_staff: dict[str, set[str]] = defaultdict(set)
    for activity_id, urn in taking_part:
        category_schools[running[activity_id].category.value].add(urn)
    with_schools = {activity_id for activity_id, _ in taking_part}
    for activity in running.values():
        entry = by_category.setdefault(
            activity.category.value, CategoryReach(category=activity.category.value)
        )
        entry.activities += activity.activity_id in with_schools
    for activity, booking in came:
        code = area_of(booking.urn)
        by_area[code].pupils_reached += booking.pupils
        by_category[activity.category.value].pupils_reached += booking.pupils
        if booking.person_id:
            staff_by_area[code].add(booking.person_id)
            category_staff[activity.category.value].add(booking.person_id)
    for code, people in staff_by_area.items():
        by_area[code].staff_reached = len(people)
    for category, entry in by_category.items():
        entry.schools_taking_part = len(category_schools[category])
        entry.staff_reached = len(category_staff[category])

    compositions = list(compositions)
    in_scope = [c for c in compositions if covers(areas, c)]
    return Headline(
        year=academic_year(year),
        local_authorities=sorted(areas) if areas is not None else None,
        state_schools_benefited=sum(1 for u in urns if sector(u) == Sector.STATE),
        independent_schools_involved=sum(1 for u in urns if sector(u) == Sector.INDEPENDENT),
        pupils_benefited=sum(b.pupils for _, b in came),
        staff_reached=len({b.person_id for _, b in came if b.person_id}),
        partnerships=len(in_scope),
        independent_state_partnerships=sum(1 for c in in_scope if c.cross_sector),
        by_category=sorted(
            (c for c in by_category.values() if c.activities),
            key=lambda c: (-c.schools_taking_part, c.category),
        ),
        by_local_authority=sorted(by_area.values(), key=lambda a: a.la_code),
    )
