"""Activities as an iCalendar (RFC 5545) document, one VEVENT per session.

Each session keeps its UID (`{activity id}-{session index}@school-partnerships`) for the life of
the activity; SEQUENCE is the activity's sequence, which goes up when it is rescheduled or
cancelled, so a calendar client replaces the event it already holds instead of adding another.
A visitor's leg of a placement swap is one all-day VEVENT (`{swap id}-{host urn}@…`).
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration
from icalendar.enums import STATUS

from contracts.placements import PlacementSwapStatus
from contracts.vocabulary import ActivityStatus
from services.events.domain.activity import Activity
from services.events.domain.placement_swap import Placement

PRODID = "-//School Partnerships//Events//EN"
UID_DOMAIN = "school-partnerships"
REFRESH = timedelta(hours=1)
MEDIA_TYPE = "text/calendar; charset=utf-8"

_WORDS = {"stem": "STEM", "send": "SEND", "cpd": "CPD", "teachmeet": "TeachMeet"}


def session_uid(activity_id: str, session_index: int) -> str:
    return f"{activity_id}-{session_index}@{UID_DOMAIN}"


def _label(value: str) -> str:
    """`teacher_development` -> `Teacher development`; acronyms kept."""
    words = [_WORDS.get(w, w) for w in value.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def _utc(moment: datetime) -> datetime:
    """Naive times are taken as UTC (as the API stores them)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _description(activity: Activity, index: int, billed: list[str]) -> str:
    d = activity.details
    lines = [f"{_label(d.category.value)} · {_label(d.format.value)}", *billed]
    if len(d.sessions) > 1:
        lines.append(f"Session {index + 1} of {len(d.sessions)}")
    if d.venue and d.online_url:
        lines.append(f"Online: {d.online_url}")
    if activity.status == ActivityStatus.CANCELLED:
        lines.append("This activity has been cancelled.")
    return "\n".join(lines)


def session_events(
    activity: Activity, *, base_url: str, stamp: datetime, billed: Sequence[str] = ()
) -> list[Event]:
    """The VEVENTs of an activity, one per session."""
    d = activity.details
    status = STATUS.CANCELLED if activity.status == ActivityStatus.CANCELLED else STATUS.CONFIRMED
    url = f"{base_url.rstrip('/')}/activities/{activity.id}" if base_url else None
    return [
        Event.new(
            uid=session_uid(activity.id, index),
            sequence=activity.sequence,
            status=status,
            stamp=_utc(stamp),
            start=_utc(session.starts_at),
            end=_utc(session.ends_at),
            summary=d.title,
            location=d.venue or (str(d.online_url) if d.online_url else None),
            description=_description(activity, index, list(billed)),
            categories=[_label(d.category.value)],
            url=url,
        )
        for index, session in enumerate(d.sessions)
    ]


PLACEMENT_STATUS = {
    PlacementSwapStatus.PROPOSED: STATUS.TENTATIVE,
    PlacementSwapStatus.AGREED: STATUS.CONFIRMED,
    PlacementSwapStatus.COMPLETED: STATUS.CONFIRMED,
    PlacementSwapStatus.CANCELLED: STATUS.CANCELLED,
}


def placement_event(placement: Placement, *, stamp: datetime) -> Event:
    """The visitor's days at the host school (DTEND is the day after the last)."""
    leg = placement.leg
    return Event.new(
        uid=f"{placement.swap_id}-{leg.host_urn}@{UID_DOMAIN}",
        sequence=placement.sequence,
        status=PLACEMENT_STATUS[placement.status],
        stamp=_utc(stamp),
        start=leg.starts_on,
        end=leg.ends_on + timedelta(days=1),
        summary=f"Placement swap at {placement.host_name}",
        location=placement.host_name,
        description=f"Trainee placement swap ({placement.status.value})",
        categories=[_label("teacher_development")],
    )


def render(
    name: str,
    activities: Iterable[Activity],
    *,
    calendar_uid: str,
    billed: Mapping[str, list[str]] | None = None,
    placements: Iterable[Placement] = (),
    base_url: str = "",
    now: datetime | None = None,
) -> bytes:
    """The iCalendar document, named `name` (X-WR-CALNAME and NAME), ready to serve."""
    stamp = now or datetime.now(UTC)
    calendar = Calendar.new(
        name=name,
        prodid=PRODID,
        method="PUBLISH",
        calscale="GREGORIAN",
        uid=f"{calendar_uid}@{UID_DOMAIN}",
    )
    # How often a subscribing client should fetch again (RFC 7986, and Outlook's own property).
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for activity in activities:
        lines = (billed or {}).get(activity.id, [])
        for event in session_events(activity, base_url=base_url, stamp=stamp, billed=lines):
            calendar.add_component(event)
    for placement in placements:
        calendar.add_component(placement_event(placement, stamp=stamp))
    return bytes(calendar.to_ical())
