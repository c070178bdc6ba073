"""HTTP routes for saved report definitions: each person's own, run again whenever they like."""

from fastapi import APIRouter, Response, status

from eventkit.auth import CurrentPrincipal
from services.reporting.domain.saved_report import ReportDefinition, SavedReport
from services.reporting.entrypoints.dependencies import ReadModel, Records, Saved
from services.reporting.service_layer import saved_reports as handlers
from services.reporting.service_layer.saved_reports import Result

router = APIRouter(prefix="/saved-reports", tags=["saved reports"])


@router.post("", status_code=status.HTTP_201_CREATED, summary="Save a report to run again")
async def save(
    body: ReportDefinition,
    saved: Saved,
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
) -> SavedReport:
    return await handlers.save(saved, model, records, principal, body)


@router.get("", summary="The caller's saved reports, newest first")
async def mine(saved: Saved, principal: CurrentPrincipal) -> list[SavedReport]:
    return await handlers.mine(saved, principal)


@router.get("/{report_id}", summary="One of the caller's saved reports")
async def one(report_id: str, saved: Saved, principal: CurrentPrincipal) -> SavedReport:
    return await handlers.one(saved, principal, report_id)


@router.get("/{report_id}/run", summary="Run a saved report: its figures as they stand now")
async def run(
    report_id: str, saved: Saved, model: ReadModel, records: Records, principal: CurrentPrincipal
) -> Result:
    report = await handlers.one(saved, principal, report_id)
    return await handlers.run(model, records, principal, report)


@router.delete(
    "/{report_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a saved report"
)
async def delete(report_id: str, saved: Saved, principal: CurrentPrincipal) -> Response:
    await handlers.delete(saved, principal, report_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
