"""The words and times the coordinator's pages show for the services' codes and moments, in the
GOV.UK style: `Tuesday 4 March 2025, 9:30am to 11am`, in England's time."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from contracts.vocabulary import ActivityStatus, BookingStatus
from services.web import words
from services.web.words import FORMATS

ENGLAND = ZoneInfo("Europe/London")

ACTIVITY_STATUSES: dict[str, tuple[str, str]] = {
    ActivityStatus.DRAFT: ("Draft", "grey"),
    ActivityStatus.PUBLISHED: ("Published", "green"),
    ActivityStatus.CANCELLED: ("Cancelled", "red"),
    ActivityStatus.COMPLETED: ("Taken place", "blue"),
}

BOOKING_STATUSES: dict[str, tuple[str, str]] = {
    BookingStatus.AWAITING_APPROVAL: ("Waiting for their school's approval", "yellow"),
    BookingStatus.REGISTERED: ("Booked", "blue"),
    BookingStatus.WAITLISTED: ("On the waiting list", "grey"),
    BookingStatus.OFFERED: ("Offered a place", "yellow"),
    BookingStatus.ATTENDED: ("Checked in", "green"),
    BookingStatus.NO_SHOW: ("Did not come", "red"),
    BookingStatus.CANCELLED: ("Cancelled", "grey"),
    BookingStatus.REJECTED: ("Not approved", "grey"),
    BookingStatus.EXPIRED: ("Offer expired", "grey"),
}

CASE_STUDY_STATUSES: dict[str, tuple[str, str]] = {
    "draft": ("Draft", "grey"),
    "submitted": ("Waiting for the county's review", "yellow"),
    "returned": ("Returned to you", "red"),
    "approved": ("Approved: ready to publish", "turquoise"),
    "published": ("Published", "green"),
}


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str


def _tag(known: dict[str, tuple[str, str]], code: str) -> Tag:
    text, colour = known.get(code) or (code.replace("_", " ").capitalize(), "grey")
    return Tag(text, colour)


def local(moment: datetime) -> datetime:
    return moment.astimezone(ENGLAND)


def clock(moment: datetime) -> str:
    """9am, 9:30am, midday, 2:15pm."""
    t = local(moment)
    if (t.hour, t.minute) == (12, 0):
        return "midday"
    hour = t.hour % 12 or 12
    minutes = f":{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes}{'am' if t.hour < 12 else 'pm'}"


def day(moment: datetime) -> str:
    t = local(moment)
    return f"{t:%A} {t.day} {t:%B %Y}"


def when(starts_at: datetime, ends_at: datetime) -> str:
    if local(starts_at).date() == local(ends_at).date():
        return f"{day(starts_at)}, {clock(starts_at)} to {clock(ends_at)}"
    return f"{day(starts_at)}, {clock(starts_at)} to {day(ends_at)}, {clock(ends_at)}"


def moment(value: datetime) -> str:
    return f"{day(value)}, {clock(value)}"


class Say:
    """What the templates call: `say.format(a.details.format)`, `say.when(s.starts_at, ...)`."""

    when = staticmethod(when)
    moment = staticmethod(moment)
    day = staticmethod(day)
    clock = staticmethod(clock)

    @staticmethod
    def format(code: str) -> str:
        return words.word(FORMATS, code)

    @staticmethod
    def category(code: str) -> str:
        return words.word(words.CATEGORIES, code)

    @staticmethod
    def phase(code: str) -> str:
        return words.word(words.PHASES, code)

    @staticmethod
    def membership_role(code: str) -> str:
        return words.word(words.MEMBERSHIP_ROLES, code)

    @staticmethod
    def activity_status(code: str) -> Tag:
        return _tag(ACTIVITY_STATUSES, code)

    @staticmethod
    def booking_status(code: str) -> Tag:
        return _tag(BOOKING_STATUSES, code)

    @staticmethod
    def case_study_status(code: str) -> Tag:
        return _tag(CASE_STUDY_STATUSES, code)

    @staticmethod
    def places(n: int) -> str:
        return f"{n:,} place" if n == 1 else f"{n:,} places"

    @staticmethod
    def pupils(n: int) -> str:
        return f"{n:,} pupil" if n == 1 else f"{n:,} pupils"


SAY = Say()
