"""What every route of the membership API depends on."""

from typing import Annotated

from fastapi import Depends, Request

from services.membership.service_layer.unit_of_work import MembershipUnitOfWork


def unit_of_work(request: Request) -> MembershipUnitOfWork:
    factory = request.app.state.unit_of_work
    uow: MembershipUnitOfWork = factory()
    return uow


UoW = Annotated[MembershipUnitOfWork, Depends(unit_of_work)]
