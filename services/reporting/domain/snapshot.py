"""A snapshot: the read models as they stood at the end of a past day (UK time), replayed from
the log into a generation of their own, so that any report can be asked for as of that day
(`?as_of=2026-08-31`: the county at the end of the summer term)."""

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field

from services.reporting.domain.participation import ENGLAND


class SnapshotState(StrEnum):
    BUILDING = "building"
    READY = "ready"


class Snapshot(BaseModel):
    as_of: date = Field(description="The day whose end it shows (UK time)")
    generation: int = Field(description="The generation of read models it is kept in")
    state: SnapshotState
    read: int = Field(0, description="Events read from the log so far")
    total: int = Field(0, description="Events to read, as far as is known now")
    requested_at: datetime
    ready_at: datetime | None = None
    complete: bool = Field(
        False,
        description="Its day has ended and all of it is in; until then a ready snapshot of today "
        "follows the log",
    )


def end_of(day: date) -> datetime:
    """The first moment after the day, in England: events before it are in the snapshot."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ENGLAND)
