"""Erasing a person, across every service, on the real broker and databases (and mail to them
through the real SMTP server before).

Names and emails travel only on the compacted people topic; after an erasure no other topic
holds them, and every service's database has dropped or anonymised its copy within seconds.
"""

import time
import uuid
from typing import Any

from bson import json_util
from conftest import SmtpServer
from pymongo import AsyncMongoClient
from reporting.conftest import Reporting

from contracts.topics import PEOPLE
from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.kafka import every_record
from support.membership import Membership
from support.notifications import Notifications, wait_until_known
from support.polling import eventually

ERASED_WITHIN_SECONDS = 10.0


async def database_text(mongodb_uri: str, database: str) -> str:
    """Every document of every collection of the database, as one lower-case text."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    try:
        db = client[database]
        parts = []
        for name in await db.list_collection_names():
            parts += [json_util.dumps(d) for d in await db[name].find().to_list()]
        return "\n".join(parts).lower()
    finally:
        await client.close()


async def test_after_an_erasure_no_topic_but_the_people_topic_and_no_database_names_the_person(
    membership: Membership,
    events: Events,
    reporting: Reporting,
    notifications: Notifications,
    smtp_server: SmtpServer,
    mongodb_uri: str,
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    urn = p.schools[0]
    marker = uuid.uuid4().hex[:10]
    name, email = f"Erin Marker{marker}", f"erin.{marker}@school.example"
    added = await membership.http.post(
        "/people",
        json={
            "name": name,
            "email": email,
            "job_title": "Head of Year 7",
            "role": {"role": "teacher", "urn": urn, "starts_on": "2020-01-01"},
        },
        headers=membership.officer,
    )
    assert added.status_code == 201, added.text
    person_id = added.json()["id"]
    p.staff[person_id] = urn
    await wait_for_directory(events, p)
    await wait_until_known(notifications, p.staff)

    # She books a place (her own request, key and audit fields) and appears on the register.
    coordinator = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    created = await events.http.post("/activities", json=activity_body(p.id), headers=coordinator)
    aid = created.json()["id"]
    assert (await events.http.post(f"/activities/{aid}/publish", headers=coordinator)).is_success
    herself = events.as_(Role.TEACHER, schools=[urn], person_id=person_id, subject=email)
    booked = await events.http.post(
        f"/activities/{aid}/bookings",
        json={"urn": urn},
        headers={**herself, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert booked.status_code == 201, booked.text

    databases = [
        membership.settings.database_name,
        events.settings.database_name,
        reporting.settings.database_name,
        notifications.settings.database_name,
    ]

    async def named_in_events() -> bool:
        return name.lower() in await database_text(mongodb_uri, events.settings.database_name)

    await eventually(named_in_events, what="the events service's copy of her name")
    [confirmation] = await smtp_server.wait_for(1, to=email, seconds=20)
    assert confirmation["Subject"].startswith("You have a place")
    assert email in await database_text(mongodb_uri, notifications.settings.database_name)
    assert email not in await database_text(mongodb_uri, reporting.settings.database_name)

    erased = await membership.http.post(f"/people/{person_id}/erase", headers=membership.officer)
    assert erased.status_code == 200, erased.text
    started = time.monotonic()

    async def forgotten_everywhere() -> bool:
        for database in databases:
            text = await database_text(mongodb_uri, database)
            if name.lower() in text or email in text:
                return False
        return True

    await eventually(
        forgotten_everywhere,
        ERASED_WITHIN_SECONDS,
        interval=0.2,
        what=f"every database forgetting her within {ERASED_WITHIN_SECONDS:g} s",
    )
    print(f"erasure: every service's database forgot her in {time.monotonic() - started:.2f} s")

    register = await events.http.get(f"/activities/{aid}/bookings", headers=coordinator)
    assert [b["person_id"] for b in register.json()] == [person_id]  # still counted, unnamed

    scanned, found = 0, []
    async for topic, record in every_record(
        membership.settings.kafka_bootstrap_servers, leaving_out={PEOPLE.name}
    ):
        scanned += 1
        wire = b"\n".join([record.key or b"", record.value or b""] + [v for _, v in record.headers])
        text = wire.decode(errors="replace").lower()
        if name.lower() in text or email in text:
            found.append((topic, record.offset))
    print(
        f"erasure: scanned {scanned} records on every topic but {PEOPLE.name}: {len(found)} name her"
    )
    assert scanned > 0 and found == []
