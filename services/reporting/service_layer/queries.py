"""The questions the reporting API answers, each scoped by the caller's token."""

from collections.abc import Collection
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field

from contracts.vocabulary import MembershipStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.reporting.domain import composition as c
from services.reporting.domain import county as h
from services.reporting.domain import governance as g
from services.reporting.domain import participation as p
from services.reporting.domain import relationships as r
from services.reporting.domain.monthly import MonthFigures, month_figures
from services.reporting.domain.records import MembershipRecord, PartnershipRecord
from services.reporting.service_layer import access
from services.reporting.service_layer.read_model import ParticipationReader, ReadModelReader


async def _compositions(
    model: ReadModelReader, ids: Collection[str] | None
) -> list[c.PartnershipComposition]:
    partnerships = await model.partnerships(ids)
    memberships = await model.memberships([p.partnership_id for p in partnerships])
    schools = await model.schools({m.urn for m in memberships})
    return [c.compose(p, memberships, schools) for p in partnerships]


async def _county(model: ReadModelReader, principal: Principal) -> set[str] | None:
    """A county officer's county: the local authorities the person covers as membership's roles
    say (none for a person not known as one). None, no bounds, for a caller who is no person (a
    service, a deployment-wide token) and for those who are no county officer (their token
    bounds them)."""
    if principal.county_wide and principal.person_id:
        return await model.officer_areas(principal.person_id) or set()
    return None


async def _in_county(
    model: ReadModelReader, principal: Principal, compositions: list[c.PartnershipComposition]
) -> list[c.PartnershipComposition]:
    areas = await _county(model, principal)
    return [found for found in compositions if h.covers(areas, found)]


async def _visible_partnership(
    model: ReadModelReader, principal: Principal, partnership_id: str
) -> tuple[PartnershipRecord, list[MembershipRecord]]:
    """The partnership and its memberships, if the caller may see it (a county officer: one in
    their county); else not found."""
    partnerships = await model.partnerships([partnership_id])
    memberships = await model.memberships([partnership_id])
    if not partnerships or not access.sees(principal, partnerships[0], memberships):
        raise NotFound(f"no partnership {partnership_id}")
    areas = await _county(model, principal)
    if areas is not None:
        schools = await model.schools({m.urn for m in memberships})
        if not h.covers(areas, c.compose(partnerships[0], memberships, schools)):
            raise NotFound(f"no partnership {partnership_id}")
    return partnerships[0], memberships


async def partnership_composition(
    model: ReadModelReader, principal: Principal, partnership_id: str
) -> c.PartnershipComposition:
    partnership, memberships = await _visible_partnership(model, principal, partnership_id)
    schools = await model.schools({m.urn for m in memberships})
    return c.compose(partnership, memberships, schools)


async def partnership_summaries(
    model: ReadModelReader, principal: Principal
) -> list[c.PartnershipSummary]:
    ids: set[str] | None = None
    if not principal.county_wide:
        of_schools = await model.memberships_of_schools(principal.schools)
        ids = set(principal.partnerships) | access.through_schools(principal, of_schools)
        if principal.role == Role.PARTNERSHIP_COORDINATOR and principal.person_id:
            ids |= await model.coordinated_by(principal.person_id)
    found = await _in_county(model, principal, await _compositions(model, ids))
    return [c.summarise(one) for one in found]


async def county_composition(model: ReadModelReader, principal: Principal) -> c.CountyComposition:
    access.require_county_officer(principal)
    return c.county(await _in_county(model, principal, await _compositions(model, None)))


async def partnership_relationships(
    model: ReadModelReader, principal: Principal, partnership_id: str
) -> r.Relationships:
    await _visible_partnership(model, principal, partnership_id)
    found = await model.relationships([partnership_id])
    return r.summarise([partnership_id], found, date.today())


async def county_relationships(model: ReadModelReader, principal: Principal) -> r.Relationships:
    """Those of the partnerships in the officer's county, together."""
    access.require_county_officer(principal)
    ids = [
        c.partnership_id
        for c in await _in_county(model, principal, await _compositions(model, None))
    ]
    return r.summarise(ids, await model.relationships(ids), date.today())


async def _governance(model: ReadModelReader, partnership_ids: list[str]) -> g.Governance:
    found = await model.governance(partnership_ids)
    return g.summarise(partnership_ids, found, date.today(), datetime.now(UTC))


async def partnership_governance(
    model: ReadModelReader, principal: Principal, partnership_id: str
) -> g.Governance:
    await _visible_partnership(model, principal, partnership_id)
    return await _governance(model, [partnership_id])


async def county_governance(model: ReadModelReader, principal: Principal) -> g.Governance:
    """The boards of the partnerships in the officer's county, together."""
    access.require_county_officer(principal)
    in_county = await _in_county(model, principal, await _compositions(model, None))
    return await _governance(model, [found.partnership_id for found in in_county])


class Participation(BaseModel):
    """What took part, term by term, in the partnerships the caller asked about."""

    partnership_id: str | None = Field(description="None: the county roll-up")
    name: str
    partnerships: int
    partnership_ids: list[str] = Field(description="The partnerships the figures are of")
    terms: list[p.TermFigures]


def between(participation: Participation, first: str | None, last: str | None) -> Participation:
    """Only the terms from `first` to `last` (keys like 2026-autumn; None: open-ended)."""
    low = p.term_named(first).order if first else None
    high = p.term_named(last).order if last else None

    def inside(order: tuple[int, int]) -> bool:
        return (low is None or order >= low) and (high is None or order <= high)

    kept = [t for t in participation.terms if inside(p.Term(year=t.year, season=t.season).order)]
    return participation.model_copy(update={"terms": kept})


async def _participation(
    model: ReadModelReader, records: ParticipationReader, partnership_ids: Collection[str] | None
) -> list[p.TermFigures]:
    activities = await records.activities(partnership_ids)
    ids = [a.activity_id for a in activities]
    bookings = await records.bookings(ids)
    support = await records.support(partnership_ids)
    case_studies = await records.case_studies(partnership_ids)
    urns = {b.urn for b in bookings} | {a.host_urn for a in activities if a.host_urn}
    about: set[str] | None = None  # what the partnerships' mail may be about
    if partnership_ids is not None:
        about = {*partnership_ids, *ids, *(b.booking_id for b in bookings)}
        about |= {e.engagement_id for e in support} | {c.case_study_id for c in case_studies}
    return p.term_figures(
        activities,
        bookings,
        await records.evaluations(ids),
        await model.schools(urns),
        support,
        case_studies,
        await records.mail(about),
        await records.work(partnership_ids),
    )


async def partnership_participation(
    model: ReadModelReader,
    records: ParticipationReader,
    principal: Principal,
    partnership_id: str,
) -> Participation:
    partnership, _ = await _visible_partnership(model, principal, partnership_id)
    return Participation(
        partnership_id=partnership_id,
        name=partnership.name,
        partnerships=1,
        partnership_ids=[partnership_id],
        terms=await _participation(model, records, [partnership_id]),
    )


async def _officer_areas(model: ReadModelReader, principal: Principal) -> set[str] | None:
    """The county officer's county (`_county`); None, every local authority, for a caller who
    is no person."""
    access.require_county_officer(principal)
    return await _county(model, principal)


async def county_month(
    model: ReadModelReader, records: ParticipationReader, areas: set[str], month: str
) -> tuple[MonthFigures, int]:
    """The month's figures of the partnerships in the local authorities, and how many."""
    in_county = [c for c in await _compositions(model, None) if h.covers(areas, c)]
    ids = [c.partnership_id for c in in_county]
    activities = await records.activities(ids)
    activity_ids = [a.activity_id for a in activities]
    bookings = await records.bookings(activity_ids)
    urns = {b.urn for b in bookings} | {a.host_urn for a in activities if a.host_urn}
    figures = month_figures(
        month,
        activities,
        bookings,
        await records.evaluations(activity_ids),
        await model.schools(urns),
        await records.support(ids),
        await records.case_studies(ids),
    )
    return figures, len(in_county)


async def county_participation(
    model: ReadModelReader, records: ParticipationReader, principal: Principal
) -> Participation:
    """The partnerships in the officer's local authorities, together."""
    areas = await _officer_areas(model, principal)
    in_county = [c for c in await _compositions(model, None) if h.covers(areas, c)]
    ids = None if areas is None else [c.partnership_id for c in in_county]
    return Participation(
        partnership_id=None,
        name="Every partnership"
        if areas is None
        else "Partnerships in local authorities " + ", ".join(sorted(areas)),
        partnerships=len(in_county),
        partnership_ids=sorted(c.partnership_id for c in in_county),
        terms=await _participation(model, records, ids),
    )


class UnderEngaged(BaseModel):
    """Member schools that neither hosted nor had a place on the partnership's activities in the
    term: for its coordinators to follow up."""

    partnership_id: str
    term: str
    member_schools: int
    schools: list[c.MemberSchool]


async def under_engaged(
    model: ReadModelReader,
    records: ParticipationReader,
    principal: Principal,
    partnership_id: str,
    term: p.Term,
) -> UnderEngaged:
    partnership, memberships = await _visible_partnership(model, principal, partnership_id)
    if not (principal.county_wide or access.coordinates(principal, partnership)):
        raise Forbidden("only the partnership's coordinators and county officers see this")
    composition = c.compose(
        partnership, memberships, await model.schools({m.urn for m in memberships})
    )
    activities = await records.activities([partnership_id])
    bookings = await records.bookings([a.activity_id for a in activities])
    engaged = p.engaged_schools(term, activities, bookings)
    active = [s for s in composition.member_schools if s.status == MembershipStatus.ACTIVE]
    return UnderEngaged(
        partnership_id=partnership_id,
        term=term.name,
        member_schools=len(active),
        schools=[s for s in active if s.urn not in engaged],
    )


class SchoolParticipation(BaseModel):
    urn: str
    name: str | None
    partnerships: list[str] = Field(description="Those it is a member of now")
    terms: list[p.SchoolTerm]


async def school_participation(
    model: ReadModelReader, records: ParticipationReader, principal: Principal, urn: str
) -> SchoolParticipation:
    """Its own staff and county officers see all of it; the coordinators of its partnerships
    what it did in theirs (its other partnerships are not theirs to know of)."""
    memberships = [
        m for m in await model.memberships_of_schools([urn]) if m.status in c.MEMBER_STATUSES
    ]
    partnerships = await model.partnerships({m.partnership_id for m in memberships})
    whole = principal.county_wide or urn in principal.schools
    ids = {
        found.partnership_id
        for found in partnerships
        if whole or access.coordinates(principal, found)
    }
    school = (await model.schools([urn])).get(urn)
    areas = await _county(model, principal)
    outside = areas is not None and (school is None or school.la_code not in areas)
    if outside or (not ids and not (whole and (school or memberships))):
        raise NotFound(f"no school {urn}")
    activities = await records.activities_of_school(urn)
    if not whole:
        activities = [a for a in activities if a.partnership_id in ids]
    bookings = await records.bookings([a.activity_id for a in activities])
    return SchoolParticipation(
        urn=urn,
        name=school.name if school else None,
        partnerships=sorted(ids),
        terms=p.school_terms(urn, activities, bookings),
    )


async def _headlines(
    model: ReadModelReader,
    records: ParticipationReader,
    year: int,
    counties: list[set[str] | None],
) -> list[h.Headline]:
    activities = await records.activities(None)
    bookings = await records.bookings([a.activity_id for a in activities])
    urns = {b.urn for b in bookings} | {a.host_urn for a in activities if a.host_urn}
    compositions = await _compositions(model, None)
    urns |= {s.urn for c in compositions for s in c.member_schools}
    schools = await model.schools(urns)
    return [
        h.headline(year, areas, activities, bookings, schools, compositions) for areas in counties
    ]


async def county_headline(
    model: ReadModelReader, records: ParticipationReader, principal: Principal, year: int
) -> h.Headline:
    """For the local authorities the officer covers (`_officer_areas`)."""
    [found] = await _headlines(model, records, year, [await _officer_areas(model, principal)])
    return found


class CountiesHeadline(BaseModel):
    year: str = Field(description="The academic year, like 2026/27")
    counties: list[h.Headline] = Field(
        description="One per county the deployment serves (the local authorities its county "
        "officers cover); for a county officer, their own only"
    )
    national: h.Headline | None = Field(
        description="Every local authority together, each school counted once: for a "
        "deployment-wide view (none for a county officer)"
    )


async def counties_headline(
    model: ReadModelReader, records: ParticipationReader, principal: Principal, year: int
) -> CountiesHeadline:
    areas = await _officer_areas(model, principal)
    if areas is not None:
        return CountiesHeadline(
            year=p.academic_year(year),
            counties=await _headlines(model, records, year, [areas]),
            national=None,
        )
    counties: list[set[str] | None] = [*await model.counties()]
    *each, national = await _headlines(model, records, year, [*counties, None])
    return CountiesHeadline(year=p.academic_year(year), counties=each, national=national)
