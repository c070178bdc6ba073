"""Reminders before an activity (moved by a reschedule, never sent late), addresses that refuse
mail, and approval requests: on the real broker and SMTP server."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import SmtpServer
from notifications.test_booking_mail import book, email_of, invitation, published, staff

from eventkit.auth import Role
from support.events import Events, make_partnership, wait_for_directory
from support.membership import Membership
from support.notifications import Notifications, wait_until_known
from support.polling import eventually

pytestmark = pytest.mark.integration


def sessions_at(starts: datetime, hours: float = 1) -> list[dict[str, str]]:
    return [
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=hours)).isoformat()}
    ]


async def mail_log(notifications: Notifications, person_id: str) -> list[dict[str, Any]]:
    response = await notifications.http.get(
        f"/people/{person_id}/mail", headers=notifications.officer
    )
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_a_reminder_goes_before_the_start_a_late_one_is_never_made_and_a_move_moves_them(
    membership: Membership, events: Events, notifications: Notifications, smtp_server: SmtpServer
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    await wait_until_known(notifications, p.staff)
    [ann] = list(p.staff)
    address = email_of(p, ann)
    # Lead times (tests/notifications/conftest.py): an hour and a minute before.
    soon = datetime.now(UTC) + timedelta(seconds=75)
    first = await published(events, p, title="Soon TeachMeet", sessions=sessions_at(soon))
    await book(events, p, first["id"], ann)
    reminder = (await smtp_server.wait_for(2, to=address, seconds=40))[1]
    assert reminder["Subject"] == "Reminder: Soon TeachMeet soon"
    reminders = [m for m in await mail_log(notifications, ann) if m["rule"] == "reminder"]
    assert len(reminders) == 1  # the hour-before one would have gone late: never made

    later = datetime.now(UTC) + timedelta(hours=2)
    second = await published(events, p, title="Later TeachMeet", sessions=sessions_at(later))
    booking = await book(events, p, second["id"], ann)

    async def pending() -> dict[float, str]:
        return {
            m["send_at"]: m["state"]
            for m in await mail_log(notifications, ann)
            if m["rule"] == "reminder" and m["id"].split(":")[2] == booking["id"]
        }

    async def both_queued() -> bool:
        return len(await pending()) == 2

    await eventually(both_queued, what="two reminders queued for the later activity")
    moved_to = later + timedelta(hours=1)
    coordinator = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    moved = await events.http.post(
        f"/activities/{second['id']}/reschedule",
        json={"sessions": sessions_at(moved_to), "reason": "The hall is booked"},
        headers=coordinator,
    )
    assert moved.status_code == 200, moved.text
    rescheduled = (await smtp_server.wait_for(4, to=address, seconds=20))[3]
    assert rescheduled["Subject"] == "New date: Later TeachMeet"
    update = invitation(rescheduled)
    assert update["METHOD"] == "REQUEST"
    [event] = update.walk("VEVENT")
    assert int(event["SEQUENCE"]) == moved.json()["sequence"] > second["sequence"]

    expected = {
        (moved_to - timedelta(hours=1)).replace(microsecond=0),
        (moved_to - timedelta(minutes=1)).replace(microsecond=0),
    }

    async def moved_reminders() -> bool:
        found = await pending()
        times = {datetime.fromisoformat(t).replace(microsecond=0) for t in found}
        return times == expected and set(found.values()) == {"queued"}

    await eventually(moved_reminders, what="both reminders moved an hour later")


async def test_an_address_that_refuses_mail_is_held_until_an_officer_clears_it(
    membership: Membership, events: Events, notifications: Notifications, smtp_server: SmtpServer
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    await wait_until_known(notifications, p.staff)
    [ann] = list(p.staff)
    address = email_of(p, ann)
    smtp_server.handler.refused.add(address)
    try:
        first = await published(events, p, title="Refused TeachMeet")
        booked = await book(events, p, first["id"], ann)

        async def held() -> bool:
            response = await notifications.http.get(
                "/held-addresses", headers=notifications.officer
            )
            return [h["person_id"] for h in response.json()] == [ann]

        await eventually(held, what="the address put on hold after a 550")
        log = await mail_log(notifications, ann)
        [registered] = [m for m in log if m["rule"] == "booking_registered"]
        assert registered["state"] == "held" and "550" in registered["error"]
        not_officer = await notifications.http.get(
            "/held-addresses", headers=notifications.as_(Role.TEACHER, person_id=ann)
        )
        assert not_officer.status_code == 403
    finally:
        smtp_server.handler.refused.discard(address)

    cancel = await events.http.post(
        f"/bookings/{booked['id']}/cancel", headers=staff(events, p, ann)
    )
    assert cancel.status_code == 200

    async def cancellation_held() -> bool:
        return any(
            m["rule"] == "booking_cancelled" and m["state"] == "held"
            for m in await mail_log(notifications, ann)
        )

    await eventually(cancellation_held, what="later mail held, not sent, while on hold")
    assert smtp_server.messages_to(address) == []

    cleared = await notifications.http.delete(f"/people/{ann}/hold", headers=notifications.officer)
    assert cleared.status_code == 204
    again = await notifications.http.delete(f"/people/{ann}/hold", headers=notifications.officer)
    assert again.status_code == 404
    second = await published(events, p, title="Second TeachMeet")
    await book(events, p, second["id"], ann)
    [arrived] = await smtp_server.wait_for(1, to=address, seconds=20)
    assert arrived["Subject"] == "You have a place: Second TeachMeet"


async def test_a_booking_that_needs_approval_asks_the_schools_cpd_approver(
    membership: Membership, events: Events, notifications: Notifications, smtp_server: SmtpServer
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    [ann] = list(p.staff)
    urn = p.staff[ann]
    approver_email = f"cpd.{uuid.uuid4().hex[:8]}@school.example"
    added = await membership.http.post(
        "/people",
        json={
            "name": "Cara Approver",
            "email": approver_email,
            "role": {"role": "cpd_approver", "urn": urn, "starts_on": "2020-01-01"},
        },
        headers=membership.officer,
    )
    assert added.status_code == 201, added.text
    approver_id = added.json()["id"]
    p.staff[approver_id] = urn
    await wait_for_directory(events, p)
    await wait_until_known(notifications, [ann, approver_id])
    lead = events.as_(Role.SCHOOL_LEAD, schools=[urn])
    policy = await events.http.put(
        f"/schools/{urn}/booking-policy", json={"staff_bookings_need_approval": True}, headers=lead
    )
    assert policy.status_code == 204, policy.text

    activity = await published(events, p, title="Leadership CPD")
    booking = await book(events, p, activity["id"], ann)
    assert booking["status"] == "awaiting_approval"
    [asked] = await smtp_server.wait_for(1, to=approver_email, seconds=20)
    assert asked["Subject"] == "Approval needed: Leadership CPD"
    assert asked["List-Unsubscribe"] is None  # an approval request cannot be turned off
    [waiting] = await smtp_server.wait_for(1, to=email_of(p, ann), seconds=20)
    assert waiting["Subject"] == "Waiting for approval: Leadership CPD"

    approver = events.as_(Role.TEACHER, schools=[urn], person_id=approver_id)
    approved = await events.http.post(f"/bookings/{booking['id']}/approve", headers=approver)
    assert approved.status_code == 200, approved.text
    placed = (await smtp_server.wait_for(2, to=email_of(p, ann), seconds=20))[1]
    assert placed["Subject"] == "You have a place: Leadership CPD"
