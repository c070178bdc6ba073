"""County officers' quality assurance of case studies: the ones waiting, each one to read, and
the decision: approve it (a note is optional), return it to its authors (a note is needed), or
publish one already approved."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.county_common import Officer, posted, tell, told
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.forms import Form
from services.web.service_layer import county_case_studies as qa
from services.web.service_layer.county_case_studies import NOTE_LENGTH

router = APIRouter(prefix="/county/case-studies", tags=["county officer"])

APPROVE_NOTE = "approve_note"
RETURN_NOTE = "return_note"
NOTES = (APPROVE_NOTE, RETURN_NOTE)
"""One form holds both, so that neither is lost when the other decision is refused."""
NO_LONGER_WAITING = "decision"


@router.get("", response_class=HTMLResponse)
async def waiting(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> HTMLResponse:
    found = await qa.queue(api, viewer.token)
    return pages.render(
        request,
        "county/case_studies.html",
        {"title": "Case studies to review", "queue": found, "done": told(request)},
    )


@router.get("/{case_study_id}", response_class=HTMLResponse)
async def case_study(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Officer
) -> HTMLResponse:
    return await _review_page(request, pages, api, viewer.token, known_id(case_study_id), Form())


@router.post("/{case_study_id}/approve", response_class=HTMLResponse)
async def approve(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Officer
) -> Response:
    case_study_id = known_id(case_study_id)
    form = Form.of(await posted(request), NOTES)
    _check_length(form, APPROVE_NOTE)
    if form.valid:
        try:
            done = await qa.approve(api, viewer.token, case_study_id, form.value(APPROVE_NOTE))
        except ApiProblem as problem:
            _refused(form, problem, APPROVE_NOTE)
        else:
            tell(
                request,
                f"You approved “{done.content.title}”. Its partnership’s coordinators may now "
                "publish it.",
            )
            return RedirectResponse("/county/case-studies", status_code=HTTPStatus.SEE_OTHER)
    return await _review_page(request, pages, api, viewer.token, case_study_id, form)


@router.post("/{case_study_id}/return", response_class=HTMLResponse)
async def return_to_authors(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Officer
) -> Response:
    case_study_id = known_id(case_study_id)
    form = Form.of(await posted(request), NOTES)
    if not form.value(RETURN_NOTE):
        form.refuse(RETURN_NOTE, "Say what the authors should change before it can be approved")
    _check_length(form, RETURN_NOTE)
    if form.valid:
        try:
            done = await qa.return_to_authors(
                api, viewer.token, case_study_id, form.value(RETURN_NOTE)
            )
        except ApiProblem as problem:
            _refused(form, problem, RETURN_NOTE)
        else:
            tell(request, f"You returned “{done.content.title}” to its authors with your note.")
            return RedirectResponse("/county/case-studies", status_code=HTTPStatus.SEE_OTHER)
    return await _review_page(request, pages, api, viewer.token, case_study_id, form)


@router.post("/{case_study_id}/publish", response_class=HTMLResponse)
async def publish(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Officer
) -> Response:
    case_study_id = known_id(case_study_id)
    form = Form()
    try:
        done = await qa.publish(api, viewer.token, case_study_id)
    except ApiProblem as problem:
        _refused(form, problem, NO_LONGER_WAITING)
        return await _review_page(request, pages, api, viewer.token, case_study_id, form)
    tell(request, f"“{done.content.title}” is published: anyone can read it in the library.")
    return RedirectResponse("/county/case-studies", status_code=HTTPStatus.SEE_OTHER)


def _check_length(form: Form, name: str) -> None:
    if len(form.value(name)) > NOTE_LENGTH:
        form.refuse(name, f"The note must be {NOTE_LENGTH:,} characters or fewer")


def _refused(form: Form, problem: ApiProblem, field: str) -> None:
    """A decision the events service would not take: someone else decided first (409), or it
    refused the note."""
    if problem.status == HTTPStatus.CONFLICT:
        form.refuse(
            NO_LONGER_WAITING,
            "This case study is no longer waiting for this decision: someone has decided on it "
            "since you opened the page. Its state is shown below.",
        )
    elif problem.status == HTTPStatus.UNPROCESSABLE_ENTITY:
        form.refuse(field, "The note cannot be taken as it is: shorten it and try again")
    else:
        raise problem


async def _review_page(
    request: Request, pages: PagesDep, api: Api, token: str, case_study_id: str, form: Form
) -> HTMLResponse:
    found = await qa.review(api, token, case_study_id)
    status = HTTPStatus.OK
    if form.error(NO_LONGER_WAITING):
        status = HTTPStatus.CONFLICT
    elif not form.valid:
        status = HTTPStatus.BAD_REQUEST
    context: dict[str, Any] = {
        "title": found.case_study.content.title,
        "review": found,
        "form": form,
        "note_length": NOTE_LENGTH,
        "statuses": qa.STATUSES,
    }
    return pages.render(request, "county/case_study.html", context, status_code=status)
