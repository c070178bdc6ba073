"""Unsubscribe links from mail: no sign-in, a signed token. GET shows what the link does (mail
scanners follow links; they must not unsubscribe anyone), POST does it: the button on that page,
and RFC 8058 one-click from the mail program."""

from html import escape
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from eventkit.errors import Invalid
from services.notifications.adapters import unsubscribe_tokens
from services.notifications.domain.preferences import Category
from services.notifications.entrypoints.dependencies import UoW
from services.notifications.service_layer import people as handlers

router = APIRouter(tags=["unsubscribe"])
Token = Annotated[str, Query(min_length=1, max_length=1000, description="From the mail's link")]


def _read(request: Request, token: str) -> tuple[str, Category | None]:
    try:
        person_id, category = unsubscribe_tokens.read(request.app.state.settings.link_secret, token)
        return person_id, Category(category) if category else None
    except ValueError as exc:
        raise Invalid(str(exc)) from None


def _what(category: Category | None) -> str:
    return (
        "all mail that can be turned off"
        if category is None
        else f"{category.value.replace('_', ' ')} mail"
    )


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title></head><body style="font-family:Arial,sans-serif;'
        f'max-width:600px;margin:2em auto;padding:0 1em"><h1>{escape(title)}</h1>{body}</body></html>'
    )


@router.get("/unsubscribe", response_class=HTMLResponse, summary="What an unsubscribe link does")
async def confirm(request: Request, token: Token) -> HTMLResponse:
    _, category = _read(request, token)
    return _page(
        "Stop these emails?",
        f"<p>You will no longer get {escape(_what(category))} from the school partnerships "
        "platform. Messages about a place you hold still reach you.</p>"
        f'<form method="post" action="unsubscribe?token={escape(token)}">'
        '<button type="submit">Stop these emails</button></form>',
    )


@router.post(
    "/unsubscribe", response_class=HTMLResponse, summary="Unsubscribe (RFC 8058 one-click)"
)
async def unsubscribe(request: Request, token: Token, uow: UoW) -> HTMLResponse:
    person_id, category = _read(request, token)
    await handlers.unsubscribe(uow, person_id, category)
    return _page(
        "You are unsubscribed", f"<p>You will no longer get {escape(_what(category))}.</p>"
    )
