"""HTTP routes for schools and their expertise register."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from contracts.vocabulary import Phase, Sector, Urn
from eventkit.auth import CurrentPrincipal
from services.membership.domain.school import Expertise, School, SchoolDetails
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import schools as handlers

router = APIRouter(prefix="/schools", tags=["schools"])


class SchoolIn(SchoolDetails):
    urn: Urn


@router.post("", status_code=status.HTTP_201_CREATED)
async def register(body: SchoolIn, uow: UoW, principal: CurrentPrincipal) -> School:
    details = SchoolDetails.model_validate(body.model_dump(exclude={"urn"}))
    return await handlers.register_school(uow, principal, body.urn, details)


@router.get("")
async def search(
    uow: UoW,
    principal: CurrentPrincipal,
    la_code: str | None = None,
    sector: Sector | None = None,
    phase: Phase | None = None,
    name: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[School]:
    return await handlers.search_schools(
        uow, la_code=la_code, sector=sector, phase=phase, name=name, limit=limit, skip=skip
    )


@router.get("/{urn}")
async def get(urn: str, uow: UoW, principal: CurrentPrincipal) -> School:
    return await handlers.get_school(uow, urn)


@router.put("/{urn}")
async def update(urn: str, body: SchoolDetails, uow: UoW, principal: CurrentPrincipal) -> School:
    return await handlers.update_school(uow, principal, urn, body)


@router.put("/{urn}/expertise")
async def offer_expertise(
    urn: str, body: Expertise, uow: UoW, principal: CurrentPrincipal
) -> School:
    return await handlers.offer_expertise(uow, principal, urn, body)
