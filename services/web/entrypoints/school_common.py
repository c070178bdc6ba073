"""What every school lead's page needs: the lead, the schools they act for, what a form sent,
and the line that says what was just done (kept in the session across the redirect)."""

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api
from services.web.forms import Form
from services.web.service_layer.school_scope import LeadScope, LeadsNoSchool, lead_scope
from services.web.viewer import Viewer, WrongRole, needs_role

ROLE = "school_lead"
DONE = "school_lead_done"
EARLIEST, LATEST = 2000, 2099
"""The years the services take a day in."""

Lead = Annotated[Viewer, needs_role(ROLE)]


async def _scope(api: Api, viewer: Lead) -> LeadScope:
    try:
        return await lead_scope(api, viewer)
    except LeadsNoSchool:
        raise WrongRole(viewer, (ROLE,)) from None


Scope = Annotated[LeadScope, Depends(_scope)]


async def sent(request: Request) -> FormData:
    return await request.form()


def fields(form: FormData) -> dict[str, str]:
    """The form's single values (a file, which no form of ours sends, is left out)."""
    return {k: v for k, v in form.items() if isinstance(v, str)}


def chosen(form: FormData, name: str) -> list[str]:
    """Every value ticked for a set of checkboxes."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def tell(request: Request, text: str) -> None:
    request.session[DONE] = text


def done(request: Request) -> str | None:
    """What was just done, said once."""
    said = request.session.pop(DONE, None)
    return str(said) if said else None


def read_day(form: Form, prefix: str, label: str, *, required: bool = True) -> date | None:
    """The day typed in a GOV.UK date input (`prefix-day`, `-month`, `-year`); its problem,
    in plain words, goes next to it."""
    parts = [form.value(f"{prefix}-{p}") for p in ("day", "month", "year")]
    where = f"{prefix}-day"
    if not any(parts):
        if required:
            form.refuse(where, f"Enter {label}")
        return None
    if not all(p.isdecimal() and len(p) <= 4 for p in parts):
        form.refuse(where, f"{label.capitalize()} must be a real date, like 27 3 2026")
        return None
    d, m, y = (int(p) for p in parts)
    try:
        found = date(y, m, d)
    except ValueError:
        form.refuse(where, f"{label.capitalize()} must be a real date, like 27 3 2026")
        return None
    if not EARLIEST <= found.year <= LATEST:
        form.refuse(where, f"The year of {label} must be between {EARLIEST} and {LATEST}")
        return None
    return found


def day_fields(prefix: str, value: date) -> dict[str, str]:
    """A date input's values for a day, as a person would type them."""
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def date_items(form: Form, prefix: str) -> list[dict[str, str]]:
    """The `items` of a GOV.UK date input, keeping what was typed and marking an error."""
    wrong = " govuk-input--error" if form.error(f"{prefix}-day") else ""
    return [
        {
            "name": "day",
            "value": form.value(f"{prefix}-day"),
            "classes": "govuk-input--width-2" + wrong,
        },
        {
            "name": "month",
            "value": form.value(f"{prefix}-month"),
            "classes": "govuk-input--width-2" + wrong,
        },
        {
            "name": "year",
            "value": form.value(f"{prefix}-year"),
            "classes": "govuk-input--width-4" + wrong,
        },
    ]


def date_names(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}-{p}" for p in ("day", "month", "year"))


def place(form: Form, problem: ApiProblem, messages: Mapping[str, tuple[str, str]]) -> bool:
    """Our own plain message next to our field, for each field of the API's answer that
    `messages` knows (API field, or its start, to our field and message); False if none."""
    placed = False
    for api_field in problem.fields:
        for start, (ours, message) in messages.items():
            if api_field == start or api_field.startswith(start + "."):
                form.refuse(ours, message)
                placed = True
                break
    return placed


def split_list(text: str) -> list[str]:
    """Items typed one a line or separated by commas, tidied, each once."""
    seen: dict[str, str] = {}
    for item in text.replace("\r", "\n").replace(",", "\n").split("\n"):
        tidy = " ".join(item.split())
        if tidy:
            seen.setdefault(tidy.casefold(), tidy)
    return list(seen.values())


def has_control_characters(text: str, *, lines: bool = False) -> bool:
    allowed = "\n\r\t" if lines else ""
    return any(unicodedata.category(c) in ("Cc", "Cf") and c not in allowed for c in text)
