"""What the pages read from the services' answers: only the fields they show. Unknown fields are
ignored, as a consumer of our events ignores them, so a service may add to its answers freely."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from contracts.vocabulary import MembershipStatus

SUMMARY_LENGTH = 300


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SchoolDetails(Answer):
    name: str
    phase: str
    sector: str
    la_code: str | None = None
    la_name: str | None = None


class School(Answer):
    urn: str
    details: SchoolDetails

    @property
    def name(self) -> str:
        return self.details.name


class PartnershipDetails(Answer):
    name: str
    kind: str
    aims: list[str] = Field(default_factory=list)
    area: list[str] = Field(default_factory=list)
    status: str


class Membership(Answer):
    urn: str
    role: str
    status: str


class Partnership(Answer):
    id: str
    details: PartnershipDetails
    coordinators: list[str] = Field(default_factory=list)
    memberships: dict[str, Membership] = Field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.details.name

    @property
    def members(self) -> list[Membership]:
        """The schools taking part now (not invited, suspended or gone)."""
        return [m for m in self.memberships.values() if m.status == MembershipStatus.ACTIVE]


class PersonDetails(Answer):
    name: str
    email: str
    job_title: str | None = None


class Person(Answer):
    id: str
    details: PersonDetails | None
    """None once the person is erased."""


class CaseStudyContent(Answer):
    title: str
    categories: list[str] = Field(default_factory=list)
    summary: str | None = None
    aims: str | None = None
    background: str | None = None
    resources: str | None = None
    impact: str | None = None
    urns: list[str] = Field(default_factory=list)


class CaseStudy(Answer):
    id: str
    partnership_id: str
    content: CaseStudyContent
    status: str
    published_at: datetime | None = None

    @property
    def published(self) -> bool:
        return self.status == "published"

    @property
    def summary(self) -> str:
        """Its own summary, or the opening of its impact (or aims), as the events service makes
        one for its events."""
        c = self.content
        if c.summary:
            return c.summary
        text = " ".join((c.impact or c.aims or "").split())
        if len(text) <= SUMMARY_LENGTH:
            return text
        return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
