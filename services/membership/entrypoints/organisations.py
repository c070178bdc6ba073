"""HTTP routes for the register of outside organisations (universities, trainee providers, the
council, charities)."""

from fastapi import APIRouter, status

from eventkit.auth import CurrentPrincipal
from services.membership.domain.organisation import Organisation, OrganisationDetails
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import organisations as handlers

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register an outside organisation")
async def register(
    body: OrganisationDetails, uow: UoW, principal: CurrentPrincipal
) -> Organisation:
    return await handlers.register_organisation(uow, principal, body)


@router.get("", summary="The register of outside organisations, by name")
async def list_all(uow: UoW, principal: CurrentPrincipal) -> list[Organisation]:
    return await handlers.list_organisations(uow)


@router.get("/{organisation_id}", summary="One organisation")
async def one(organisation_id: str, uow: UoW, principal: CurrentPrincipal) -> Organisation:
    return await handlers.get_organisation(uow, organisation_id)


@router.put("/{organisation_id}", summary="Correct an organisation's details (county officers)")
async def update(
    organisation_id: str, body: OrganisationDetails, uow: UoW, principal: CurrentPrincipal
) -> Organisation:
    return await handlers.update_organisation(uow, principal, organisation_id, body)
