"""How each event of the events service changes the participation records: activities, bookings,
evaluation ratings, support engagements and published case studies. Plain functions of the event and a writer; every write sets fields, so
a redelivered or replayed event changes nothing more."""

from collections.abc import Awaitable, Callable
from typing import Any

from contracts import activities as ev
from contracts import attendance as at
from contracts import case_studies as cs
from contracts import notifications as nt
from contracts import support as sp
from contracts.envelope import IntegrationEvent
from contracts.vocabulary import ActivityStatus
from services.reporting.domain.participation import (
    ActivityRecord,
    BookingRecord,
    CaseStudyRecord,
    EvaluationRecord,
    MailRecord,
)
from services.reporting.service_layer.read_model import ParticipationWriter


async def published(event: ev.ActivityPublished, model: ParticipationWriter) -> None:
    await model.describe_activity(
        ActivityRecord(
            activity_id=event.activity_id,
            partnership_id=event.partnership_id,
            category=event.category,
            format=event.format,
            host_urn=event.host_urn,
            sessions=event.sessions,
            capacity=event.capacity,
            for_pupils=event.audience.pupils,
            status=event.status,
        )
    )


async def rescheduled(event: ev.ActivityRescheduled, model: ParticipationWriter) -> None:
    await model.reschedule_activity(event.activity_id, event.sessions)


async def cancelled(event: ev.ActivityCancelled, model: ParticipationWriter) -> None:
    await model.set_activity_status(event.activity_id, ActivityStatus.CANCELLED)


async def completed(event: ev.ActivityCompleted, model: ParticipationWriter) -> None:
    await model.set_activity_status(event.activity_id, ActivityStatus.COMPLETED)


async def booking(
    event: ev.BookingPlaced | ev.BookingStatusChanged, model: ParticipationWriter
) -> None:
    await model.describe_booking(
        BookingRecord(
            booking_id=event.booking_id,
            activity_id=event.activity_id,
            urn=event.urn,
            person_id=event.person_id,
            pupils=event.pupils,
            status=event.status,
        )
    )


async def substituted(event: ev.BookingSubstituted, model: ParticipationWriter) -> None:
    await model.substitute(event.booking_id, event.person_id)


async def evaluated(event: at.EvaluationSubmitted, model: ParticipationWriter) -> None:
    await model.describe_evaluation(
        EvaluationRecord(
            booking_id=event.booking_id,
            activity_id=event.activity_id,
            stage=event.stage.value,
            ratings=dict(event.ratings),
            respondents=event.respondents,
            themes=[t.value for t in event.themes],
        )
    )


def _engagement(
    event: sp.SupportRequested | sp.SupportAgreed | sp.SupportClosed | sp.SupportWithdrawn,
) -> dict[str, Any]:
    return {"partnership_id": event.partnership_id, "requesting_urn": event.requesting_urn}


async def support_requested(event: sp.SupportRequested, model: ParticipationWriter) -> None:
    await model.note_support(
        event.engagement_id, **_engagement(event), requested_at=event.requested_at
    )


async def support_agreed(event: sp.SupportAgreed, model: ParticipationWriter) -> None:
    await model.note_support(
        event.engagement_id,
        **_engagement(event),
        supporting_urn=event.supporting_urn,
        agreed_on=event.starts_on,
    )


async def support_closed(event: sp.SupportClosed, model: ParticipationWriter) -> None:
    await model.note_support(
        event.engagement_id,
        **_engagement(event),
        supporting_urn=event.supporting_urn,
        closed_on=event.on,
        outcome=event.outcome,
    )


async def support_withdrawn(event: sp.SupportWithdrawn, model: ParticipationWriter) -> None:
    await model.note_support(event.engagement_id, **_engagement(event), withdrawn=True)


async def case_study_published(event: cs.CaseStudyPublished, model: ParticipationWriter) -> None:
    await model.describe_case_study(
        CaseStudyRecord(
            case_study_id=event.case_study_id,
            partnership_id=event.partnership_id,
            published_at=event.published_at,
        )
    )


async def case_study_withdrawn(event: cs.CaseStudyWithdrawn, model: ParticipationWriter) -> None:
    await model.withdraw_case_study(event.case_study_id)


async def mail_sent(event: nt.MessageSent, model: ParticipationWriter) -> None:
    await model.note_mail(
        MailRecord(
            mail_id=event.mail_id,
            subject_id=event.subject_id,
            category=event.category,
            sent_at=event.sent_at,
        )
    )


async def address_held(event: nt.AddressHeld, model: ParticipationWriter) -> None:
    await model.note_mail(
        MailRecord(mail_id=event.mail_id, subject_id=event.subject_id, held_at=event.held_at)
    )


HANDLERS: dict[type[IntegrationEvent], Callable[[Any, ParticipationWriter], Awaitable[None]]] = {
    ev.ActivityPublished: published,
    ev.ActivityRescheduled: rescheduled,
    ev.ActivityCancelled: cancelled,
    ev.ActivityCompleted: completed,
    ev.BookingPlaced: booking,
    ev.BookingStatusChanged: booking,
    ev.BookingSubstituted: substituted,
    at.EvaluationSubmitted: evaluated,
    sp.SupportRequested: support_requested,
    sp.SupportAgreed: support_agreed,
    sp.SupportClosed: support_closed,
    sp.SupportWithdrawn: support_withdrawn,
    cs.CaseStudyPublished: case_study_published,
    cs.CaseStudyWithdrawn: case_study_withdrawn,
    nt.MessageSent: mail_sent,
    nt.AddressHeld: address_held,
}
"""The events this projection uses (of the events service's topic and of notifications'); the
others it leaves alone."""


async def apply(event: IntegrationEvent, model: ParticipationWriter) -> None:
    await HANDLERS[type(event)](event, model)
