"""The teacher's settings: which emails they get and how often, and the calendar links their
calendar app subscribes to their bookings with."""

import re
from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web import words
from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.teacher_dependencies import Teacher, done, fields, many, sent
from services.web.forms import Form
from services.web.service_layer import teacher_account as account
from services.web.service_layer import teacher_words as tw

router = APIRouter(tags=["teacher"])

NEW_LINK = "teacher.new_calendar_link"
"""Where the session keeps a new calendar link until its page shows it, once."""
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
QUIET = ("quiet_starts", "quiet_ends")


# -- email ----------------------------------------------------------------------------------


@router.get("/my/emails", response_class=HTMLResponse)
async def emails(request: Request, pages: PagesDep, api: Api, viewer: Teacher) -> HTMLResponse:
    kept = await account.preferences(api, viewer)
    quiet = kept.get("quiet_hours") or {}
    form = Form(
        {
            "all_muted": "yes" if kept.get("all_muted") else "",
            "quiet_starts": _hhmm(quiet.get("starts")),
            "quiet_ends": _hhmm(quiet.get("ends")),
            **{
                f"frequency-{c}": (kept.get("frequency") or {}).get(c, "immediate")
                for c in tw.MAIL_CATEGORIES
            },
        }
    )
    chosen = {
        "mail": [c for c in tw.MAIL_CATEGORIES if c not in (kept.get("muted") or [])],
        "interest_category": (kept.get("interests") or {}).get("categories") or [],
        "interest_phase": (kept.get("interests") or {}).get("phases") or [],
    }
    return _emails(request, pages, form, chosen)


@router.post("/my/emails", response_model=None)
async def keep_emails(request: Request, pages: PagesDep, api: Api, viewer: Teacher) -> Response:
    given = await sent(request)
    names = ("all_muted", *QUIET, *(f"frequency-{c}" for c in tw.MAIL_CATEGORIES))
    form = Form.of(fields(given), names)
    chosen = {
        "mail": [c for c in many(given, "mail") if c in tw.MAIL_CATEGORIES],
        "interest_category": [c for c in many(given, "interest_category") if c in words.CATEGORIES],
        "interest_phase": [p for p in many(given, "interest_phase") if p in words.PHASES],
    }
    for c, (name, _) in tw.MAIL_CATEGORIES.items():
        if form.value(f"frequency-{c}") not in tw.FREQUENCIES:
            form.refuse(f"frequency-{c}", f"Select how often you want emails about {name.lower()}")
    quiet = _quiet_hours(form)
    if not form.valid:
        return _emails(request, pages, form, chosen, HTTPStatus.BAD_REQUEST)
    kept = await account.preferences(api, viewer)
    others = [m for m in kept.get("muted") or [] if m not in tw.MAIL_CATEGORIES]
    body = {
        **kept,
        "all_muted": form.value("all_muted") == "yes",
        "muted": others + [c for c in tw.MAIL_CATEGORIES if c not in chosen["mail"]],
        "frequency": {
            **(kept.get("frequency") or {}),
            **{c: form.value(f"frequency-{c}") for c in tw.MAIL_CATEGORIES},
        },
        "quiet_hours": quiet,
        "interests": {
            "categories": chosen["interest_category"],
            "phases": chosen["interest_phase"],
        },
    }
    try:
        await account.keep_preferences(api, viewer, body)
    except ApiProblem as problem:
        if problem.status != HTTPStatus.UNPROCESSABLE_ENTITY:
            raise
        form.refuse("save", "Your settings could not be saved: check them and try again.")
        return _emails(request, pages, form, chosen, HTTPStatus.BAD_REQUEST)
    return RedirectResponse("/my/emails?done=preferences", status_code=303)


def _quiet_hours(form: Form) -> dict[str, str] | None:
    """Both times, or neither; refuses what is not a time on the 24-hour clock."""
    starts, ends = (form.value(n) for n in QUIET)
    if not starts and not ends:
        return None
    if not starts:
        form.refuse("quiet_starts", "Enter the time quiet hours start, like 21:00")
    if not ends:
        form.refuse("quiet_ends", "Enter the time quiet hours end, like 07:00")
    times = {}
    for name, value in zip(QUIET, (starts, ends), strict=True):
        if not value:
            continue
        matched = TIME.match(value)
        if not matched or int(matched[1]) > 23 or int(matched[2]) > 59:
            when = "start" if name == "quiet_starts" else "end"
            form.refuse(
                name, f"Enter the time quiet hours {when} on the 24-hour clock, like 07:00 or 21:30"
            )
            continue
        times[name] = f"{int(matched[1]):02d}:{matched[2]}"
    if len(times) == 2 and times["quiet_starts"] == times["quiet_ends"]:
        form.refuse("quiet_ends", "Quiet hours must end at a different time from when they start")
    if not form.valid:
        return None
    return {"starts": times["quiet_starts"], "ends": times["quiet_ends"]}


def _hhmm(value: str | None) -> str:
    return value[:5] if value else ""


def _emails(
    request: Request,
    pages: PagesDep,
    form: Form,
    chosen: dict[str, list[str]],
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "teacher/emails.html",
        {
            "title": "Email settings",
            "done": done(request) if form.valid else None,
            "form": form,
            "categories": [
                {
                    "code": code,
                    "name": name,
                    "hint": hint,
                    "checked": code in chosen["mail"],
                    "frequencies": [
                        {
                            "value": value,
                            "text": text,
                            "selected": form.value(f"frequency-{code}") == value,
                        }
                        for value, text in tw.FREQUENCIES.items()
                    ],
                }
                for code, (name, hint) in tw.MAIL_CATEGORIES.items()
            ],
            "interest_categories": _ticked(words.CATEGORIES, chosen["interest_category"]),
            "interest_phases": _ticked(
                {k: v for k, v in words.PHASES.items() if k != "not_applicable"},
                chosen["interest_phase"],
            ),
        },
        status_code=status,
    )


def _ticked(choices: dict[str, str], chosen: list[str]) -> list[dict[str, Any]]:
    return [{"value": k, "text": v, "checked": k in chosen} for k, v in choices.items()]


# -- calendar -------------------------------------------------------------------------------


@router.get("/my/calendar", response_class=HTMLResponse)
async def calendar(request: Request, pages: PagesDep, api: Api, viewer: Teacher) -> HTMLResponse:
    new = request.session.pop(NEW_LINK, None)
    return pages.render(
        request,
        "teacher/calendar.html",
        {
            "title": "Calendar link",
            "done": done(request),
            "new": account.NewLink(**new) if new else None,
            "links": await account.calendar_links(api, viewer),
        },
    )


@router.post("/my/calendar")
async def make_calendar_link(request: Request, api: Api, viewer: Teacher) -> RedirectResponse:
    made = await account.make_calendar_link(api, viewer)
    request.session[NEW_LINK] = {"id": made.id, "url": made.url}
    return RedirectResponse("/my/calendar?done=calendar_link", status_code=303)


@router.post("/my/calendar/{link_id}/revoke")
async def revoke_calendar_link(link_id: str, api: Api, viewer: Teacher) -> RedirectResponse:
    await account.revoke_calendar_link(api, viewer, known_id(link_id))
    return RedirectResponse("/my/calendar?done=calendar_revoked", status_code=303)
