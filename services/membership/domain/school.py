"""A school, keyed by its DfE URN, and what it offers other schools."""

from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from contracts import membership as events
from contracts.vocabulary import ActivityCategory, Phase, Sector, Urn
from eventkit.aggregate import Aggregate
from eventkit.inputs import Count, Line, Name


class SchoolDetails(BaseModel):
    name: Annotated[Name, Field(min_length=2)]
    phase: Phase
    sector: Sector
    establishment_type: Line | None = None
    la_code: str | None = Field(None, pattern=r"^\d{3}$", description="Local authority code")
    la_name: Name | None = None
    pupils: Count | None = None
    fsm_share: float | None = Field(None, ge=0, le=1)
    open: bool = True


class Expertise(BaseModel):
    subjects: list[str] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    categories: list[ActivityCategory] = Field(default_factory=list)
    summary: str | None = Field(None, max_length=5000)

    @field_validator("subjects", "facilities")
    @classmethod
    def _tidy(cls, values: list[str]) -> list[str]:
        return sorted({v.strip() for v in values if v.strip()})


class School(Aggregate):
    urn: Urn
    details: SchoolDetails
    expertise: Expertise = Field(default_factory=Expertise)

    @classmethod
    def register(cls, urn: str, details: SchoolDetails) -> "School":
        school = cls(urn=urn, details=details)
        school.record(events.SchoolRegistered(urn=urn, **details.model_dump()))
        return school

    def update(self, details: SchoolDetails) -> bool:
        """Record a change only when something changed; True if it did."""
        if details == self.details:
            return False
        self.details = details
        self.record(events.SchoolUpdated(urn=self.urn, **details.model_dump()))
        return True

    def offer(self, expertise: Expertise) -> None:
        if expertise == self.expertise:
            return
        self.expertise = expertise
        self.record(events.SchoolExpertiseUpdated(urn=self.urn, **expertise.model_dump()))
