"""What notifications keeps of activities and bookings from the events service's events: enough
to write to the people booked, and to place an invitation in their calendar."""

from datetime import datetime

from pydantic import BaseModel, Field

from contracts.activities import Session
from contracts.vocabulary import ActivityCategory, ActivityStatus, BookingStatus, Phase


class ActivityCopy(BaseModel):
    id: str
    title: str = ""
    format: str = ""
    partnership_id: str = ""
    venue: str | None = None
    online_url: str | None = None
    sessions: list[Session] = Field(default_factory=list)
    sequence: int = 0
    status: ActivityStatus = ActivityStatus.PUBLISHED
    category: ActivityCategory | None = None
    open_to: list[str] = Field(default_factory=list, description="Other partnerships it is open to")
    county_wide: bool = False
    for_staff: bool = True
    phases: list[Phase] = Field(default_factory=list)

    def open_to_any(self, partnership_ids: set[str]) -> bool:
        return self.county_wide or bool({self.partnership_id, *self.open_to} & partnership_ids)

    @property
    def starts_at(self) -> datetime | None:
        return min((s.starts_at for s in self.sessions), default=None)


class BookingCopy(BaseModel):
    id: str
    activity_id: str
    urn: str
    person_id: str | None = None
    pupils: int = 0
    status: BookingStatus
