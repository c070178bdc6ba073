"""The notifications service's copy of people: contact details from the people topic, roles
from membership's events. An erased person keeps their roles and loses name and address."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from contracts.membership import HeldRole, county_of
from contracts.vocabulary import StaffRole


class Hold(BaseModel):
    """The address refused mail for good (an SMTP 5xx): nothing goes to it until cleared."""

    since: datetime
    reason: str


class Recipient(BaseModel):
    id: str
    name: str = ""
    email: str = ""
    erased: bool = False
    roles: list[HeldRole] = Field(default_factory=list)
    hold: Hold | None = None

    @property
    def reachable(self) -> bool:
        return bool(self.email) and not self.erased

    def covers(self, areas: set[str], today: date) -> bool:
        """A county officer now, over one of these local authorities."""
        return bool(areas & county_of(self.roles, today))

    def county_is(self, areas: set[str], today: date) -> bool:
        """A county officer now, whose county is these local authorities (all, and no more)."""
        return bool(areas) and county_of(self.roles, today) == areas

    def holds(
        self,
        role: StaffRole,
        today: date,
        *,
        urn: str | None = None,
        partnership_id: str | None = None,
    ) -> bool:
        return any(
            r.role == role
            and r.current(today)
            and (r.urn == urn if urn else r.partnership_id == partnership_id)
            for r in self.roles
        )
