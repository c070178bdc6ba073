"""What triggers what: each event of membership or events becomes the mails it calls for,
queued under their permanent keys in the same transaction as the consumer's inbox entry.

Occurrences: a booking's mail for a status is sent once per status it reaches (`registered`,
`offered` ...); a reschedule's per new SEQUENCE; a reminder's per lead time, whenever the
activity moves (a move changes when it goes, not whether).
"""

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from contracts import activities as ev
from contracts import case_studies as cs
from contracts import membership as m
from contracts import peer_review as pr
from contracts import placements as pl
from contracts import reporting as rp
from contracts import support as sp
from contracts.vocabulary import BookingStatus, StaffRole
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Calendar, Mail, MailState, mail_key
from services.notifications.domain.preferences import Category
from services.notifications.service_layer.ports import UnitOfWork

SCHOOL_CONTACTS = (StaffRole.HEAD, StaffRole.SENIOR_LEADER)


class RuleName(StrEnum):
    """Every rule, by the name of its template."""

    BOOKING_REGISTERED = "booking_registered"
    BOOKING_WAITLISTED = "booking_waitlisted"
    BOOKING_AWAITING_APPROVAL = "booking_awaiting_approval"
    APPROVAL_REQUESTED = "approval_requested"
    WAITLIST_OFFER = "waitlist_offer"
    OFFER_EXPIRED = "offer_expired"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_REJECTED = "booking_rejected"
    BOOKING_PASSED_ON = "booking_passed_on"
    ACTIVITY_RESCHEDULED = "activity_rescheduled"
    ACTIVITY_CANCELLED = "activity_cancelled"
    REMINDER = "reminder"
    EVALUATION_REQUEST = "evaluation_request"
    MINIMUM_NUMBERS_AT_RISK = "minimum_numbers_at_risk"
    MEMBERSHIP_INVITATION = "membership_invitation"
    ACTIVITY_ALERT = "activity_alert"
    ANNOUNCEMENT = "announcement"
    CASE_STUDY_SUBMITTED = "case_study_submitted"
    CASE_STUDY_RETURNED = "case_study_returned"
    CASE_STUDY_PUBLISHED = "case_study_published"
    SUPPORT_MATCHED = "support_matched"
    SUPPORT_AGREED = "support_agreed"
    IMPACT_EVALUATION = "impact_evaluation"
    COUNTY_REPORT = "county_report"
    CONTRIBUTOR_INVITED = "contributor_invited"
    CONTRIBUTOR_ANSWERED = "contributor_answered"
    BOARD_ACTION_ASSIGNED = "board_action_assigned"
    PEER_REVIEW_PLANNED = "peer_review_planned"
    PLACEMENT_SWAP_PROPOSED = "placement_swap_proposed"
    PLACEMENT_SWAP_AGREED = "placement_swap_agreed"


class Rule:
    def __init__(
        self,
        name: RuleName,
        category: Category,
        *,
        critical: bool = False,
        calendar: Calendar | None = None,
    ) -> None:
        self.name, self.category, self.critical, self.calendar = name, category, critical, calendar

    def mail(
        self,
        person_id: str,
        subject_id: str,
        occurrence: str,
        now: datetime,
        *,
        send_at: datetime | None = None,
        activity_id: str | None = None,
        booking_id: str | None = None,
        facts: Mapping[str, Any] | None = None,
        with_calendar: bool = True,
    ) -> Mail:
        """`with_calendar=False`: no invitation, for someone with no place in the calendar."""
        return Mail(
            id=mail_key(self.name, person_id, subject_id, occurrence),
            rule=self.name,
            person_id=person_id,
            subject_id=subject_id,
            category=self.category,
            critical=self.critical,
            activity_id=activity_id,
            booking_id=booking_id,
            facts=dict(facts or {}),
            calendar=self.calendar if with_calendar else None,
            send_at=send_at or now,
            queued_at=now,
        )


REGISTERED = Rule(RuleName.BOOKING_REGISTERED, Category.BOOKINGS, calendar=Calendar.REQUEST)
WAITLISTED = Rule(RuleName.BOOKING_WAITLISTED, Category.BOOKINGS)
AWAITING_APPROVAL = Rule(RuleName.BOOKING_AWAITING_APPROVAL, Category.BOOKINGS)
APPROVAL_REQUESTED = Rule(RuleName.APPROVAL_REQUESTED, Category.APPROVALS, critical=True)
OFFERED = Rule(RuleName.WAITLIST_OFFER, Category.BOOKINGS, critical=True)
EXPIRED = Rule(RuleName.OFFER_EXPIRED, Category.BOOKINGS)
CANCELLED = Rule(
    RuleName.BOOKING_CANCELLED, Category.BOOKINGS, critical=True, calendar=Calendar.CANCEL
)
REJECTED = Rule(RuleName.BOOKING_REJECTED, Category.BOOKINGS, critical=True)
PASSED_ON = Rule(
    RuleName.BOOKING_PASSED_ON, Category.BOOKINGS, critical=True, calendar=Calendar.CANCEL
)
RESCHEDULED = Rule(
    RuleName.ACTIVITY_RESCHEDULED,
    Category.ACTIVITY_CHANGES,
    critical=True,
    calendar=Calendar.REQUEST,
)
ACTIVITY_CANCELLED = Rule(
    RuleName.ACTIVITY_CANCELLED, Category.ACTIVITY_CHANGES, critical=True, calendar=Calendar.CANCEL
)
REMINDER = Rule(RuleName.REMINDER, Category.REMINDERS)
EVALUATION = Rule(RuleName.EVALUATION_REQUEST, Category.EVALUATIONS)
IMPACT = Rule(RuleName.IMPACT_EVALUATION, Category.EVALUATIONS)
MINIMUM_NUMBERS = Rule(RuleName.MINIMUM_NUMBERS_AT_RISK, Category.PARTNERSHIP)
ALERT = Rule(RuleName.ACTIVITY_ALERT, Category.NEW_ACTIVITIES)
ANNOUNCEMENT = Rule(RuleName.ANNOUNCEMENT, Category.ANNOUNCEMENTS)
CASE_STUDY_SUBMITTED = Rule(RuleName.CASE_STUDY_SUBMITTED, Category.PARTNERSHIP)
COUNTY_REPORT = Rule(RuleName.COUNTY_REPORT, Category.REPORTS)
CASE_STUDY_RETURNED = Rule(RuleName.CASE_STUDY_RETURNED, Category.PARTNERSHIP)
CASE_STUDY_PUBLISHED = Rule(RuleName.CASE_STUDY_PUBLISHED, Category.PARTNERSHIP)
SUPPORT_MATCHED = Rule(RuleName.SUPPORT_MATCHED, Category.PARTNERSHIP)
SUPPORT_AGREED = Rule(RuleName.SUPPORT_AGREED, Category.PARTNERSHIP)
INVITATION = Rule(RuleName.MEMBERSHIP_INVITATION, Category.MEMBERSHIP)
CONTRIBUTOR_INVITED = Rule(RuleName.CONTRIBUTOR_INVITED, Category.PARTNERSHIP, critical=True)
CONTRIBUTOR_ANSWERED = Rule(RuleName.CONTRIBUTOR_ANSWERED, Category.PARTNERSHIP)
BOARD_ACTION = Rule(RuleName.BOARD_ACTION_ASSIGNED, Category.PARTNERSHIP)
PEER_REVIEW = Rule(RuleName.PEER_REVIEW_PLANNED, Category.PARTNERSHIP)
SWAP_PROPOSED = Rule(RuleName.PLACEMENT_SWAP_PROPOSED, Category.PARTNERSHIP)
SWAP_AGREED = Rule(RuleName.PLACEMENT_SWAP_AGREED, Category.PARTNERSHIP)

NO_FACTS: dict[str, Any] = {"reason": None, "offer_expires_at": None}
"""What a booking's mail may show, when the event that caused it says nothing of it."""

FOR_STATUS: dict[BookingStatus, Rule] = {
    BookingStatus.REGISTERED: REGISTERED,
    BookingStatus.WAITLISTED: WAITLISTED,
    BookingStatus.AWAITING_APPROVAL: AWAITING_APPROVAL,
    BookingStatus.OFFERED: OFFERED,
    BookingStatus.EXPIRED: EXPIRED,
    BookingStatus.CANCELLED: CANCELLED,
    BookingStatus.REJECTED: REJECTED,
}


class Rules:
    """The rules, with the reminder lead times they schedule by (per activity format), and how
    long after an activity its impact is asked about."""

    def __init__(
        self,
        reminder_leads: Any,
        impact_after: timedelta = timedelta(weeks=6),
        reporting_url: str = "",
    ) -> None:
        self.reminder_leads = reminder_leads
        self.impact_after = impact_after
        self.reporting_url = reporting_url.rstrip("/")

    async def booking_changed(
        self, uow: UnitOfWork, event: ev.BookingPlaced | ev.BookingStatusChanged, now: datetime
    ) -> None:
        booking = BookingCopy(
            id=event.booking_id,
            activity_id=event.activity_id,
            urn=event.urn,
            person_id=event.person_id,
            pupils=event.pupils,
            status=event.status,
        )
        await uow.bookings.put_booking(booking)
        mails: list[Mail] = []
        rule = FOR_STATUS.get(event.status)
        if rule is not None:
            facts: dict[str, Any] = dict(NO_FACTS)
            if isinstance(event, ev.BookingStatusChanged):
                facts = {"reason": event.reason, "offer_expires_at": _iso(event.offer_expires_at)}
            for person in await self._attendees(uow, booking):
                mails.append(
                    rule.mail(
                        person,
                        booking.id,
                        event.status.value,
                        now,
                        activity_id=booking.activity_id,
                        booking_id=booking.id,
                        facts=facts,
                    )
                )
        if event.status == BookingStatus.AWAITING_APPROVAL:
            for approver in await uow.recipients.holding(StaffRole.CPD_APPROVER, urn=booking.urn):
                mails.append(
                    APPROVAL_REQUESTED.mail(
                        approver,
                        booking.id,
                        "requested",
                        now,
                        activity_id=booking.activity_id,
                        booking_id=booking.id,
                    )
                )
        await uow.mailbox.queue(mails)
        if event.status == BookingStatus.REGISTERED:
            await self._schedule_reminders(uow, booking, now)
        elif event.status == BookingStatus.ATTENDED:
            await self._ask_for_evaluations(uow, booking, now)
        elif not event.status.counted:
            reminders = await uow.mailbox.pending_about(
                booking_id=booking.id, rule_prefix=REMINDER.name
            )
            await _cancel(uow, reminders, "the booking no longer holds a place", now)
        if event.status in (BookingStatus.NO_SHOW, BookingStatus.CANCELLED):
            for rule in (EVALUATION, IMPACT):  # attendance corrected, or the place given up
                asked = await uow.mailbox.pending_about(
                    booking_id=booking.id, rule_prefix=rule.name
                )
                await _cancel(uow, asked, f"the booking is {event.status.value}", now)

    async def substituted(
        self, uow: UnitOfWork, event: ev.BookingSubstituted, now: datetime
    ) -> None:
        before = await uow.bookings.booking(event.booking_id)
        booking = BookingCopy(
            id=event.booking_id,
            activity_id=event.activity_id,
            urn=event.urn,
            person_id=event.person_id,
            pupils=event.pupils,
            status=before.status if before else BookingStatus.REGISTERED,
        )
        await uow.bookings.put_booking(booking)
        mails = [(event.previous_person_id, PASSED_ON, "passed_on")]
        taking_over = FOR_STATUS.get(booking.status)  # what the place is for them now
        if event.person_id and taking_over is not None:
            mails.append((event.person_id, taking_over, booking.status.value))
        await uow.mailbox.queue(
            [
                rule.mail(
                    person,
                    booking.id,
                    occurrence,
                    now,
                    activity_id=booking.activity_id,
                    booking_id=booking.id,
                    facts=NO_FACTS,
                )
                for person, rule, occurrence in mails
            ]
        )
        old = await uow.mailbox.pending_about(
            booking_id=booking.id, person_id=event.previous_person_id, rule_prefix=REMINDER.name
        )
        await _cancel(uow, old, "the place passed to a colleague", now)
        if booking.status == BookingStatus.REGISTERED:
            await self._schedule_reminders(uow, booking, now)

    async def activity_published(
        self, uow: UnitOfWork, event: ev.ActivityPublished, now: datetime
    ) -> None:
        """Keep its copy; tell those who follow its category (and phase) and whom it is open
        to, once, however often it is published again with new details."""
        activity = ActivityCopy(
            id=event.activity_id,
            title=event.title,
            format=event.format.value,
            partnership_id=event.partnership_id,
            venue=event.venue,
            online_url=event.online_url,
            sessions=event.sessions,
            sequence=event.sequence,
            status=event.status,
            category=event.category,
            open_to=event.open_to,
            county_wide=event.county_wide,
            for_staff=event.audience.staff,
            phases=event.audience.phases,
        )
        await uow.bookings.describe_activity(activity)
        if not activity.for_staff or activity.starts_at is None or activity.starts_at <= now:
            return
        alerts = []
        for preferences in await uow.preferences.following(event.category):
            if not preferences.interests.match(event.category, event.audience.phases):
                continue
            recipient = await uow.recipients.get(preferences.person_id)
            if recipient is None or not activity.open_to_any(
                await uow.recipients.partnerships_of(recipient)
            ):
                continue
            alerts.append(
                ALERT.mail(recipient.id, activity.id, "published", now, activity_id=activity.id)
            )
        await uow.mailbox.queue(alerts)

    async def rescheduled(
        self, uow: UnitOfWork, event: ev.ActivityRescheduled, now: datetime
    ) -> None:
        await uow.bookings.reschedule(event.activity_id, event.sessions, event.sequence)
        activity = await uow.bookings.activity(event.activity_id)
        await self._tell_booked(
            uow, event.activity_id, RESCHEDULED, str(event.sequence), now, {"reason": event.reason}
        )
        if activity is None or activity.starts_at is None:
            return
        pending = await uow.mailbox.pending_about(
            activity_id=event.activity_id, rule_prefix=REMINDER.name
        )
        for reminder in pending:
            lead = timedelta(seconds=float(reminder.facts.get("lead_seconds", 0)))
            reminder.send_at = activity.starts_at - lead
            if reminder.send_at <= now:
                reminder.finished(MailState.CANCELLED, now, "too late after the activity moved")
            await uow.mailbox.save(reminder)
        for booking in await uow.bookings.booked_on(event.activity_id):
            if booking.status == BookingStatus.REGISTERED:  # a lead time that fits now
                await self._schedule_reminders(uow, booking, now)

    async def activity_cancelled(
        self, uow: UnitOfWork, event: ev.ActivityCancelled, now: datetime
    ) -> None:
        await uow.bookings.cancel_activity(event.activity_id, event.sequence)
        await self._tell_booked(
            uow, event.activity_id, ACTIVITY_CANCELLED, "cancelled", now, {"reason": event.reason}
        )
        pending = await uow.mailbox.pending_about(
            activity_id=event.activity_id, rule_prefix=REMINDER.name
        )
        await _cancel(uow, pending, "the activity was cancelled", now)

    async def minimum_numbers_at_risk(
        self, uow: UnitOfWork, event: ev.MinimumNumbersAtRisk, now: datetime
    ) -> None:
        activity = await uow.bookings.activity(event.activity_id)
        if activity is None:
            return
        coordinators = await uow.recipients.holding(
            StaffRole.COORDINATOR, partnership_id=activity.partnership_id
        )
        closes = _iso(event.booking_closes_at)
        facts = {"booked": event.booked, "minimum_numbers": event.minimum_numbers}
        await uow.mailbox.queue(
            [
                MINIMUM_NUMBERS.mail(
                    c,
                    event.activity_id,
                    closes or "",
                    now,
                    activity_id=event.activity_id,
                    facts={**facts, "booking_closes_at": closes},
                )
                for c in coordinators
            ]
        )

    async def contributor_invited(
        self, uow: UnitOfWork, event: ev.ContributorInvited, now: datetime
    ) -> None:
        """To the person asked to speak, facilitate or host: what, when, and to answer."""
        facts = {"role": event.role.value, "contributor_id": event.contributor_id}
        mail = CONTRIBUTOR_INVITED.mail(
            event.person_id,
            event.contributor_id,
            "invited",
            now,
            activity_id=event.activity_id,
            facts=facts,
            with_calendar=False,
        )
        await uow.mailbox.queue([mail])

    async def contributor_answered(
        self, uow: UnitOfWork, event: ev.ContributorAnswered, now: datetime
    ) -> None:
        """To the partnership's coordinators when a contributor confirms or declines (each
        answer once; a withdrawal is their own doing)."""
        if event.status == ev.ContributorStatus.WITHDRAWN:
            return
        coordinators = await uow.recipients.holding(
            StaffRole.COORDINATOR, partnership_id=event.partnership_id
        )
        facts = {
            "role": event.role.value,
            "status": event.status.value,
            "person_id": event.person_id,
        }
        await uow.mailbox.queue(
            [
                CONTRIBUTOR_ANSWERED.mail(
                    c,
                    event.contributor_id,
                    event.status.value,
                    now,
                    activity_id=event.activity_id,
                    facts=facts,
                    with_calendar=False,
                )
                for c in coordinators
            ]
        )

    async def board_action_assigned(
        self, uow: UnitOfWork, event: m.BoardActionAssigned, now: datetime
    ) -> None:
        """To its owner, again if the minutes give it a new day; what the action says stays in
        membership, where the mail sends them."""
        facts = {"due_on": _day(event.due_on), "meeting_id": event.meeting_id}
        occurrence = f"due {event.due_on.isoformat()}"  # a new owner or day is told again
        mail = BOARD_ACTION.mail(event.person_id, event.action_id, occurrence, now, facts=facts)
        await uow.mailbox.queue([mail])

    async def peer_review_planned(
        self, uow: UnitOfWork, event: pr.PeerReviewPlanned, now: datetime
    ) -> None:
        """To the reviewers and the reviewed school's head and senior leaders."""
        people = list(
            dict.fromkeys([*event.reviewer_ids, *await _school_contacts(uow, event.reviewed_urn)])
        )
        facts = {
            "reviewed_urn": event.reviewed_urn,
            "visit_dates": " and ".join(_day(d) for d in event.visit_dates),
            "focus_areas": event.focus_area_count,
        }
        await uow.mailbox.queue(
            [PEER_REVIEW.mail(p, event.review_id, "planned", now, facts=facts) for p in people]
        )

    async def placement_swap(
        self,
        uow: UnitOfWork,
        event: pl.PlacementSwapProposed | pl.PlacementSwapAgreed,
        now: datetime,
    ) -> None:
        """Proposed: both schools' leads are asked to agree. Agreed: the visitors and mentors
        are told where they go and when."""
        legs = "; ".join(
            f"school {leg.host_urn} hosts a visitor from school {leg.visitor_urn} from "
            f"{_day(leg.starts_on)} to {_day(leg.ends_on)}"
            for leg in event.legs
        )
        if isinstance(event, pl.PlacementSwapProposed):
            rule, occurrence, people = SWAP_PROPOSED, "proposed", []
            for leg in event.legs:
                people += [p for p in await _school_contacts(uow, leg.host_urn) if p not in people]
        else:
            rule, occurrence = SWAP_AGREED, "agreed"
            people = list(
                dict.fromkeys(p for leg in event.legs for p in (leg.visitor_id, leg.mentor_id) if p)
            )
        facts = {"legs": legs}
        await uow.mailbox.queue(
            [rule.mail(p, event.swap_id, occurrence, now, facts=facts) for p in people]
        )

    async def school_invited(self, uow: UnitOfWork, event: m.SchoolInvited, now: datetime) -> None:
        heads = await _school_contacts(uow, event.urn)
        subject = f"{event.partnership_id}/{event.urn}"
        await uow.mailbox.queue(
            [INVITATION.mail(h, subject, "invited", now, facts={"urn": event.urn}) for h in heads]
        )

    async def case_study_submitted(
        self, uow: UnitOfWork, event: cs.CaseStudySubmitted, now: datetime
    ) -> None:
        """To the county officers over the schools of its partnership, for quality assurance;
        each submission is its own occurrence."""
        urns = await uow.recipients.member_schools(event.partnership_id) | set(event.urns)
        occurrence = event.submitted_at.isoformat() if event.submitted_at else "submitted"
        facts = {"title": event.title, "summary": event.summary}
        await uow.mailbox.queue(
            [
                CASE_STUDY_SUBMITTED.mail(
                    officer, event.case_study_id, occurrence, now, facts=facts
                )
                for officer in await uow.recipients.county_officers_over(urns)
            ]
        )

    async def county_report_ready(
        self, uow: UnitOfWork, event: rp.CountyReportReady, now: datetime
    ) -> None:
        """To the county officers whose county it is (all its local authorities, no more): an
        officer over part of it has a report of their own."""
        year, month = (int(part) for part in event.month.split("-"))
        facts = {
            **event.model_dump(mode="json", exclude={"report_id", "local_authorities"}),
            "month_name": date(year, month, 1).strftime("%B %Y"),
            "local_authorities": ", ".join(event.local_authorities),
            "report_url": f"{self.reporting_url}{event.report_path}",
        }
        officers = await uow.recipients.county_officers_in(set(event.local_authorities), whole=True)
        await uow.mailbox.queue(
            [COUNTY_REPORT.mail(o, event.report_id, "ready", now, facts=facts) for o in officers]
        )

    async def case_study_returned(
        self, uow: UnitOfWork, event: cs.CaseStudyReturned, now: datetime
    ) -> None:
        """To its authors, with the officer's note; each return is its own occurrence."""
        occurrence = hashlib.sha256(event.note.encode()).hexdigest()[:12]
        facts = {"title": event.title, "note": event.note}
        await uow.mailbox.queue(
            [
                CASE_STUDY_RETURNED.mail(a, event.case_study_id, occurrence, now, facts=facts)
                for a in event.authors
            ]
        )

    async def case_study_published(
        self, uow: UnitOfWork, event: cs.CaseStudyPublished, now: datetime
    ) -> None:
        facts = {"title": event.title}
        await uow.mailbox.queue(
            [
                CASE_STUDY_PUBLISHED.mail(a, event.case_study_id, "published", now, facts=facts)
                for a in event.authors
            ]
        )

    async def support_changed(
        self, uow: UnitOfWork, event: sp.SupportMatched | sp.SupportAgreed, now: datetime
    ) -> None:
        """To the heads and senior leaders of both schools."""
        matched = isinstance(event, sp.SupportMatched)
        rule = SUPPORT_MATCHED if matched else SUPPORT_AGREED
        occurrence = event.supporting_urn if matched else "agreed"
        facts: dict[str, Any] = {
            "requesting_urn": event.requesting_urn,
            "supporting_urn": event.supporting_urn,
        }
        if isinstance(event, sp.SupportAgreed):
            facts |= {
                "objectives": event.objectives,
                "starts_on": event.starts_on.isoformat(),
                "ends_on": event.ends_on.isoformat(),
                "visits_planned": event.visits_planned,
            }
        people: list[str] = []
        for urn in (event.requesting_urn, event.supporting_urn):
            people += [p for p in await _school_contacts(uow, urn) if p not in people]
        await uow.mailbox.queue(
            [rule.mail(p, event.engagement_id, occurrence, now, facts=facts) for p in people]
        )

    async def _tell_booked(
        self,
        uow: UnitOfWork,
        activity_id: str,
        rule: Rule,
        occurrence: str,
        now: datetime,
        facts: Mapping[str, Any],
    ) -> None:
        mails = []
        for booking in await uow.bookings.booked_on(activity_id):
            for person in await self._attendees(uow, booking):
                mails.append(
                    rule.mail(
                        person,
                        booking.id,
                        occurrence,
                        now,
                        activity_id=activity_id,
                        booking_id=booking.id,
                        facts=facts,
                        with_calendar=booking.status == BookingStatus.REGISTERED,
                    )
                )
        await uow.mailbox.queue(mails)

    async def _attendees(self, uow: UnitOfWork, booking: BookingCopy) -> list[str]:
        """The person booked; for pupil places, the school's head and senior leaders."""
        if booking.person_id:
            return [booking.person_id]
        return await _school_contacts(uow, booking.urn)

    async def _ask_for_evaluations(
        self, uow: UnitOfWork, booking: BookingCopy, now: datetime
    ) -> None:
        """Once the activity has ended (not at the door, where attendance is taken): how it
        went; weeks later: what changed because of it."""
        activity = await uow.bookings.activity(booking.activity_id)
        ended = max((s.ends_at for s in activity.sessions), default=now) if activity else now
        ended = max(ended, now)
        await uow.mailbox.queue(
            [
                rule.mail(
                    person,
                    booking.id,
                    occurrence,
                    now,
                    send_at=send_at,
                    activity_id=booking.activity_id,
                    booking_id=booking.id,
                    facts=NO_FACTS,
                )
                for person in await self._attendees(uow, booking)
                for rule, occurrence, send_at in (
                    (EVALUATION, BookingStatus.ATTENDED.value, ended),
                    (IMPACT, "impact", ended + self.impact_after),
                )
            ]
        )

    async def _schedule_reminders(
        self, uow: UnitOfWork, booking: BookingCopy, now: datetime
    ) -> None:
        """A reminder per lead time; one whose time has passed already is not made at all (it
        would go out late, in a burst)."""
        activity = await uow.bookings.activity(booking.activity_id)
        if activity is None or activity.starts_at is None:
            return
        mails = []
        for lead in self.reminder_leads(activity.format):
            send_at = activity.starts_at - lead
            if send_at <= now:
                continue
            for person in await self._attendees(uow, booking):
                mails.append(
                    REMINDER.mail(
                        person,
                        booking.id,
                        _lead_name(lead),
                        now,
                        send_at=send_at,
                        activity_id=activity.id,
                        booking_id=booking.id,
                        facts={"lead": _lead_words(lead), "lead_seconds": lead.total_seconds()},
                    )
                )
        await uow.mailbox.queue(mails)


async def _school_contacts(uow: UnitOfWork, urn: str) -> list[str]:
    found: list[str] = []
    for role in SCHOOL_CONTACTS:
        found += [p for p in await uow.recipients.holding(role, urn=urn) if p not in found]
    return found


async def _cancel(uow: UnitOfWork, mails: Iterable[Mail], why: str, now: datetime) -> None:
    for mail in mails:
        mail.finished(MailState.CANCELLED, now, why)
        await uow.mailbox.save(mail)


def _day(day: date) -> str:
    """As people write it: 2 December 2026."""
    return f"{day.day} {day:%B %Y}"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _lead_name(lead: timedelta) -> str:
    return f"{int(lead.total_seconds())}s"


def _lead_words(lead: timedelta) -> str:
    days, seconds = lead.days, lead.seconds
    if days and not seconds:
        return "tomorrow" if days == 1 else f"in {days} days"
    hours = round(lead.total_seconds() / 3600)
    return f"in {hours} hour{'s' if hours != 1 else ''}" if hours else "soon"
