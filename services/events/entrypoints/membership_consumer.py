"""Keeps the directory (this service's copy of partnerships, schools and people) up to date from
membership's events. Each write is an idempotent upsert, so arrival order across keys and replays
do not matter for the fields each event owns."""

from typing import Any

from contracts import MEMBERSHIP
from contracts import membership as m
from contracts.vocabulary import MembershipStatus
from eventkit.consumer import Delivery, EventConsumer
from services.events.adapters.directory import PARTNERSHIPS, PEOPLE, SCHOOLS

consumer = EventConsumer("events.directory", MEMBERSHIP)


async def _set(delivery: Delivery, collection: str, key: str, fields: dict[str, Any]) -> None:
    await delivery.db[collection].update_one(
        {"_id": key}, {"$set": fields}, upsert=True, session=delivery.session
    )


@consumer.on(m.PartnershipCreated, m.PartnershipUpdated)
async def partnership(
    event: m.PartnershipCreated | m.PartnershipUpdated, delivery: Delivery
) -> None:
    await _set(
        delivery,
        PARTNERSHIPS,
        event.partnership_id,
        {"id": event.partnership_id, "name": event.name, "status": event.status.value},
    )


@consumer.on(m.CoordinatorAssigned)
async def coordinator_assigned(event: m.CoordinatorAssigned, delivery: Delivery) -> None:
    await delivery.db[PARTNERSHIPS].update_one(
        {"_id": event.partnership_id},
        {"$addToSet": {"coordinators": event.person_id}},
        upsert=True,
        session=delivery.session,
    )


@consumer.on(m.CoordinatorRemoved)
async def coordinator_removed(event: m.CoordinatorRemoved, delivery: Delivery) -> None:
    await delivery.db[PARTNERSHIPS].update_one(
        {"_id": event.partnership_id},
        {"$pull": {"coordinators": event.person_id}},
        session=delivery.session,
    )


MEMBERSHIP_STATUS: dict[type[Any], MembershipStatus] = {
    m.SchoolInvited: MembershipStatus.INVITED,
    m.SchoolJoined: MembershipStatus.ACTIVE,
    m.MembershipSuspended: MembershipStatus.SUSPENDED,
    m.MembershipReinstated: MembershipStatus.ACTIVE,
    m.SchoolLeft: MembershipStatus.LEFT,
}


@consumer.on(*MEMBERSHIP_STATUS)
async def membership_changed(event: Any, delivery: Delivery) -> None:
    status = MEMBERSHIP_STATUS[type(event)]
    await _set(delivery, PARTNERSHIPS, event.partnership_id, {f"members.{event.urn}": status.value})


@consumer.on(m.SchoolRegistered, m.SchoolUpdated)
async def school(event: m.SchoolRegistered | m.SchoolUpdated, delivery: Delivery) -> None:
    await _set(
        delivery,
        SCHOOLS,
        event.urn,
        {
            "urn": event.urn,
            "name": event.name,
            "phase": event.phase.value,
            "sector": event.sector.value,
            "la_code": event.la_code,
        },
    )


@consumer.on(m.SchoolExpertiseUpdated)
async def expertise(event: m.SchoolExpertiseUpdated, delivery: Delivery) -> None:
    await _set(
        delivery,
        SCHOOLS,
        event.urn,
        {
            "subjects": event.subjects,
            "expertise_phases": [p.value for p in event.phases],
            "facilities": event.facilities,
            "categories": [c.value for c in event.categories],
            "expertise_summary": event.summary,
        },
    )


@consumer.on(m.PersonAdded, m.PersonUpdated)
async def person(event: m.PersonAdded | m.PersonUpdated, delivery: Delivery) -> None:
    await _set(
        delivery,
        PEOPLE,
        event.person_id,
        {"id": event.person_id, "name": event.name, "email": event.email},
    )


@consumer.on(m.RoleAssigned)
async def role_assigned(event: m.RoleAssigned, delivery: Delivery) -> None:
    role = event.model_dump(
        mode="json", include={"role_id", "role", "urn", "partnership_id", "starts_on", "ends_on"}
    )
    await delivery.db[PEOPLE].update_one(
        {"_id": event.person_id},
        {"$pull": {"roles": {"role_id": event.role_id}}},
        upsert=True,
        session=delivery.session,
    )
    await delivery.db[PEOPLE].update_one(
        {"_id": event.person_id}, {"$push": {"roles": role}}, session=delivery.session
    )


@consumer.on(m.RoleEnded)
async def role_ended(event: m.RoleEnded, delivery: Delivery) -> None:
    await delivery.db[PEOPLE].update_one(
        {"_id": event.person_id, "roles.role_id": event.role_id},
        {"$set": {"roles.$.ends_on": event.ended_on.isoformat()}},
        session=delivery.session,
    )


@consumer.on(m.PersonErased)
async def person_erased(event: m.PersonErased, delivery: Delivery) -> None:
    """Keep the roles (counts still add up), drop the name and email."""
    await delivery.db[PEOPLE].update_one(
        {"_id": event.person_id},
        {"$set": {"name": "(erased)", "email": "", "erased": True}},
        upsert=True,
        session=delivery.session,
    )
