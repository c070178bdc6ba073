"""How each event of the events service changes the participation records: activities, bookings,
evaluation ratings, support engagements and published case studies. Plain functions of the event and a writer; every write sets fields, so
a redelivered or replayed event changes nothing more."""

from collections.abc import Awaitable, Callable
from typing import Any

from contracts import activities as ev
from contracts import attendance as at
from contracts import case_studies as cs
from contracts import notifications as nt
from contracts import peer_review as pr
from contracts import placements as pl
from contracts import publications as pb
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
from services.reporting.domain.partnership_work import WorkKind
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


async def contributor(
    event: ev.ContributorInvited | ev.ContributorAnswered, model: ParticipationWriter
) -> None:
    status = (
        event.status if isinstance(event, ev.ContributorAnswered) else ev.ContributorStatus.INVITED
    )
    fields = event.model_dump(
        mode="json", include={"contributor_id", "activity_id", "partnership_id", "role"}
    )
    await model.note_work(WorkKind.CONTRIBUTORS, event.contributor_id, {**fields, "status": status})


async def funds_raised(event: ev.FundsRaised, model: ParticipationWriter) -> None:
    fields = event.model_dump(
        mode="json",
        include={
            "entry_id",
            "activity_id",
            "partnership_id",
            "charity",
            "amount_pence",
            "raised_on",
        },
    )
    await model.note_work(WorkKind.FUNDS, event.entry_id, fields)


async def funds_removed(event: ev.FundsEntryRemoved, model: ParticipationWriter) -> None:
    await model.note_work(
        WorkKind.FUNDS, event.entry_id, {"entry_id": event.entry_id, "removed": True}
    )


def _issue(
    event: pb.PublicationIssuePublished | pb.PublicationContributionRecorded,
) -> dict[str, object]:
    return event.model_dump(
        mode="json", include={"issue_id", "publication_id", "partnership_id", "published_on"}
    )


async def issue_published(event: pb.PublicationIssuePublished, model: ParticipationWriter) -> None:
    contributions = {c.urn: c.pupils for c in event.contributions}
    await model.note_work(
        WorkKind.ISSUES, event.issue_id, {**_issue(event), "contributions": contributions}
    )


async def contribution_recorded(
    event: pb.PublicationContributionRecorded, model: ParticipationWriter
) -> None:
    c = event.contribution
    await model.note_work(
        WorkKind.ISSUES, event.issue_id, {**_issue(event), f"contributions.{c.urn}": c.pupils}
    )


SWAP_STATUS = {
    pl.PlacementSwapProposed: pl.PlacementSwapStatus.PROPOSED,
    pl.PlacementSwapAgreed: pl.PlacementSwapStatus.AGREED,
    pl.PlacementSwapCompleted: pl.PlacementSwapStatus.COMPLETED,
}


async def swap(
    event: pl.PlacementSwapProposed | pl.PlacementSwapAgreed | pl.PlacementSwapCompleted,
    model: ParticipationWriter,
) -> None:
    legs = {leg.host_urn: leg.model_dump(mode="json") for leg in event.legs}
    fields = {"swap_id": event.swap_id, "partnership_id": event.partnership_id, "legs": legs}
    await model.note_work(
        WorkKind.SWAPS, event.swap_id, {**fields, "status": SWAP_STATUS[type(event)]}
    )


async def swap_rescheduled(event: pl.PlacementSwapRescheduled, model: ParticipationWriter) -> None:
    leg = event.leg
    await model.note_work(
        WorkKind.SWAPS, event.swap_id, {f"legs.{leg.host_urn}": leg.model_dump(mode="json")}
    )


async def swap_cancelled(event: pl.PlacementSwapCancelled, model: ParticipationWriter) -> None:
    await model.note_work(
        WorkKind.SWAPS, event.swap_id, {"status": pl.PlacementSwapStatus.CANCELLED}
    )


REVIEW_STATUS: dict[type[IntegrationEvent], pr.PeerReviewStatus] = {
    pr.PeerReviewPlanned: pr.PeerReviewStatus.PLANNED,
    pr.PeerReviewVisited: pr.PeerReviewStatus.VISITED,
    pr.PeerReviewReported: pr.PeerReviewStatus.REPORTED,
    pr.PeerReviewClosed: pr.PeerReviewStatus.CLOSED,
    pr.PeerReviewWithdrawn: pr.PeerReviewStatus.WITHDRAWN,
}


ActionsCounted = (
    pr.PeerReviewActionAgreed
    | pr.PeerReviewActionFollowedUp
    | pr.PeerReviewActionDone
    | pr.PeerReviewClosed
)
"""The events that carry the review's actions counted."""
REVIEW_EVENTS: tuple[type[IntegrationEvent], ...] = (
    *REVIEW_STATUS,
    pr.PeerReviewActionAgreed,
    pr.PeerReviewActionFollowedUp,
    pr.PeerReviewActionDone,
)


async def review(event: Any, model: ParticipationWriter) -> None:
    """Any event of a peer review: its status, when it was visited, its actions counted."""
    fields: dict[str, object] = {
        "review_id": event.review_id,
        "partnership_id": event.partnership_id,
        "reviewed_urn": event.reviewed_urn,
    }
    if status := REVIEW_STATUS.get(type(event)):
        fields["status"] = status
    if isinstance(event, pr.PeerReviewVisited):
        fields["visited_on"] = min(event.visit_dates).isoformat()
    if isinstance(event, ActionsCounted):
        fields |= {"actions_agreed": event.actions_agreed, "actions_done": event.actions_done}
    await model.note_work(WorkKind.REVIEWS, event.review_id, fields)


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
    ev.ContributorInvited: contributor,
    ev.ContributorAnswered: contributor,
    ev.FundsRaised: funds_raised,
    ev.FundsEntryRemoved: funds_removed,
    pb.PublicationIssuePublished: issue_published,
    pb.PublicationContributionRecorded: contribution_recorded,
    pl.PlacementSwapProposed: swap,
    pl.PlacementSwapAgreed: swap,
    pl.PlacementSwapCompleted: swap,
    pl.PlacementSwapRescheduled: swap_rescheduled,
    pl.PlacementSwapCancelled: swap_cancelled,
    **dict.fromkeys(REVIEW_EVENTS, review),
}
"""The events this projection uses (of the events service's topic and of notifications'); the
others it leaves alone."""


async def apply(event: IntegrationEvent, model: ParticipationWriter) -> None:
    await HANDLERS[type(event)](event, model)
