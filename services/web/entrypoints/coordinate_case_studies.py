"""The case studies of a coordinator's partnerships: the list by what needs doing, writing and
changing one, sending it to the county for review, and publishing it once approved."""

import asyncio
from http import HTTPStatus

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
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.rendering import Pages
from services.web.service_layer import coordinate_case_studies as case_studies
from services.web.service_layer.coordinate_activity_form import plain
from services.web.service_layer.coordinate_case_studies import CaseStudyForm, Links
from services.web.service_layer.coordinate_models import CaseStudy, Partnership
from services.web.service_layer.coordinate_partnerships import (
    chosen,
    my_partnership,
    my_partnerships,
    school_names,
)
from services.web.service_layer.coordinate_programme import activities_of

router = APIRouter(prefix="/coordinate/case-studies", tags=["coordinator"])


def case_study_url(case_study_id: str, then: str = "") -> str:
    return f"/coordinate/case-studies/{case_study_id}{then}"


@router.get("", response_class=HTMLResponse)
async def case_studies_page(
    request: Request, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    partnerships = await my_partnerships(api, viewer.token)
    found = await case_studies.case_studies_of(api, viewer.token, [p.id for p in partnerships])
    return render(
        pages,
        request,
        "case_studies.html",
        {
            "title": "Your case studies",
            "groups": case_studies.grouped(found),
            "partnerships": partnerships,
            "partnership_names": {p.id: p.name for p in partnerships},
        },
    )


async def _links(
    api: PlatformApi, token: str, partnership: Partnership, partnerships: list[Partnership]
) -> Links:
    activities, schools = await asyncio.gather(
        activities_of(api, token, {partnership.id}),
        school_names(api, token, (m.urn for m in partnership.members)),
    )
    return Links(
        partnerships={p.id: p.name for p in partnerships},
        activities={a.id: a.title for a in sorted(activities, key=lambda a: a.details.starts_at)},
        schools=dict(sorted(schools.items(), key=lambda kv: kv[1].casefold())),
    )


def _form_page(
    pages: Pages,
    request: Request,
    form: CaseStudyForm,
    links: Links,
    *,
    case_study: CaseStudy | None = None,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    return render(
        pages,
        request,
        "case_study_form.html",
        {
            "title": f"Change {case_study.title}" if case_study else "Write a case study",
            "form": form,
            "links": links,
            "case_study": case_study,
            "category_items": [{"value": k, "text": t} for k, t in words.CATEGORIES.items()],
            "activity_items": [{"value": k, "text": t} for k, t in links.activities.items()],
            "school_items": [{"value": k, "text": t} for k, t in links.schools.items()],
        },
        status_code=status_code,
    )


@router.get("/new", response_class=HTMLResponse)
async def new_case_study(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    partnership: str | None = None,
) -> HTMLResponse:
    partnerships = await my_partnerships(api, viewer.token)
    first = chosen(partnerships, partnership)
    links = await _links(api, viewer.token, first, partnerships)
    form = CaseStudyForm(values={"partnership_id": first.id})
    return _form_page(pages, request, form, links)


@router.post("/new", response_class=HTMLResponse)
async def create_case_study(
    request: Request, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    items = await form_items(request)
    form = CaseStudyForm.given(items)
    partnerships = await my_partnerships(api, viewer.token)
    partnership = chosen(partnerships, form.value("partnership_id") or None)
    links = await _links(api, viewer.token, partnership, partnerships)
    sending = single(items).get("action") == "send"
    body = case_studies.read_case_study(form, links, sending=sending)
    if form.valid:
        try:
            made = await case_studies.create(api, viewer.token, partnership.id, body)
            if sending:
                await case_studies.act(api, viewer.token, made, "submit")
        except ApiProblem as problem:
            if not answered_on_the_page(problem):
                raise
            case_studies.refuse_api(form, problem)
        else:
            done(request, _saved(body["title"], sending))
            return see_other(case_study_url(made))
    return _form_page(pages, request, form, links, status_code=HTTPStatus.BAD_REQUEST)


def _saved(title: str, sending: bool) -> str:
    if sending:
        return f"{title} is sent to the county for review. You are told when it is reviewed."
    return f"{title} is saved as a draft."


@router.get("/{case_study_id}", response_class=HTMLResponse)
async def case_study_page(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    found = await case_studies.my_case_study(api, viewer.token, known_id(case_study_id))
    return await _case_study_page(pages, request, api, viewer.token, found)


async def _case_study_page(
    pages: Pages,
    request: Request,
    api: PlatformApi,
    token: str,
    case_study: CaseStudy,
    *,
    refusal: str | None = None,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    partnership = await my_partnership(api, token, case_study.partnership_id)
    links = await _links(api, token, partnership, [partnership])
    return render(
        pages,
        request,
        "case_study.html",
        {
            "title": case_study.title,
            "case_study": case_study,
            "partnership": partnership,
            "links": links,
            "refusal": refusal,
        },
        status_code=status_code,
    )


@router.get("/{case_study_id}/change", response_class=HTMLResponse)
async def change_page(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    found = await case_studies.my_case_study(api, viewer.token, known_id(case_study_id))
    partnership = await my_partnership(api, viewer.token, found.partnership_id)
    links = await _links(api, viewer.token, partnership, [partnership])
    return _form_page(pages, request, CaseStudyForm.of_case_study(found), links, case_study=found)


@router.post("/{case_study_id}/change", response_class=HTMLResponse)
async def change_case_study(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    found = await case_studies.my_case_study(api, viewer.token, known_id(case_study_id))
    partnership = await my_partnership(api, viewer.token, found.partnership_id)
    links = await _links(api, viewer.token, partnership, [partnership])
    items = await form_items(request)
    form = CaseStudyForm.given(items)
    form.values["partnership_id"] = found.partnership_id  # it stays with its partnership
    sending = single(items).get("action") == "send"
    body = case_studies.read_case_study(form, links, sending=sending)
    if form.valid:
        try:
            await case_studies.update(api, viewer.token, found, body, form.version)
            if sending:
                await case_studies.act(api, viewer.token, found.id, "submit")
        except ApiProblem as problem:
            if not answered_on_the_page(problem):
                raise
            case_studies.refuse_api(form, problem)
        else:
            done(request, _saved(body["title"], sending))
            return see_other(case_study_url(found.id))
    return _form_page(
        pages, request, form, links, case_study=found, status_code=HTTPStatus.BAD_REQUEST
    )


ACTED = {
    "submit": "{title} is sent to the county for review. You are told when it is reviewed.",
    "publish": "{title} is published: anyone can read it in the case-study library.",
}


async def _act(
    request: Request, pages: Pages, api: PlatformApi, token: str, case_study_id: str, action: str
) -> Response:
    found = await case_studies.my_case_study(api, token, known_id(case_study_id))
    try:
        await case_studies.act(api, token, found.id, action)
    except ApiProblem as problem:
        if not answered_on_the_page(problem):
            raise
        refusal = (
            "Write the difference it made (its impact) before you send it for review"
            if "impact" in problem.detail
            else f"This cannot be done now: {plain(problem.detail)}"
        )
        return await _case_study_page(
            pages, request, api, token, found, refusal=refusal, status_code=HTTPStatus.CONFLICT
        )
    done(request, ACTED[action].format(title=found.title))
    return see_other(case_study_url(found.id))


@router.post("/{case_study_id}/submit")
async def submit(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    return await _act(request, pages, api, viewer.token, case_study_id, "submit")


@router.post("/{case_study_id}/publish")
async def publish(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    return await _act(request, pages, api, viewer.token, case_study_id, "publish")
