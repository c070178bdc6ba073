"""Any mail with sample data, as it would be sent: for coordinators and officers to read."""

from datetime import UTC, datetime, timedelta

from contracts.activities import Session
from contracts.vocabulary import BookingStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.recipients import Recipient
from services.notifications.service_layer import rules
from services.notifications.service_layer.ports import Composer

RULES = {rule.name: rule for rule in vars(rules).values() if isinstance(rule, rules.Rule)}


def preview(
    composer: Composer, principal: Principal, rule_name: rules.RuleName
) -> tuple[str, str, str, list[str]]:
    """Subject, plain text, HTML, and the names of the attachments."""
    if not (principal.county_wide or principal.role == Role.PARTNERSHIP_COORDINATOR):
        raise Forbidden("only a coordinator or a county officer previews mail")
    rule = RULES[rule_name]
    now = datetime.now(UTC).replace(microsecond=0)
    starts = (now + timedelta(days=14)).replace(hour=16, minute=0)
    activity = ActivityCopy(
        id="sample-activity",
        title="Maths TeachMeet",
        format="teachmeet",
        partnership_id="sample-partnership",
        venue="King's Ely, Ely",
        sessions=[Session(starts_at=starts, ends_at=starts + timedelta(hours=2))],
    )
    booking = BookingCopy(
        id="sample-booking",
        activity_id=activity.id,
        urn="110001",
        person_id="sample-person",
        status=BookingStatus.REGISTERED,
    )
    recipient = Recipient(id="sample-person", name="Sam Sample", email="sam.sample@school.example")
    facts = {
        "offer_expires_at": (now + timedelta(hours=48)).isoformat(),
        "reason": "The hall is closed",
        "lead": "tomorrow",
        "booked": 4,
        "minimum_numbers": 10,
        "booking_closes_at": (starts - timedelta(days=3)).isoformat(),
        "urn": "110001",
        "title": "Older pupils lead younger pupils in debating",
        "summary": "Secondary debaters coach primary pupils; both grow in confidence.",
        "note": "Say how you measured the impact.",
        "requesting_urn": "110001",
        "supporting_urn": "110002",
        "objectives": ["Raise attainment in maths"],
        "starts_on": "2027-01-04",
        "ends_on": "2027-03-26",
        "visits_planned": 4,
        "month_name": "November 2026",
        "local_authorities": "886, 887",
        "partnerships": 3,
        "activities": 12,
        "schools_taking_part": 19,
        "staff_reached": 64,
        "pupils_reached": 410,
        "cpd_hours": 118.5,
        "support_agreed": 2,
        "case_studies_published": 1,
        "report_url": "https://reports.example/county/report.pdf?term=2026-autumn",
        "due_on": "31 March 2027",
        "meeting_id": "sample-meeting",
        "reviewed_urn": "110001",
        "visit_dates": "15 March 2027 and 16 March 2027",
        "focus_areas": 3,
        "legs": "school 110001 hosts a visitor from school 110002 from 18 January 2027 to 22 "
        "January 2027; school 110002 hosts a visitor from school 110001 from 1 February 2027 to "
        "5 February 2027",
        "role": "speaker",
        "status": "confirmed",
        "person_id": "sample-person",
        "subject": "Spring term TeachMeets: save the dates",
        "body": "Dear colleagues,\n\nThe spring programme is out: three TeachMeets and a "
        "leadership day. Book early, places go fast.",
    }
    mail = rule.mail(
        recipient.id,
        booking.id,
        "preview",
        now,
        activity_id=activity.id,
        booking_id=booking.id,
        facts=facts,
    )
    names = {booking.person_id or "": "Alex Example"}
    message = composer.message(mail, recipient, activity, booking, names, now=now)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    attachments = [str(part.get_filename()) for part in message.iter_attachments()]
    return (
        str(message["Subject"]),
        text.get_content() if text else "",
        html.get_content() if html else "",
        attachments,
    )
