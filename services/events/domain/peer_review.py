"""Peer review, the partnership's sector-led improvement: heads and senior leaders of other
member schools review one school against the focus areas it chose, visit it and report its
strengths and areas for development; the school agrees actions, follows each up until it is
done, and closes the review. The reviewed school decides who beyond its leads and the
reviewers reads the findings and actions (`sharing`).

planned → visited → reported → closed; or withdrawn before it is closed.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, Field, field_validator

from contracts import peer_review as events
from contracts.peer_review import FindingKind, PeerReviewSharing, PeerReviewStatus
from contracts.vocabulary import URN_PATTERN, ActivityCategory
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid, NotFound
from eventkit.inputs import Day, Line, Text

S = PeerReviewStatus
ORDER = (S.PLANNED, S.VISITED, S.REPORTED, S.CLOSED)
MAX_REVIEWERS = 6
MAX_FOCUS_AREAS = 8

FocusArea = Annotated[Line, Field(max_length=200, examples=["Reading in key stage 1"])]
Note = Annotated[Text, Field(max_length=5000)]


def focus_key(title: str) -> str:
    """The form focus areas are compared in: single spaces, case folded."""
    return " ".join(title.split()).casefold()


class PeerReviewPlan(BaseModel):
    partnership_id: str = Field(min_length=1, max_length=100)
    reviewed_urn: str = Field(pattern=URN_PATTERN, description="The member school reviewed")
    reviewer_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1,
        max_length=MAX_REVIEWERS,
        description="Person ids of heads or senior leaders of other member schools",
    )
    focus_areas: list[FocusArea] = Field(min_length=1, max_length=MAX_FOCUS_AREAS)
    categories: list[ActivityCategory] = Field(default_factory=list, max_length=20)
    visit_dates: list[Day] = Field(
        min_length=1, max_length=5, description="The day or days of the visit"
    )

    @field_validator("reviewer_ids")
    @classmethod
    def _once_each(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    @field_validator("focus_areas")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        tidy = [" ".join(v.split()) for v in values]
        if len({focus_key(v) for v in tidy}) < len(tidy):
            raise ValueError("a focus area is named twice")
        return tidy

    @field_validator("categories")
    @classmethod
    def _sorted(cls, values: list[ActivityCategory]) -> list[ActivityCategory]:
        return sorted(set(values))

    @field_validator("visit_dates")
    @classmethod
    def _in_order(cls, values: list[date]) -> list[date]:
        return sorted(set(values))


class Finding(BaseModel):
    focus_area: FocusArea = Field(
        description="The focus area it belongs to, as the review names it"
    )
    kind: FindingKind
    text: Annotated[Text, Field(max_length=2000)]


class FollowUp(BaseModel):
    on: date
    note: str
    by_person_id: str | None = None


class AgreedAction(BaseModel):
    id: str
    text: str
    owner_person_id: str | None = Field(None, description="Who at the reviewed school owns it")
    agreed_on: date
    due_on: date
    follow_ups: list[FollowUp] = Field(default_factory=list)
    done_on: date | None = None


class Closure(BaseModel):
    on: date
    reasons: str | None = None


class PeerReview(Aggregate):
    id: str
    partnership_id: str
    reviewed_urn: str
    reviewer_ids: list[str]
    focus_areas: list[str]
    categories: list[ActivityCategory] = Field(default_factory=list)
    visit_dates: list[date] = Field(description="Planned, then the days the visit took")
    status: PeerReviewStatus = S.PLANNED
    sharing: PeerReviewSharing = PeerReviewSharing.SCHOOL_AND_REVIEWERS
    reported_on: date | None = None
    findings: list[Finding] = Field(default_factory=list)
    actions: list[AgreedAction] = Field(default_factory=list)
    closure: Closure | None = None
    withdrawal_reason: str | None = None
    planned_by: str = Field(description="Who planned it: a person id, or a hash of a caller")
    planned_at: datetime

    @classmethod
    def plan(cls, plan: PeerReviewPlan, *, planned_by: str, planned_at: datetime) -> Self:
        review = cls(
            id=uuid.uuid4().hex[:12],
            **plan.model_dump(),
            planned_by=planned_by,
            planned_at=planned_at,
        )
        review.record(
            events.PeerReviewPlanned(
                **review._identity(),
                reviewer_ids=review.reviewer_ids,
                focus_area_count=len(review.focus_areas),
                categories=review.categories,
                visit_dates=review.visit_dates,
                sharing=review.sharing,
            )
        )
        return review

    # -- what it says ------------------------------------------------------------------------

    def count(self, kind: FindingKind) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    @property
    def actions_done(self) -> int:
        return sum(1 for a in self.actions if a.done_on is not None)

    @property
    def last_visit_day(self) -> date:
        return self.visit_dates[-1]

    def action(self, action_id: str) -> AgreedAction:
        found = next((a for a in self.actions if a.id == action_id), None)
        if found is None:
            raise NotFound(f"no action {action_id} in peer review {self.id}")
        return found

    # -- what happens ------------------------------------------------------------------------

    def record_visit(self, days: list[date]) -> None:
        self._require(S.PLANNED, action="record the visit of")
        self.visit_dates, self.status = sorted(set(days)), S.VISITED
        self.record(
            events.PeerReviewVisited(
                **self._identity(), visit_dates=self.visit_dates, reviewer_ids=self.reviewer_ids
            )
        )

    def report(self, findings: list[Finding], on: date) -> None:
        """Record the findings (replacing any recorded before), each under a focus area."""
        self._require(
            S.VISITED, S.REPORTED, action="record findings of", too_early="record the visit first"
        )
        if on < self.last_visit_day:
            raise Invalid(f"reported_on: the findings follow the visit ({self.last_visit_day})")
        titles = {focus_key(t): t for t in self.focus_areas}
        placed = []
        for n, finding in enumerate(findings):
            title = titles.get(focus_key(finding.focus_area))
            if title is None:
                raise Invalid(
                    f"findings.{n}.focus_area: not one of the review's focus areas: "
                    + "; ".join(self.focus_areas)
                )
            placed.append(finding.model_copy(update={"focus_area": title}))
        self.findings, self.reported_on, self.status = placed, on, S.REPORTED
        self.record(
            events.PeerReviewReported(
                **self._identity(),
                reported_on=on,
                strengths=self.count(FindingKind.STRENGTH),
                areas_for_development=self.count(FindingKind.AREA_FOR_DEVELOPMENT),
            )
        )

    def agree_action(
        self, text: str, *, agreed_on: date, due_on: date, owner_person_id: str | None
    ) -> AgreedAction:
        self._require(S.REPORTED, action="agree actions in", too_early="record the findings first")
        visited = self.last_visit_day
        if due_on < visited:
            raise Invalid(f"due_on: an action falls due after the visit ({visited})")
        if agreed_on < visited:
            raise Invalid(f"agreed_on: actions are agreed after the visit ({visited})")
        if due_on < agreed_on:
            raise Invalid(f"due_on: an action falls due after the day it is agreed ({agreed_on})")
        action = AgreedAction(
            id=uuid.uuid4().hex[:12],
            text=text,
            owner_person_id=owner_person_id,
            agreed_on=agreed_on,
            due_on=due_on,
        )
        self.actions = [*self.actions, action]
        self.record(
            events.PeerReviewActionAgreed(
                **self._of_action(action),
                agreed_on=agreed_on,
                due_on=due_on,
                owner_person_id=owner_person_id,
            )
        )
        return action

    def follow_up(self, action_id: str, *, on: date, note: str, by_person_id: str | None) -> None:
        action = self._open_action(action_id, "follow up")
        if on < action.agreed_on:
            raise Invalid(f"on: a follow-up comes after the action was agreed ({action.agreed_on})")
        action.follow_ups = [
            *action.follow_ups,
            FollowUp(on=on, note=note, by_person_id=by_person_id),
        ]
        self.record(
            events.PeerReviewActionFollowedUp(
                **self._of_action(action), on=on, follow_ups=len(action.follow_ups)
            )
        )

    def mark_done(self, action_id: str, on: date) -> None:
        action = self._open_action(action_id, "mark done")
        if on < action.agreed_on:
            raise Invalid(f"on: an action is done after it was agreed ({action.agreed_on})")
        action.done_on = on
        self.record(
            events.PeerReviewActionDone(**self._of_action(action), done_on=on, due_on=action.due_on)
        )

    def share(self, sharing: PeerReviewSharing) -> None:
        if self.status == S.WITHDRAWN:
            raise Conflict(f"peer review {self.id} was withdrawn: there is nothing to share")
        if sharing == self.sharing:
            return
        previous, self.sharing = self.sharing, sharing
        self.record(
            events.PeerReviewSharingChanged(
                **self._identity(), sharing=sharing, previous_sharing=previous
            )
        )

    def close(self, on: date, reasons: str | None) -> None:
        self._require(S.REPORTED, action="close", too_early="record the findings first")
        assert self.reported_on is not None
        if on < self.reported_on:
            raise Invalid(f"on: the review closes after its findings ({self.reported_on})")
        open_actions = len(self.actions) - self.actions_done
        if open_actions and not reasons:
            raise Invalid(
                f"reasons: {open_actions} of the agreed actions are not done; "
                "say why the review closes before they are"
            )
        self.closure, self.status = Closure(on=on, reasons=reasons), S.CLOSED
        self.record(
            events.PeerReviewClosed(
                **self._identity(),
                closed_on=on,
                actions_agreed=len(self.actions),
                actions_done=self.actions_done,
                with_reasons=bool(reasons),
            )
        )

    def withdraw(self, reason: str | None) -> None:
        self._require(S.PLANNED, S.VISITED, S.REPORTED, action="withdraw")
        previous, self.status, self.withdrawal_reason = self.status, S.WITHDRAWN, reason
        self.record(events.PeerReviewWithdrawn(**self._identity(), previous_status=previous))

    # -- helpers -----------------------------------------------------------------------------

    def _identity(self) -> dict[str, str]:
        return {
            "review_id": self.id,
            "partnership_id": self.partnership_id,
            "reviewed_urn": self.reviewed_urn,
        }

    def _of_action(self, action: AgreedAction) -> dict[str, str | int]:
        return {
            **self._identity(),
            "action_id": action.id,
            "actions_agreed": len(self.actions),
            "actions_done": self.actions_done,
        }

    def _require(self, *allowed: PeerReviewStatus, action: str, too_early: str = "") -> None:
        """409 unless the review is in one of the `allowed` states; `too_early` says what
        comes first, for a review not yet that far."""
        if self.status in allowed:
            return
        message = f"cannot {action} a peer review that is {self.status}"
        earliest = min(ORDER.index(s) for s in allowed)
        if too_early and self.status in ORDER and ORDER.index(self.status) < earliest:
            message = f"{message}: {too_early}"
        raise Conflict(message)

    def _open_action(self, action_id: str, doing: str) -> AgreedAction:
        self._require(S.REPORTED, action=f"{doing} an action of")
        action = self.action(action_id)
        if action.done_on is not None:
            raise Conflict(f"action {action_id} was done on {action.done_on}")
        return action
