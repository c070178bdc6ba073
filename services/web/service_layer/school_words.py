"""The words a school lead's pages show for staff roles, booking and support statuses, and how
they say when something happens."""

from collections.abc import Sequence
from datetime import date, datetime

from contracts.support import SupportOutcome, SupportStatus
from contracts.vocabulary import BookingStatus, StaffRole
from services.web.rendering import ENGLAND, day

STAFF_ROLES: dict[str, str] = {
    StaffRole.HEAD: "Headteacher",
    StaffRole.SENIOR_LEADER: "Senior leader",
    StaffRole.CPD_APPROVER: "CPD approver",
    StaffRole.TEACHER: "Teacher",
    StaffRole.TRAINEE: "Trainee teacher",
    StaffRole.GOVERNOR: "Governor",
    StaffRole.SAFEGUARDING_LEAD: "Safeguarding lead",
}
"""The roles a lead gives at their own school, in the order the form offers them."""

STAFF_ROLE_HINTS: dict[str, str] = {
    StaffRole.HEAD: "Leads the school on the platform",
    StaffRole.SENIOR_LEADER: "Leads the school on the platform",
    StaffRole.CPD_APPROVER: "Approves staff bookings and leads the school on the platform",
    StaffRole.TEACHER: "Books their own places",
    StaffRole.TRAINEE: "Books their own places, such as placement swaps",
}

BOOKING_STATUSES: dict[str, tuple[str, str]] = {
    BookingStatus.AWAITING_APPROVAL: ("Waiting for approval", "yellow"),
    BookingStatus.REGISTERED: ("Booked", "green"),
    BookingStatus.WAITLISTED: ("On the waiting list", "blue"),
    BookingStatus.OFFERED: ("Places offered", "purple"),
    BookingStatus.ATTENDED: ("Attended", "turquoise"),
    BookingStatus.NO_SHOW: ("Did not attend", "orange"),
    BookingStatus.CANCELLED: ("Cancelled", "grey"),
    BookingStatus.REJECTED: ("Declined", "red"),
    BookingStatus.EXPIRED: ("Offer expired", "grey"),
}
"""Status -> its words, and the colour of its GOV.UK tag."""

SUPPORT_STATUSES: dict[str, tuple[str, str]] = {
    SupportStatus.REQUESTED: ("Finding a supporting school", "blue"),
    SupportStatus.MATCHED: ("Agreeing the terms", "yellow"),
    SupportStatus.AGREED: ("Agreed", "green"),
    SupportStatus.ACTIVE: ("Under way", "green"),
    SupportStatus.REVIEWED: ("Reviewed", "turquoise"),
    SupportStatus.CLOSED: ("Closed", "grey"),
    SupportStatus.WITHDRAWN: ("Withdrawn", "grey"),
}

SUPPORT_OUTCOMES: dict[str, str] = {
    SupportOutcome.OBJECTIVES_MET: "The objectives were met",
    SupportOutcome.PARTLY_MET: "The objectives were partly met",
    SupportOutcome.NOT_MET: "The objectives were not met",
}


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def clock(moment: datetime) -> str:
    """`9:30am`, `3pm`, `12pm` (midday), as GOV.UK writes times."""
    local = moment.astimezone(ENGLAND)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def when(starts: Sequence[tuple[datetime, datetime]]) -> str:
    """`Tuesday 4 March 2025, 9:30am to 3pm`; of several sessions, the first and how many."""
    if not starts:
        return ""
    first, last = min(starts)
    local = first.astimezone(ENGLAND)
    said = f"{local:%A} {day(first)}, {clock(first)} to {clock(last)}"
    if len(starts) > 1:
        said += f" (first of {len(starts)} sessions)"
    return said


def on(value: date) -> str:
    return day(value)


def role_in_sentence(code: str) -> str:
    """`teacher`, `CPD approver`: a role's words within a sentence."""
    name = STAFF_ROLES.get(code) or code.replace("_", " ")
    return name if name.split()[0].isupper() else name.lower()


def a_role(code: str) -> str:
    said = role_in_sentence(code)
    return f"an {said}" if said[0].lower() in "aeiou" else f"a {said}"
