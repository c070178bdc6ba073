"""Which schools could support a need: scored from the expertise register, ranked, with the
reasons in words a coordinator reads. Pure: no I/O, the caller brings the schools and history.

Only schools whose expertise meets the need (a subject or a category in common) are suggested;
phase, local authority, crossing the state/independent divide and past work together then rank
them. A school never supports itself.
"""

from collections.abc import Iterable, Mapping

from pydantic import BaseModel

from contracts.vocabulary import Phase, Sector
from services.events.domain.directory import SchoolCopy
from services.events.domain.support import SupportNeed, subject_key

SUBJECT = 10
"""Per subject of the need in the school's expertise: the strongest sign."""
CATEGORY = 5
PHASE_EXPERTISE = 4
"""The school offers expertise in the need's phase."""
SAME_PHASE = 2
"""The school is itself of the need's phase (when it does not list the phase as expertise)."""
SAME_LOCAL_AUTHORITY = 2
CROSS_SECTOR = 1
WORKED_TOGETHER = 2
"""Per past engagement between the two schools, up to WORKED_TOGETHER_CAP of them."""
WORKED_TOGETHER_CAP = 3

ALL_THROUGH_COVERS = frozenset({Phase.PRIMARY, Phase.MIDDLE, Phase.SECONDARY})


class Suggestion(BaseModel):
    urn: str
    name: str
    phase: Phase | None
    sector: Sector | None
    la_code: str | None
    score: int
    reasons: list[str]


def _words(value: str) -> str:
    return value.replace("_", " ")


def score(
    need: SupportNeed,
    requesting: SchoolCopy,
    candidate: SchoolCopy,
    engagements_together: int = 0,
) -> Suggestion | None:
    """The candidate scored against the need, or None when its expertise does not meet it."""
    if candidate.urn == requesting.urn:
        return None
    offered = {subject_key(s) for s in candidate.subjects}
    subjects = [s for s in need.subjects if subject_key(s) in offered]
    categories = [c for c in need.categories if c.value in candidate.categories]
    if not subjects and not categories:
        return None

    points = SUBJECT * len(subjects) + CATEGORY * len(categories)
    reasons = []
    if subjects:
        reasons.append("teaches " + ", ".join(subjects))
    if categories:
        reasons.append("expertise in " + ", ".join(_words(c.value) for c in categories))

    phase = need.phase or requesting.phase
    if phase is not None:
        if phase in candidate.expertise_phases:
            points += PHASE_EXPERTISE
            reasons.append(f"expertise in the {_words(phase.value)} phase")
        elif candidate.phase == phase:
            points += SAME_PHASE
            reasons.append(f"also a {_words(phase.value)} school")
        elif candidate.phase == Phase.ALL_THROUGH and phase in ALL_THROUGH_COVERS:
            points += SAME_PHASE
            reasons.append(f"an all-through school (covers {phase.value})")

    if requesting.la_code and candidate.la_code == requesting.la_code:
        points += SAME_LOCAL_AUTHORITY
        reasons.append(f"same local authority ({candidate.la_code})")

    if requesting.sector and candidate.sector and candidate.sector != requesting.sector:
        points += CROSS_SECTOR
        reasons.append(f"cross-sector ({candidate.sector.value} school)")

    if engagements_together > 0:
        points += WORKED_TOGETHER * min(engagements_together, WORKED_TOGETHER_CAP)
        plural = "s" if engagements_together != 1 else ""
        reasons.append(f"worked together before ({engagements_together} engagement{plural})")

    return Suggestion(
        urn=candidate.urn,
        name=candidate.name,
        phase=candidate.phase,
        sector=candidate.sector,
        la_code=candidate.la_code,
        score=points,
        reasons=reasons,
    )


def suggest(
    need: SupportNeed,
    requesting: SchoolCopy,
    candidates: Iterable[SchoolCopy],
    worked_together: Mapping[str, int] | None = None,
    limit: int = 10,
) -> list[Suggestion]:
    """The best `limit` candidates, highest score first (then by name, then URN)."""
    worked_together = worked_together or {}
    scored = [
        found
        for candidate in candidates
        if (found := score(need, requesting, candidate, worked_together.get(candidate.urn, 0)))
    ]
    scored.sort(key=lambda s: (-s.score, s.name, s.urn))
    return scored[:limit]
