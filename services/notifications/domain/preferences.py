"""What a person wants to hear about. Critical mail cannot wait and cannot be turned off."""

from enum import StrEnum

from pydantic import BaseModel, Field


class Category(StrEnum):
    BOOKINGS = "bookings"
    APPROVALS = "approvals"
    ACTIVITY_CHANGES = "activity_changes"
    REMINDERS = "reminders"
    EVALUATIONS = "evaluations"
    MEMBERSHIP = "membership"
    PARTNERSHIP = "partnership"


class Preferences(BaseModel):
    person_id: str
    muted: list[Category] = Field(
        default_factory=list, description="Categories they get no mail for (critical mail still)"
    )
    all_muted: bool = Field(False, description="No mail at all but critical mail")

    def wants(self, category: Category, *, critical: bool) -> bool:
        return critical or not (self.all_muted or category in self.muted)

    def mute(self, category: Category | None) -> "Preferences":
        """Without a category: everything that may be turned off."""
        if category is None:
            return self.model_copy(update={"all_muted": True})
        return self.model_copy(update={"muted": sorted({*self.muted, category})})
