"""Webhook subscriptions for the council's other systems: the list, a new one (its signing
secret shown once, on the page after it is made), and turning one off."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.county_common import Officer, posted, posted_all, tell, told
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.forms import Form
from services.web.models import Partnership
from services.web.service_layer import county_webhooks as hooks
from services.web.service_layer.library import partnerships

router = APIRouter(prefix="/county/webhooks", tags=["county officer"])

FIELDS = ("url", "events", "partnerships")
EVERY, CHOSEN = "every", "chosen"
SECRET = "county.webhook_secret"


@router.get("", response_class=HTMLResponse)
async def webhooks(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> HTMLResponse:
    found = await hooks.subscriptions(api, viewer.token)
    names = {p.id: p.name for p in await partnerships(api, viewer.token)}
    context = {
        "title": "Webhooks",
        "subscriptions": found,
        "event_labels": hooks.EVENT_LABELS,
        "partnership_names": names,
        "done": told(request),
    }
    return pages.render(request, "county/webhooks.html", context)


@router.get("/new", response_class=HTMLResponse)
async def new(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> HTMLResponse:
    form = Form({"events": EVERY, "partnerships": EVERY})
    return await _form_page(request, pages, api, viewer.token, form, [], [])


@router.post("/new", response_class=HTMLResponse)
async def subscribe(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> Response:
    form = Form.of(await posted(request), FIELDS)
    every = await partnerships(api, viewer.token)
    event_types = [t for t in await posted_all(request, "event_types") if t in hooks.EVENT_TYPES]
    known = {p.id for p in every}
    partnership_ids = [p for p in await posted_all(request, "partnership_ids") if p in known]
    _check(form, event_types, partnership_ids)
    if form.valid:
        try:
            made = await hooks.subscribe(
                api,
                viewer.token,
                form.value("url"),
                event_types,
                partnership_ids,
            )
        except ApiProblem as problem:
            if problem.status not in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNPROCESSABLE_ENTITY):
                raise
            form.refuse(*hooks.refusal(problem.detail))
        else:
            request.session[SECRET] = {"id": made.id, "secret": made.secret}
            return RedirectResponse(
                f"/county/webhooks/{made.id}/secret", status_code=HTTPStatus.SEE_OTHER
            )
    return await _form_page(
        request, pages, api, viewer.token, form, event_types, partnership_ids, every
    )


@router.get("/{subscription_id}/secret", response_class=HTMLResponse)
async def secret(
    request: Request, subscription_id: str, pages: PagesDep, viewer: Officer
) -> HTMLResponse:
    known_id(subscription_id)
    kept = request.session.get(SECRET) or {}
    shown = None
    if kept.get("id") == subscription_id:
        shown = request.session.pop(SECRET)["secret"]
    context = {"title": "Webhook added", "secret": shown}
    return pages.render(request, "county/webhook_secret.html", context)


@router.post("/{subscription_id}/turn-off")
async def turn_off(request: Request, subscription_id: str, api: Api, viewer: Officer) -> Response:
    try:
        done = await hooks.turn_off(api, viewer.token, known_id(subscription_id))
    except ApiProblem as problem:
        if not problem.not_found:
            raise
        tell(request, "That webhook was already removed.")
    else:
        tell(request, f"Nothing more will be sent to {done.url}.")
    return RedirectResponse("/county/webhooks", status_code=HTTPStatus.SEE_OTHER)


def _check(form: Form, event_types: list[str], partnership_ids: list[str]) -> None:
    if problem := hooks.url_problem(form.value("url")):
        form.refuse("url", problem)
    if form.value("events") not in (EVERY, CHOSEN):
        form.refuse("events", "Choose whether to send every kind of event")
    elif form.value("events") == CHOSEN and not event_types:
        form.refuse("events", "Select at least one kind of event, or choose every kind")
    elif form.value("events") == EVERY and event_types:
        form.refuse(
            "events", "You ticked kinds of event: choose only the kinds you ticked, or untick them"
        )
    if form.value("partnerships") not in (EVERY, CHOSEN):
        form.refuse("partnerships", "Choose whether to send events of every partnership")
    elif form.value("partnerships") == CHOSEN and not partnership_ids:
        form.refuse("partnerships", "Select at least one partnership, or choose every one")
    elif form.value("partnerships") == EVERY and partnership_ids:
        form.refuse(
            "partnerships",
            "You ticked partnerships: choose only the partnerships you ticked, or untick them",
        )


async def _form_page(
    request: Request,
    pages: PagesDep,
    api: Api,
    token: str,
    form: Form,
    event_types: list[str],
    partnership_ids: list[str],
    every: list[Partnership] | None = None,
) -> HTMLResponse:
    if every is None:
        every = await partnerships(api, token)
    context: dict[str, Any] = {
        "title": "Add a webhook",
        "form": form,
        "groups": hooks.event_groups(),
        "chosen_types": set(event_types),
        "partnerships": sorted(every, key=lambda p: p.name.casefold()),
        "chosen_partnerships": set(partnership_ids),
    }
    status = HTTPStatus.OK if form.valid else HTTPStatus.BAD_REQUEST
    return pages.render(request, "county/webhook_new.html", context, status_code=status)
