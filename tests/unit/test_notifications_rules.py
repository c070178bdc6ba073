"""What each event of events and membership queues in the notifications mail outbox: who gets
which mail, under which permanent key, and what happens to reminders. Rules driven directly with
in-memory fakes, each event handled in a unit of work as the consumer does."""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from unit.notifications_fakes import (
    NOW,
    P1,
    STARTS,
    A,
    B,
    NotificationsFakeUnitOfWork,
    given_activity,
    given_person,
    reminder_leads,
    role,
    world,
)

from contracts import activities as ev
from contracts import membership as m
from contracts import peer_review as pr
from contracts import people
from contracts import placements as pl
from contracts.activities import Session
from contracts.envelope import IntegrationEvent
from contracts.vocabulary import (
    ActivityCategory,
    ActivityFormat,
    ActivityStatus,
    BookingStatus,
    ContributorRole,
    MembershipRole,
    StaffRole,
)
from services.notifications.domain.mail import Calendar, Mail, MailState, mail_key
from services.notifications.domain.preferences import Category
from services.notifications.entrypoints.consumers import (
    events_consumer,
    membership_consumer,
    people_consumer,
)
from services.notifications.service_layer.rules import Rules

S = BookingStatus
RULES = Rules(reminder_leads())
WEEK, DAY = timedelta(days=7), timedelta(days=1)


@pytest.fixture
async def uow() -> NotificationsFakeUnitOfWork:
    uow = await world()
    await given_activity(uow)  # act1, a CPD course of P1 starting at STARTS (reminders 7d, 1d)
    return uow


async def handled(
    uow: NotificationsFakeUnitOfWork, handler: Callable[..., Awaitable[None]], *args: Any
) -> None:
    """As the consumer applies an event: the rule in the batch's unit of work, then commit."""
    async with uow:
        await handler(uow, *args)
        await uow.commit()


def placed(
    status: BookingStatus = S.REGISTERED,
    *,
    booking_id: str = "b1",
    person_id: str | None = "ann",
    urn: str = A,
    pupils: int = 0,
    activity_id: str = "act1",
) -> ev.BookingPlaced:
    return ev.BookingPlaced(
        activity_id=activity_id,
        booking_id=booking_id,
        urn=urn,
        person_id=person_id,
        pupils=pupils,
        status=status,
        places=pupils or 1,
    )


def changed(
    previous: BookingStatus,
    status: BookingStatus,
    *,
    booking_id: str = "b1",
    person_id: str | None = "ann",
    urn: str = A,
    reason: str | None = None,
    offer_expires_at: datetime | None = None,
) -> ev.BookingStatusChanged:
    return ev.BookingStatusChanged(
        activity_id="act1",
        booking_id=booking_id,
        urn=urn,
        person_id=person_id,
        previous=previous,
        status=status,
        reason=reason,
        offer_expires_at=offer_expires_at,
    )


def rescheduled(
    starts: datetime, sequence: int, reason: str | None = None
) -> ev.ActivityRescheduled:
    return ev.ActivityRescheduled(
        activity_id="act1",
        sessions=[Session(starts_at=starts, ends_at=starts + timedelta(hours=2))],
        sequence=sequence,
        reason=reason,
    )


def people_of(mails: list[Mail]) -> list[str]:
    return sorted(mail.person_id for mail in mails)


def reminders(uow: NotificationsFakeUnitOfWork, person_id: str | None = None) -> dict[str, Mail]:
    """The person's reminders by lead time (the occurrence in the key)."""
    return {
        mail.id.rsplit(":", 1)[1]: mail for mail in uow.mails(rule="reminder", person_id=person_id)
    }


# -- a booking's status: one mail per status reached, to the person booked ------------------------

STATUS_MAIL = [
    (S.REGISTERED, "booking_registered", Category.BOOKINGS, False, Calendar.REQUEST),
    (S.WAITLISTED, "booking_waitlisted", Category.BOOKINGS, False, None),
    (S.AWAITING_APPROVAL, "booking_awaiting_approval", Category.BOOKINGS, False, None),
    (S.OFFERED, "waitlist_offer", Category.BOOKINGS, True, None),
    (S.EXPIRED, "offer_expired", Category.BOOKINGS, False, None),
    (S.CANCELLED, "booking_cancelled", Category.BOOKINGS, True, Calendar.CANCEL),
    (S.REJECTED, "booking_rejected", Category.BOOKINGS, True, None),
]


@pytest.mark.parametrize(("status", "rule", "category", "critical", "calendar"), STATUS_MAIL)
async def test_each_booking_status_mails_the_person_booked_once(
    uow: NotificationsFakeUnitOfWork,
    status: BookingStatus,
    rule: str,
    category: Category,
    critical: bool,
    calendar: Calendar | None,
) -> None:
    event = changed(S.WAITLISTED if status != S.WAITLISTED else S.REGISTERED, status)
    await handled(uow, RULES.booking_changed, event, NOW)
    await handled(uow, RULES.booking_changed, event, NOW)  # redelivered

    [mail] = uow.mails(rule=rule)
    assert mail.id == mail_key(rule, "ann", "b1", status.value)
    assert (mail.person_id, mail.subject_id, mail.booking_id, mail.activity_id) == (
        "ann",
        "b1",
        "b1",
        "act1",
    )
    assert (mail.category, mail.critical, mail.calendar) == (category, critical, calendar)
    assert (mail.state, mail.send_at, mail.queued_at) == (MailState.QUEUED, NOW, NOW)
    follow_ups = {"reminder", "approval_requested", "impact_evaluation"}
    others = {m.rule for m in uow.mails()} - {rule, *follow_ups}
    assert others == set(), "one mail for the status (and reminders, approvers, impact later)"
    assert {m.person_id for m in uow.mails() if m.rule != "approval_requested"} == {"ann"}


async def test_a_status_with_no_mail_queues_none(uow: NotificationsFakeUnitOfWork) -> None:
    await handled(uow, RULES.booking_changed, changed(S.REGISTERED, S.NO_SHOW), NOW)

    assert uow.mails() == []


async def test_a_mail_already_sent_is_not_queued_again_by_a_replay(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.WAITLISTED), NOW)
    [mail] = uow.mails()
    async with uow:
        mail.finished(MailState.SENT, NOW + timedelta(minutes=1))
        await uow.mailbox.save(mail)
        await uow.commit()

    later = NOW + timedelta(days=1)
    await handled(uow, RULES.booking_changed, placed(S.WAITLISTED), later)  # a replay from 0

    [again] = uow.mails()
    assert (again.state, again.queued_at) == (MailState.SENT, NOW)


async def test_each_status_reached_is_its_own_mail(uow: NotificationsFakeUnitOfWork) -> None:
    await handled(uow, RULES.booking_changed, placed(S.WAITLISTED), NOW)
    expires = NOW + timedelta(hours=48)
    offer = changed(S.WAITLISTED, S.OFFERED, offer_expires_at=expires)
    await handled(uow, RULES.booking_changed, offer, NOW)
    await handled(uow, RULES.booking_changed, changed(S.OFFERED, S.REGISTERED), NOW)

    rules = sorted(m.rule for m in uow.mails() if m.rule != "reminder")
    assert rules == ["booking_registered", "booking_waitlisted", "waitlist_offer"]
    [offered] = uow.mails(rule="waitlist_offer")
    assert offered.facts == {"reason": None, "offer_expires_at": expires.isoformat()}


async def test_a_place_registered_by_placing_or_by_approval_is_one_mail(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)
    await handled(uow, RULES.booking_changed, changed(S.AWAITING_APPROVAL, S.REGISTERED), NOW)

    assert len(uow.mails(rule="booking_registered")) == 1


async def test_a_rejection_carries_its_reason(uow: NotificationsFakeUnitOfWork) -> None:
    event = changed(S.AWAITING_APPROVAL, S.REJECTED, reason="Cover cannot be found")
    await handled(uow, RULES.booking_changed, event, NOW)

    [mail] = uow.mails(rule="booking_rejected")
    assert mail.facts["reason"] == "Cover cannot be found"


# -- pupil places, approvals -------------------------------------------------------------------


async def test_pupil_places_are_told_to_the_schools_head_and_senior_leaders(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(person_id=None, pupils=12), NOW)

    assert people_of(uow.mails(rule="booking_registered")) == ["hana", "sian"]
    assert people_of(uow.mails(rule="reminder")) == ["hana", "hana", "sian", "sian"]


async def test_pupil_places_of_a_school_without_leaders_mail_nobody(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(person_id=None, pupils=5, urn="199999"), NOW)

    assert uow.mails() == []


async def test_a_former_head_is_not_told(uow: NotificationsFakeUnitOfWork) -> None:
    last_year = date.today() - timedelta(days=365)
    await given_person(uow, "hal", role("hal", StaffRole.HEAD, urn=A, until=last_year))
    await given_person(
        uow, "nia", role("nia", StaffRole.HEAD, urn=A, since=date.today() + timedelta(days=30))
    )
    await handled(uow, RULES.booking_changed, placed(person_id=None, pupils=12), NOW)

    assert people_of(uow.mails(rule="booking_registered")) == ["hana", "sian"]


async def test_awaiting_approval_also_asks_the_schools_cpd_approvers(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.AWAITING_APPROVAL), NOW)
    await handled(uow, RULES.booking_changed, placed(S.AWAITING_APPROVAL), NOW)

    [waiting] = uow.mails(rule="booking_awaiting_approval")
    assert waiting.person_id == "ann"
    [asked] = uow.mails(rule="approval_requested")
    assert asked.id == mail_key("approval_requested", "vic", "b1", "requested")
    assert (asked.category, asked.critical, asked.booking_id) == (Category.APPROVALS, True, "b1")
    assert uow.mails(person_id="val") == [], "B's approver is not asked about A's staff"
    assert uow.mails(rule="reminder") == [], "no place yet, so no reminders"


# -- reminders -----------------------------------------------------------------------------------


async def test_a_place_schedules_a_reminder_per_lead_time(uow: NotificationsFakeUnitOfWork) -> None:
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)

    found = reminders(uow, "ann")
    assert sorted(found) == ["604800s", "86400s"]
    week, day = found["604800s"], found["86400s"]
    assert (week.send_at, day.send_at) == (STARTS - WEEK, STARTS - DAY)
    assert (week.facts["lead"], day.facts["lead"]) == ("in 7 days", "tomorrow")
    assert (week.category, week.critical, week.state) == (
        Category.REMINDERS,
        False,
        MailState.QUEUED,
    )
    assert (week.activity_id, week.booking_id) == ("act1", "b1")


async def test_reminder_lead_times_are_per_activity_format() -> None:
    uow = await world()
    await given_activity(uow, format=ActivityFormat.TEACHMEET.value)
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)

    assert sorted(reminders(uow, "ann")) == ["86400s"]


@pytest.mark.parametrize(
    ("starts_in", "leads"),
    [
        (timedelta(days=3), ["86400s"]),
        (timedelta(hours=12), []),
        (-timedelta(hours=1), []),
    ],
)
async def test_a_reminder_whose_time_has_passed_is_not_made_at_all(
    starts_in: timedelta, leads: list[str]
) -> None:
    uow = await world()
    await given_activity(uow, starts_at=NOW + starts_in)
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)

    assert sorted(reminders(uow)) == leads
    assert len(uow.mails(rule="booking_registered")) == 1, "the place itself is still told"


async def test_no_reminders_for_a_waiting_place(uow: NotificationsFakeUnitOfWork) -> None:
    await handled(uow, RULES.booking_changed, placed(S.WAITLISTED), NOW)
    await handled(uow, RULES.booking_changed, changed(S.WAITLISTED, S.OFFERED), NOW)

    assert reminders(uow) == {}


@pytest.mark.parametrize("status", [S.CANCELLED, S.EXPIRED, S.REJECTED])
async def test_a_booking_that_no_longer_holds_a_place_cancels_its_reminders(
    uow: NotificationsFakeUnitOfWork, status: BookingStatus
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)
    await handled(
        uow, RULES.booking_changed, placed(S.REGISTERED, booking_id="b2", person_id="bob"), NOW
    )
    later = NOW + timedelta(days=1)
    await handled(uow, RULES.booking_changed, changed(S.REGISTERED, status), later)

    for mail in reminders(uow, "ann").values():
        assert (mail.state, mail.error) == (
            MailState.CANCELLED,
            "the booking no longer holds a place",
        )
    assert {m.state for m in reminders(uow, "bob").values()} == {MailState.QUEUED}
    assert uow.mails(rule="booking_registered")[0].state == MailState.QUEUED, (
        "only reminders are withdrawn"
    )


async def test_an_activity_published_is_what_later_reminders_are_timed_by() -> None:
    uow = await world()
    starts = NOW + timedelta(days=10)
    published = ev.ActivityPublished(
        activity_id="act9",
        title="Phonics network",
        category=ActivityCategory.ACADEMIC,
        format=ActivityFormat.CLUSTER_MEETING,
        partnership_id=P1,
        venue="Ely Library",
        sessions=[Session(starts_at=starts, ends_at=starts + timedelta(hours=1))],
        audience=ev.Audience(),
        capacity=30,
        status=ActivityStatus.PUBLISHED,
        sequence=3,
    )
    await handled(uow, RULES.activity_published, published, NOW)
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED, activity_id="act9"), NOW)

    async with uow:
        copy = await uow.bookings.activity("act9")
    assert copy is not None
    assert (copy.title, copy.format, copy.sequence, copy.starts_at) == (
        "Phonics network",
        "cluster_meeting",
        3,
        starts,
    )
    assert sorted(m.send_at for m in reminders(uow).values()) == [starts - WEEK, starts - DAY]


# -- substitution --------------------------------------------------------------------------------


def substituted(new: str = "bob", previous: str = "ann") -> ev.BookingSubstituted:
    return ev.BookingSubstituted(
        activity_id="act1", booking_id="b1", urn=A, person_id=new, previous_person_id=previous
    )


async def test_a_place_passed_to_a_colleague_tells_both_and_moves_the_reminders(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)
    later = NOW + timedelta(days=2)
    await handled(uow, RULES.substituted, substituted(), later)
    await handled(uow, RULES.substituted, substituted(), later)  # redelivered

    [passed] = uow.mails(rule="booking_passed_on")
    assert (passed.person_id, passed.critical, passed.calendar) == ("ann", True, Calendar.CANCEL)
    assert people_of(uow.mails(rule="booking_registered")) == ["ann", "bob"]
    [theirs] = uow.mails(rule="booking_registered", person_id="bob")
    assert (theirs.calendar, theirs.queued_at) == (Calendar.REQUEST, later)

    assert {m.state for m in reminders(uow, "ann").values()} == {MailState.CANCELLED}
    moved = reminders(uow, "bob")
    assert {k: (m.state, m.send_at) for k, m in moved.items()} == {
        "604800s": (MailState.QUEUED, STARTS - WEEK),
        "86400s": (MailState.QUEUED, STARTS - DAY),
    }
    async with uow:
        booking = await uow.bookings.booking("b1")
    assert booking is not None
    assert (booking.person_id, booking.status) == ("bob", S.REGISTERED)


async def test_a_place_awaiting_approval_passed_to_a_colleague_is_not_told_as_a_place(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.AWAITING_APPROVAL), NOW)
    await handled(uow, RULES.substituted, substituted(), NOW)

    assert uow.mails(rule="booking_registered") == []
    assert reminders(uow, "bob") == {}


# -- the activity moves or is cancelled ----------------------------------------------------------


async def booked_three(uow: NotificationsFakeUnitOfWork) -> None:
    """ann has a place (b1), bob waits (b2), cat of B cancelled (b3)."""
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)
    await handled(
        uow, RULES.booking_changed, placed(S.WAITLISTED, booking_id="b2", person_id="bob"), NOW
    )
    await handled(
        uow,
        RULES.booking_changed,
        placed(S.REGISTERED, booking_id="b3", person_id="cat", urn=B),
        NOW,
    )
    await handled(
        uow,
        RULES.booking_changed,
        changed(S.REGISTERED, S.CANCELLED, booking_id="b3", person_id="cat", urn=B),
        NOW,
    )


async def test_a_reschedule_tells_everyone_booked_once_per_sequence(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await booked_three(uow)
    later = NOW + timedelta(hours=1)
    moved = rescheduled(STARTS + WEEK, 1, "The hall is closed")
    await handled(uow, RULES.rescheduled, moved, later)
    await handled(uow, RULES.rescheduled, moved, later)  # redelivered

    told = uow.mails(rule="activity_rescheduled")
    assert sorted(m.id for m in told) == [
        mail_key("activity_rescheduled", "ann", "b1", "1"),
        mail_key("activity_rescheduled", "bob", "b2", "1"),
    ]
    assert {m.person_id: (m.critical, m.calendar, m.facts) for m in told} == {
        "ann": (True, Calendar.REQUEST, {"reason": "The hall is closed"}),
        "bob": (True, None, {"reason": "The hall is closed"}),  # waiting: nothing in a calendar
    }

    await handled(uow, RULES.rescheduled, rescheduled(STARTS + 2 * WEEK, 2), later)

    assert len(uow.mails(rule="activity_rescheduled")) == 4
    async with uow:
        copy = await uow.bookings.activity("act1")
    assert copy is not None
    assert (copy.sequence, copy.starts_at) == (2, STARTS + 2 * WEEK)


async def test_a_reschedule_moves_pending_reminders_and_cancels_one_now_in_the_past(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await booked_three(uow)
    later = NOW + timedelta(hours=1)
    sooner = NOW + timedelta(days=3)
    await handled(uow, RULES.rescheduled, rescheduled(sooner, 1), later)

    found = reminders(uow, "ann")
    assert (found["86400s"].state, found["86400s"].send_at) == (MailState.QUEUED, sooner - DAY)
    assert (found["604800s"].state, found["604800s"].error) == (
        MailState.CANCELLED,
        "too late after the activity moved",
    )
    assert {m.state for m in reminders(uow, "cat").values()} == {MailState.CANCELLED}, (
        "a cancelled booking's reminders stay cancelled"
    )


async def test_a_reschedule_later_moves_every_pending_reminder_later(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)
    later_start = STARTS + timedelta(days=30, hours=3)
    await handled(uow, RULES.rescheduled, rescheduled(later_start, 1), NOW)

    assert {k: (m.state, m.send_at) for k, m in reminders(uow, "ann").items()} == {
        "604800s": (MailState.QUEUED, later_start - WEEK),
        "86400s": (MailState.QUEUED, later_start - DAY),
    }


async def test_an_activity_cancelled_tells_everyone_booked_and_cancels_their_reminders(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await booked_three(uow)
    cancelled = ev.ActivityCancelled(activity_id="act1", sequence=1, reason="Snow")
    later = NOW + timedelta(days=1)
    await handled(uow, RULES.activity_cancelled, cancelled, later)
    await handled(uow, RULES.activity_cancelled, cancelled, later)  # redelivered

    told = uow.mails(rule="activity_cancelled")
    assert people_of(told) == ["ann", "bob"]
    assert {m.person_id: (m.critical, m.calendar, m.facts["reason"]) for m in told} == {
        "ann": (True, Calendar.CANCEL, "Snow"),
        "bob": (True, None, "Snow"),  # waiting: no calendar entry to take out
    }
    assert {m.state for m in reminders(uow).values()} == {MailState.CANCELLED}
    assert {m.error for m in reminders(uow, "ann").values()} == {"the activity was cancelled"}
    async with uow:
        copy = await uow.bookings.activity("act1")
    assert copy is not None
    assert (copy.status, copy.sequence) == (ActivityStatus.CANCELLED, 1)


# -- partnership and membership ------------------------------------------------------------------


async def test_minimum_numbers_at_risk_goes_to_the_partnerships_current_coordinators(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    closes = STARTS - timedelta(days=3)
    event = ev.MinimumNumbersAtRisk(
        activity_id="act1", booked=4, minimum_numbers=10, booking_closes_at=closes
    )
    await handled(uow, RULES.minimum_numbers_at_risk, event, NOW)
    await handled(uow, RULES.minimum_numbers_at_risk, event, NOW + timedelta(hours=6))

    [mail] = uow.mails()
    assert mail.id == mail_key("minimum_numbers_at_risk", "coco", "act1", closes.isoformat())
    assert (mail.category, mail.critical, mail.activity_id) == (Category.PARTNERSHIP, False, "act1")
    assert mail.facts == {
        "booked": 4,
        "minimum_numbers": 10,
        "booking_closes_at": closes.isoformat(),
    }


async def test_minimum_numbers_of_an_activity_not_known_mails_nobody(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    event = ev.MinimumNumbersAtRisk(
        activity_id="act-unknown", booked=1, minimum_numbers=10, booking_closes_at=STARTS
    )
    await handled(uow, RULES.minimum_numbers_at_risk, event, NOW)

    assert uow.mails() == []


async def test_a_school_invited_to_a_partnership_is_told_through_its_leaders(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    event = m.SchoolInvited(
        partnership_id=P1, urn=A, role=MembershipRole.MEMBER, invited_on=date(2026, 3, 1)
    )
    await handled(uow, RULES.school_invited, event, NOW)
    await handled(uow, RULES.school_invited, event, NOW)

    told = uow.mails(rule="membership_invitation")
    assert people_of(told) == ["hana", "sian"]
    assert {m.id for m in told} == {
        mail_key("membership_invitation", p, f"{P1}/{A}", "invited") for p in ("hana", "sian")
    }
    assert all((m.category, m.facts) == (Category.MEMBERSHIP, {"urn": A}) for m in told)
    assert len(uow.mails()) == 2


# -- the consumers: recipients kept from the people topic and membership --------------------------

HANDLERS = {
    **people_consumer().handlers,
    **membership_consumer(RULES).handlers,
    **events_consumer(RULES).handlers,
}


async def deliver(uow: NotificationsFakeUnitOfWork, *events: IntegrationEvent) -> None:
    """As a consumer applies a batch: every handler in one unit of work, then commit."""
    async with uow:
        for event in events:
            handler: Any = HANDLERS[type(event)].handler  # this consumer's take one event
            await handler(event, uow)
        await uow.commit()


async def test_contact_details_and_roles_come_from_people_and_membership() -> None:
    uow = NotificationsFakeUnitOfWork()
    today = date.today()
    await deliver(
        uow,
        people.PersonContact(person_id="zoe", name="Zoe Zed", email="zoe@school.example"),
        m.RoleAssigned(
            person_id="zoe",
            role_id="r1",
            role=StaffRole.HEAD,
            urn=A,
            starts_on=today - timedelta(days=1),
        ),
    )
    zoe = uow.recipient("zoe")
    assert (zoe.name, zoe.email, zoe.reachable) == ("Zoe Zed", "zoe@school.example", True)
    async with uow:
        assert await uow.recipients.holding(StaffRole.HEAD, urn=A) == ["zoe"]

    await deliver(uow, m.RoleEnded(person_id="zoe", role_id="r1", ended_on=today))

    async with uow:
        assert await uow.recipients.holding(StaffRole.HEAD, urn=A) == []


@pytest.mark.parametrize(
    "erasure",
    [
        people.PersonContactErased(person_id="ann"),
        m.PersonErased(person_id="ann", erased_at=datetime(2026, 3, 2, tzinfo=UTC)),
    ],
)
async def test_an_erased_person_loses_address_and_pending_mail(
    uow: NotificationsFakeUnitOfWork, erasure: IntegrationEvent
) -> None:
    await handled(uow, RULES.booking_changed, placed(S.REGISTERED), NOW)
    await handled(
        uow, RULES.booking_changed, placed(S.REGISTERED, booking_id="b2", person_id="bob"), NOW
    )

    await deliver(uow, erasure)

    ann = uow.recipient("ann")
    assert (ann.name, ann.email, ann.erased, ann.reachable) == ("", "", True, False)
    assert [r.role for r in ann.roles] == [StaffRole.TEACHER], "roles are kept"
    assert {(m.state, m.error) for m in uow.mails(person_id="ann")} == {
        (MailState.CANCELLED, "the person was erased")
    }
    assert {m.state for m in uow.mails(person_id="bob")} == {MailState.QUEUED}


# -- speakers, facilitators, hosts ---------------------------------------------------------------


async def test_an_invited_speaker_is_asked_once_and_coordinators_hear_each_answer(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    invited = ev.ContributorInvited(
        activity_id="act1",
        contributor_id="c1",
        partnership_id="p1",
        person_id="mel",
        role=ContributorRole.SPEAKER,
    )
    await handled(uow, RULES.contributor_invited, invited, NOW)
    await handled(uow, RULES.contributor_invited, invited, NOW + timedelta(hours=1))
    [asked] = uow.mails()
    assert (asked.person_id, asked.activity_id, asked.critical) == ("mel", "act1", True)
    assert asked.calendar is None

    answers = invited.model_dump()
    for status in ("confirmed", "declined", "withdrawn"):
        answer = ev.ContributorAnswered.model_validate({**answers, "status": status})
        await handled(uow, RULES.contributor_answered, answer, NOW)
    told = [m for m in uow.mails() if m.rule == "contributor_answered"]
    assert [(m.person_id, m.facts["status"]) for m in told] == [
        ("coco", "confirmed"),
        ("coco", "declined"),
    ]


# -- boards, peer reviews, placement swaps --------------------------------------------------------


async def test_a_board_action_is_told_to_its_owner_again_only_when_its_day_moves(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    assigned = {"board_id": "b1", "meeting_id": "mt1", "partnership_id": P1, "action_id": "x1"}
    for owner, due in (
        ("hana", date(2027, 3, 31)),
        ("hana", date(2027, 3, 31)),
        ("hana", date(2027, 4, 30)),
    ):
        event = m.BoardActionAssigned(**assigned, person_id=owner, due_on=due)
        await handled(uow, RULES.board_action_assigned, event, NOW)
    assert [(m_.person_id, m_.facts["due_on"]) for m_ in uow.mails()] == [
        ("hana", "31 March 2027"),
        ("hana", "30 April 2027"),
    ]


async def test_a_peer_review_is_told_to_its_reviewers_and_the_reviewed_schools_leaders(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    event = pr.PeerReviewPlanned(
        review_id="r1",
        partnership_id=P1,
        reviewed_urn=A,
        reviewer_ids=["hugo", "hana"],
        focus_area_count=2,
        visit_dates=[date(2027, 3, 15), date(2027, 3, 16)],
    )
    await handled(uow, RULES.peer_review_planned, event, NOW)
    assert sorted(m_.person_id for m_ in uow.mails()) == ["hana", "hugo", "sian"]
    assert uow.mails()[0].facts["visit_dates"] == "15 March 2027 and 16 March 2027"


async def test_a_swap_asks_both_schools_leads_then_tells_its_trainees_and_mentors(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    day = {"starts_on": date(2027, 1, 18), "ends_on": date(2027, 1, 22)}
    legs = [
        pl.PlacementLeg(host_urn=A, visitor_urn=B, visitor_id="cat", mentor_id="ann", **day),
        pl.PlacementLeg(host_urn=B, visitor_urn=A, visitor_id="bob", **day),
    ]
    swap = {"swap_id": "s1", "partnership_id": P1, "legs": legs}
    await handled(uow, RULES.placement_swap, pl.PlacementSwapProposed(**swap), NOW)
    asked = sorted(m_.person_id for m_ in uow.mails())
    assert asked == ["hana", "hugo", "sian"]
    await handled(uow, RULES.placement_swap, pl.PlacementSwapAgreed(**swap), NOW)
    told = sorted(m_.person_id for m_ in uow.mails() if m_.rule == "placement_swap_agreed")
    assert told == ["ann", "bob", "cat"]
