"""A mail as a message: its rule's Jinja2 template for the words, one layout for plain text and
one (autoescaped) for HTML, the invitation attached, and the RFC 8058 one-click unsubscribe
headers on what may be turned off."""

import email.policy
from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifications.adapters import calendar
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Mail
from services.notifications.domain.recipients import Recipient

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HEADERS_ON_ONE_LINE = email.policy.default.clone(max_line_length=998)
"""RFC 5322's hard limit: the default (78) folds a long unsubscribe link into encoded words,
which mail programs do not read as the URI RFC 8058 one-click needs."""
LONDON = ZoneInfo("Europe/London")


def moment(value: datetime | str | None) -> str:
    """A time as people in England read it: `Tuesday 8 December 2026, 4:30pm`."""
    if value is None:
        return "to be confirmed"
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = at.astimezone(LONDON)
    hour = local.strftime("%I:%M%p").lstrip("0").lower().replace(":00", "")
    return f"{local:%A} {local.day} {local:%B %Y}, {hour}"


def one_line(text: str) -> str:
    """No line breaks or control characters: what goes in a header can never add one."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


class Composer:
    def __init__(self, mail_from: str, links: "Links") -> None:
        self.mail_from = mail_from
        self.links = links
        loader = FileSystemLoader(TEMPLATES)
        self._text = Environment(loader=loader, autoescape=False, undefined=StrictUndefined)
        self._html = Environment(
            loader=loader, autoescape=select_autoescape(["html"]), undefined=StrictUndefined
        )
        for env in (self._text, self._html):
            env.filters["moment"] = moment

    def rules(self) -> list[str]:
        return sorted(p.stem for p in (TEMPLATES / "mail").glob("*.txt"))

    def words(
        self,
        mail: Mail,
        recipient: Recipient,
        activity: ActivityCopy | None,
        booking: BookingCopy | None,
        names: Mapping[str, str],
    ) -> tuple[str, str]:
        """The subject line and the body (plain text, paragraphs apart). `names`: person id ->
        name, for the person booked (`booked_by`) and the person a mail is about."""
        context = {
            "recipient": recipient,
            "activity": activity,
            "booking": booking,
            "booked_by": names.get(booking.person_id or "", "") if booking else "",
            "facts": mail.facts,
            "names": names,
            "when": _when(activity),
            "where": (activity.venue or activity.online_url or "to be confirmed")
            if activity
            else "",
        }
        module = self._text.get_template(f"mail/{mail.rule}.txt").make_module(context)
        return one_line(str(getattr(module, "subject", mail.rule))), str(module).strip()

    def message(
        self,
        mail: Mail,
        recipient: Recipient,
        activity: ActivityCopy | None,
        booking: BookingCopy | None,
        names: Mapping[str, str],
        *,
        now: datetime,
    ) -> EmailMessage:
        subject, body = self.words(mail, recipient, activity, booking, names)
        category = None if mail.critical else mail.category.value
        return self._build(
            mail.id, subject, body, recipient, category, [(mail, activity, booking)], now=now
        )

    def digest(
        self,
        items: list[tuple[Mail, ActivityCopy | None, BookingCopy | None]],
        recipient: Recipient,
        names: Mapping[str, str],
        *,
        now: datetime,
    ) -> EmailMessage:
        """One message with each mail's words under its own subject, oldest first."""
        ordered = sorted(items, key=lambda item: item[0].queued_at)
        sections = []
        for mail, activity, booking in ordered:
            subject, body = self.words(mail, recipient, activity, booking, names)
            sections.append(f"{subject}\n\n{body}")
        count = len(ordered)
        subject = f"Your partnership digest: {count} update{'s' if count != 1 else ''}"
        first = ordered[0][0]
        key = f"digest:{recipient.id}:{first.send_at.isoformat()}:{first.id[-12:]}"
        return self._build(key, subject, "\n\n".join(sections), recipient, "all", ordered, now=now)

    def _build(
        self,
        key: str,
        subject: str,
        body: str,
        recipient: Recipient,
        unsubscribe: str | None,
        items: list[tuple[Mail, ActivityCopy | None, BookingCopy | None]],
        *,
        now: datetime,
    ) -> EmailMessage:
        """`unsubscribe`: the category its one-click link stops, `all`, or None (critical)."""
        context: dict[str, Any] = {
            "subject": subject,
            "greeting": f"Dear {one_line(recipient.name) or 'colleague'},",
            "body": body,
            "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
            "critical": unsubscribe is None,
            "unsubscribe_category": self.links.unsubscribe(
                recipient.id, None if unsubscribe in (None, "all") else unsubscribe
            ),
            "unsubscribe_all": self.links.unsubscribe(recipient.id, None),
        }
        message = EmailMessage(policy=HEADERS_ON_ONE_LINE)
        message["Subject"] = subject
        message["From"] = self.mail_from
        message["To"] = Address(display_name=one_line(recipient.name), addr_spec=recipient.email)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid(
            idstring=key.replace(":", ".")[:60], domain="school-partnerships"
        )
        message["X-Partnerships-Mail"] = key
        if unsubscribe is not None:
            message["List-Unsubscribe"] = f"<{context['unsubscribe_category']}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(self._text.get_template("layouts/message.txt").render(context))
        message.add_alternative(
            self._html.get_template("layouts/message.html").render(context), subtype="html"
        )
        invites = 0
        for mail, activity, booking in items:
            if not (mail.calendar and activity and booking and activity.sessions):
                continue
            invites += 1
            invite = calendar.invitation(
                mail.calendar,
                activity,
                booking,
                organizer=parseaddr(self.mail_from)[1],
                attendee=recipient.email,
                now=now,
            )
            message.add_attachment(
                invite,
                maintype="text",
                subtype="calendar",
                filename="invite.ics" if invites == 1 else f"invite-{invites}.ics",
                params={"method": mail.calendar.value},
            )
        return message


def _when(activity: ActivityCopy | None) -> str:
    if activity is None or not activity.sessions:
        return "to be confirmed"
    return "; ".join(moment(s.starts_at) for s in activity.sessions)


class Links:
    """Addresses in mail: signed one-click unsubscribe links that work without signing in."""

    def __init__(self, public_url: str, sign: Any) -> None:
        self.public_url = public_url.rstrip("/")
        self._sign = sign

    def unsubscribe(self, person_id: str, category: str | None) -> str:
        return f"{self.public_url}/unsubscribe?token={self._sign(person_id, category)}"
