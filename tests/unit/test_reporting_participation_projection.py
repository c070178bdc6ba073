"""The participation projection, event by event, into a fake of its writer port that keeps the
Mongo adapter's rules (upserts that set fields; a change to a record never described changes
nothing): the records it keeps, that a replay changes nothing, and the figures they give."""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from contracts import activities as ev
from contracts import attendance as at
from contracts import case_studies as cs
from contracts import notifications as nt
from contracts import peer_review as pr
from contracts import placements as pl
from contracts import publications as pb
from contracts import support as sp
from contracts.activities import Audience, Session
from contracts.envelope import IntegrationEvent
from contracts.support import SupportOutcome
from contracts.vocabulary import (
    ActivityCategory,
    ActivityFormat,
    ActivityStatus,
    BookingStatus,
    ContributorRole,
    Phase,
    Sector,
)
from services.reporting.adapters.term_report import beyond_the_programme
from services.reporting.domain.participation import (
    ActivityRecord,
    BookingRecord,
    CaseStudyRecord,
    EvaluationRecord,
    MailRecord,
    SupportRecord,
    term_figures,
)
from services.reporting.domain.partnership_work import (
    ContributorRecord,
    FundsRecord,
    IssueRecord,
    PartnershipWork,
    ReviewRecord,
    SwapRecord,
    WorkKind,
)
from services.reporting.domain.records import SchoolRecord
from services.reporting.service_layer import participation_projection


class FakeParticipation:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, dict[str, Any]]] = {}

    def _set(self, collection: str, key: str, fields: dict[str, Any]) -> None:
        self.docs.setdefault(collection, {}).setdefault(key, {}).update(fields)

    def _change(self, collection: str, key: str, fields: dict[str, Any]) -> None:
        if key in self.docs.get(collection, {}):
            self.docs[collection][key].update(fields)

    async def describe_activity(self, activity: ActivityRecord) -> None:
        self._set("activities", activity.activity_id, activity.model_dump())

    async def reschedule_activity(self, activity_id: str, sessions: list[Session]) -> None:
        self._change("activities", activity_id, {"sessions": sessions})

    async def set_activity_status(self, activity_id: str, status: ActivityStatus) -> None:
        self._change("activities", activity_id, {"status": status})

    async def describe_booking(self, booking: BookingRecord) -> None:
        self._set("bookings", booking.booking_id, booking.model_dump())

    async def substitute(self, booking_id: str, person_id: str | None) -> None:
        self._change("bookings", booking_id, {"person_id": person_id})

    async def describe_evaluation(self, evaluation: EvaluationRecord) -> None:
        key = f"{evaluation.booking_id}:{evaluation.stage}"
        self._set("evaluations", key, evaluation.model_dump())

    async def note_support(self, engagement_id: str, **fields: object) -> None:
        self._set("support", engagement_id, {"engagement_id": engagement_id, **fields})

    async def describe_case_study(self, case_study: CaseStudyRecord) -> None:
        self._set("case_studies", case_study.case_study_id, case_study.model_dump())

    async def withdraw_case_study(self, case_study_id: str) -> None:
        self._change("case_studies", case_study_id, {"withdrawn": True})

    async def note_mail(self, mail: MailRecord) -> None:
        self._set("mail", mail.mail_id, mail.model_dump(exclude_none=True))

    async def note_work(self, kind: WorkKind, key: str, fields: Mapping[str, object]) -> None:
        """Like Mongo's $set: a dotted path sets one field inside another."""
        doc = self.docs.setdefault(kind.value, {}).setdefault(key, {})
        for path, value in fields.items():
            *parents, name = path.split(".")
            inner = doc
            for parent in parents:
                inner = inner.setdefault(parent, {})
            inner[name] = value

    def work(self) -> PartnershipWork:
        return PartnershipWork(
            funds=self.records(WorkKind.FUNDS.value, FundsRecord),
            contributors=self.records(WorkKind.CONTRIBUTORS.value, ContributorRecord),
            issues=self.records(WorkKind.ISSUES.value, IssueRecord),
            swaps=self.records(WorkKind.SWAPS.value, SwapRecord),
            reviews=self.records(WorkKind.REVIEWS.value, ReviewRecord),
        )

    def records(self, collection: str, model: Any) -> list[Any]:
        return [model.model_validate(d) for d in self.docs.get(collection, {}).values()]


STARTS = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
LATER = STARTS + timedelta(days=7)
HOST, GUEST = "110001", "110002"
SCHOOLS = {
    HOST: SchoolRecord(urn=HOST, name="H", sector=Sector.STATE, phase=Phase.PRIMARY),
    GUEST: SchoolRecord(urn=GUEST, name="G", sector=Sector.INDEPENDENT, phase=Phase.SECONDARY),
}


def story() -> list[IntegrationEvent]:
    session = Session(starts_at=STARTS, ends_at=STARTS + timedelta(hours=2))
    moved = Session(starts_at=LATER, ends_at=LATER + timedelta(hours=3))
    booking = {"activity_id": "a1", "booking_id": "b1", "urn": GUEST, "person_id": "p1"}
    return [
        ev.BookingStatusChanged(  # before its activity is known: kept all the same
            **booking, previous=BookingStatus.REGISTERED, status=BookingStatus.ATTENDED
        ),
        ev.ActivityRescheduled(activity_id="a1", sessions=[moved], sequence=1),  # too early
        ev.ActivityPublished(
            activity_id="a1",
            title="Maths TeachMeet",
            category=ActivityCategory.TEACHER_DEVELOPMENT,
            format=ActivityFormat.TEACHMEET,
            partnership_id="pt1",
            host_urn=HOST,
            sessions=[session],
            audience=Audience(),
            capacity=12,
            status=ActivityStatus.PUBLISHED,
            sequence=0,
        ),
        ev.ActivityRescheduled(activity_id="a1", sessions=[moved], sequence=2),
        ev.BookingSubstituted(**{**booking, "person_id": "p2"}, previous_person_id="p1"),
        at.EvaluationSubmitted(
            activity_id="a1",
            booking_id="b1",
            urn=GUEST,
            stage="on_the_day",
            ratings={"overall": 5},
            submitted_at=LATER,
        ),
        at.EvaluationSubmitted(
            activity_id="a1",
            booking_id="b1",
            urn=GUEST,
            stage="impact",
            ratings={"impact": 4},
            submitted_at=LATER,
            themes=["questioning", "maths"],
        ),
        sp.SupportRequested(
            engagement_id="e1", partnership_id="pt1", requesting_urn=HOST, requested_at=STARTS
        ),
        sp.SupportClosed(
            engagement_id="e1",
            partnership_id="pt1",
            requesting_urn=HOST,
            supporting_urn=GUEST,
            on=date(2026, 12, 1),
            outcome=SupportOutcome.OBJECTIVES_MET,
            visits=3,
        ),
        cs.CaseStudyPublished(
            case_study_id="c1",
            partnership_id="pt1",
            title="Debating",
            published_at=LATER,
            summary="s",
            impact="i",
        ),
        cs.CaseStudyWithdrawn(
            case_study_id="c2", partnership_id="pt1", title="Never published", reason="r"
        ),
        nt.MessageSent(
            person_id="p2",
            mail_id="m1",
            rule="booking_registered",
            category="bookings",
            subject_id="b1",
            sent_at=STARTS,
        ),
        nt.AddressHeld(person_id="p3", mail_id="m2", held_at=LATER, subject_id="a1"),
    ]


async def apply_all(model: FakeParticipation, events: Sequence[IntegrationEvent]) -> None:
    for event in events:
        await participation_projection.apply(event, model)


async def test_each_event_sets_its_record_and_a_replay_changes_nothing() -> None:
    model = FakeParticipation()
    await apply_all(model, story())
    [activity] = model.records("activities", ActivityRecord)
    assert (activity.sessions[0].starts_at, activity.host_urn) == (LATER, HOST)
    [booking] = model.records("bookings", BookingRecord)
    assert (booking.person_id, booking.status) == ("p2", BookingStatus.ATTENDED)
    [support] = model.records("support", SupportRecord)
    assert (support.requested_at, support.outcome) == (STARTS, SupportOutcome.OBJECTIVES_MET)
    assert [c.case_study_id for c in model.records("case_studies", CaseStudyRecord)] == ["c1"]
    mail = {m.mail_id: m for m in model.records("mail", MailRecord)}
    assert (mail["m1"].sent_at, mail["m2"].held_at, mail["m2"].sent_at) == (STARTS, LATER, None)

    before = repr(model.docs)
    await apply_all(model, story())
    assert repr(model.docs) == before


async def test_the_records_give_the_terms_figures() -> None:
    model = FakeParticipation()
    await apply_all(model, story())
    [autumn] = term_figures(
        model.records("activities", ActivityRecord),
        model.records("bookings", BookingRecord),
        model.records("evaluations", EvaluationRecord),
        SCHOOLS,
        model.records("support", SupportRecord),
        model.records("case_studies", CaseStudyRecord),
        model.records("mail", MailRecord),
    )
    assert (autumn.activities, autumn.staff_reached, autumn.cpd_hours) == (1, 1, 3.0)
    assert (autumn.cross_sector_activities, autumn.evaluations) == (1, 1)  # on the day
    assert autumn.practice_themes == {"maths": 1, "questioning": 1}
    assert (autumn.support_requested, autumn.support_closed) == (1, 1)
    assert (autumn.case_studies_published, autumn.mail_sent, autumn.mail_held) == (1, 1, 1)


def the_partnerships_other_work() -> list[IntegrationEvent]:
    """A speaker who confirms and one who declines; money raised, and an entry made in error;
    a magazine issue by pupils of two schools, one count corrected; a swap rescheduled, and one
    cancelled; a peer review visited with two actions, one done."""
    speaker = {"activity_id": "a1", "partnership_id": "pt1", "role": ContributorRole.SPEAKER}
    leg = {"starts_on": date(2026, 11, 16), "ends_on": date(2026, 11, 20)}
    legs = [
        pl.PlacementLeg(host_urn=HOST, visitor_urn=GUEST, visitor_id="t1", **leg),
        pl.PlacementLeg(host_urn=GUEST, visitor_urn=HOST, visitor_id="t2", **leg),
    ]
    moved = legs[1].model_copy(
        update={"starts_on": date(2027, 1, 11), "ends_on": date(2027, 1, 15)}
    )
    swap = {"swap_id": "s1", "partnership_id": "pt1"}
    review = {"review_id": "r1", "partnership_id": "pt1", "reviewed_urn": HOST}
    action = {**review, "due_on": date(2027, 2, 1)}
    issue = {"publication_id": "m1", "partnership_id": "pt1", "issue_id": "i1"}
    return [
        ev.ContributorInvited(contributor_id="c1", person_id="mel", **speaker),
        ev.ContributorAnswered(contributor_id="c1", person_id="mel", status="confirmed", **speaker),
        ev.ContributorInvited(contributor_id="c2", person_id="ann", **speaker),
        ev.ContributorAnswered(contributor_id="c2", person_id="ann", status="declined", **speaker),
        ev.FundsRaised(
            activity_id="a1",
            partnership_id="pt1",
            entry_id="f1",
            charity="Pilgrims Hospices",
            amount_pence=125000,
            raised_on=date(2026, 11, 20),
        ),
        ev.FundsRaised(
            activity_id="a1",
            partnership_id="pt1",
            entry_id="f2",
            charity="Typo Trust",
            amount_pence=1,
            raised_on=date(2026, 11, 20),
        ),
        ev.FundsEntryRemoved(activity_id="a1", partnership_id="pt1", entry_id="f2"),
        pb.PublicationIssuePublished(
            **issue,
            kind=pb.PublicationKind.MAGAZINE,
            published_on=date(2026, 12, 4),
            contributions=[
                pb.PupilContribution(urn=HOST, pupils=6),
                pb.PupilContribution(urn=GUEST, pupils=4),
            ],
            pupils=10,
        ),
        pb.PublicationContributionRecorded(
            **issue,
            published_on=date(2026, 12, 4),
            contribution=pb.PupilContribution(urn=GUEST, pupils=5),
            previous_pupils=4,
            pupils=11,
        ),
        pl.PlacementSwapProposed(**swap, legs=legs),
        pl.PlacementSwapAgreed(**swap, legs=legs),
        pl.PlacementSwapRescheduled(
            **swap, leg=moved, previous_starts_on=leg["starts_on"], previous_ends_on=leg["ends_on"]
        ),
        pl.PlacementSwapProposed(swap_id="s2", partnership_id="pt1", legs=legs),
        pl.PlacementSwapCancelled(
            swap_id="s2", partnership_id="pt1", previous_status=pl.PlacementSwapStatus.PROPOSED
        ),
        pr.PeerReviewPlanned(
            **review,
            reviewer_ids=["h1", "h2"],
            focus_area_count=2,
            visit_dates=[date(2026, 11, 24)],
        ),
        pr.PeerReviewVisited(**review, visit_dates=[date(2026, 11, 24)], reviewer_ids=["h1"]),
        pr.PeerReviewActionAgreed(
            **action, action_id="x1", actions_agreed=1, actions_done=0, agreed_on=date(2026, 11, 30)
        ),
        pr.PeerReviewActionAgreed(
            **action, action_id="x2", actions_agreed=2, actions_done=0, agreed_on=date(2026, 11, 30)
        ),
        pr.PeerReviewActionDone(
            **action, action_id="x1", actions_agreed=2, actions_done=1, done_on=date(2026, 12, 10)
        ),
    ]


async def test_the_partnerships_other_work_counts_in_the_term_it_happened() -> None:
    model = FakeParticipation()
    await apply_all(model, [*story(), *the_partnerships_other_work()])
    before = repr(model.docs)
    await apply_all(model, the_partnerships_other_work())
    assert repr(model.docs) == before

    [autumn] = term_figures(
        model.records("activities", ActivityRecord),
        [],
        [],
        SCHOOLS,
        work=model.work(),
    )
    assert autumn.contributors == {"speaker": 1}
    assert (autumn.funds_raised_pence, autumn.funds_by_charity) == (
        125000,
        {"Pilgrims Hospices": 125000},
    )
    assert (autumn.publication_issues, autumn.pupils_published) == (1, 11)
    assert (autumn.peer_reviews, autumn.peer_review_actions_agreed) == (1, 2)
    assert autumn.peer_review_actions_done == 1
    assert (autumn.placement_swaps, autumn.trainees_exchanged) == (1, 2)  # its first leg's term
    [swap] = [s for s in model.work().swaps if s.swap_id == "s1"]
    assert swap.legs[GUEST].starts_on == date(2027, 1, 11)  # the leg rescheduled into spring
    assert beyond_the_programme(autumn) == (
        "£1,250 raised for charity (Pilgrims Hospices £1,250); 1 publication issue(s) by 11 "
        "pupils; 1 placement swap(s), 2 trainees placed; 1 peer review(s), 1 of 2 actions done; "
        "confirmed to speak, facilitate or host: 1 speaker(s)"
    )
