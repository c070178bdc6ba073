"""The words a teacher's pages show for activity formats, booking statuses, evaluation stages and
kinds of mail, and how they say when something happens."""

from datetime import datetime

from contracts.attendance import EvaluationStage
from contracts.vocabulary import BookingStatus
from services.web.rendering import ENGLAND

BOOKING_STATUSES: dict[str, tuple[str, str]] = {
    BookingStatus.AWAITING_APPROVAL: ("Waiting for approval", "yellow"),
    BookingStatus.REGISTERED: ("Booked", "green"),
    BookingStatus.WAITLISTED: ("On the waiting list", "blue"),
    BookingStatus.OFFERED: ("Place offered", "purple"),
    BookingStatus.ATTENDED: ("Attended", "turquoise"),
    BookingStatus.NO_SHOW: ("Did not attend", "orange"),
    BookingStatus.CANCELLED: ("Cancelled", "grey"),
    BookingStatus.REJECTED: ("Not approved", "red"),
    BookingStatus.EXPIRED: ("Offer expired", "grey"),
}
"""Status -> its words, and the colour of its GOV.UK tag."""

STAGES: dict[str, str] = {
    EvaluationStage.BEFORE: "Before the activity",
    EvaluationStage.ON_THE_DAY: "On the day",
    EvaluationStage.IMPACT: "Its impact, looking back",
}

MAIL_CATEGORIES: dict[str, tuple[str, str]] = {
    "bookings": ("Your bookings", "When you book, are offered a place, or a booking changes"),
    "activity_changes": (
        "Changes to activities",
        "When an activity you booked is moved or cancelled",
    ),
    "reminders": ("Reminders", "The day before an activity you booked"),
    "evaluations": ("Evaluations", "Asking how an activity went, after you attended"),
    "new_activities": (
        "New activities",
        "When a new activity of a kind you follow is published",
    ),
    "announcements": ("Announcements", "News from your partnerships"),
    "partnership": ("Your partnerships", "Changes to the partnerships your school is in"),
}
"""The kinds of mail a teacher gets that they may turn off (critical mail always comes)."""

FREQUENCIES: dict[str, str] = {
    "immediate": "As it happens",
    "daily": "In a daily summary, at 7am",
    "weekly": "In a weekly summary, on Mondays at 7am",
}


def word(words: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return words.get(code) or code.replace("_", " ").capitalize()


def clock(moment: datetime) -> str:
    """`4pm`, `5:30pm`, `midday`, in England."""
    local = moment.astimezone(ENGLAND)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def day(moment: datetime) -> str:
    """`Tuesday 4 March 2025`, in England."""
    local = moment.astimezone(ENGLAND)
    return f"{local:%A} {local.day} {local:%B %Y}"


def span(starts: datetime, ends: datetime) -> str:
    """`Tuesday 4 March 2025, 4pm to 5:30pm` (both days when it runs over midnight)."""
    if starts.astimezone(ENGLAND).date() == ends.astimezone(ENGLAND).date():
        return f"{day(starts)}, {clock(starts)} to {clock(ends)}"
    return f"{day(starts)}, {clock(starts)} to {day(ends)}, {clock(ends)}"


def moment(at: datetime) -> str:
    """`4pm on Tuesday 4 March 2025`."""
    return f"{clock(at)} on {day(at)}"
