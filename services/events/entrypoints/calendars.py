"""HTTP routes for calendars: iCalendar feeds a calendar client can subscribe to."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from eventkit.auth import Principal, current_principal
from eventkit.settings import ServiceSettings
from services.events.adapters import calendar
from services.events.entrypoints.dependencies import UoW
from services.events.service_layer import calendars as handlers
from services.events.service_layer.calendars import Feed

router = APIRouter(tags=["calendars"])

_bearer = HTTPBearer(auto_error=False, description="JWT from `partnerships token`")

FEED_AUTH = (
    "Calendar clients cannot send an `Authorization` header, so the same JWT is also accepted "
    "in the query: subscribe to `…/calendar.ics?token=<jwt>`. A bearer header, when present, "
    "is used instead. A missing or invalid token is 401. Treat a feed URL with a token as a "
    "secret: it reads as its holder."
)


async def feed_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    token: Annotated[
        str | None,
        Query(max_length=4096, description="The JWT, for clients that cannot send headers"),
    ] = None,
) -> Principal:
    """The caller, from the bearer header or else from `?token=`; checked the same way."""
    if credentials is None and token:
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
    return await current_principal(request, credentials)


FeedPrincipal = Annotated[Principal, Depends(feed_principal)]

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
