"""A partnership's dashboard: its figures term by term with the reporting service's charts, and
those charts, its spreadsheet and its term report passed on with the coordinator's token."""

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.coordinate_common import Coordinator, render
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.files import file_response
from services.web.service_layer import coordinate_dashboard as reports
from services.web.service_layer.coordinate_partnerships import chosen, my_partnerships

router = APIRouter(prefix="/coordinate/dashboard", tags=["coordinator"])

FILENAMES = {"participation.csv": "participation", "report.pdf": "term-report"}


@router.get("", response_class=HTMLResponse)
async def dashboard_page(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    partnership: str | None = None,
) -> HTMLResponse:
    partnerships = await my_partnerships(api, viewer.token)
    if not partnerships:
        return render(pages, request, "none.html", {"title": "Dashboard"})
    shown = chosen(partnerships, partnership)
    found = await reports.dashboard(api, viewer.token, shown.id)
    return render(
        pages,
        request,
        "dashboard.html",
        {
            "title": f"Dashboard: {shown.name}",
            "partnership": shown,
            "partnerships": partnerships,
            "dashboard": found,
            "charts": reports.CHARTS,
        },
    )


@router.get(
    "/{partnership_id}/charts/{name}.svg", summary="A chart, drawn by the reporting service"
)
async def chart(partnership_id: str, name: str, api: Api, viewer: Coordinator) -> Response:
    if name not in reports.CHARTS:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    found = await reports.chart(api, viewer.token, known_id(partnership_id), name)
    return file_response(found, media_type="image/svg+xml")


@router.get("/{partnership_id}/{name}", summary="The spreadsheet or the term report")
async def report_file(
    request: Request, partnership_id: str, name: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    if name not in reports.DOWNLOADS:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    pid = known_id(partnership_id)
    try:
        found = await reports.report_file(api, viewer.token, pid, name)
    except ApiProblem as problem:
        if not problem.not_found or name != "report.pdf":
            raise
        return render(
            pages,
            request,
            "no_report.html",
            {"title": "There is no term report yet", "partnership_id": pid},
            status_code=status.HTTP_404_NOT_FOUND,
        )
    stem, extension = FILENAMES[name], name.rsplit(".", 1)[1]
    disposition = "attachment" if extension == "csv" else "inline"
    return file_response(
        found,
        media_type=reports.DOWNLOADS[name],
        disposition=f'{disposition}; filename="{stem}-{pid}.{extension}"',
    )
