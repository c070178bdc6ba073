"""The school lead's staff pages: who holds which role at the school, adding a member of staff
with a role, ending a role."""

from http import HTTPStatus
from typing import Any

from email_validator import EmailNotValidError, validate_email
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.school_common import (
    Lead,
    Scope,
    date_items,
    date_names,
    day_fields,
    done,
    fields,
    has_control_characters,
    place,
    read_day,
    sent,
    tell,
)
from services.web.forms import Form
from services.web.models import School
from services.web.rendering import day
from services.web.service_layer import school_staff as staff
from services.web.service_layer.school_models import Role, StaffPerson
from services.web.service_layer.school_scope import now
from services.web.service_layer.school_staff import Member
from services.web.service_layer.school_words import (
    STAFF_ROLE_HINTS,
    STAFF_ROLES,
    a_role,
    role_in_sentence,
)

router = APIRouter(tags=["school lead"])

HERE = "/school/staff"
ADD_FIELDS = ("name", "email", "job_title", "role", *date_names("starts"))
LONGEST_NAME = 200
BAD_EMAIL = "Enter an email address in the correct format, like name@school.example"


@router.get(HERE, response_class=HTMLResponse)
async def school_staff(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    school = scope.chosen(request.query_params.get("school"))
    members = await staff.staff_of(api, viewer, school.urn, now().date())
    return pages.render(
        request,
        "school/staff.html",
        {
            "title": "Staff and roles",
            "done": done(request),
            "school": school,
            "scope": scope,
            "current": [m for m in members if m.current],
            "former": [m for m in members if not m.current],
            "viewer_id": viewer.person_id,
        },
    )


# -- adding a member of staff --------------------------------------------------------------------


@router.get(HERE + "/add", response_class=HTMLResponse)
async def add_form(request: Request, pages: PagesDep, viewer: Lead, scope: Scope) -> HTMLResponse:
    school = scope.chosen(request.query_params.get("school"))
    return _add_page(request, pages, school, Form(day_fields("starts", now().date())))


def _add_page(
    request: Request, pages: PagesDep, school: School, form: Form, status: int = HTTPStatus.OK
) -> HTMLResponse:
    return pages.render(
        request,
        "school/staff_add.html",
        {
            "title": "Add a member of staff",
            "form": form,
            "school": school,
            "role_items": [
                {
                    "value": code,
                    "text": text,
                    "checked": code == form.value("role"),
                    **(
                        {"hint": {"text": STAFF_ROLE_HINTS[code]}}
                        if code in STAFF_ROLE_HINTS
                        else {}
                    ),
                }
                for code, text in STAFF_ROLES.items()
            ],
            "starts_items": date_items(form, "starts"),
        },
        status_code=status,
    )


@router.post(HERE + "/add")
async def add(request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope) -> Response:
    values = fields(await sent(request))
    school = scope.chosen(values.get("school"))
    form = Form.of(values, ADD_FIELDS)
    details, role = _details(form), _role(form, school)
    if not form.valid:
        return _add_page(request, pages, school, form, HTTPStatus.BAD_REQUEST)
    try:
        existing = await staff.with_email(api, viewer, details["email"])
        if existing is None:
            await staff.add(api, viewer, details, role)
        elif any(r.role == role["role"] and r.current(now().date()) for r in _at(existing, school)):
            form.refuse(
                "role", f"{existing.name} is already {a_role(role['role'])} at {school.name}"
            )
        else:
            await staff.give_role(api, viewer, existing.id, role)
    except ApiProblem as problem:
        if problem.status != HTTPStatus.UNPROCESSABLE_ENTITY:
            raise
        if not place(
            form,
            problem,
            {
                "email": ("email", BAD_EMAIL),
                "name": ("name", "Enter their name as plain text, on one line"),
                "job_title": ("job_title", "Enter the job title as plain text, on one line"),
                "role.starts_on": ("starts-day", "The day the role starts must be a real date"),
                "starts_on": ("starts-day", "The day the role starts must be a real date"),
            },
        ):
            form.refuse("role", "That role cannot be given at this school: choose another")
    if not form.valid:
        return _add_page(request, pages, school, form, HTTPStatus.BAD_REQUEST)
    tell(
        request,
        f"{details['name']} is now {a_role(role['role'])} at {school.name}. They can sign in "
        f"with {details['email']}.",
    )
    return RedirectResponse(f"{HERE}?school={school.urn}", status_code=HTTPStatus.SEE_OTHER)


def _details(form: Form) -> dict[str, Any]:
    name, email, job_title = form.value("name"), form.value("email"), form.value("job_title")
    if not name:
        form.refuse("name", "Enter their full name")
    elif len(name) > LONGEST_NAME:
        form.refuse("name", f"Their name must be {LONGEST_NAME} characters or fewer")
    elif has_control_characters(name):
        form.refuse("name", "Enter their name as plain text, on one line")
    if not email:
        form.refuse("email", "Enter their email address")
    else:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            form.refuse("email", BAD_EMAIL)
    if len(job_title) > LONGEST_NAME:
        form.refuse("job_title", f"The job title must be {LONGEST_NAME} characters or fewer")
    elif has_control_characters(job_title):
        form.refuse("job_title", "Enter the job title as plain text, on one line")
    return {"name": name, "email": email, "job_title": job_title or None}


def _role(form: Form, school: School) -> dict[str, Any]:
    role = form.value("role")
    if role not in STAFF_ROLES:
        form.refuse("role", "Choose their role at the school")
    starts = read_day(form, "starts", "the day the role starts")
    return {"role": role, "urn": school.urn, "starts_on": starts.isoformat() if starts else None}


def _at(person: StaffPerson, school: School) -> list[Role]:
    return [r for r in person.roles if r.urn == school.urn]


# -- ending a role ---------------------------------------------------------------------------


async def _role_of(
    api: Api, viewer: Lead, scope: Scope, person_id: str, role_id: str
) -> tuple[Member, Role, School]:
    """The current role at one of the lead's schools (ApiProblem 404 otherwise)."""
    person = StaffPerson.model_validate(
        await api.membership.get(f"/people/{known_id(person_id)}", viewer.token)
    )
    role = next((r for r in person.roles if r.id == role_id and r.urn), None)
    if role is None or role.urn is None or not scope.leads(role.urn):
        raise ApiProblem(404, "Not Found", f"no role {role_id}")
    school = scope.chosen(role.urn)
    found = await staff.member(api, viewer, school.urn, person.id, now().date())
    if role.id not in {r.id for r in found.current}:
        raise ApiProblem(404, "Not Found", f"role {role_id} is not current")
    return found, role, school


@router.get(HERE + "/{person_id}/roles/{role_id}/end", response_class=HTMLResponse)
async def end_form(
    request: Request,
    person_id: str,
    role_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Lead,
    scope: Scope,
) -> HTMLResponse:
    found, role, school = await _role_of(api, viewer, scope, person_id, known_id(role_id))
    form = Form(day_fields("on", now().date()))
    return _end_page(request, pages, viewer, found, role, school, form)


def _end_page(
    request: Request,
    pages: PagesDep,
    viewer: Lead,
    found: Member,
    role: Role,
    school: School,
    form: Form,
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "school/staff_end_role.html",
        {
            "title": "End a role",
            "form": form,
            "heading": f"End {found.person.name}'s role as {role_in_sentence(role.role)}?",
            "school": school,
            "person": found.person,
            "role": role,
            "own": found.person.id == viewer.person_id,
            "last": len(found.current) == 1,
            "on_items": date_items(form, "on"),
        },
        status_code=status,
    )


@router.post(HERE + "/{person_id}/roles/{role_id}/end")
async def end_role(
    request: Request,
    person_id: str,
    role_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Lead,
    scope: Scope,
) -> Response:
    found, role, school = await _role_of(api, viewer, scope, person_id, known_id(role_id))
    form = Form.of(fields(await sent(request)), date_names("on"))
    on = read_day(form, "on", "the day the role ends")
    if on is not None and on < role.starts_on:
        form.refuse(
            "on-day",
            f"The role started on {day(role.starts_on)}: it cannot end before that",
        )
    if not form.valid or on is None:
        return _end_page(request, pages, viewer, found, role, school, form, HTTPStatus.BAD_REQUEST)
    try:
        await staff.end_role(api, viewer, found.person.id, role.id, on)
    except ApiProblem as problem:
        if problem.status not in (HTTPStatus.CONFLICT, HTTPStatus.UNPROCESSABLE_ENTITY):
            raise
        form.refuse("on-day", "The role has ended already, on or before that day")
        return _end_page(request, pages, viewer, found, role, school, form, HTTPStatus.CONFLICT)
    tell(
        request,
        f"{found.person.name}'s role as {role_in_sentence(role.role)} at {school.name} ends "
        f"on {day(on)}.",
    )
    return RedirectResponse(f"{HERE}?school={school.urn}", status_code=HTTPStatus.SEE_OTHER)
