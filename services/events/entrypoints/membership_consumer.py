"""Keeps the directory (this service's copy of partnerships, schools and people's roles) up to
date from membership's events; people's names come from the people topic (`people_consumer`). Each write is an idempotent upsert, so arrival order across keys and replays
do not matter for the fields each event owns."""

from contracts import MEMBERSHIP
from contracts import membership as m
from eventkit.consumer import EventConsumer
from services.events.domain.directory import OrganisationCopy, SchoolCopy
from services.events.service_layer.ports import UnitOfWork

consumer = EventConsumer("events.directory", MEMBERSHIP)


@consumer.on(m.PartnershipCreated, m.PartnershipUpdated)
async def partnership(event: m.PartnershipCreated | m.PartnershipUpdated, uow: UnitOfWork) -> None:
    await uow.directory.describe_partnership(
        event.partnership_id, name=event.name, status=event.status.value
    )


@consumer.on(m.CoordinatorAssigned)
async def coordinator_assigned(event: m.CoordinatorAssigned, uow: UnitOfWork) -> None:
    await uow.directory.add_coordinator(event.partnership_id, event.person_id)


@consumer.on(m.CoordinatorRemoved)
async def coordinator_removed(event: m.CoordinatorRemoved, uow: UnitOfWork) -> None:
    await uow.directory.remove_coordinator(event.partnership_id, event.person_id)


@consumer.on(*m.STATUS_AFTER)
async def membership_changed(event: m.MembershipChanged, uow: UnitOfWork) -> None:
    status = m.STATUS_AFTER[type(event)]
    await uow.directory.set_membership(event.partnership_id, event.urn, status)


@consumer.on(m.SchoolRegistered, m.SchoolUpdated)
async def school(event: m.SchoolRegistered | m.SchoolUpdated, uow: UnitOfWork) -> None:
    copy = SchoolCopy(
        urn=event.urn,
        name=event.name,
        phase=event.phase,
        sector=event.sector,
        la_code=event.la_code,
    )
    await uow.directory.describe_school(copy, {"urn", "name", "phase", "sector", "la_code"})


@consumer.on(m.SchoolExpertiseUpdated)
async def expertise(event: m.SchoolExpertiseUpdated, uow: UnitOfWork) -> None:
    copy = SchoolCopy(
        urn=event.urn,
        subjects=event.subjects,
        expertise_phases=event.phases,
        facilities=event.facilities,
        categories=[c.value for c in event.categories],
        expertise_summary=event.summary,
    )
    fields = {"subjects", "expertise_phases", "facilities", "categories", "expertise_summary"}
    await uow.directory.describe_school(copy, fields)


@consumer.on(m.OrganisationRegistered)
async def organisation(event: m.OrganisationRegistered, uow: UnitOfWork) -> None:
    copy = OrganisationCopy(id=event.organisation_id, name=event.name)
    await uow.directory.describe_organisation(copy)


@consumer.on(m.RoleAssigned)
async def role_assigned(event: m.RoleAssigned, uow: UnitOfWork) -> None:
    await uow.directory.put_role(event.person_id, event.held())


@consumer.on(m.RoleEnded)
async def role_ended(event: m.RoleEnded, uow: UnitOfWork) -> None:
    await uow.directory.end_role(event.person_id, event.role_id, event.ended_on)


@consumer.on(m.PersonErased)
async def person_erased(event: m.PersonErased, uow: UnitOfWork) -> None:
    await uow.directory.erase_person(event.person_id)
    await uow.evaluations.erase_answers(event.person_id)
