"""What the teacher's pages need: the signed-in person acting as a teacher, the calls to the events
service the API client does not make, what a form sent, and the banner after it was done."""

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Request
from starlette.datastructures import FormData

from services.web.viewer import Viewer, needs_role

Teacher = Annotated[Viewer, needs_role("teacher")]

KEY = re.compile(r"^[A-Za-z0-9_-]{8,200}$")

DONE: dict[str, str] = {
    "booked": "You have a place. Your check-in code is below.",
    "waitlisted": "The activity is full: you are on the waiting list. We will email you if a "
    "place comes free.",
    "awaiting_approval": "You have asked for a place. It waits for your school's approval: we "
    "will email you when it is decided.",
    "offered": "A place is offered to you: take it before the offer runs out.",
    "accepted": "You have taken the place. Your check-in code is below.",
    "cancelled": "Your booking is cancelled. The place goes to whoever waits for one.",
    "handed_on": "Your place is now your colleague's. They get their own check-in code.",
    "evaluated": "Thank you: your evaluation is in.",
    "preferences": "Your email settings are saved.",
    "calendar_link": "Your calendar link is made.",
    "calendar_revoked": "That calendar link no longer works.",
}
"""What a page says after a form did its work (`?done=`)."""


def done(request: Request) -> str | None:
    return DONE.get(request.query_params.get("done", ""))


def now() -> datetime:
    return datetime.now(UTC)


def new_key() -> str:
    """An idempotency key for a form that books: sent twice, it books once."""
    return uuid.uuid4().hex


def kept_key(given: str) -> str:
    return given if KEY.match(given) else new_key()


async def sent(request: Request) -> FormData:
    return await request.form()


def fields(form: FormData) -> dict[str, str]:
    """What was typed, field by field (the first value of each)."""
    return {name: value for name, value in form.items() if isinstance(value, str)}


def many(form: FormData, name: str) -> list[str]:
    """Every value of a field sent more than once (checkboxes)."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
