"""A case study: what a partnership did and what difference it made, in the ISC's way of telling
it (aims, background, resources used, impact), quality assured by a county officer before the
whole county may read it.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                  │                                            │
      │               return (with a note)                            │
      │                  ▼                                            │
      └── edit ◀──── returned ──submit──▶ submitted        withdraw ──┘ (back to draft)
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts import case_studies as events
from contracts.vocabulary import ActivityCategory, Urn
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid

SUMMARY_LENGTH = 300
Id = Annotated[str, Field(min_length=1, max_length=100)]
Decision = Literal["returned", "approved", "withdrawn"]


class CaseStudyStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"


S = CaseStudyStatus
EDITABLE = (S.DRAFT, S.RETURNED)


class CaseStudyContent(BaseModel):
    """What the authors write. Everything but the title may wait until it is submitted."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=200)
    categories: list[ActivityCategory] = Field(default_factory=list, max_length=14)
    summary: str | None = Field(
        None, max_length=600, description="A line or two for listings; else the impact's opening"
    )
    aims: str | None = Field(None, max_length=5_000)
    background: str | None = Field(None, max_length=10_000)
    resources: str | None = Field(None, max_length=5_000, description="Resources used")
    impact: str | None = Field(
        None, max_length=10_000, description="The difference it made; needed to submit"
    )
    activity_ids: list[Id] = Field(
        default_factory=list, max_length=50, description="Activities of the partnership"
    )
    urns: list[Urn] = Field(
        default_factory=list, max_length=100, description="Member schools it is about"
    )
    authors: list[Id] = Field(
        default_factory=list, max_length=20, description="Person ids (the writer is added)"
    )

    @field_validator("summary", "aims", "background", "resources", "impact")
    @classmethod
    def _blank_is_missing(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("categories", "activity_ids", "urns", "authors")
    @classmethod
    def _no_repeats(cls, values: list[Any]) -> list[Any]:
        return list(dict.fromkeys(values))

    def missing_for_submission(self) -> list[str]:
        return [] if self.impact else ["impact"]


class ReviewNote(BaseModel):
    decision: Decision
    note: str | None = None
    by: str
    at: datetime


class CaseStudy(Aggregate):
    id: str
    partnership_id: str
    content: CaseStudyContent
    status: CaseStudyStatus = S.DRAFT
    review_notes: list[ReviewNote] = Field(default_factory=list)
    created_by: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    published_at: datetime | None = None

    @classmethod
    def start(
        cls,
        *,
        id: str,
        partnership_id: str,
        content: CaseStudyContent,
        created_by: str,
        now: datetime,
    ) -> "CaseStudy":
        return cls(
            id=id,
            partnership_id=partnership_id,
            content=content,
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )

    @property
    def summary(self) -> str:
        if self.content.summary:
            return self.content.summary
        text = " ".join((self.content.impact or self.content.aims or "").split())
        if len(text) <= SUMMARY_LENGTH:
            return text
        return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"

    def _require(self, *allowed: CaseStudyStatus, action: str) -> None:
        if self.status not in allowed:
            raise Conflict(
                f"cannot {action} a case study that is {self.status}; "
                f"only one that is {' or '.join(allowed)} can be"
            )

    def _identity(self) -> dict[str, Any]:
        c = self.content
        return {
            "case_study_id": self.id,
            "partnership_id": self.partnership_id,
            "title": c.title,
            "categories": c.categories,
            "activity_ids": c.activity_ids,
            "urns": c.urns,
            "authors": c.authors,
        }

    def _review(self, decision: Decision, note: str | None, by: str, now: datetime) -> None:
        self.review_notes.append(ReviewNote(decision=decision, note=note, by=by, at=now))
        self.updated_at = now

    def edit(self, content: CaseStudyContent, now: datetime) -> None:
        self._require(*EDITABLE, action="edit")
        self.content = content
        self.updated_at = now

    def submit(self, now: datetime) -> None:
        self._require(*EDITABLE, action="submit")
        missing = self.content.missing_for_submission()
        if missing:
            raise Invalid(f"{', '.join(missing)} is required to submit a case study")
        self.status = S.SUBMITTED
        self.submitted_at = self.updated_at = now
        self.record(
            events.CaseStudySubmitted(**self._identity(), summary=self.summary, submitted_at=now)
        )

    def return_to_authors(self, note: str, by: str, now: datetime) -> None:
        self._require(S.SUBMITTED, action="return")
        if not note.strip():
            raise Invalid("note: say what the authors should change")
        self.status = S.RETURNED
        self._review("returned", note, by, now)
        self.record(events.CaseStudyReturned(**self._identity(), note=note))

    def approve(self, note: str | None, by: str, now: datetime) -> None:
        self._require(S.SUBMITTED, action="approve")
        self.status = S.APPROVED
        self._review("approved", note, by, now)
        self.record(events.CaseStudyApproved(**self._identity(), note=note))

    def publish(self, now: datetime) -> None:
        self._require(S.APPROVED, action="publish")
        self.status = S.PUBLISHED
        self.published_at = self.updated_at = now
        c = self.content
        self.record(
            events.CaseStudyPublished(
                **self._identity(),
                published_at=now,
                summary=self.summary,
                aims=c.aims,
                background=c.background,
                resources=c.resources,
                impact=c.impact or "",
            )
        )

    def withdraw(self, reason: str, by: str, now: datetime) -> None:
        self._require(S.PUBLISHED, action="withdraw")
        if not reason.strip():
            raise Invalid("reason: say why it is withdrawn")
        self.status = S.DRAFT
        self.published_at = None
        self._review("withdrawn", reason, by, now)
        self.record(events.CaseStudyWithdrawn(**self._identity(), reason=reason))


@dataclass(frozen=True)
class Readership:
    """Whom a listing is for, beyond the published case studies everyone signed in may read:
    the ones they wrote, the ones of partnerships they coordinate, the ones about their schools."""

    author_id: str | None = None
    partnerships: frozenset[str] = frozenset()
    schools: frozenset[str] = frozenset()

    def may_read(self, case_study: CaseStudy) -> bool:
        return (
            case_study.status == S.PUBLISHED
            or (self.author_id is not None and self.author_id in case_study.content.authors)
            or case_study.partnership_id in self.partnerships
            or bool(self.schools & set(case_study.content.urns))
        )


@dataclass(frozen=True)
class CaseStudyCriteria:
    """Which case studies a listing wants; `readers` None: every one (a county-wide reader)."""

    category: ActivityCategory | None = None
    partnership_id: str | None = None
    urn: str | None = None
    status: CaseStudyStatus | None = None
    readers: Readership | None = field(default=None)
    limit: int = 50
    offset: int = 0

    def admits(self, case_study: CaseStudy) -> bool:
        c = case_study.content
        return (
            (self.category is None or self.category in c.categories)
            and (self.partnership_id is None or case_study.partnership_id == self.partnership_id)
            and (self.urn is None or self.urn in c.urns)
            and (self.status is None or case_study.status == self.status)
            and (self.readers is None or self.readers.may_read(case_study))
        )
