"""Announcements: a coordinator writes to chosen people of their partnership, a county officer
to every coordinator. Each recipient gets it once (its key names the announcement), by their
preferences: a digest, quiet hours and unsubscribing apply, as to any mail that may wait."""

import hashlib
import uuid
from datetime import datetime
from enum import StrEnum

from contracts.vocabulary import StaffRole
from eventkit.auth import Principal
from eventkit.errors import Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.notifications.domain.mail import Mail
from services.notifications.service_layer import access
from services.notifications.service_layer.ports import UnitOfWork
from services.notifications.service_layer.rules import ANNOUNCEMENT


class Audience(StrEnum):
    HEADS = "heads"  # the head and senior leaders of every member school
    CPD_LEADS = "cpd_leads"  # every member school's CPD approvers
    BOOKED = "booked"  # everyone booked on one of the partnership's activities
    COORDINATORS = "coordinators"  # every coordinator in the county (county officers only)


SCHOOL_ROLES = {
    Audience.HEADS: (StaffRole.HEAD, StaffRole.SENIOR_LEADER),
    Audience.CPD_LEADS: (StaffRole.CPD_APPROVER,),
}


async def announce(
    uow: UnitOfWork,
    principal: Principal,
    *,
    audience: Audience,
    subject: str,
    body: str,
    now: datetime,
    partnership_id: str | None = None,
    activity_id: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[str, int]:
    """Queue the announcement for each of its recipients; its id and how many they are.

    A large audience is queued a chunk at a time, each in a transaction of its own (retried on
    a lost write race): one transaction of 10,000 writes outlives what the database allows."""
    async with uow:
        recipients = await _audience(uow, principal, audience, partnership_id, activity_id)
    # With the same key the same caller's retry is the same announcement: its mails' keys are
    # taken already, so nobody gets it twice.
    announcement_id = (
        hashlib.sha256(f"{principal.actor}:{idempotency_key}".encode()).hexdigest()[:12]
        if idempotency_key
        else uuid.uuid4().hex[:12]
    )
    facts = {"subject": subject, "body": body}
    mails = [ANNOUNCEMENT.mail(p, announcement_id, "", now, facts=facts) for p in recipients]
    queued = 0
    for start in range(0, len(mails), CHUNK):
        queued += await _queue(uow, mails[start : start + CHUNK])
    return announcement_id, queued


CHUNK = 500


@retry_on_write_conflict()
async def _queue(uow: UnitOfWork, mails: list[Mail]) -> int:
    async with uow:
        queued = await uow.mailbox.queue(mails)
        await uow.commit()
    return queued


async def _audience(
    uow: UnitOfWork,
    principal: Principal,
    audience: Audience,
    partnership_id: str | None,
    activity_id: str | None,
) -> list[str]:
    if audience == Audience.COORDINATORS:
        access.require_county_officer(principal, "write to every coordinator")
        return await uow.recipients.holding_anywhere(StaffRole.COORDINATOR)
    if partnership_id is None:
        raise Invalid("partnership_id: the partnership the announcement is for")
    await access.require_coordinator(uow, principal, partnership_id)
    if audience == Audience.BOOKED:
        activity = await uow.bookings.activity(activity_id) if activity_id else None
        if activity is None or activity.partnership_id != partnership_id:
            raise NotFound(f"no activity {str(activity_id)[:64]} of this partnership")
        booked = await uow.bookings.booked_on(activity.id)
        return sorted({b.person_id for b in booked if b.person_id})
    schools = await uow.recipients.member_schools(partnership_id)
    return await uow.recipients.holding_at_schools(SCHOOL_ROLES[audience], schools)
