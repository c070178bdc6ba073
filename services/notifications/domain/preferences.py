"""What a person wants to hear about, how often and when. Critical mail cannot wait and cannot
be turned off: it bypasses digests and quiet hours."""

from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, Field

from contracts.vocabulary import ActivityCategory, Phase

DIGEST_TIME = time(7, 0)
"""When digests go, in the person's time zone (weekly ones on Mondays)."""


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value[:64]!r}") from None
    return value


TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_known_zone)]


class Category(StrEnum):
    BOOKINGS = "bookings"
    APPROVALS = "approvals"
    ACTIVITY_CHANGES = "activity_changes"
    REMINDERS = "reminders"
    EVALUATIONS = "evaluations"
    MEMBERSHIP = "membership"
    PARTNERSHIP = "partnership"
    NEW_ACTIVITIES = "new_activities"  # alerts for what they follow
    ANNOUNCEMENTS = "announcements"
    REPORTS = "reports"  # the county's monthly report


class Frequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"  # gathered into a digest at 07:00
    WEEKLY = "weekly"  # gathered into a digest on Monday at 07:00


class QuietHours(BaseModel):
    """Local times; a window that ends before it starts runs over midnight (21:00–07:00)."""

    starts: time
    ends: time

    def end_of(self, local: datetime) -> datetime | None:
        """When the quiet window `local` falls in ends (local time), or None if it does not."""
        at = local.time().replace(tzinfo=None)
        if self.starts == self.ends:
            return None
        if self.starts < self.ends:
            inside = self.starts <= at < self.ends
            return (
                local.replace(hour=self.ends.hour, minute=self.ends.minute, second=0, microsecond=0)
                if inside
                else None
            )
        if at >= self.starts:  # before midnight: ends tomorrow
            tomorrow = local + timedelta(days=1)
            return tomorrow.replace(
                hour=self.ends.hour, minute=self.ends.minute, second=0, microsecond=0
            )
        if at < self.ends:
            return local.replace(
                hour=self.ends.hour, minute=self.ends.minute, second=0, microsecond=0
            )
        return None


class Interests(BaseModel):
    """What a person follows: new activities of these categories, for these phases (none: any)."""

    categories: list[ActivityCategory] = Field(
        default_factory=list, max_length=len(ActivityCategory)
    )
    phases: list[Phase] = Field(default_factory=list, max_length=len(Phase))

    def match(self, category: ActivityCategory, phases: list[Phase]) -> bool:
        if category not in self.categories:
            return False
        return not self.phases or not phases or bool(set(self.phases) & set(phases))


class Preferences(BaseModel):
    person_id: str
    muted: list[Category] = Field(
        default_factory=list, description="Categories they get no mail for (critical mail still)"
    )
    all_muted: bool = Field(False, description="No mail at all but critical mail")
    frequency: dict[Category, Frequency] = Field(
        default_factory=dict, description="Per category; immediate where not named"
    )
    quiet_hours: QuietHours | None = Field(None, description="Mail waits until they end")
    time_zone: TimeZone = Field("Europe/London", description="An IANA time zone")
    interests: Interests = Field(default_factory=Interests)

    def wants(self, category: Category, *, critical: bool) -> bool:
        return critical or not (self.all_muted or category in self.muted)

    def mute(self, category: Category | None) -> "Preferences":
        """Without a category: everything that may be turned off."""
        if category is None:
            return self.model_copy(update={"all_muted": True})
        return self.model_copy(update={"muted": sorted({*self.muted, category})})

    def digest_at(self, category: Category, now: datetime) -> datetime | None:
        """When the next digest with this category's mail goes, or None: immediate."""
        frequency = self.frequency.get(category, Frequency.IMMEDIATE)
        if frequency == Frequency.IMMEDIATE:
            return None
        local = now.astimezone(ZoneInfo(self.time_zone))
        at = local.replace(
            hour=DIGEST_TIME.hour, minute=DIGEST_TIME.minute, second=0, microsecond=0
        )
        if at <= local:
            at += timedelta(days=1)
        if frequency == Frequency.WEEKLY:
            at += timedelta(days=(7 - at.weekday()) % 7)  # the next Monday, today if it is one
        return at

    def quiet_until(self, now: datetime) -> datetime | None:
        """When the quiet hours `now` falls in end, or None."""
        if self.quiet_hours is None:
            return None
        return self.quiet_hours.end_of(now.astimezone(ZoneInfo(self.time_zone)))
