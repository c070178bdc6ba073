"""A real events service over HTTP, and a partnership set up through membership for it to see."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient

from services.events.bootstrap import build
from services.events.settings import EventsSettings
from support.membership import Membership
from support.polling import CATCH_UP_SECONDS, eventually
from support.services import RunningService, running, settings_for

Events = RunningService[EventsSettings]


@asynccontextmanager
async def running_events(
    kafka_bootstrap: str, mongodb_uri: str, database: str, **overrides: Any
) -> AsyncIterator[Events]:
    settings = settings_for(EventsSettings, kafka_bootstrap, mongodb_uri, database, **overrides)
    async with running(build(settings), settings) as service:
        yield service


@dataclass
class Partnership:
    """A partnership with member schools and staff, made through the membership API."""

    id: str
    schools: list[str]
    staff: dict[str, str] = field(default_factory=dict)  # person id -> school urn


async def make_partnership(
    membership: Membership, *, schools: int = 2, staff_per_school: int = 1
) -> Partnership:
    http, officer = membership.http, membership.officer
    created = await http.post(
        "/partnerships",
        json={"name": f"Partnership {uuid.uuid4().hex[:6]}", "kind": "cluster"},
        headers=officer,
    )
    pid = created.json()["id"]
    partnership = Partnership(pid, [])
    for _ in range(schools):
        urn = str(800000 + uuid.uuid4().int % 199999)
        school = {"urn": urn, "name": f"School {urn}", "phase": "secondary", "sector": "state"}
        assert (await http.post("/schools", json=school, headers=officer)).status_code == 201
        joined = await http.post(f"/partnerships/{pid}/members", json={"urn": urn}, headers=officer)
        assert joined.status_code == 200, joined.text
        partnership.schools.append(urn)
        for n in range(staff_per_school):
            person = {
                "name": f"Teacher {n} of {urn}",
                "email": f"t{n}.{urn}@school.example",
                "role": {"role": "teacher", "urn": urn, "starts_on": "2020-01-01"},
            }
            added = await http.post("/people", json=person, headers=officer)
            assert added.status_code == 201, added.text
            partnership.staff[added.json()["id"]] = urn
    return partnership


async def wait_for_directory(
    events: Events, partnership: Partnership, timeout: float = CATCH_UP_SECONDS
) -> None:
    """Until the events service has heard of the partnership's members and staff: their roles
    (membership topic) and their names (people topic)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(events.settings.mongodb_uri)
    db = client[events.settings.database_name]

    async def heard() -> bool:
        p = await db["directory_partnerships"].find_one({"_id": partnership.id})
        people = await db["directory_people"].count_documents(
            {
                "_id": {"$in": list(partnership.staff)},
                "roles.0": {"$exists": True},
                "name": {"$exists": True, "$ne": ""},
            }
        )
        members = len(p.get("members", {})) if p else -1
        return members == len(partnership.schools) and people == len(partnership.staff)

    try:
        await eventually(heard, timeout, what="the events service hearing of the partnership")
    finally:
        await client.close()


def activity_body(partnership_id: str, **changes: Any) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=14)
    body: dict[str, Any] = {
        "title": "Maths TeachMeet",
        "category": "teacher_development",
        "format": "teachmeet",
        "partnership_id": partnership_id,
        "venue": "King's Ely, Ely",
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
        ],
        "capacity": 3,
    }
    body.update(changes)
    return body
