"""What every route of the events API depends on."""

from typing import Annotated

from fastapi import Depends, Request

from services.events.service_layer.unit_of_work import EventsUnitOfWork


def unit_of_work(request: Request) -> EventsUnitOfWork:
    uow: EventsUnitOfWork = request.app.state.unit_of_work()
    return uow


UoW = Annotated[EventsUnitOfWork, Depends(unit_of_work)]
