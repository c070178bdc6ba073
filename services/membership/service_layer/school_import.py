"""Importing schools read from a GIAS establishment CSV: new URNs are registered, changed ones
updated, unchanged ones left alone (so a re-import emits no events), and every row that cannot
be taken is reported with its line, not allowed to stop the rest.

Rows are taken in batches, one transaction each: a failure part-way keeps the batches already
committed, and running the same import again finishes the job.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from pydantic import BaseModel, Field

from eventkit.auth import Principal
from services.membership.adapters.gias import RowError, SchoolRow
from services.membership.domain.school import School
from services.membership.service_layer import access
from services.membership.service_layer.unit_of_work import UnitOfWork

BATCH_SIZE = 200


class RejectedRow(BaseModel):
    line: int = Field(description="Line of the file (the header is line 1)")
    urn: str | None = Field(description="The row's URN as written, if it had one")
    error: str


class ImportReport(BaseModel):
    registered: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = Field(default_factory=list)

    def reject(self, line: int, urn: str | None, error: str) -> None:
        self.rejected.append(RejectedRow(line=line, urn=urn, error=error))


async def import_schools(
    uow: UnitOfWork,
    principal: Principal,
    rows: Iterable[SchoolRow | RowError],
    *,
    batch_size: int | None = None,
) -> ImportReport:
    """Only county officers may import. `rows` is read lazily, one batch (of BATCH_SIZE rows
    unless told) at a time."""
    access.require_county_officer(principal)
    report = ImportReport()
    first_line_of: dict[str, int] = {}
    for batch in _batches(iter(rows), batch_size or BATCH_SIZE):
        schools: list[SchoolRow] = []
        for row in batch:
            if isinstance(row, RowError):
                report.reject(row.line, row.urn, row.message)
            elif row.urn in first_line_of:
                report.reject(
                    row.line, row.urn, f"URN {row.urn} is already on line {first_line_of[row.urn]}"
                )
            else:
                first_line_of[row.urn] = row.line
                schools.append(row)
        if schools:
            await _take(uow, schools, report)
    return report


async def _take(uow: UnitOfWork, rows: list[SchoolRow], report: ImportReport) -> None:
    async with uow:
        known = await uow.schools.get_many(row.urn for row in rows)
        new: list[School] = []
        changed: list[School] = []
        for row in rows:
            school = known.get(row.urn)
            if school is None:
                new.append(School.register(row.urn, row.details))
            elif school.update(row.details):
                changed.append(school)
        await uow.schools.add_many(new)
        for school in changed:
            await uow.schools.save(school)
        await uow.commit()
    report.registered += len(new)
    report.updated += len(changed)
    report.unchanged += len(rows) - len(new) - len(changed)


def _batches(
    rows: Iterator[SchoolRow | RowError], size: int
) -> Iterator[list[SchoolRow | RowError]]:
    while batch := list(islice(rows, size)):
        yield batch
