"""Pages: the Jinja environment (the GOV.UK Frontend macros and our own templates) and the
response that renders one, with a content security policy whose nonce the layout's scripts carry.
"""

import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup, escape

from services.web import session, words
from services.web.settings import WebSettings

HERE = Path(__file__).parent
STATIC = HERE / "static"
GOVUK_FRONTEND = "govuk-frontend-6.3.0"
PLATFORM_NAME = "School partnerships"
ENGLAND = ZoneInfo("Europe/London")

NAVIGATION = (
    ("/case-studies", "Case studies"),
    ("/partnerships", "Partnerships"),
)
ROLE_NAVIGATION: dict[str, tuple[tuple[str, str], ...]] = {
    "teacher": (
        ("/programme", "Programme"),
        ("/my/bookings", "My bookings"),
        ("/my/evaluations", "Evaluations"),
        ("/my/certificates", "Certificates"),
        ("/my/calendar", "Calendar"),
        ("/my/emails", "Emails"),
    ),
    "school_lead": (
        ("/school/approvals", "Approvals"),
        ("/school/pupil-places", "Pupil places"),
        ("/school/support", "Support"),
        ("/school/expertise", "Expertise"),
        ("/school/staff", "Staff"),
    ),
    "partnership_coordinator": (
        ("/coordinate/programme", "Programme"),
        ("/coordinate/schools", "Schools"),
        ("/coordinate/case-studies", "Your case studies"),
        ("/coordinate/dashboard", "Dashboard"),
    ),
    "county_officer": (
        ("/county/case-studies", "Case study reviews"),
        ("/county/dashboard", "County dashboard"),
        ("/county/partnerships", "All partnerships"),
        ("/county/webhooks", "Webhooks"),
        ("/county/held-addresses", "Addresses on hold"),
    ),
}
"""The pages of each way of acting, after the public ones, for whoever acts that way."""


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(HERE / "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
    )
    env.filters.update(
        day=day,
        paragraphs=paragraphs,
        category=lambda code: words.word(words.CATEGORIES, code),
        phase=lambda code: words.word(words.PHASES, code),
        sector=lambda code: words.word(words.SECTORS, code),
        partnership_kind=lambda code: words.word(words.PARTNERSHIP_KINDS, code),
        partnership_status=lambda code: words.word(words.PARTNERSHIP_STATUSES, code),
        membership_role=lambda code: words.word(words.MEMBERSHIP_ROLES, code),
    )
    env.globals.update(platform_name=PLATFORM_NAME, govuk_frontend=f"/static/{GOVUK_FRONTEND}")
    return env


def day(value: str | datetime | date | None) -> str:
    """`2025-03-04T10:00:00Z` as `4 March 2025` (the day it was in England)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(ENGLAND)
    return f"{value.day} {value:%B %Y}"


def paragraphs(text: str | None) -> Markup:
    """Plain text as paragraphs: a blank line between two; a line break kept within one."""
    if not text:
        return Markup("")
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("\n").join(
        Markup('<p class="govuk-body">{}</p>').format(
            Markup("<br>").join(map(escape, b.split("\n")))
        )
        for b in blocks
    )


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        )
    )


class Pages:
    """Renders a template in the layout, for one request."""

    def __init__(self, settings: WebSettings) -> None:
        self.templates = Jinja2Templates(env=environment())
        self.county_name = settings.county_name

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        path = request.url.path
        viewer = getattr(request.state, "viewer", None)
        items = (*NAVIGATION, *(ROLE_NAVIGATION.get(viewer.acting_as, ()) if viewer else ()))
        navigation = [
            {"href": href, "text": text, "active": path == href or path.startswith(href + "/")}
            for href, text in items
        ]
        page = {
            "county_name": self.county_name,
            "navigation": navigation,
            "viewer": viewer,
            "csrf_token": session.csrf_token(request) if viewer else "",
            "session_ended": getattr(request.state, "session_ended", None),
            "cspNonce": nonce,
            "htmlLang": "en-GB",
            **(context or {}),
        }
        response: HTMLResponse = self.templates.TemplateResponse(
            request, template, page, status_code=status_code, headers=headers
        )
        response.headers["Content-Security-Policy"] = content_security_policy(nonce)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if viewer is not None:
            response.headers["Cache-Control"] = "no-store"  # a person's own page
        return response
