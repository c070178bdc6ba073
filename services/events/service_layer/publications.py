"""Handlers for publications: start one, publish an issue, record a school's pupils on an issue.

Who may do what: a coordinator of the partnership (or a county officer) starts a publication and
publishes its issues; a school's lead records their own school's count of contributing pupils
on an issue (a coordinator may too). Whoever sees the partnership — its coordinators, staff of
its member schools, county officers — reads its publications; to anyone else they do not exist.
"""

import uuid
from datetime import UTC, datetime

from contracts.publications import PublicationKind
from eventkit.auth import Principal
from eventkit.errors import Forbidden, Invalid
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.publication import (
    Contribution,
    IssueDetails,
    Publication,
    SchoolContribution,
)
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork

COORDINATORS = "only the partnership's coordinators or a county officer may"


async def _require_members(uow: UnitOfWork, partnership_id: str, urns: list[str], at: str) -> None:
    partnership = await uow.directory.partnership(partnership_id)
    members = partnership.active_members() if partnership else set()
    for n, urn in enumerate(urns):
        if urn not in members:
            where = at.format(n=n)
            raise Invalid(
                f"{where}: school {urn} is not an active member of partnership {partnership_id}"
            )


async def start(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: str,
    title: str,
    kind: PublicationKind,
    now: datetime | None = None,
) -> Publication:
    pid = partnership_id
    async with uow:
        await access.require_partnership(uow.directory, principal, pid)
        if not await access.coordinates(uow.directory, principal, pid):
            raise Forbidden(f"{COORDINATORS} start a publication")
        publication = Publication.start(
            id=uuid.uuid4().hex[:12],
            partnership_id=pid,
            title=title,
            kind=kind,
            started_by=principal.actor,
            started_at=now or datetime.now(UTC),
        )
        await uow.publications.add(publication)
        await uow.commit()
    return publication


async def get_publication(
    uow: UnitOfWork, principal: Principal, publication_id: str
) -> Publication:
    async with uow:
        return await access.load_publication(uow, principal, publication_id)


async def of_partnership(
    uow: UnitOfWork, principal: Principal, partnership_id: str
) -> list[Publication]:
    async with uow:
        await access.require_partnership(uow.directory, principal, partnership_id)
        return await uow.publications.of_partnership(partnership_id)


@retry_on_write_conflict()
async def publish_issue(
    uow: UnitOfWork, principal: Principal, publication_id: str, details: IssueDetails
) -> Publication:
    async with uow:
        publication = await access.load_publication(
            uow,
            principal,
            publication_id,
            may=access.coordinates_publication,
            refusal=f"{COORDINATORS} publish an issue",
        )
        urns = [c.urn for c in details.contributions]
        await _require_members(uow, publication.partnership_id, urns, "contributions.{n}.urn")
        publication.publish_issue(uuid.uuid4().hex[:12], details)
        await uow.publications.save(publication)
        await uow.commit()
    return publication


@retry_on_write_conflict()
async def record_contribution(
    uow: UnitOfWork,
    principal: Principal,
    publication_id: str,
    issue_id: str,
    urn: str,
    contribution: Contribution,
) -> Publication:
    async with uow:
        publication = await access.load_publication(uow, principal, publication_id)
        if not access.leads_school(principal, urn) and not await access.coordinates(
            uow.directory, principal, publication.partnership_id
        ):
            raise Forbidden(
                f"only the lead of school {urn} or the partnership's coordinators may record "
                "its pupils' contribution"
            )
        publication.issue(issue_id)
        await _require_members(uow, publication.partnership_id, [urn], "urn")
        counted = SchoolContribution(urn=urn, **contribution.model_dump())
        publication.record_contribution(issue_id, counted)
        await uow.publications.save(publication)
        await uow.commit()
    return publication
