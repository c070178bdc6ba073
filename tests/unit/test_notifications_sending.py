"""The sender with the real Composer (Jinja2, email, icalendar: pure) and a fake SMTP relay: what
is sent, what is tried again, held or cancelled, what a message looks like, and the previews."""

from datetime import datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import icalendar
import pytest
from unit.fakes import coordinator, officer, teacher
from unit.notifications_fakes import (
    NOW,
    STARTS,
    A,
    FakeMailer,
    NotificationsFakeUnitOfWork,
    address_of,
    email,
    given_activity,
    reminder_leads,
    world,
)

from contracts import activities as ev
from contracts import notifications as events
from contracts.activities import Session
from contracts.vocabulary import BookingStatus
from eventkit.errors import Forbidden
from services.notifications.adapters import unsubscribe_tokens
from services.notifications.adapters.compose import Composer, Links
from services.notifications.domain.bookings import BookingCopy
from services.notifications.domain.mail import Mail, MailState
from services.notifications.domain.preferences import Category, Frequency, Preferences, QuietHours
from services.notifications.service_layer import people, rules
from services.notifications.service_layer.preview import RULES, preview
from services.notifications.service_layer.sending import LEASE, Sender

SECRET = "unit-test-secret-unit-test-secret"
PUBLIC_URL = "https://partnerships.example/notifications"
WAITS = [60.0, 300.0]
SECOND = timedelta(seconds=1)
S = BookingStatus
ANN, BOB = email("ann"), email("bob")


def composer() -> Composer:
    links = Links(PUBLIC_URL, unsubscribe_tokens.signer(SECRET))
    return Composer("School partnerships <noreply@partnerships.example>", links)


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def sender(mailer: FakeMailer) -> Sender:
    return Sender(mailer, composer(), batch_size=10, retry_seconds=WAITS)


@pytest.fixture
async def uow() -> NotificationsFakeUnitOfWork:
    """act1 starts at STARTS; ann (b1) and bob (b2) of school A have places."""
    uow = await world()
    await given_activity(uow)
    async with uow:
        for booking_id, person in (("b1", "ann"), ("b2", "bob")):
            await uow.bookings.put_booking(
                BookingCopy(
                    id=booking_id,
                    activity_id="act1",
                    urn=A,
                    person_id=person,
                    status=S.REGISTERED,
                )
            )
        await uow.commit()
    return uow


FACTS: dict[str, dict[str, object]] = {  # what the rules put in these mails' facts
    "reminder": {"lead": "tomorrow", "lead_seconds": 86400.0},
    "waitlist_offer": {"reason": None, "offer_expires_at": (NOW + timedelta(hours=48)).isoformat()},
    "booking_cancelled": {"reason": None, "offer_expires_at": None},
    "activity_cancelled": {"reason": "Snow"},
}


def mail(
    rule: rules.Rule = rules.REGISTERED,
    person: str = "ann",
    booking_id: str = "b1",
    occurrence: str = "registered",
    **fields: object,
) -> Mail:
    """A mail as the rule makes it, about act1 and the booking, with the facts it gives."""
    made = rule.mail(
        person,
        booking_id,
        occurrence,
        NOW,
        activity_id="act1",
        booking_id=booking_id,
        facts=FACTS.get(str(rule.name)),
    )
    return made.model_copy(update=fields)


async def queued(uow: NotificationsFakeUnitOfWork, *mails: Mail) -> list[str]:
    async with uow:
        await uow.mailbox.queue(mails)
        await uow.commit()
    return [m.id for m in mails]


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None, "both plain text and HTML"
    return str(text.get_content()), str(html.get_content())


def invitation(message: EmailMessage) -> icalendar.Calendar:
    [attachment] = [a for a in message.iter_attachments() if a.get_filename() == "invite.ics"]
    return icalendar.Calendar.from_ical(attachment.get_content())


def about(mailer: FakeMailer, mail_id: str) -> list[EmailMessage]:
    return [m for m in mailer.sent if m["X-Partnerships-Mail"] == mail_id]


# -- sent, once ------------------------------------------------------------------------------------


async def test_a_due_mail_is_sent_once_marked_sent_and_told(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    [mail_id] = await queued(uow, mail())

    assert await sender.send_due(uow, NOW) == 1
    assert await sender.send_due(uow, NOW + LEASE * 2) == 0

    [message] = mailer.sent
    assert address_of(message) == ANN
    assert message["X-Partnerships-Mail"] == mail_id
    stored = uow.mail(mail_id)
    assert (stored.state, stored.sent_at, stored.attempts, stored.leased_until) == (
        MailState.SENT,
        NOW,
        1,
        None,
    )
    assert stored.subject_line == "You have a place: Maths TeachMeet" == message["Subject"]
    assert uow.published == [
        events.MessageSent(
            person_id="ann",
            mail_id=mail_id,
            rule="booking_registered",
            category="bookings",
            subject_id="b1",
            sent_at=NOW,
        )
    ]


async def test_a_mail_waits_for_its_time(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    at = STARTS - timedelta(days=1)
    [mail_id] = await queued(uow, mail(rules.REMINDER, occurrence="86400s", send_at=at))

    assert await sender.send_due(uow, at - SECOND) == 0
    assert mailer.tried == []
    assert uow.mail(mail_id).state == MailState.QUEUED

    assert await sender.send_due(uow, at) == 1


async def test_a_batch_takes_the_oldest_first_and_no_more_than_its_size(
    uow: NotificationsFakeUnitOfWork, mailer: FakeMailer
) -> None:
    small = Sender(mailer, composer(), batch_size=2, retry_seconds=WAITS)
    ids = await queued(
        uow,
        mail(occurrence="3", send_at=NOW - 1 * SECOND),
        mail(occurrence="1", send_at=NOW - 3 * SECOND),
        mail(person="bob", booking_id="b2", occurrence="2", send_at=NOW - 2 * SECOND),
    )

    assert await small.send_due(uow, NOW) == 2
    assert [m["X-Partnerships-Mail"] for m in mailer.sent] == [ids[1], ids[2]]
    assert uow.mail(ids[0]).state == MailState.QUEUED

    assert await small.send_due(uow, NOW) == 1


# -- tried again, held, cancelled -----------------------------------------------------------------


async def test_a_temporary_failure_is_tried_again_after_the_first_wait(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    [mail_id] = await queued(uow, mail())
    mailer.refuse(ANN, permanent=False, times=1)

    assert await sender.send_due(uow, NOW) == 0
    failed = uow.mail(mail_id)
    assert (failed.state, failed.retry_at, failed.attempts, failed.leased_until) == (
        MailState.FAILED,
        NOW + timedelta(seconds=WAITS[0]),
        1,
        None,
    )
    assert failed.error == "421 4.3.2 try again later"
    assert uow.published == []

    assert await sender.send_due(uow, NOW + timedelta(seconds=WAITS[0]) - SECOND) == 0
    assert len(mailer.tried) == 1

    assert await sender.send_due(uow, NOW + timedelta(seconds=WAITS[0])) == 1
    sent = uow.mail(mail_id)
    assert (sent.state, sent.attempts, sent.error, sent.retry_at) == (MailState.SENT, 2, None, None)
    assert [type(e) for e in uow.published] == [events.MessageSent]


async def test_a_mail_that_keeps_failing_fails_for_good_after_the_waits(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    [mail_id] = await queued(uow, mail())
    mailer.refuse(ANN, permanent=False)

    at = NOW
    for wait in WAITS:
        assert await sender.send_due(uow, at) == 0
        assert uow.mail(mail_id).retry_at == at + timedelta(seconds=wait)
        at += timedelta(seconds=wait)
    assert await sender.send_due(uow, at) == 0  # the last try

    gone = uow.mail(mail_id)
    assert (gone.state, gone.retry_at, gone.attempts) == (MailState.FAILED, None, len(WAITS) + 1)
    assert await sender.send_due(uow, at + timedelta(days=30)) == 0
    assert len(mailer.tried) == len(WAITS) + 1
    assert uow.recipient("ann").hold is None, "a temporary failure puts no hold on the address"
    assert uow.published == []


async def test_a_permanent_failure_holds_the_address_and_later_mail_to_it(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    [first] = await queued(uow, mail())
    mailer.refuse(ANN, permanent=True)

    assert await sender.send_due(uow, NOW) == 0

    refused = uow.mail(first)
    assert refused.state == MailState.HELD
    assert refused.error == "refused for good: 550 5.1.1 mailbox unavailable"
    hold = uow.recipient("ann").hold
    assert hold is not None
    assert (hold.since, hold.reason) == (NOW, "550 5.1.1 mailbox unavailable")
    assert uow.published == [
        events.AddressHeld(person_id="ann", mail_id=first, held_at=NOW, subject_id="b1")
    ]

    later = NOW + timedelta(hours=1)
    [second, bobs] = await queued(
        uow,
        mail(rules.REMINDER, occurrence="86400s", send_at=later),
        mail(person="bob", booking_id="b2", send_at=later),
    )
    tried = len(mailer.tried)
    assert await sender.send_due(uow, later) == 1

    assert len(mailer.tried) == tried + 1, "only bob's mail was handed to the relay"
    assert mailer.to(BOB) != []
    held = uow.mail(second)
    assert (held.state, held.error) == (
        MailState.HELD,
        "the address is on hold: 550 5.1.1 mailbox unavailable",
    )
    assert uow.mail(bobs).state == MailState.SENT
    async with uow:
        assert [r.id for r in await people.held_addresses(uow, officer())] == ["ann"]


async def test_once_the_hold_is_cleared_new_mail_goes_and_held_mail_stays_held(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    [held] = await queued(uow, mail())
    mailer.refuse(ANN, permanent=True)
    await sender.send_due(uow, NOW)
    mailer = FakeMailer()  # the mailbox works again
    sender = Sender(mailer, composer(), batch_size=10, retry_seconds=WAITS)

    await people.clear_hold(uow, officer(), "ann")
    [new] = await queued(uow, mail(rules.REMINDER, occurrence="86400s"))

    assert await sender.send_due(uow, NOW + LEASE * 2) == 1
    assert [m["X-Partnerships-Mail"] for m in mailer.sent] == [new]
    assert uow.mail(held).state == MailState.HELD
    assert uow.recipient("ann").hold is None
    assert [type(e) for e in uow.published] == [
        events.AddressHeld,
        events.AddressReleased,
        events.MessageSent,
    ]


async def test_mail_for_an_erased_or_unknown_person_is_cancelled_unsent(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    async with uow:
        await uow.recipients.erase("ann")
        await uow.commit()
    [erased, unknown] = await queued(uow, mail(), mail(person="zed"))

    assert await sender.send_due(uow, NOW) == 0

    assert mailer.tried == []
    for mail_id in (erased, unknown):
        cancelled = uow.mail(mail_id)
        assert (cancelled.state, cancelled.error) == (
            MailState.CANCELLED,
            "no address for this person (erased, or not known)",
        )
    assert uow.published == []


async def test_a_muted_category_is_cancelled_but_critical_mail_still_goes(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    await people.unsubscribe(uow, "ann", Category.BOOKINGS)
    [muted, critical, other] = await queued(
        uow,
        mail(),
        mail(rules.OFFERED, occurrence="offered"),
        mail(rules.REMINDER, occurrence="86400s"),
    )

    assert await sender.send_due(uow, NOW) == 2

    assert (uow.mail(muted).state, uow.mail(muted).error) == (
        MailState.CANCELLED,
        "bookings mail is turned off",
    )
    assert uow.mail(critical).state == uow.mail(other).state == MailState.SENT
    assert sorted(m["X-Partnerships-Mail"] for m in mailer.sent) == sorted([critical, other])


async def test_all_muted_leaves_only_critical_mail(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    await people.unsubscribe(uow, "ann", None)
    [reminder, cancelled] = await queued(
        uow,
        mail(rules.REMINDER, occurrence="86400s"),
        mail(rules.ACTIVITY_CANCELLED, occurrence="cancelled"),
    )

    assert await sender.send_due(uow, NOW) == 1

    assert uow.mail(reminder).state == MailState.CANCELLED
    assert [m["X-Partnerships-Mail"] for m in mailer.sent] == [cancelled]


# -- leases ----------------------------------------------------------------------------------------


async def test_a_mail_claimed_by_a_sender_that_died_is_claimed_again_when_its_lease_ends(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    [mail_id] = await queued(uow, mail())
    async with uow:  # another sender claims it, then dies before sending
        [claimed] = await uow.mailbox.claim_due(NOW, 10, NOW + LEASE)
        await uow.commit()
    assert (claimed.state, claimed.attempts) == (MailState.SENDING, 1)

    assert await sender.send_due(uow, NOW + LEASE - SECOND) == 0
    assert mailer.tried == []

    assert await sender.send_due(uow, NOW + LEASE) == 1
    assert len(mailer.sent) == 1
    sent = uow.mail(mail_id)
    assert (sent.state, sent.attempts, sent.leased_until) == (MailState.SENT, 2, None)


async def test_a_batch_slower_than_its_lease_is_not_sent_twice_by_a_second_sender(
    uow: NotificationsFakeUnitOfWork, mailer: FakeMailer
) -> None:
    """Each mail's lease is renewed as its turn comes, so a second instance polling after the
    batch's first lease ran out finds nothing of it to take."""
    await queued(uow, mail(send_at=NOW - SECOND), mail(person="bob", booking_id="b2"))
    clock = [NOW]
    first = Sender(mailer, composer(), batch_size=10, retry_seconds=WAITS, clock=lambda: clock[0])
    other = Sender(mailer, composer(), batch_size=10, retry_seconds=WAITS)
    other_uow = NotificationsFakeUnitOfWork(uow.store)  # a second instance, same database

    async def slow_relay(message: EmailMessage) -> None:
        if address_of(message) == ANN:
            clock[0] = NOW + LEASE - SECOND  # ann's mail took nearly the whole lease
        elif address_of(message) == BOB and mailer.before_send is not None:
            mailer.before_send = None
            await other.send_due(other_uow, NOW + LEASE + SECOND)  # its poll comes round

    mailer.before_send = slow_relay
    await first.send_due(uow)

    assert len(mailer.to(ANN)) == 1
    assert len(mailer.to(BOB)) == 1, "bob's mail went out twice"


async def test_a_mail_that_cannot_be_composed_does_not_stop_the_rest_of_the_batch(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    orphan = mail(send_at=NOW - SECOND).model_copy(update={"activity_id": "act-unknown"})
    [_, bobs] = await queued(uow, orphan, mail(person="bob", booking_id="b2"))

    await sender.send_due(uow, NOW)

    assert uow.mail(bobs).state == MailState.SENT
    assert uow.mail(orphan.id).state != MailState.SENDING


# -- what a message looks like -------------------------------------------------------------------


async def sent_one(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer, made: Mail
) -> EmailMessage:
    await queued(uow, made)
    await sender.send_due(uow, NOW)
    [message] = about(mailer, made.id)
    return message


HEADERS = [
    "Subject",
    "From",
    "To",
    "Date",
    "Message-ID",
    "X-Partnerships-Mail",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Content-Type",
]


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        (  # what the events domain lets through (no Cc or Cf characters, but Zl, Zp, Zs)
            "Maths\u2028TeachMeet\u2029  for\u00a0\u3000all ",
            "You have a place: Maths TeachMeet for all",
        ),
        (  # and what it would not
            "Maths\r\nBcc: all@county.example\r\n\r\nTeachMeet\tfor\x0ball",
            "You have a place: Maths Bcc: all@county.example TeachMeet for all",
        ),
    ],
)
async def test_a_title_with_line_breaks_or_odd_spaces_stays_one_header_line(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer, title: str, subject: str
) -> None:
    await given_activity(uow, title=title)
    async with uow:
        await uow.recipients.describe("ann", name="Ann\r\nCc: x@county.example Able", email=ANN)
        await uow.commit()

    raw = (await sent_one(uow, sender, mailer, mail())).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)  # as the receiving server reads it

    assert sorted(parsed.keys()) == sorted(HEADERS), "no header added, none duplicated"
    assert parsed["Subject"] == subject
    [to] = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Ann Cc: x@county.example Able", ANN)


async def test_a_message_has_text_and_html_and_the_html_escapes_the_title(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    await given_activity(uow, title="<script>alert('x')</script> Robotics & Co")

    text, html = parts(await sent_one(uow, sender, mailer, mail()))

    assert text.startswith("Dear Ann,")
    assert "You have a place at <script>alert('x')</script> Robotics & Co." in text
    assert "When: Monday 16 March 2026, 9am" in text
    assert "Where: King's Ely, Ely" in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Robotics &amp; Co" in html
    assert "<p>Dear Ann,</p>" in html


async def test_what_may_be_turned_off_carries_one_click_unsubscribe_headers(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    message = await sent_one(uow, sender, mailer, mail())

    link = str(message["List-Unsubscribe"])
    assert link.startswith(f"<{PUBLIC_URL}/unsubscribe?token=") and link.endswith(">")
    token = link[1:-1].split("token=", 1)[1]
    assert unsubscribe_tokens.read(SECRET, token) == ("ann", "bookings")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # on the wire the link is the URI itself, as mail programs read it (not encoded words)
    assert f"List-Unsubscribe: {link}".encode() in message.as_bytes()
    text, html = parts(message)
    assert f"Stop mail like this: {link[1:-1]}" in text
    assert "Stop all mail that can be stopped" in html


async def test_critical_mail_has_no_unsubscribe_headers(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    message = await sent_one(uow, sender, mailer, mail(rules.OFFERED, occurrence="offered"))

    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    text, _ = parts(message)
    assert "whatever your settings" in text
    assert "unsubscribe" not in text


async def test_a_place_comes_with_an_invitation_and_a_cancellation_takes_it_out(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    placed = invitation(await sent_one(uow, sender, mailer, mail()))
    cancelled = invitation(
        await sent_one(uow, sender, mailer, mail(rules.CANCELLED, occurrence="cancelled"))
    )

    assert placed["METHOD"] == "REQUEST" and cancelled["METHOD"] == "CANCEL"
    [request] = placed.walk("VEVENT")
    [cancel] = cancelled.walk("VEVENT")
    assert str(request["UID"]) == str(cancel["UID"]) == "b1-1@school-partnerships"
    assert (request["SEQUENCE"], cancel["SEQUENCE"]) == (0, 1)
    assert (str(request["STATUS"]), str(cancel["STATUS"])) == ("CONFIRMED", "CANCELLED")
    assert request.decoded("DTSTART") == STARTS
    assert str(request["ATTENDEE"]) == f"mailto:{ANN}"


async def test_a_reschedule_sends_the_invitation_again_with_the_new_sequence(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    moved_to = STARTS + timedelta(days=7)
    event = ev.ActivityRescheduled(
        activity_id="act1",
        sessions=[Session(starts_at=moved_to, ends_at=moved_to + timedelta(hours=2))],
        sequence=2,
    )
    async with uow:
        await rules.Rules(reminder_leads()).rescheduled(uow, event, NOW)
        await uow.commit()
    await sender.send_due(uow, NOW)

    [message] = about(mailer, "activity_rescheduled:ann:b1:2")
    assert message["Subject"] == "New date: Maths TeachMeet"
    [vevent] = invitation(message).walk("VEVENT")
    assert (vevent["SEQUENCE"], vevent.decoded("DTSTART")) == (2, moved_to)


async def test_a_reschedule_puts_nothing_in_the_calendar_of_someone_on_the_waiting_list(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    async with uow:
        bobs = await uow.bookings.booking("b2")
        assert bobs is not None
        await uow.bookings.put_booking(bobs.model_copy(update={"status": S.WAITLISTED}))
        await uow.commit()
    event = ev.ActivityRescheduled(
        activity_id="act1",
        sessions=[Session(starts_at=STARTS + SECOND, ends_at=STARTS + timedelta(hours=2))],
        sequence=1,
    )
    async with uow:
        await rules.Rules(reminder_leads()).rescheduled(uow, event, NOW)
        await uow.commit()
    await sender.send_due(uow, NOW)

    for message in about(mailer, "activity_rescheduled:bob:b2:1"):
        assert [a.get_filename() for a in message.iter_attachments()] == []


# -- previews --------------------------------------------------------------------------------------


def test_every_rule_has_a_template_and_every_template_a_rule() -> None:
    assert sorted(RULES) == composer().rules()
    assert len(RULES) == len(rules.RuleName) == 30


def _name(rule: rules.Rule) -> str:
    return str(rule.name)


EVERY_RULE = sorted(RULES.values(), key=_name)


@pytest.mark.parametrize("rule", EVERY_RULE, ids=_name)
def test_a_preview_shows_every_rules_mail(rule: rules.Rule) -> None:
    subject, text, html, attachments = preview(composer(), coordinator("p1"), rule.name)

    assert subject and subject == " ".join(subject.split())
    if rule.name == "announcement":
        assert subject == "Spring term TeachMeets: save the dates"  # the coordinator's words
    elif rule.name.startswith("case_study_"):
        assert "Older pupils lead younger pupils in debating" in subject  # the case study
    elif rule.name.startswith("support_"):
        assert subject.startswith("School-to-school support: ")
    elif rule.name == "county_report":
        assert subject == "County report for November 2026 (886, 887)"
    elif rule.name == "board_action_assigned":
        assert subject == "A board action is yours, due 31 March 2027"
    elif rule.name == "peer_review_planned":
        assert subject == "Peer review of school 110001: visit on 15 March 2027 and 16 March 2027"
    elif rule.name.startswith("placement_swap_"):
        assert "placement swap" in subject and "18 January 2027" in text
    elif rule.name != "membership_invitation":
        assert "Maths TeachMeet" in subject, "the subject names the activity"
    assert text.startswith("Dear Sam Sample,")
    assert f'<h1 style="font-size:27px;margin:0 0 16px;">{subject}</h1>' in html
    assert attachments == (["invite.ics"] if rule.calendar else [])


def test_every_rule_has_its_own_subject() -> None:
    subjects = {name: preview(composer(), officer(), r.name)[0] for name, r in RULES.items()}

    assert len(set(subjects.values())) == len(RULES), subjects


def test_only_coordinators_and_officers_preview() -> None:
    assert preview(composer(), officer(), rules.REMINDER.name)[0]
    with pytest.raises(Forbidden):
        preview(composer(), teacher(A), rules.REMINDER.name)


# -- digests and quiet hours -----------------------------------------------------------------------


async def prefer(uow: NotificationsFakeUnitOfWork, person: str, **fields: object) -> None:
    async with uow:
        await uow.preferences.save(Preferences(person_id=person, **fields))  # type: ignore[arg-type]
        await uow.commit()


async def test_a_daily_digest_gathers_the_days_mail_into_one_message_and_critical_mail_goes_at_once(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    await prefer(
        uow,
        "ann",
        frequency={Category.BOOKINGS: Frequency.DAILY, Category.REMINDERS: Frequency.DAILY},
    )
    registered = mail()
    reminded = mail(rules.REMINDER, occurrence="86400s")
    offer = mail(rules.OFFERED, occurrence="offered")  # critical: never waits
    await queued(uow, registered, reminded, offer)

    await sender.send_due(uow, NOW)
    [at_once] = mailer.to(ANN)
    assert at_once["Subject"].startswith("A place is free for you")
    digest_at = datetime(2026, 3, 3, 7, 0, tzinfo=ZoneInfo("Europe/London"))
    assert {
        m.id: (m.state, m.send_at, m.digest)
        for m in (uow.mail(registered.id), uow.mail(reminded.id))
    } == {
        registered.id: (MailState.DEFERRED, digest_at, True),
        reminded.id: (MailState.DEFERRED, digest_at, True),
    }

    await sender.send_due(uow, digest_at - SECOND)
    assert len(mailer.to(ANN)) == 1  # not before its time
    await sender.send_due(uow, digest_at)
    [_, digest] = mailer.to(ANN)
    assert digest["Subject"] == "Your partnership digest: 2 updates"
    text = digest.get_body(("plain",)).get_content()
    assert "You have a place: Maths TeachMeet" in text and "Reminder: Maths TeachMeet" in text
    assert [a.get_filename() for a in digest.iter_attachments()] == ["invite.ics"]
    assert digest["List-Unsubscribe"] is not None  # nothing critical in a digest
    sent = [uow.mail(registered.id), uow.mail(reminded.id)]
    assert {m.state for m in sent} == {MailState.SENT}
    assert {m.digest_id for m in sent} == {str(digest["X-Partnerships-Mail"])}
    await sender.send_due(uow, digest_at + timedelta(days=1))
    assert len(mailer.to(ANN)) == 2  # an empty digest is never sent


async def test_a_digest_whose_mail_was_all_turned_off_meanwhile_is_not_sent(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    await prefer(uow, "ann", frequency={Category.BOOKINGS: Frequency.WEEKLY})
    registered = mail()
    await queued(uow, registered)
    await sender.send_due(uow, NOW)
    monday = uow.mail(registered.id).send_at
    assert monday.astimezone(ZoneInfo("Europe/London")).weekday() == 0  # weekly: on a Monday
    await prefer(
        uow, "ann", frequency={Category.BOOKINGS: Frequency.WEEKLY}, muted=[Category.BOOKINGS]
    )

    await sender.send_due(uow, monday)
    assert mailer.to(ANN) == []
    assert uow.mail(registered.id).state == MailState.CANCELLED


async def test_quiet_hours_defer_mail_to_their_end_and_never_drop_it(
    uow: NotificationsFakeUnitOfWork, sender: Sender, mailer: FakeMailer
) -> None:
    quiet = QuietHours(starts=time(21, 0), ends=time(7, 0))
    await prefer(uow, "ann", quiet_hours=quiet, time_zone="Europe/London")
    late = datetime(2026, 3, 2, 22, 30, tzinfo=ZoneInfo("Europe/London"))
    registered = mail(queued_at=late, send_at=late)
    cancelled = mail(rules.CANCELLED, occurrence="cancelled", queued_at=late, send_at=late)
    await queued(uow, registered, cancelled)

    await sender.send_due(uow, late)
    assert [m["Subject"] for m in mailer.to(ANN)] == ["Booking cancelled: Maths TeachMeet"]
    morning = datetime(2026, 3, 3, 7, 0, tzinfo=ZoneInfo("Europe/London"))
    assert (uow.mail(registered.id).state, uow.mail(registered.id).send_at) == (
        MailState.DEFERRED,
        morning,
    )
    await sender.send_due(uow, morning)
    assert [m["Subject"] for m in mailer.to(ANN)][1] == "You have a place: Maths TeachMeet"


def test_quiet_hours_over_midnight_and_within_a_day() -> None:
    london = ZoneInfo("Europe/London")
    night = Preferences(person_id="p", quiet_hours=QuietHours(starts=time(21), ends=time(7)))
    assert night.quiet_until(datetime(2026, 3, 2, 12, 0, tzinfo=london)) is None
    assert night.quiet_until(datetime(2026, 3, 2, 6, 59, tzinfo=london)) == datetime(
        2026, 3, 2, 7, 0, tzinfo=london
    )
    lunch = Preferences(person_id="p", quiet_hours=QuietHours(starts=time(12), ends=time(13)))
    assert lunch.quiet_until(datetime(2026, 3, 2, 12, 30, tzinfo=london)) == datetime(
        2026, 3, 2, 13, 0, tzinfo=london
    )
    assert lunch.quiet_until(datetime(2026, 3, 2, 13, 0, tzinfo=london)) is None
    with pytest.raises(ValueError):
        Preferences(person_id="p", time_zone="Mars/Olympus")
