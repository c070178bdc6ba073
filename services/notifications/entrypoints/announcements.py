"""HTTP route for announcements: translate, call the handler."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, status
from pydantic import BaseModel, Field

from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Line, Text
from services.notifications.entrypoints.dependencies import UoW
from services.notifications.service_layer import announcements as handlers
from services.notifications.service_layer.announcements import Audience


class AnnouncementBody(BaseModel):
    audience: Audience
    partnership_id: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="The partnership (all audiences but `coordinators`)"
    )
    activity_id: Annotated[str, Field(max_length=64)] | None = Field(
        None, description="For `booked`: the activity whose people hear it"
    )
    subject: Line
    body: Text


class Announced(BaseModel):
    id: str
    recipients: int


router = APIRouter(tags=["announcements"])


@router.post("/announcements", status_code=status.HTTP_201_CREATED, summary="Write to an audience")
async def announce(
    body: AnnouncementBody,
    uow: UoW,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=100,
            description="Send the same again with the same key: it is one announcement",
        ),
    ] = None,
) -> Announced:
    announcement_id, recipients = await handlers.announce(
        uow,
        principal,
        audience=body.audience,
        subject=body.subject,
        body=body.body,
        now=datetime.now(UTC),
        partnership_id=body.partnership_id,
        activity_id=body.activity_id,
        idempotency_key=idempotency_key,
    )
    return Announced(id=announcement_id, recipients=recipients)
