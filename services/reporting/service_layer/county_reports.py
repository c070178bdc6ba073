"""The monthly county report: once a calendar month has ended, each county's figures for it
(a county: the local authorities a county officer covers), made ready as an event the
notifications service mails to that county's officers. Once per county and month, whichever
replica gets there first."""

from datetime import datetime

import structlog
from pymongo.errors import PyMongoError

from contracts.reporting import CountyReportReady
from services.reporting.domain.monthly import month_before
from services.reporting.domain.participation import ENGLAND, Term
from services.reporting.service_layer import queries
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork

log = structlog.get_logger(__name__)


def report_id(month: str, areas: set[str]) -> str:
    return f"{month}:{','.join(sorted(areas))}"


def _term_of(month: str) -> Term:
    year, number = (int(part) for part in month.split("-"))
    return Term.of(datetime(year, number, 15, 12, tzinfo=ENGLAND))


async def make_monthly_reports(uow: ReportingUnitOfWork, now: datetime) -> list[str]:
    """The reports of the month before `now` not made yet, made now; their ids."""
    month = month_before(now)
    async with uow:
        counties = await uow.read_model.counties()
    made = []
    for areas in counties:
        try:
            key = await make_report(uow, areas, month)
        except PyMongoError as exc:  # another replica made it at the same moment: the next
            log.warning("county_report.not_made", areas=sorted(areas), error=str(exc))
            continue
        if key:
            made.append(key)
    return made


async def make_report(uow: ReportingUnitOfWork, areas: set[str], month: str) -> str | None:
    """The county's report for the month, unless it was made before; its id."""
    key = report_id(month, areas)
    async with uow:
        if await uow.county_reports.made(key):
            return None
        figures, partnerships = await queries.county_month(
            uow.read_model, uow.participation, areas, month
        )
        await uow.county_reports.mark_made(key)
        uow.record(
            [
                CountyReportReady(
                    report_id=key,
                    month=month,
                    local_authorities=sorted(areas),
                    partnerships=partnerships,
                    report_path=f"/county/report.pdf?term={_term_of(month).key}",
                    **figures.model_dump(exclude={"month"}),
                )
            ]
        )
        await uow.commit()
    return key
