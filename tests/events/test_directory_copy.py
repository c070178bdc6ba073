"""The events service's directory on the real database: a person's roles come on the membership
topic and their name on the people topic, in either order."""

from datetime import date
from typing import Any

from pymongo import AsyncMongoClient

from contracts.membership import HeldRole
from contracts.vocabulary import StaffRole
from services.events.adapters.directory import MongoDirectory


async def test_a_person_whose_roles_arrive_before_their_name_reads_back(
    mongodb_uri: str, unique_name: str
) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    try:
        directory = MongoDirectory(client[f"directory_{unique_name}"], None)
        role = HeldRole(
            role_id="r1", role=StaffRole.TEACHER, urn="110001", starts_on=date(2026, 9, 1)
        )
        await directory.put_role("pat", role)

        early = await directory.person("pat")
        assert early is not None and (early.id, early.name, early.roles) == ("pat", "", [role])

        await directory.describe_person("pat", name="Pat Park", email="pat@example.org")
        later = await directory.person("pat")
        assert later is not None and (later.name, later.roles) == ("Pat Park", [role])
    finally:
        await client.drop_database(f"directory_{unique_name}")
        await client.close()
