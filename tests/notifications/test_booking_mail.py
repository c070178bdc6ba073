"""Mail about bookings, end to end: membership and events over real HTTP, notifications on the
real broker, messages read back from the real SMTP server with the `email` and `icalendar`
packages."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from conftest import SmtpServer

from eventkit.auth import Role
from support.events import Events, Partnership, activity_body, make_partnership, wait_for_directory
from support.membership import Membership
from support.notifications import Notifications, running_notifications, wait_until_known
from support.polling import eventually

pytestmark = pytest.mark.integration


def email_of(p: Partnership, person_id: str) -> str:
    """`make_partnership` names its staff `t<n>.<urn>@school.example`, in order."""
    urn = p.staff[person_id]
    n = [pid for pid, u in p.staff.items() if u == urn].index(person_id)
    return f"t{n}.{urn}@school.example"


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None, "both plain text and HTML"
    return str(text.get_content()), str(html.get_content())


def invitation(message: EmailMessage) -> icalendar.Calendar:
    [attachment] = [
        a for a in message.iter_attachments() if a.get_content_type() == "text/calendar"
    ]
    return icalendar.Calendar.from_ical(attachment.get_content())


async def published(events: Events, p: Partnership, **changes: Any) -> dict[str, Any]:
    coordinator = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    created = await events.http.post(
        "/activities", json=activity_body(p.id, **changes), headers=coordinator
    )
    assert created.status_code == 201, created.text
    done = await events.http.post(
        f"/activities/{created.json()['id']}/publish", headers=coordinator
    )
    assert done.status_code == 200, done.text
    return dict(done.json())


def staff(events: Events, p: Partnership, person_id: str) -> dict[str, str]:
    return events.as_(Role.TEACHER, schools=[p.staff[person_id]], person_id=person_id)


async def book(events: Events, p: Partnership, activity_id: str, person_id: str) -> dict[str, Any]:
    headers = {**staff(events, p, person_id), "Idempotency-Key": uuid.uuid4().hex}
    booked = await events.http.post(
        f"/activities/{activity_id}/bookings", json={"urn": p.staff[person_id]}, headers=headers
    )
    assert booked.status_code == 201, booked.text
    return dict(booked.json())


async def quiet(smtp: SmtpServer, seconds: float = 2.0) -> int:
    """How many messages there are once nothing more arrived for `seconds`."""
    count = len(smtp.messages)
    while True:
        await asyncio.sleep(seconds)
        if len(smtp.messages) == count:
            return count
        count = len(smtp.messages)


async def test_a_booking_its_waitlist_offer_and_a_cancellation_each_mail_the_right_person_once(
    membership: Membership,
    events: Events,
    notifications: Notifications,
    smtp_server: SmtpServer,
    kafka_bootstrap: str,
    mongodb_uri: str,
    unique_name: str,
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=2)
    await wait_for_directory(events, p)
    await wait_until_known(notifications, p.staff)
    ann, bob = list(p.staff)
    ann_email, bob_email = email_of(p, ann), email_of(p, bob)
    starts = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    sessions = [
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}
    ]
    activity = await published(events, p, capacity=1, sessions=sessions, title="Physics TeachMeet")

    booked = await book(events, p, activity["id"], ann)
    [registered] = await smtp_server.wait_for(1, to=ann_email, seconds=20)
    assert registered["Subject"] == "You have a place: Physics TeachMeet"
    text, html = parts(registered)
    assert "Physics TeachMeet" in text and "Physics TeachMeet" in html
    assert text.startswith("Dear Teacher 0 of ")
    assert registered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        registered["List-Unsubscribe"].startswith("<")
        and "/unsubscribe?token=" in registered["List-Unsubscribe"]
    )
    request = invitation(registered)
    assert request["METHOD"] == "REQUEST"
    [event] = request.walk("VEVENT")
    assert event["UID"] == f"{booked['id']}-1@school-partnerships"
    assert event.decoded("DTSTART") == starts
    assert str(event["SUMMARY"]) == "Physics TeachMeet"
    assert int(event["SEQUENCE"]) == activity["sequence"]

    await book(events, p, activity["id"], bob)
    [waitlisted] = await smtp_server.wait_for(1, to=bob_email, seconds=20)
    assert waitlisted["Subject"] == "On the waiting list: Physics TeachMeet"

    cancel = await events.http.post(
        f"/bookings/{booked['id']}/cancel", headers=staff(events, p, ann)
    )
    assert cancel.status_code == 200, cancel.text
    cancelled = (await smtp_server.wait_for(2, to=ann_email, seconds=20))[1]
    assert cancelled["Subject"] == "Booking cancelled: Physics TeachMeet"
    assert cancelled["List-Unsubscribe"] is None  # critical: it cannot be turned off
    cancel_ics = invitation(cancelled)
    assert cancel_ics["METHOD"] == "CANCEL"
    [gone] = cancel_ics.walk("VEVENT")
    assert gone["UID"] == event["UID"] and int(gone["SEQUENCE"]) > int(event["SEQUENCE"])
    assert str(gone["STATUS"]) == "CANCELLED"
    offer = (await smtp_server.wait_for(2, to=bob_email, seconds=20))[1]
    assert offer["Subject"] == "A place is free for you: Physics TeachMeet"
    assert "held for you until" in parts(offer)[0]

    await quiet(smtp_server)
    ours = {a: len(smtp_server.messages_to(a)) for a in (ann_email, bob_email)}
    assert ours == {ann_email: 2, bob_email: 2}  # one of each, however often delivered

    # A new consumer group over the same database replays every topic from offset 0: no mail
    # goes twice. (Every notifications service of the test session reads the shared topics
    # from offset 0 into a database of its own, so other tests' people get mail from them.)
    async with running_notifications(
        kafka_bootstrap,
        mongodb_uri,
        notifications.settings.database_name,
        consumer_group_suffix=f"{unique_name}-replay",
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
    ) as again:
        log = f"/people/{ann}/mail"

        async def replayed() -> bool:
            response = await again.http.get(log, headers=again.officer)
            return response.status_code == 200 and len(response.json()) >= 2

        await eventually(replayed, what="the replaying service reading the delivery log")
        await quiet(smtp_server, 3)
    assert {a: len(smtp_server.messages_to(a)) for a in ours} == ours
    keys = [str(m["X-Partnerships-Mail"]).strip() for a in ours for m in smtp_server.messages_to(a)]
    assert len(keys) == len(set(keys)) == 4, "a mail went twice"


async def test_unsubscribing_by_one_click_stops_that_kind_of_mail_but_not_what_cannot_wait(
    membership: Membership,
    events: Events,
    notifications: Notifications,
    smtp_server: SmtpServer,
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    await wait_until_known(notifications, p.staff)
    [ann] = list(p.staff)
    address = email_of(p, ann)
    first = await published(events, p, title="First TeachMeet")
    await book(events, p, first["id"], ann)
    [registered] = await smtp_server.wait_for(1, to=address, seconds=20)

    link = registered["List-Unsubscribe"].strip("<>")
    where = urlsplit(link)
    page = await notifications.http.get(f"{where.path}?{where.query}")
    assert page.status_code == 200 and "Stop these emails?" in page.text  # GET changes nothing
    one_click = await notifications.http.post(
        f"{where.path}?{where.query}",
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200 and "You are unsubscribed" in one_click.text
    prefs = await notifications.http.get(
        f"/people/{ann}/preferences",
        headers=notifications.as_(Role.TEACHER, person_id=ann),
    )
    assert prefs.json()["muted"] == ["bookings"]
    forged = await notifications.http.post(f"{where.path}?token={where.query[6:-2]}xx")
    assert forged.status_code == 422

    second = await published(events, p, title="Second TeachMeet")
    booking = await book(events, p, second["id"], ann)
    cancel = await events.http.post(
        f"/bookings/{booking['id']}/cancel", headers=staff(events, p, ann)
    )
    assert cancel.status_code == 200
    later = await smtp_server.wait_for(2, to=address, seconds=20)
    assert later[1]["Subject"] == "Booking cancelled: Second TeachMeet"  # critical: still sent

    async def logged() -> list[dict[str, Any]]:
        response = await notifications.http.get(
            f"/people/{ann}/mail", headers=notifications.as_(Role.TEACHER, person_id=ann)
        )
        return list(response.json())

    async def muted_one_cancelled() -> bool:
        return any(
            e["rule"] == "booking_registered" and e["state"] == "cancelled" for e in await logged()
        )

    await eventually(
        muted_one_cancelled, what="the second booking's mail cancelled as unsubscribed"
    )
    assert len(smtp_server.messages_to(address)) == 2
    someone_else = await notifications.http.get(
        f"/people/{ann}/mail", headers=notifications.as_(Role.TEACHER, person_id="not-ann")
    )
    assert someone_else.status_code == 404
