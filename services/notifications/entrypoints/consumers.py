"""The Kafka side: recipients from the people topic and membership's events, and every rule
from the events service's events and the reporting service's, each in the batch's unit of work (beside its inbox entries)."""

from datetime import UTC, datetime

from contracts import activities as ev
from contracts import case_studies as cs
from contracts import membership as m
from contracts import peer_review as pr
from contracts import people
from contracts import placements as pl
from contracts import reporting as rp
from contracts import support as sp
from contracts.topics import EVENTS, MEMBERSHIP, PEOPLE, REPORTING
from contracts.vocabulary import MembershipStatus
from eventkit.consumer import EventConsumer
from services.notifications.service_layer.ports import UnitOfWork
from services.notifications.service_layer.rules import Rules

PEOPLE_CONSUMER = "notifications.people"
MEMBERSHIP_CONSUMER = "notifications.membership"
EVENTS_CONSUMER = "notifications.events"
REPORTING_CONSUMER = "notifications.reporting"


def _now() -> datetime:
    return datetime.now(UTC)


async def forget(uow: UnitOfWork, person_id: str) -> None:
    """An erasure, by tombstone or by event: no name or address kept, no mail left to go."""
    await uow.recipients.erase(person_id)
    await uow.mailbox.forget_person(person_id)


def people_consumer(name: str = PEOPLE_CONSUMER) -> EventConsumer:
    consumer = EventConsumer(name, PEOPLE)

    @consumer.on(people.PersonContact)
    async def contact(event: people.PersonContact, uow: UnitOfWork) -> None:
        await uow.recipients.describe(event.person_id, name=event.name, email=event.email)

    @consumer.on(people.PersonContactErased)
    async def erased(event: people.PersonContactErased, uow: UnitOfWork) -> None:
        await forget(uow, event.person_id)

    return consumer


def membership_consumer(rules: Rules, name: str = MEMBERSHIP_CONSUMER) -> EventConsumer:
    consumer = EventConsumer(name, MEMBERSHIP)

    @consumer.on(m.RoleAssigned)
    async def role_assigned(event: m.RoleAssigned, uow: UnitOfWork) -> None:
        await uow.recipients.put_role(event.person_id, event.held())

    @consumer.on(m.SchoolRegistered, m.SchoolUpdated)
    async def school(event: m.SchoolRegistered | m.SchoolUpdated, uow: UnitOfWork) -> None:
        await uow.recipients.set_school_area(event.urn, event.la_code)

    @consumer.on(m.RoleEnded)
    async def role_ended(event: m.RoleEnded, uow: UnitOfWork) -> None:
        await uow.recipients.end_role(event.person_id, event.role_id, event.ended_on)

    @consumer.on(m.PersonErased)
    async def person_erased(event: m.PersonErased, uow: UnitOfWork) -> None:
        await forget(uow, event.person_id)

    @consumer.on(m.BoardActionAssigned)
    async def board_action(event: m.BoardActionAssigned, uow: UnitOfWork) -> None:
        await rules.board_action_assigned(uow, event, _now())

    @consumer.on(*m.STATUS_AFTER)
    async def membership_changed(event: m.MembershipChanged, uow: UnitOfWork) -> None:
        active = m.STATUS_AFTER[type(event)] == MembershipStatus.ACTIVE
        await uow.recipients.set_membership(event.partnership_id, event.urn, active)
        if isinstance(event, m.SchoolInvited):
            await rules.school_invited(uow, event, _now())

    return consumer


def events_consumer(rules: Rules, name: str = EVENTS_CONSUMER) -> EventConsumer:
    consumer = EventConsumer(name, EVENTS)

    @consumer.on(ev.ActivityPublished)
    async def published(event: ev.ActivityPublished, uow: UnitOfWork) -> None:
        await rules.activity_published(uow, event, _now())

    @consumer.on(ev.ActivityRescheduled)
    async def rescheduled(event: ev.ActivityRescheduled, uow: UnitOfWork) -> None:
        await rules.rescheduled(uow, event, _now())

    @consumer.on(ev.ActivityCancelled)
    async def cancelled(event: ev.ActivityCancelled, uow: UnitOfWork) -> None:
        await rules.activity_cancelled(uow, event, _now())

    @consumer.on(ev.MinimumNumbersAtRisk)
    async def at_risk(event: ev.MinimumNumbersAtRisk, uow: UnitOfWork) -> None:
        await rules.minimum_numbers_at_risk(uow, event, _now())

    @consumer.on(ev.BookingPlaced, ev.BookingStatusChanged)
    async def booking(event: ev.BookingPlaced | ev.BookingStatusChanged, uow: UnitOfWork) -> None:
        await rules.booking_changed(uow, event, _now())

    @consumer.on(cs.CaseStudySubmitted)
    async def submitted(event: cs.CaseStudySubmitted, uow: UnitOfWork) -> None:
        await rules.case_study_submitted(uow, event, _now())

    @consumer.on(cs.CaseStudyReturned)
    async def returned(event: cs.CaseStudyReturned, uow: UnitOfWork) -> None:
        await rules.case_study_returned(uow, event, _now())

    @consumer.on(cs.CaseStudyPublished)
    async def case_study_published(event: cs.CaseStudyPublished, uow: UnitOfWork) -> None:
        await rules.case_study_published(uow, event, _now())

    @consumer.on(sp.SupportMatched, sp.SupportAgreed)
    async def support(event: sp.SupportMatched | sp.SupportAgreed, uow: UnitOfWork) -> None:
        await rules.support_changed(uow, event, _now())

    @consumer.on(ev.ContributorInvited)
    async def contributor_invited(event: ev.ContributorInvited, uow: UnitOfWork) -> None:
        await rules.contributor_invited(uow, event, _now())

    @consumer.on(ev.ContributorAnswered)
    async def contributor_answered(event: ev.ContributorAnswered, uow: UnitOfWork) -> None:
        await rules.contributor_answered(uow, event, _now())

    @consumer.on(pr.PeerReviewPlanned)
    async def peer_review(event: pr.PeerReviewPlanned, uow: UnitOfWork) -> None:
        await rules.peer_review_planned(uow, event, _now())

    @consumer.on(pl.PlacementSwapProposed, pl.PlacementSwapAgreed)
    async def placement_swap(
        event: pl.PlacementSwapProposed | pl.PlacementSwapAgreed, uow: UnitOfWork
    ) -> None:
        await rules.placement_swap(uow, event, _now())

    @consumer.on(ev.BookingSubstituted)
    async def substituted(event: ev.BookingSubstituted, uow: UnitOfWork) -> None:
        await rules.substituted(uow, event, _now())

    return consumer


def reporting_consumer(rules: Rules, name: str = REPORTING_CONSUMER) -> EventConsumer:
    consumer = EventConsumer(name, REPORTING)

    @consumer.on(rp.CountyReportReady)
    async def county_report(event: rp.CountyReportReady, uow: UnitOfWork) -> None:
        await rules.county_report_ready(uow, event, _now())

    return consumer
