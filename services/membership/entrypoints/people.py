"""HTTP routes for people (staff only), their roles, and erasure."""

from datetime import date

from fastapi import APIRouter, status
from pydantic import BaseModel, EmailStr, Field, model_validator

from contracts.sign_in import PersonAccess
from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Day
from services.membership.domain.person import Person, PersonDetails, RoleAssignment
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import people as handlers
from services.membership.service_layer import sign_in

router = APIRouter(prefix="/people", tags=["people"])


class PersonIn(PersonDetails):
    role: RoleAssignment = Field(description="The role that ties them to a school or partnership")


class EndRoleIn(BaseModel):
    on: Day = Field(default_factory=date.today)


@router.post("", status_code=status.HTTP_201_CREATED)
async def add(body: PersonIn, uow: UoW, principal: CurrentPrincipal) -> Person:
    details = PersonDetails.model_validate(body.model_dump(exclude={"role"}))
    return await handlers.add_person(uow, principal, details, body.role)


@router.get("")
async def list_all(uow: UoW, principal: CurrentPrincipal) -> list[Person]:
    return await handlers.list_people(uow, principal)


class SignInIn(BaseModel):
    email: EmailStr | None = Field(
        None, description="As the county's identity provider verified it"
    )
    person_id: str | None = Field(None, max_length=64, description="Or: who signed in before")

    @model_validator(mode="after")
    def _one(self) -> "SignInIn":
        if (self.email is None) == (self.person_id is None):
            raise ValueError("give exactly one of email and person_id")
        return self


@router.post(
    "/access",
    summary="What a person signing in may do (the identity service only)",
    response_model=PersonAccess,
)
async def access(body: SignInIn, uow: UoW, principal: CurrentPrincipal) -> PersonAccess:
    return await sign_in.access_of(uow, principal, body.email, body.person_id, date.today())


@router.get("/{person_id}")
async def get(person_id: str, uow: UoW, principal: CurrentPrincipal) -> Person:
    return await handlers.get_person(uow, principal, person_id)


@router.put("/{person_id}")
async def update(
    person_id: str, body: PersonDetails, uow: UoW, principal: CurrentPrincipal
) -> Person:
    return await handlers.update_person(uow, principal, person_id, body)


@router.post("/{person_id}/roles")
async def assign_role(
    person_id: str, body: RoleAssignment, uow: UoW, principal: CurrentPrincipal
) -> Person:
    return await handlers.assign_role(uow, principal, person_id, body)


@router.post("/{person_id}/roles/{role_id}/end")
async def end_role(
    person_id: str,
    role_id: str,
    uow: UoW,
    principal: CurrentPrincipal,
    body: EndRoleIn | None = None,
) -> Person:
    return await handlers.end_role(uow, principal, person_id, role_id, (body or EndRoleIn()).on)


@router.post("/{person_id}/erase", summary="Erase a person's personal data everywhere")
async def erase(person_id: str, uow: UoW, principal: CurrentPrincipal) -> Person:
    return await handlers.erase_person(uow, principal, person_id)
