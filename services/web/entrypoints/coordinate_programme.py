"""A coordinator's programme: the list of activities (drafts too), creating one, its page, and
publishing, changing, rescheduling, cancelling it and recording that it has taken place."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web import words
from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.entrypoints.coordinate_common import (
    Coordinator,
    answered_on_the_page,
    done,
    form_items,
    render,
    see_other,
    single,
)
from services.web.entrypoints.dependencies import Api, PagesDep, PublicToken, known_id
from services.web.forms import Form
from services.web.rendering import Pages
from services.web.service_layer import coordinate_dates as dates
from services.web.service_layer import coordinate_programme as programme
from services.web.service_layer.coordinate_activity_form import (
    AUDIENCES,
    ActivityForm,
    Choices,
    plain,
    read_activity,
    refuse_api,
)
from services.web.service_layer.coordinate_models import Activity, Partnership
from services.web.service_layer.coordinate_partnerships import (
    chosen,
    my_partnerships,
    school_names,
)
from services.web.service_layer.coordinate_words import SAY
from services.web.service_layer.partnership_pages import listing
from services.web.words import FORMATS

router = APIRouter(prefix="/coordinate/programme", tags=["coordinator"])

REASON_MOST = 2000


def activity_url(activity_id: str, then: str = "") -> str:
    return f"/coordinate/programme/{activity_id}{then}"


@router.get("", response_class=HTMLResponse)
async def programme_page(
    request: Request, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    found = await programme.programme(api, viewer.token)
    names = {p.id: p.name for p in found.partnerships}
    return render(
        pages,
        request,
        "programme.html",
        {"title": "Programme", "programme": found, "partnership_names": names},
    )


# --- creating and changing an activity ----------------------------------------------------------


async def _choices(
    api: PlatformApi, token: str, public_token: str, partnerships: list[Partnership]
) -> Choices:
    members = {m.urn for p in partnerships for m in p.members}
    hosts = await school_names(api, token, members)
    mine = {p.id for p in partnerships}
    others = [p for p in await listing(api, public_token) if p.id not in mine]
    return Choices(
        partnerships={p.id: p.name for p in partnerships},
        hosts=dict(sorted(hosts.items(), key=lambda kv: kv[1].casefold())),
        others={p.id: p.name for p in others},
    )


def _options(blank: str, choices: Any, chosen_value: str) -> list[dict[str, Any]]:
    return [{"value": "", "text": blank}] + [
        {"value": value, "text": text, "selected": value == chosen_value} for value, text in choices
    ]


def _form_page(
    pages: Pages,
    request: Request,
    form: ActivityForm,
    choices: Choices,
    *,
    activity: Activity | None = None,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    v = form.value
    title = f"Change {activity.title}" if activity else "Create an activity"
    return render(
        pages,
        request,
        "activity_form.html",
        {
            "title": title,
            "form": form,
            "activity": activity,
            "choices": choices,
            "category_options": _options(
                "Select the kind of work", words.CATEGORIES.items(), v("category")
            ),
            "format_options": _options("Select the kind of activity", FORMATS.items(), v("format")),
            "host_options": _options("No host school", choices.hosts.items(), v("host_urn")),
            "partnership_options": _options(
                "Select a partnership", choices.partnerships.items(), v("partnership_id")
            ),
            "audience_items": [{"value": k, "text": t} for k, t in AUDIENCES.items()],
            "phase_items": [
                {"value": k, "text": t} for k, t in words.PHASES.items() if k != "not_applicable"
            ],
            "open_to_items": [{"value": k, "text": t} for k, t in choices.others.items()],
        },
        status_code=status_code,
    )


@router.get("/new", response_class=HTMLResponse)
async def new_activity(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    public_token: PublicToken,
    partnership: str | None = None,
) -> HTMLResponse:
    partnerships = await my_partnerships(api, viewer.token)
    first = chosen(partnerships, partnership)
    choices = await _choices(api, viewer.token, public_token, partnerships)
    return _form_page(pages, request, ActivityForm.blank(first.id), choices)


@router.post("/new", response_class=HTMLResponse)
async def create_activity(
    request: Request, pages: PagesDep, api: Api, viewer: Coordinator, public_token: PublicToken
) -> Response:
    items = await form_items(request)
    form = ActivityForm.given(items, sessions=True)
    choices = await _choices(
        api, viewer.token, public_token, await my_partnerships(api, viewer.token)
    )
    if single(items).get("action") == "add-session":
        return _form_page(pages, request, form.with_another_session(), choices)
    body = read_activity(form, choices)
    if form.valid:
        try:
            created = await programme.create(api, viewer.token, body)
        except ApiProblem as problem:
            if not answered_on_the_page(problem):
                raise
            refuse_api(form, problem)
        else:
            done(request, f"{created.title} is saved as a draft. Publish it to open booking.")
            return see_other(activity_url(created.id))
    return _form_page(pages, request, form, choices, status_code=HTTPStatus.BAD_REQUEST)


@router.get("/{activity_id}", response_class=HTMLResponse)
async def activity_page(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    return await _activity_page(pages, request, api, viewer.token, activity)


async def _activity_page(
    pages: Pages,
    request: Request,
    api: PlatformApi,
    token: str,
    activity: Activity,
    *,
    refusal: str | None = None,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    partnerships = {p.id: p.name for p in await my_partnerships(api, token)}
    d = activity.details
    schools = await school_names(api, token, [d.host_urn] if d.host_urn else [])
    return render(
        pages,
        request,
        "activity.html",
        {
            "title": activity.title,
            "activity": activity,
            "partnership_name": partnerships.get(d.partnership_id, ""),
            "host": schools.get(d.host_urn or ""),
            "refusal": refusal,
        },
        status_code=status_code,
    )


@router.post("/{activity_id}/publish")
async def publish(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    return await _act(request, pages, api, viewer.token, activity, "publish")


@router.post("/{activity_id}/complete")
async def complete(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    return await _act(request, pages, api, viewer.token, activity, "complete")


ACTED = {
    "publish": "{title} is published: the partnership's schools can book it.",
    "complete": "{title} is recorded as taken place.",
}


async def _act(
    request: Request, pages: Pages, api: PlatformApi, token: str, activity: Activity, action: str
) -> Response:
    try:
        await programme.act(api, token, activity.id, action)
    except ApiProblem as problem:
        if not answered_on_the_page(problem):
            raise
        return await _activity_page(
            pages,
            request,
            api,
            token,
            activity,
            refusal=f"This cannot be done now: {plain(problem.detail)}",
            status_code=HTTPStatus.CONFLICT,
        )
    done(request, ACTED[action].format(title=activity.title))
    return see_other(activity_url(activity.id))


@router.get("/{activity_id}/change", response_class=HTMLResponse)
async def change_page(
    request: Request,
    activity_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    public_token: PublicToken,
) -> HTMLResponse:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    partnerships = await my_partnerships(api, viewer.token)
    choices = await _choices(api, viewer.token, public_token, partnerships)
    form = ActivityForm.of_activity(activity)
    form.sessions = 0
    return _form_page(pages, request, form, choices, activity=activity)


@router.post("/{activity_id}/change", response_class=HTMLResponse)
async def change_activity(
    request: Request,
    activity_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    public_token: PublicToken,
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    partnerships = await my_partnerships(api, viewer.token)
    choices = await _choices(api, viewer.token, public_token, partnerships)
    form = ActivityForm.given(await form_items(request), sessions=False)
    form.values["partnership_id"] = activity.details.partnership_id  # it cannot move
    body = read_activity(form, choices)
    taken = activity.places_taken
    if body["capacity"] is not None and body["capacity"] < taken:
        form.refuse(
            "capacity", f"{SAY.places(taken)} are already taken: there must be at least {taken}"
        )
    if form.valid:
        try:
            await programme.change(api, viewer.token, activity, body)
        except ApiProblem as problem:
            if not answered_on_the_page(problem):
                raise
            refuse_api(form, problem)
        else:
            done(request, f"The details of {body['title']} are changed.")
            return see_other(activity_url(activity.id))
    return _form_page(
        pages, request, form, choices, activity=activity, status_code=HTTPStatus.BAD_REQUEST
    )


# --- rescheduling and cancelling ----------------------------------------------------------------


def _sessions_form(activity: Activity) -> Form:
    values: dict[str, str] = {"reason": ""}
    for n, s in enumerate(activity.details.sessions, start=1):
        values.update(dates.session_values(n, s.starts_at, s.ends_at))
    return Form(values)


def _reschedule_page(
    pages: Pages,
    request: Request,
    activity: Activity,
    form: Form,
    rows: int,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    return render(
        pages,
        request,
        "reschedule.html",
        {
            "title": f"Change the dates of {activity.title}",
            "activity": activity,
            "form": form,
            "rows": rows,
        },
        status_code=status_code,
    )


@router.get("/{activity_id}/reschedule", response_class=HTMLResponse)
async def reschedule_page(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    rows = len(activity.details.sessions)
    return _reschedule_page(pages, request, activity, _sessions_form(activity), rows)


@router.post("/{activity_id}/reschedule", response_class=HTMLResponse)
async def reschedule(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    given = single(await form_items(request))
    rows = dates.session_count(given.get("sessions"))
    names = ("reason", *(n for i in range(1, rows + 1) for n in dates.session_names(i)))
    form = Form.of(given, names)
    if given.get("action") == "add-session":
        rows = min(rows + 1, dates.MOST_SESSIONS)
        return _reschedule_page(pages, request, activity, form, rows)
    sessions = dates.read_sessions(form, rows)
    if len(form.value("reason")) > REASON_MOST:
        form.refuse("reason", f"The reason must be {REASON_MOST:,} characters or fewer")
    if form.valid:
        try:
            await programme.act(
                api,
                viewer.token,
                activity.id,
                "reschedule",
                {"sessions": sessions, "reason": form.value("reason") or None},
            )
        except ApiProblem as problem:
            if not answered_on_the_page(problem):
                raise
            form.refuse(
                dates.date_key("session-1-date"),
                f"The dates could not be changed: {plain(problem.detail)}",
            )
        else:
            done(request, f"The dates of {activity.title} are changed. Everyone booked is told.")
            return see_other(activity_url(activity.id))
    return _reschedule_page(
        pages, request, activity, form, rows, status_code=HTTPStatus.BAD_REQUEST
    )


def _cancel_page(
    pages: Pages,
    request: Request,
    activity: Activity,
    form: Form,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    return render(
        pages,
        request,
        "cancel.html",
        {"title": f"Cancel {activity.title}", "activity": activity, "form": form},
        status_code=status_code,
    )


@router.get("/{activity_id}/cancel", response_class=HTMLResponse)
async def cancel_page(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    return _cancel_page(pages, request, activity, Form({"reason": ""}))


@router.post("/{activity_id}/cancel", response_class=HTMLResponse)
async def cancel(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    form = Form.of(single(await form_items(request)), ("reason",))
    reason = form.value("reason")
    if not reason:
        form.refuse("reason", "Say why it is cancelled: everyone booked is told")
    elif len(reason) > REASON_MOST:
        form.refuse("reason", f"The reason must be {REASON_MOST:,} characters or fewer")
    if form.valid:
        try:
            await programme.act(api, viewer.token, activity.id, "cancel", {"reason": reason})
        except ApiProblem as problem:
            if not answered_on_the_page(problem):
                raise
            form.refuse("reason", f"It could not be cancelled: {plain(problem.detail)}")
        else:
            done(request, f"{activity.title} is cancelled. Everyone booked is told.")
            return see_other(activity_url(activity.id))
    return _cancel_page(pages, request, activity, form, status_code=HTTPStatus.BAD_REQUEST)
