"""HTTP routes for a person's mail: preferences, delivery log, holds, previews."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from eventkit.auth import CurrentPrincipal
from services.notifications.domain.mail import MailState
from services.notifications.domain.preferences import (
    Category,
    Frequency,
    Interests,
    Preferences,
    QuietHours,
    TimeZone,
)
from services.notifications.domain.recipients import Hold
from services.notifications.entrypoints.dependencies import MailComposer, UoW
from services.notifications.service_layer import people as handlers
from services.notifications.service_layer.preview import RULES, preview
from services.notifications.service_layer.rules import RuleName

router = APIRouter(tags=["mail"])
PersonId = Annotated[str, Path(min_length=1, max_length=64)]


class PreferencesBody(BaseModel):
    muted: list[Category] = Field(default_factory=list, max_length=len(Category))
    all_muted: bool = False
    frequency: dict[Category, Frequency] = Field(
        default_factory=dict, description="Per category: immediate, or a daily or weekly digest"
    )
    quiet_hours: QuietHours | None = None
    time_zone: TimeZone = "Europe/London"
    interests: Interests = Field(default_factory=Interests, description="New activities to hear of")

    def preferences(self, person_id: str) -> Preferences:
        return Preferences(person_id=person_id, **self.model_dump())


class DeliveryEntry(BaseModel):
    """One mail to the person: what, when, and how it ended (no address, no body)."""

    id: str
    rule: str
    subject_id: str = Field(description="The record it is about (a booking, an activity ...)")
    activity_id: str | None
    booking_id: str | None
    category: Category
    critical: bool
    state: MailState
    queued_at: datetime
    send_at: datetime
    sent_at: datetime | None
    attempts: int
    subject_line: str | None
    error: str | None


class HeldAddress(BaseModel):
    person_id: str
    hold: Hold


class Preview(BaseModel):
    subject: str
    text: str
    html: str
    attachments: list[str]


@router.get("/people/{person_id}/preferences", summary="What mail the person gets")
async def get_preferences(
    person_id: PersonId, uow: UoW, principal: CurrentPrincipal
) -> Preferences:
    return await handlers.preferences_of(uow, principal, person_id)


@router.put("/people/{person_id}/preferences", summary="Turn kinds of mail off or on")
async def put_preferences(
    person_id: PersonId, body: PreferencesBody, uow: UoW, principal: CurrentPrincipal
) -> Preferences:
    return await handlers.set_preferences(uow, principal, body.preferences(person_id))


@router.get("/people/{person_id}/mail", summary="The person's delivery log, newest first")
async def delivery_log(
    person_id: PersonId,
    uow: UoW,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeliveryEntry]:
    mails = await handlers.delivery_log(uow, principal, person_id, limit)
    return [DeliveryEntry.model_validate(m.model_dump()) for m in mails]


@router.get("/held-addresses", summary="County officers: addresses that refused mail for good")
async def held(uow: UoW, principal: CurrentPrincipal) -> list[HeldAddress]:
    return [
        HeldAddress(person_id=r.id, hold=r.hold)
        for r in await handlers.held_addresses(uow, principal)
        if r.hold is not None
    ]


@router.delete(
    "/people/{person_id}/hold",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="County officers: send mail to the address again",
)
async def clear_hold(person_id: PersonId, uow: UoW, principal: CurrentPrincipal) -> None:
    await handlers.clear_hold(uow, principal, person_id)


@router.get("/templates", summary="The mail templates there are")
async def templates(principal: CurrentPrincipal) -> list[RuleName]:
    return sorted(RULES)


@router.get(
    "/templates/{rule}/preview", summary="Coordinators and officers: a mail with sample data"
)
async def preview_template(
    rule: RuleName,
    composer: MailComposer,
    principal: CurrentPrincipal,
) -> Preview:
    subject, text, html, attachments = preview(composer, principal, rule)
    return Preview(subject=subject, text=text, html=html, attachments=attachments)
