"""The relationships between schools a partnership is made of (sponsorships, academy trusts,
teaching school alliances), and the support they give, counted."""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, Field

from services.reporting.domain.records import RelationshipRecord


class Relationships(BaseModel):
    partnership_ids: list[str]
    current: int = Field(description="Relationships in force today")
    by_kind: dict[str, int] = Field(description="Kind -> relationships in force today")
    support: dict[str, int] = Field(
        description="What is given (academic, sport, music ...) -> relationships giving it today"
    )
    relationships: list[RelationshipRecord] = Field(description="Every one, earliest first")


def summarise(
    partnership_ids: Iterable[str], records: Iterable[RelationshipRecord], today: date
) -> Relationships:
    found = list(records)
    now = [r for r in found if r.current(today)]
    return Relationships(
        partnership_ids=sorted(partnership_ids),
        current=len(now),
        by_kind=dict(sorted(Counter(r.kind.value for r in now).items())),
        support=dict(sorted(Counter(s.value for r in now for s in r.support).items())),
        relationships=found,
    )
