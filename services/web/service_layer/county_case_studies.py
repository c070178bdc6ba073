"""Quality assurance of case studies, for county officers: those waiting for review (oldest
first) and those approved but not yet published; each one whole, with its partnership, schools,
activities and authors and the decisions taken on it so far; and the decisions themselves."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import Field

from services.web.adapters.platform_api import Params, PlatformApi
from services.web.models import Answer, CaseStudy, CaseStudyContent, Partnership, School
from services.web.service_layer.county_directory import activity_title, partnership, person
from services.web.service_layer.library import partnerships
from services.web.service_layer.partnership_pages import school

LISTED = 200
MOST_PAGES = 50

NOTE_LENGTH = 5_000
"""The longest note the events service takes."""

STATUSES = {
    "draft": "Draft",
    "submitted": "Waiting for review",
    "returned": "Returned to its authors",
    "approved": "Approved",
    "published": "Published",
}
DECISIONS = {"returned": "Returned", "approved": "Approved", "withdrawn": "Withdrawn"}


class ReviewNote(Answer):
    decision: str
    note: str | None = None
    by: str
    at: datetime


class SubmittedContent(CaseStudyContent):
    activity_ids: list[str] = Field(default_factory=list)
    authors: list[str] = Field(default_factory=list)


class Submission(CaseStudy):
    content: SubmittedContent
    review_notes: list[ReviewNote] = Field(default_factory=list)
    submitted_at: datetime | None = None
    updated_at: datetime


@dataclass(frozen=True)
class Listed:
    case_study: Submission
    partnership: Partnership | None


@dataclass(frozen=True)
class Queue:
    waiting: list[Listed]
    """Submitted: waiting for a county officer's review, the longest waiting first."""
    approved: list[Listed]
    """Approved: waiting for its partnership (or an officer) to publish it."""


@dataclass(frozen=True)
class Decision:
    decision: str
    note: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class Review:
    case_study: Submission
    partnership: Partnership | None
    schools: list[School]
    activities: list[str]
    """The titles of the activities it tells of."""
    authors: list[str]
    decisions: list[Decision]

    @property
    def waiting(self) -> bool:
        return self.case_study.status == "submitted"

    @property
    def approved(self) -> bool:
        return self.case_study.status == "approved"


async def _with_status(api: PlatformApi, token: str, status: str) -> list[Submission]:
    found: list[Submission] = []
    for n in range(MOST_PAGES):
        params: Params = {"status": status, "limit": LISTED, "offset": n * LISTED}
        batch = await api.events.get("/case-studies", token, params)
        found.extend(Submission.model_validate(c) for c in batch)
        if len(batch) < LISTED:
            break
    return found


def _longest_waiting(c: Submission) -> datetime:
    return c.submitted_at or c.updated_at or datetime.min.replace(tzinfo=UTC)


async def waiting_count(api: PlatformApi, token: str) -> int:
    return len(await _with_status(api, token, "submitted"))


async def queue(api: PlatformApi, token: str) -> Queue:
    waiting, approved, every = await asyncio.gather(
        _with_status(api, token, "submitted"),
        _with_status(api, token, "approved"),
        partnerships(api, token),
    )
    by_id = {p.id: p for p in every}

    def listed(found: list[Submission]) -> list[Listed]:
        return [Listed(c, by_id.get(c.partnership_id)) for c in sorted(found, key=_longest_waiting)]

    return Queue(listed(waiting), listed(approved))


async def review(api: PlatformApi, token: str, case_study_id: str) -> Review:
    """Raises ApiProblem (404) for one that does not exist."""
    case_study = Submission.model_validate(
        await api.events.get(f"/case-studies/{case_study_id}", token)
    )
    content = case_study.content
    people = {*content.authors, *(n.by for n in case_study.review_notes)}
    people = {p for p in people if ":" not in p}  # a caller without a person: a service
    found_partnership, schools, activities, names = await asyncio.gather(
        partnership(api, token, case_study.partnership_id),
        asyncio.gather(*(school(api, token, urn) for urn in content.urns)),
        asyncio.gather(*(activity_title(api, token, a) for a in content.activity_ids)),
        _names(api, token, people),
    )
    decisions = [
        Decision(
            DECISIONS.get(n.decision, n.decision), n.note, names.get(n.by, "A county officer"), n.at
        )
        for n in case_study.review_notes
    ]
    return Review(
        case_study,
        found_partnership,
        [s for s in schools if s is not None],
        [t for t in activities if t is not None],
        [names[a] for a in content.authors if a in names],
        list(reversed(decisions)),
    )


async def approve(api: PlatformApi, token: str, case_study_id: str, note: str) -> Submission:
    answer = await api.events.post(
        f"/case-studies/{case_study_id}/approve", token, {"note": note or None}
    )
    return Submission.model_validate(answer)


async def return_to_authors(
    api: PlatformApi, token: str, case_study_id: str, note: str
) -> Submission:
    answer = await api.events.post(f"/case-studies/{case_study_id}/return", token, {"note": note})
    return Submission.model_validate(answer)


async def publish(api: PlatformApi, token: str, case_study_id: str) -> Submission:
    answer = await api.events.post(f"/case-studies/{case_study_id}/publish", token)
    return Submission.model_validate(answer)


async def _names(api: PlatformApi, token: str, person_ids: set[str]) -> dict[str, str]:
    ids = sorted(person_ids)
    people = await asyncio.gather(*(person(api, token, pid) for pid in ids))
    return {
        pid: p.details.name
        for pid, p in zip(ids, people, strict=True)
        if p is not None and p.details is not None
    }
