"""Publications: a partnership's magazine, newsletter or anthology, made by pupils of its schools.

A coordinator starts one and publishes its issues; each issue counts, per member school, the
pupils who contributed (and, if given, their phases or year groups). Pupils are counted, never
named or recorded one by one.
"""

from datetime import datetime
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, Field, StrictInt, model_validator

from contracts import publications as events
from contracts.publications import PublicationKind, PupilContribution
from contracts.vocabulary import Phase, Urn
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, NotFound
from eventkit.inputs import HappenedOn, Name, WebLink

MOST_PUPILS = 5000
"""More contributors than this from one school to one issue is a mistake, not a magazine."""


def _https(url: str) -> str:
    if not url.lower().startswith("https://"):
        raise ValueError("must be an https:// address")
    return url


HttpsUrl = Annotated[WebLink, AfterValidator(_https)]
YearGroup = Annotated[StrictInt, Field(ge=0, le=13, description="0 is Reception; 1-13 Years")]


class Contribution(BaseModel):
    """How many of a school's pupils contributed to an issue."""

    pupils: StrictInt = Field(ge=1, le=MOST_PUPILS)
    phases: list[Phase] = Field(default_factory=list, max_length=len(Phase))
    year_groups: list[YearGroup] = Field(default_factory=list, max_length=14)

    @model_validator(mode="after")
    def _tidy(self) -> Self:
        self.phases = sorted(set(self.phases))
        self.year_groups = sorted(set(self.year_groups))
        return self


class SchoolContribution(Contribution):
    urn: Urn

    def contract(self) -> PupilContribution:
        return PupilContribution(urn=self.urn, pupils=self.pupils)


class IssueDetails(BaseModel):
    number: StrictInt | None = Field(None, ge=1, le=10_000)
    title: Name | None = None
    published_on: HappenedOn
    link: HttpsUrl | None = Field(None, description="Where to read it (https)")
    contributions: list[SchoolContribution] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _named_and_counted_once(self) -> Self:
        if self.number is None and self.title is None:
            raise ValueError("number: give the issue a number or a title")
        urns = [c.urn for c in self.contributions]
        if repeated := sorted({u for u in urns if urns.count(u) > 1}):
            raise ValueError(f"contributions: school {repeated[0]} is counted twice")
        return self


class Issue(IssueDetails):
    id: str

    @model_validator(mode="after")
    def _by_school(self) -> Self:
        self.contributions = sorted(self.contributions, key=lambda c: c.urn)
        return self

    @property
    def pupils(self) -> int:
        return sum(c.pupils for c in self.contributions)


class Publication(Aggregate):
    id: str
    partnership_id: str
    title: Name
    kind: PublicationKind
    issues: list[Issue] = Field(default_factory=list)
    started_by: str = Field(description="A person id, or a hash of a caller with none")
    started_at: datetime

    @classmethod
    def start(cls, **fields: object) -> "Publication":
        publication = cls.model_validate(fields)
        publication.record(
            events.PublicationStarted(
                **publication._identity(), kind=publication.kind, title=publication.title
            )
        )
        return publication

    def _identity(self) -> dict[str, str]:
        return {"publication_id": self.id, "partnership_id": self.partnership_id}

    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise NotFound(f"no issue {issue_id} of publication {self.id}")

    def publish_issue(self, issue_id: str, details: IssueDetails) -> Issue:
        if details.number is not None and details.number in {i.number for i in self.issues}:
            raise Conflict(f"issue number {details.number} is already published")
        issue = Issue(id=issue_id, **details.model_dump())
        self.issues = [*self.issues, issue]
        self.record(
            events.PublicationIssuePublished(
                **self._identity(),
                kind=self.kind,
                issue_id=issue.id,
                number=issue.number,
                published_on=issue.published_on,
                contributions=[c.contract() for c in issue.contributions],
                pupils=issue.pupils,
            )
        )
        return issue

    def record_contribution(self, issue_id: str, contribution: SchoolContribution) -> Issue:
        """Set the school's count on the issue (a correction replaces it)."""
        issue = self.issue(issue_id)
        before = next((c for c in issue.contributions if c.urn == contribution.urn), None)
        if before == contribution:
            return issue
        others = [c for c in issue.contributions if c.urn != contribution.urn]
        changed = Issue.model_validate(
            {**issue.model_dump(), "contributions": [*others, contribution]}
        )
        self.issues = [changed if each.id == issue_id else each for each in self.issues]
        self.record(
            events.PublicationContributionRecorded(
                **self._identity(),
                issue_id=issue_id,
                published_on=changed.published_on,
                contribution=contribution.contract(),
                previous_pupils=before.pupils if before else 0,
                pupils=changed.pupils,
            )
        )
        return changed
