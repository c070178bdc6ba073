"""A report a person saves to run again: which report, of what, over which period.

What it names is checked again each time it runs, so a saved report never shows more than its
owner may see that day. The owner is an actor id (a person id, or a hash of a caller with none).
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, Field, model_validator

from contracts.vocabulary import Urn
from eventkit.inputs import Name
from services.reporting.domain.participation import TERM_KEY, term_named

TermKey = Annotated[str, Field(pattern=TERM_KEY, description="Like 2026-autumn")]
RecordId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ReportKind(StrEnum):
    PARTNERSHIP = "partnership_participation"
    SCHOOL = "school_participation"
    COUNTY = "county_participation"
    HEADLINE = "county_headline"


NEEDS = {
    ReportKind.PARTNERSHIP: "partnership_id",
    ReportKind.SCHOOL: "urn",
}
PERIODS = {ReportKind.PARTNERSHIP, ReportKind.COUNTY}


class ReportDefinition(BaseModel):
    name: Name = Field(max_length=100)
    kind: ReportKind
    partnership_id: RecordId | None = None
    urn: Urn | None = None
    term_from: TermKey | None = Field(None, description="The first term shown (participation)")
    term_to: TermKey | None = Field(None, description="The last term shown (participation)")
    year: int | None = Field(None, ge=2000, le=2100, description="The headline's academic year")

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        needed = NEEDS.get(self.kind)
        for field in ("partnership_id", "urn"):
            given = getattr(self, field) is not None
            if given != (field == needed):
                raise ValueError(
                    f"a {self.kind.value} report {'needs' if needed == field else 'takes no'} "
                    f"{field}"
                )
        if self.kind not in PERIODS and (self.term_from or self.term_to):
            raise ValueError(f"a {self.kind.value} report takes no term_from or term_to")
        if self.kind != ReportKind.HEADLINE and self.year is not None:
            raise ValueError("only a county_headline report takes a year")
        first, last = self.term_from, self.term_to
        if first and last and term_named(first).order > term_named(last).order:
            raise ValueError("term_from is after term_to")
        return self


class SavedReport(ReportDefinition):
    id: str
    owner: str = Field(description="Who saved it: an actor id")
    saved_at: datetime
