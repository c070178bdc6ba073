"""HTTP routes for relationships between schools (sponsorship, academy trusts, teaching school
alliances)."""

from datetime import date

from fastapi import APIRouter, status
from pydantic import BaseModel

from contracts.vocabulary import Urn
from eventkit.auth import CurrentPrincipal
from services.membership.domain.relationship import RelationshipDetails, SchoolRelationship
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import relationships as handlers

router = APIRouter(tags=["relationships"])


class Ending(BaseModel):
    ended_on: date


@router.post(
    "/relationships",
    status_code=status.HTTP_201_CREATED,
    summary="Record a relationship between two schools, or a school and an academy trust",
)
async def start(
    body: RelationshipDetails, uow: UoW, principal: CurrentPrincipal
) -> SchoolRelationship:
    return await handlers.start_relationship(uow, principal, body)


@router.get("/relationships/{relationship_id}", summary="One relationship")
async def one(relationship_id: str, uow: UoW, principal: CurrentPrincipal) -> SchoolRelationship:
    return await handlers.get_relationship(uow, relationship_id)


@router.get("/schools/{urn}/relationships", summary="A school's relationships, earliest first")
async def of_school(urn: Urn, uow: UoW, principal: CurrentPrincipal) -> list[SchoolRelationship]:
    return await handlers.of_school(uow, urn)


@router.post("/relationships/{relationship_id}/end", summary="End a relationship on a day")
async def end(
    relationship_id: str, body: Ending, uow: UoW, principal: CurrentPrincipal
) -> SchoolRelationship:
    return await handlers.end_relationship(uow, principal, relationship_id, body.ended_on)
