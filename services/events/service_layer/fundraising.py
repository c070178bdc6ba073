"""Handlers for money activities raise for named charities: recorded and corrected by the
activity's coordinators, read by whoever sees the activity."""

from collections import Counter
from dataclasses import dataclass

from eventkit.auth import Principal
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import Donation, FundsEntry
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork


@dataclass(frozen=True)
class Funds:
    entries: list[FundsEntry]

    @property
    def total_pence(self) -> int:
        return sum(e.amount_pence for e in self.entries)

    @property
    def by_charity(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for e in self.entries:
            totals[e.charity] += e.amount_pence
        return dict(totals.most_common())


@retry_on_write_conflict()
async def record(
    uow: UnitOfWork, principal: Principal, activity_id: str, donation: Donation
) -> FundsEntry:
    async with uow:
        activity = await access.load_activity(
            uow, principal, activity_id, may=access.coordinates_activity
        )
        entry = activity.record_funds(donation)
        await uow.activities.save(activity)
        await uow.commit()
    return entry


@retry_on_write_conflict()
async def remove(uow: UnitOfWork, principal: Principal, activity_id: str, entry_id: str) -> Funds:
    async with uow:
        activity = await access.load_activity(
            uow, principal, activity_id, may=access.coordinates_activity
        )
        activity.remove_funds(entry_id)
        await uow.activities.save(activity)
        await uow.commit()
    return Funds(activity.funds)


async def of_activity(uow: UnitOfWork, principal: Principal, activity_id: str) -> Funds:
    async with uow:
        activity = await access.load_activity(uow, principal, activity_id)
    return Funds(activity.funds)
