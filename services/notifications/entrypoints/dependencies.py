"""What every route of the notifications API depends on."""

from typing import Annotated

from fastapi import Depends, Request

from services.notifications.adapters.compose import Composer
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork


def unit_of_work(request: Request) -> NotificationsUnitOfWork:
    uow: NotificationsUnitOfWork = request.app.state.unit_of_work()
    return uow


def composer(request: Request) -> Composer:
    found: Composer = request.app.state.composer
    return found


UoW = Annotated[NotificationsUnitOfWork, Depends(unit_of_work)]
MailComposer = Annotated[Composer, Depends(composer)]
