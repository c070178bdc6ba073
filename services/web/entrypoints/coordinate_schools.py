"""A partnership's schools: members, invitations and those gone; inviting a school by its URN and
taking an invitation back."""

from http import HTTPStatus

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.entrypoints.coordinate_common import (
    Coordinator,
    done,
    form_items,
    render,
    see_other,
    single,
)
from services.web.entrypoints.dependencies import Api, PagesDep
from services.web.forms import Form
from services.web.rendering import Pages
from services.web.service_layer import coordinate_schools as schools
from services.web.service_layer.coordinate_models import Partnership
from services.web.service_layer.coordinate_partnerships import (
    chosen,
    my_partnerships,
    school_names,
)
from services.web.service_layer.coordinate_words import SAY

router = APIRouter(prefix="/coordinate/schools", tags=["coordinator"])


def schools_url(partnership_id: str) -> str:
    return f"/coordinate/schools?partnership={partnership_id}"


async def _page(
    pages: Pages,
    request: Request,
    api: PlatformApi,
    token: str,
    partnerships: list[Partnership],
    partnership: Partnership,
    form: Form,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    found = await schools.schools_of(api, token, partnership)
    return render(
        pages,
        request,
        "schools.html",
        {
            "title": f"Schools: {partnership.name}",
            "schools": found,
            "partnerships": partnerships,
            "form": form,
            "role_options": [
                {
                    "value": r.value,
                    "text": SAY.membership_role(r),
                    "selected": r == form.value("role"),
                }
                for r in schools.ROLES
            ],
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
async def schools_page(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    partnership: str | None = None,
) -> HTMLResponse:
    partnerships = await my_partnerships(api, viewer.token)
    if not partnerships:
        return render(pages, request, "none.html", {"title": "Schools"})
    shown = chosen(partnerships, partnership)
    form = Form({"urn": "", "role": "member"})
    return await _page(pages, request, api, viewer.token, partnerships, shown, form)


@router.post("/invite", response_class=HTMLResponse)
async def invite(request: Request, pages: PagesDep, api: Api, viewer: Coordinator) -> Response:
    given = single(await form_items(request))
    partnerships = await my_partnerships(api, viewer.token)
    partnership = chosen(partnerships, given.get("partnership_id") or None)
    form = Form.of(given, ("urn", "role"))
    schools.read_invitation(form)
    if form.valid:
        try:
            await schools.invite(api, viewer.token, partnership.id, form)
        except ApiProblem as problem:
            if problem.status >= HTTPStatus.INTERNAL_SERVER_ERROR or not schools.refuse_invitation(
                form, problem
            ):
                raise
        else:
            names = await school_names(api, viewer.token, [form.value("urn")])
            done(
                request,
                f"{names[form.value('urn')]} is invited. Its head or a senior leader accepts the "
                "invitation when they next sign in.",
            )
            return see_other(schools_url(partnership.id))
    return await _page(
        pages,
        request,
        api,
        viewer.token,
        partnerships,
        partnership,
        form,
        status_code=HTTPStatus.BAD_REQUEST,
    )


@router.post("/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, api: Api, viewer: Coordinator) -> Response:
    given = single(await form_items(request))
    partnerships = await my_partnerships(api, viewer.token)
    partnership = chosen(partnerships, given.get("partnership_id") or None)
    urn = given.get("urn", "")
    invited = {m.urn for m in partnership.with_status("invited")}
    if urn in invited:
        await schools.withdraw(api, viewer.token, partnership.id, urn)
        names = await school_names(api, viewer.token, [urn])
        done(request, f"The invitation to {names[urn]} is withdrawn.")
    return see_other(schools_url(partnership.id))
