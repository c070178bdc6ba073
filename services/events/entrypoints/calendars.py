"""HTTP routes for calendars: iCalendar feeds a calendar client can subscribe to."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from eventkit.auth import (
    CurrentPrincipal,
    Principal,
    current_principal,
    mint_calendar_token,
    read_calendar_token,
)
from eventkit.errors import Unauthorized
from eventkit.settings import ServiceSettings
from services.events.adapters import calendar
from services.events.entrypoints.dependencies import UoW
from services.events.service_layer import calendars as handlers
from services.events.service_layer.calendars import Feed
from services.events.settings import EventsSettings

router = APIRouter(tags=["calendars"])

_bearer = HTTPBearer(auto_error=False, description="An API token (JWT)")

FEED_AUTH = (
    "Calendar clients cannot send an `Authorization` header: make a calendar link with "
    "`POST /calendar-tokens` and subscribe to the URL it answers (`…/calendar.ics?token=…`). "
    "That token reads this one feed as you, and nothing else; list yours with "
    "`GET /calendar-tokens`, revoke one with `DELETE /calendar-tokens/{id}`. An API bearer "
    "token works in the `Authorization` header, never in the URL. A missing, invalid or revoked "
    "token is 401."
)


async def feed_principal(
    request: Request,
    uow: UoW,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    token: Annotated[
        str | None,
        Query(max_length=4096, description="A calendar token from `POST /calendar-tokens`"),
    ] = None,
) -> Principal:
    """The caller: from an API bearer header, or else from a calendar token for this feed."""
    if credentials is not None or not token:
        return await current_principal(request, credentials)
    settings: ServiceSettings = request.app.state.settings
    try:
        principal, token_id = read_calendar_token(settings, token, request.url.path)
    except ValueError as exc:
        raise Unauthorized(str(exc)) from exc
    await handlers.require_active_calendar_token(uow, token_id)
    return principal


FeedPrincipal = Annotated[Principal, Depends(feed_principal)]


class CalendarTokenIn(BaseModel):
    feed: str = Field(
        max_length=200,
        description="The path of the feed, e.g. `/partnerships/{id}/calendar.ics`",
    )


class CalendarTokenView(BaseModel):
    id: str
    feed: str
    created_at: datetime
    revoked_at: datetime | None


class NewCalendarLink(CalendarTokenView):
    url: str = Field(description="Give this to your calendar app; it is shown only now")


@router.post(
    "/calendar-tokens",
    status_code=201,
    summary="Make a calendar link: one feed you may read, read as you, revocable",
)
async def make_calendar_link(
    body: CalendarTokenIn, request: Request, uow: UoW, principal: CurrentPrincipal
) -> NewCalendarLink:
    made = await handlers.issue_calendar_token(uow, principal, body.feed)
    settings: EventsSettings = request.app.state.settings
    secret = mint_calendar_token(
        settings,
        principal,
        feed=made.feed,
        token_id=made.id,
        ttl=timedelta(days=settings.calendar_token_days),
    )
    base = (settings.public_base_url or str(request.base_url)).rstrip("/")
    view = CalendarTokenView.model_validate(made, from_attributes=True)
    return NewCalendarLink(**view.model_dump(), url=f"{base}{made.feed}?token={secret}")


@router.get("/calendar-tokens", summary="Your calendar links (without their secrets)")
async def my_calendar_links(uow: UoW, principal: CurrentPrincipal) -> list[CalendarTokenView]:
    return [
        CalendarTokenView.model_validate(t, from_attributes=True)
        for t in await handlers.calendar_tokens_of(uow, principal)
    ]


@router.delete(
    "/calendar-tokens/{token_id}", status_code=204, summary="Revoke one of your calendar links"
)
async def revoke_calendar_link(token_id: str, uow: UoW, principal: CurrentPrincipal) -> None:
    await handlers.revoke_calendar_token(uow, principal, token_id)


ICS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/calendar": {"schema": {"type": "string"}}},
        "description": "An iCalendar (RFC 5545) document, one VEVENT per session",
    }
}


def _ics(request: Request, feed: Feed, filename: str) -> Response:
    settings: ServiceSettings = request.app.state.settings
    body = calendar.render(
        feed.name,
        feed.activities,
        calendar_uid=feed.uid,
        billed=feed.billed,
        placements=feed.placements,
        base_url=settings.public_base_url,
        now=datetime.now(UTC),
    )
    return Response(
        body,
        media_type=calendar.MEDIA_TYPE,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, max-age=0",
        },
    )


@router.get(
    "/partnerships/{pid}/calendar.ics",
    summary="A partnership's activities as an iCalendar feed",
    description="Published, cancelled and completed activities the partnership runs or that are "
    "open to it (county-wide ones too), one event per session. A session keeps its UID; "
    "SEQUENCE goes up when the activity is rescheduled or cancelled. Readable by whoever sees "
    "the partnership's activities; 404 for anyone else.\n\n" + FEED_AUTH,
    response_class=Response,
    responses=ICS,
)
async def partnership_calendar(
    pid: str, request: Request, uow: UoW, principal: FeedPrincipal
) -> Response:
    feed = await handlers.partnership_feed(uow, principal, pid)
    return _ics(request, feed, "partnership.ics")


@router.get(
    "/people/{person_id}/calendar.ics",
    summary="A person's booked activities as an iCalendar feed",
    description="The activities the person holds a live booking for (registered, offered, "
    "awaiting approval, attended), cancelled activities included so the cancellation shows. "
    "Readable by the person, a lead of their school (that school's bookings) or a county "
    "officer; 404 for anyone else.\n\n" + FEED_AUTH,
    response_class=Response,
    responses=ICS,
)
async def person_calendar(
    person_id: str, request: Request, uow: UoW, principal: FeedPrincipal
) -> Response:
    feed = await handlers.person_feed(uow, principal, person_id)
    return _ics(request, feed, "bookings.ics")
