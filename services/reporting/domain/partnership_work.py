"""The partnership's work beyond activities and bookings, from the events service's events:
outside speakers, facilitators and hosts, money raised for charity, the pupils' publications,
placement swaps and peer reviews. Copies of what the events say (ids, URNs, dates, counts: no
names, no words of a review), counted into the term they happened in."""

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel

from contracts.activities import ContributorStatus
from contracts.peer_review import PeerReviewStatus
from contracts.placements import PlacementLeg, PlacementSwapStatus
from contracts.vocabulary import ContributorRole

T = TypeVar("T", bound=Hashable)


class WorkKind(StrEnum):
    """The kinds of record, each a collection of its own."""

    FUNDS = "funds"
    CONTRIBUTORS = "contributors"
    ISSUES = "publication_issues"
    SWAPS = "placement_swaps"
    REVIEWS = "peer_reviews"


class FundsRecord(BaseModel):
    entry_id: str
    activity_id: str = ""
    partnership_id: str = ""
    charity: str = ""
    amount_pence: int = 0
    raised_on: date | None = None
    removed: bool = False


class ContributorRecord(BaseModel):
    contributor_id: str
    activity_id: str
    partnership_id: str
    role: ContributorRole
    status: ContributorStatus


class IssueRecord(BaseModel):
    """An issue of a publication; `contributions`: school URN -> pupils who contributed."""

    issue_id: str
    publication_id: str
    partnership_id: str
    published_on: date
    contributions: dict[str, int] = {}


class SwapRecord(BaseModel):
    """`legs`: host school URN -> the leg it hosts."""

    swap_id: str
    partnership_id: str = ""
    status: PlacementSwapStatus = PlacementSwapStatus.PROPOSED
    legs: dict[str, PlacementLeg] = {}


class ReviewRecord(BaseModel):
    review_id: str
    partnership_id: str = ""
    reviewed_urn: str = ""
    status: PeerReviewStatus = PeerReviewStatus.PLANNED
    visited_on: date | None = None
    actions_agreed: int = 0
    actions_done: int = 0


@dataclass
class PartnershipWork:
    funds: list[FundsRecord] = field(default_factory=list)
    contributors: list[ContributorRecord] = field(default_factory=list)
    issues: list[IssueRecord] = field(default_factory=list)
    swaps: list[SwapRecord] = field(default_factory=list)
    reviews: list[ReviewRecord] = field(default_factory=list)


SWAPS_GOING_AHEAD = frozenset({PlacementSwapStatus.AGREED, PlacementSwapStatus.COMPLETED})
REVIEWS_DONE = frozenset(
    {PeerReviewStatus.VISITED, PeerReviewStatus.REPORTED, PeerReviewStatus.CLOSED}
)
CHARITY = "charity:"


def tally(
    work: PartnershipWork, activity_terms: Mapping[str, T], term_of: Callable[[date], T]
) -> dict[T, Counter[str]]:
    """Term -> its counts. A contributor counts in the term of the activity (taking place) they
    were confirmed for; money on the day it was raised (`charity:<name>` by charity); an issue
    on the day it came out; a swap (agreed or completed) in the term its first leg starts, each
    leg a trainee exchanged; a review in the term of its visit, with its actions."""
    counts: dict[T, Counter[str]] = defaultdict(Counter)
    for c in work.contributors:
        if c.status == ContributorStatus.CONFIRMED and c.activity_id in activity_terms:
            counts[activity_terms[c.activity_id]][f"contributors:{c.role.value}"] += 1
    for f in work.funds:
        if f.raised_on and not f.removed:
            raised = counts[term_of(f.raised_on)]
            raised["funds_raised_pence"] += f.amount_pence
            raised[CHARITY + f.charity] += f.amount_pence
    for i in work.issues:
        issue = counts[term_of(i.published_on)]
        issue["publication_issues"] += 1
        issue["pupils_published"] += sum(i.contributions.values())
    for s in work.swaps:
        if s.status in SWAPS_GOING_AHEAD and s.legs:
            starts = min(leg.starts_on for leg in s.legs.values())
            swap = counts[term_of(starts)]
            swap["placement_swaps"] += 1
            swap["trainees_exchanged"] += len(s.legs)
    for r in work.reviews:
        if r.status in REVIEWS_DONE and r.visited_on:
            review = counts[term_of(r.visited_on)]
            review["peer_reviews"] += 1
            review["peer_review_actions_agreed"] += r.actions_agreed
            review["peer_review_actions_done"] += r.actions_done
    return counts
