"""Saving a report definition, listing one's own, running one, deleting it. Only the owner sees
a saved report; what it names is checked when it is saved and each time it runs."""

import uuid
from datetime import UTC, datetime

from eventkit.auth import Principal
from eventkit.errors import Conflict, NotFound
from services.reporting.domain.county import Headline
from services.reporting.domain.participation import Term
from services.reporting.domain.saved_report import ReportDefinition, ReportKind, SavedReport
from services.reporting.service_layer import queries
from services.reporting.service_layer.queries import Participation, SchoolParticipation
from services.reporting.service_layer.read_model import (
    ParticipationReader,
    ReadModelReader,
    SavedReports,
)

MAX_PER_OWNER = 100

Result = Participation | SchoolParticipation | Headline


async def run(
    model: ReadModelReader,
    records: ParticipationReader,
    principal: Principal,
    report: ReportDefinition,
) -> Result:
    if report.kind == ReportKind.PARTNERSHIP:
        assert report.partnership_id is not None
        found = await queries.partnership_participation(
            model, records, principal, report.partnership_id
        )
        return queries.between(found, report.term_from, report.term_to)
    if report.kind == ReportKind.SCHOOL:
        assert report.urn is not None
        return await queries.school_participation(model, records, principal, report.urn)
    if report.kind == ReportKind.COUNTY:
        found = await queries.county_participation(model, records, principal)
        return queries.between(found, report.term_from, report.term_to)
    year = report.year if report.year is not None else Term.of(datetime.now(UTC)).year
    return await queries.county_headline(model, records, principal, year)


async def save(
    saved: SavedReports,
    model: ReadModelReader,
    records: ParticipationReader,
    principal: Principal,
    definition: ReportDefinition,
) -> SavedReport:
    await run(model, records, principal, definition)  # what it names is theirs to see
    owner = principal.actor
    if await saved.count(owner) >= MAX_PER_OWNER:
        raise Conflict(f"you have {MAX_PER_OWNER} saved reports: delete one first")
    report = SavedReport(
        **definition.model_dump(),
        id=uuid.uuid4().hex[:12],
        owner=owner,
        saved_at=datetime.now(UTC),
    )
    await saved.add(report)
    return report


async def mine(saved: SavedReports, principal: Principal) -> list[SavedReport]:
    return await saved.of_owner(principal.actor)


async def one(saved: SavedReports, principal: Principal, report_id: str) -> SavedReport:
    report = await saved.get(principal.actor, report_id)
    if report is None:
        raise NotFound(f"no saved report {report_id}")
    return report


async def delete(saved: SavedReports, principal: Principal, report_id: str) -> None:
    if not await saved.delete(principal.actor, report_id):
        raise NotFound(f"no saved report {report_id}")
