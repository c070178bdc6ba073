"""School-to-school support: a school asks for help in a subject or area through a partnership,
a supporting school is matched, both agree, visits follow (each with an impact note), then a
mid-term review and a close with an outcome.

requested → matched → agreed → active (first visit) → reviewed → closed; or withdrawn before closed.
"""

from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from contracts import support as events
from contracts.support import SupportOutcome, SupportStatus
from contracts.vocabulary import ActivityCategory, Phase
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid

S = SupportStatus

SUBJECT_ALIASES = {
    "mathematics": "maths",
    "math": "maths",
    "numeracy": "maths",
    "literacy": "english",
    "computer science": "computing",
    "pe": "physical education",
}


def subject_key(subject: str) -> str:
    """The form subjects are compared in: lower case, single spaces, common aliases joined."""
    words = " ".join(subject.split()).casefold()
    return SUBJECT_ALIASES.get(words, words)


class SupportNeed(BaseModel):
    subjects: list[str] = Field(default_factory=list, max_length=20)
    categories: list[ActivityCategory] = Field(default_factory=list, max_length=20)
    phase: Phase | None = Field(
        None, description="The phase support is for (default: the requesting school's)"
    )
    description: str | None = Field(None, max_length=5000)

    @field_validator("subjects")
    @classmethod
    def _tidy(cls, values: list[str]) -> list[str]:
        tidy = [" ".join(v.split()) for v in values]
        if any(len(v) > 100 for v in tidy):
            raise ValueError("a subject is at most 100 characters")
        return sorted({v for v in tidy if v})

    @model_validator(mode="after")
    def _something(self) -> "SupportNeed":
        if not self.subjects and not self.categories:
            raise ValueError("name at least one subject or category the support is for")
        return self


class Agreement(BaseModel):
    objectives: list[str] = Field(min_length=1, max_length=20)
    starts_on: date
    ends_on: date
    visits_planned: int = Field(ge=1, le=100)

    @field_validator("objectives")
    @classmethod
    def _objectives(cls, values: list[str]) -> list[str]:
        tidy = [v.strip() for v in values]
        if not all(tidy):
            raise ValueError("an objective cannot be empty")
        if any(len(v) > 1000 for v in tidy):
            raise ValueError("an objective is at most 1000 characters")
        return tidy

    @model_validator(mode="after")
    def _dates(self) -> "Agreement":
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class Visit(BaseModel):
    number: int
    on: date
    by_person_id: str | None = None
    notes: str | None = Field(None, max_length=5000)
    impact_note: str = Field(min_length=1, max_length=500)


class Review(BaseModel):
    on: date = Field(default_factory=date.today)
    progress: int = Field(ge=1, le=5, description="1 (little progress) to 5 (excellent)")
    notes: str | None = Field(None, max_length=5000)


class Closure(BaseModel):
    on: date = Field(default_factory=date.today)
    outcome: SupportOutcome
    impact_summary: str = Field(min_length=1, max_length=10_000)


class SupportEngagement(Aggregate):
    id: str
    partnership_id: str
    requesting_urn: str
    need: SupportNeed
    status: SupportStatus = S.REQUESTED
    supporting_urn: str | None = None
    agreement: Agreement | None = None
    agreed_by: list[str] = Field(
        default_factory=list, description="The schools whose leads agreed the current terms"
    )
    visits: list[Visit] = Field(default_factory=list)
    review: Review | None = None
    closure: Closure | None = None
    withdrawal_reason: str | None = None
    requested_by: str = Field(description="Who asked: a person id, or a hash of a caller with none")
    requested_at: datetime

    @classmethod
    def request(cls, **fields: object) -> "SupportEngagement":
        engagement = cls.model_validate(fields)
        need = engagement.need
        engagement.record(
            events.SupportRequested(
                **engagement._identity(),
                subjects=need.subjects,
                categories=need.categories,
                phase=need.phase,
                requested_at=engagement.requested_at,
            )
        )
        return engagement

    def _identity(self) -> dict[str, str]:
        return {
            "engagement_id": self.id,
            "partnership_id": self.partnership_id,
            "requesting_urn": self.requesting_urn,
        }

    def _supported(self) -> dict[str, str]:
        assert self.supporting_urn is not None
        return {**self._identity(), "supporting_urn": self.supporting_urn}

    def _require(self, *allowed: SupportStatus, action: str, hint: str = "") -> None:
        if self.status not in allowed:
            message = f"cannot {action} a support engagement that is {self.status}"
            raise Conflict(f"{message}: {hint}" if hint else message)

    def parties(self) -> set[str]:
        return {self.requesting_urn, *([self.supporting_urn] if self.supporting_urn else [])}

    def match(self, urn: str) -> None:
        self._require(S.REQUESTED, S.MATCHED, action="match", hint="it is past agreement")
        if urn == self.requesting_urn:
            raise Invalid("a school cannot support itself: choose another school")
        if urn == self.supporting_urn:
            return
        previous, self.supporting_urn = self.supporting_urn, urn
        self.status = S.MATCHED
        self.agreement, self.agreed_by = None, []
        self.record(events.SupportMatched(**self._supported(), previous_supporting_urn=previous))

    def agree(self, urn: str, terms: Agreement | None) -> None:
        """The lead of one side agrees these terms (or, given none, the terms on the table).

        Different terms replace the ones on the table: the other side must agree them afresh.
        """
        self._require(S.MATCHED, action="agree", hint="agree once a supporting school is matched")
        if urn not in self.parties():
            raise Invalid(f"school {urn} is not a party to this support")
        if terms is None:
            if self.agreement is None:
                raise Conflict(
                    "no terms to agree yet: send objectives, starts_on, ends_on, visits_planned"
                )
            terms = self.agreement
        if terms != self.agreement:
            self.agreement, self.agreed_by = terms, [urn]
        elif urn not in self.agreed_by:
            self.agreed_by = [*self.agreed_by, urn]
        if set(self.agreed_by) == self.parties():
            self.status = S.AGREED
            self.record(events.SupportAgreed(**self._supported(), **terms.model_dump()))

    def record_visit(
        self, on: date, impact_note: str, by_person_id: str | None, notes: str | None
    ) -> Visit:
        self._require(
            S.AGREED, S.ACTIVE, S.REVIEWED, action="record a visit to", hint="agree it first"
        )
        assert self.agreement is not None
        if on < self.agreement.starts_on:
            raise Invalid(
                f"the visit on {on} is before the agreed start {self.agreement.starts_on}"
            )
        visit = Visit(
            number=len(self.visits) + 1,
            on=on,
            by_person_id=by_person_id,
            notes=notes,
            impact_note=impact_note,
        )
        self.visits = [*self.visits, visit]
        if self.status == S.AGREED:
            self.status = S.ACTIVE
        self.record(
            events.SupportVisitRecorded(
                **self._supported(),
                visit_number=visit.number,
                visits_planned=self.agreement.visits_planned,
                on=on,
                impact_note=impact_note,
            )
        )
        return visit

    def mid_term_review(self, review: Review) -> None:
        self._require(S.ACTIVE, action="review", hint="review it after the first visit, once")
        self.review, self.status = review, S.REVIEWED
        self.record(
            events.SupportReviewed(
                **self._supported(),
                on=review.on,
                progress=review.progress,
                visits=len(self.visits),
            )
        )

    def close(self, closure: Closure) -> None:
        self._require(S.REVIEWED, action="close", hint="hold the mid-term review first")
        self.closure, self.status = closure, S.CLOSED
        self.record(
            events.SupportClosed(
                **self._supported(),
                on=closure.on,
                outcome=closure.outcome,
                visits=len(self.visits),
            )
        )

    def withdraw(self, reason: str | None) -> None:
        self._require(S.REQUESTED, S.MATCHED, S.AGREED, S.ACTIVE, S.REVIEWED, action="withdraw")
        previous, self.status = self.status, S.WITHDRAWN
        self.withdrawal_reason = reason
        self.record(
            events.SupportWithdrawn(
                **self._identity(),
                previous_status=previous,
                supporting_urn=self.supporting_urn,
            )
        )
