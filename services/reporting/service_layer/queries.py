"""The questions the reporting API answers, each scoped by the caller's token."""

from collections.abc import Collection

from pydantic import BaseModel, Field

from eventkit.auth import Principal, Role
from eventkit.errors import NotFound
from services.reporting.domain import composition as c
from services.reporting.domain import participation as p
from services.reporting.service_layer import access
from services.reporting.service_layer.read_model import ParticipationReader, ReadModelReader


async def _compositions(
    model: ReadModelReader, ids: Collection[str] | None
) -> list[c.PartnershipComposition]:
    partnerships = await model.partnerships(ids)
    memberships = await model.memberships([p.partnership_id for p in partnerships])
    schools = await model.schools({m.urn for m in memberships})
    return [c.compose(p, memberships, schools) for p in partnerships]


async def partnership_composition(
    model: ReadModelReader, principal: Principal, partnership_id: str
) -> c.PartnershipComposition:
    partnerships = await model.partnerships([partnership_id])
    memberships = await model.memberships([partnership_id])
    if not partnerships or not access.sees(principal, partnerships[0], memberships):
        raise NotFound(f"no partnership {partnership_id}")
    schools = await model.schools({m.urn for m in memberships})
    return c.compose(partnerships[0], memberships, schools)


async def partnership_summaries(
    model: ReadModelReader, principal: Principal
) -> list[c.PartnershipSummary]:
    ids: set[str] | None = None
    if not principal.county_wide:
        of_schools = await model.memberships_of_schools(principal.schools)
        ids = set(principal.partnerships) | access.through_schools(principal, of_schools)
        if principal.role == Role.PARTNERSHIP_COORDINATOR and principal.person_id:
            ids |= await model.coordinated_by(principal.person_id)
    return [c.summarise(found) for found in await _compositions(model, ids)]


async def county_composition(model: ReadModelReader, principal: Principal) -> c.CountyComposition:
    access.require_county_officer(principal)
    return c.county(await _compositions(model, None))


class Participation(BaseModel):
    """What took part, term by term, in the partnerships the caller asked about."""

    partnership_id: str | None = Field(description="None: the county roll-up")
    name: str
    partnerships: int
    terms: list[p.TermFigures]


async def _participation(
    model: ReadModelReader, records: ParticipationReader, partnership_ids: Collection[str] | None
) -> list[p.TermFigures]:
    activities = await records.activities(partnership_ids)
    ids = [a.activity_id for a in activities]
    bookings = await records.bookings(ids)
    urns = {b.urn for b in bookings} | {a.host_urn for a in activities if a.host_urn}
    return p.term_figures(
        activities, bookings, await records.evaluations(ids), await model.schools(urns)
    )


async def partnership_participation(
    model: ReadModelReader,
    records: ParticipationReader,
    principal: Principal,
    partnership_id: str,
) -> Participation:
    partnerships = await model.partnerships([partnership_id])
    memberships = await model.memberships([partnership_id])
    if not partnerships or not access.sees(principal, partnerships[0], memberships):
        raise NotFound(f"no partnership {partnership_id}")
    return Participation(
        partnership_id=partnership_id,
        name=partnerships[0].name,
        partnerships=1,
        terms=await _participation(model, records, [partnership_id]),
    )


async def county_participation(
    model: ReadModelReader, records: ParticipationReader, principal: Principal
) -> Participation:
    access.require_county_officer(principal)
    return Participation(
        partnership_id=None,
        name="Every partnership",
        partnerships=len(await model.partnerships()),
        terms=await _participation(model, records, None),
    )
