"""iCalendar invitations (RFC 5546) for a booked place: `METHOD:REQUEST` to add or update it,
`METHOD:CANCEL` to take it out. One event per session, its UID fixed by booking and session, its
SEQUENCE the activity's (a reschedule raises it; a cancellation goes one higher)."""

from datetime import UTC, datetime

from icalendar import Calendar as ICalendar
from icalendar import Event, vCalAddress, vText

from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Calendar

PRODID = "-//School partnerships//Notifications//EN"


def invitation(
    method: Calendar,
    activity: ActivityCopy,
    booking: BookingCopy,
    *,
    organizer: str,
    attendee: str,
    now: datetime | None = None,
) -> bytes:
    calendar = ICalendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method.value)
    sequence = activity.sequence + (1 if method == Calendar.CANCEL else 0)
    for n, session in enumerate(activity.sessions, start=1):
        event = Event()
        event.add("uid", f"{booking.id}-{n}@school-partnerships")
        event.add("sequence", sequence)
        event.add("dtstamp", now or datetime.now(UTC))
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", activity.title)
        if activity.venue or activity.online_url:
            event.add("location", activity.venue or activity.online_url)
        event.add("status", "CANCELLED" if method == Calendar.CANCEL else "CONFIRMED")
        event["organizer"] = vCalAddress(f"mailto:{organizer}")
        event["organizer"].params["cn"] = vText("School partnerships")
        person = vCalAddress(f"mailto:{attendee}")
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", person, encode=False)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
