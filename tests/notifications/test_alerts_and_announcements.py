"""Interest alerts and announcements end to end: preferences over the API, events on the real
broker, mail read back from the real SMTP server."""

import pytest
from conftest import SmtpServer
from notifications.test_booking_mail import book, email_of, published

from eventkit.auth import Role
from support.events import Events, make_partnership, wait_for_directory
from support.membership import Membership
from support.notifications import Notifications, wait_until_known

pytestmark = pytest.mark.integration


async def test_a_follower_hears_of_a_new_activity_and_the_booked_hear_an_announcement(
    membership: Membership, events: Events, notifications: Notifications, smtp_server: SmtpServer
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=2)
    await wait_for_directory(events, p)
    ann, bob = list(p.staff)
    herself = notifications.as_(Role.TEACHER, person_id=ann)
    follows = {"interests": {"categories": ["teacher_development"], "phases": []}}
    saved = await notifications.http.put(
        f"/people/{ann}/preferences", json=follows, headers=herself
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["interests"]["categories"] == ["teacher_development"]
    bad = await notifications.http.put(
        f"/people/{ann}/preferences", json={"time_zone": "Mars/Olympus"}, headers=herself
    )
    assert bad.status_code == 422

    await wait_until_known(notifications, [ann], p.id)
    activity = await published(events, p, title="Coaching TeachMeet")  # teacher development
    [alert] = await smtp_server.wait_for(1, to=email_of(p, ann), seconds=20)
    assert alert["Subject"] == "New: Coaching TeachMeet"
    assert smtp_server.messages_to(email_of(p, bob)) == []  # bob follows nothing

    await book(events, p, activity["id"], bob)
    await smtp_server.wait_for(1, to=email_of(p, bob), seconds=20)  # it knows the booking now
    coordinator = notifications.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    body = {
        "audience": "booked",
        "partnership_id": p.id,
        "activity_id": activity["id"],
        "subject": "Room change for Thursday",
        "body": "We meet in the library.\n\nSee you there.",
    }
    made = await notifications.http.post("/announcements", json=body, headers=coordinator)
    assert made.status_code == 201, made.text
    assert made.json()["recipients"] == 1
    mail = await smtp_server.wait_for(2, to=email_of(p, bob), seconds=20)
    announcement = [m for m in mail if m["Subject"] == "Room change for Thursday"]
    assert len(announcement) == 1
    assert "We meet in the library." in announcement[0].get_body(("plain",)).get_content()

    outsider = notifications.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=["elsewhere"])
    refused = await notifications.http.post("/announcements", json=body, headers=outsider)
    assert refused.status_code == 404
