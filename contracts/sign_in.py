"""Between membership and the identity service: what a person signing in may do.

Membership answers it from its records of current roles; the identity service issues a token for
the way the person chooses. Not an event: it travels over HTTP only, from one to the other.
"""

from pydantic import BaseModel, Field


class WayToAct(BaseModel):
    role: str = Field(description="A token role: county_officer, partnership_coordinator, ...")
    label: str = Field(description="What the person picks: 'School lead at Stour Valley Primary'")
    partnerships: list[str] = Field(default_factory=list)
    schools: list[str] = Field(default_factory=list)


class PersonAccess(BaseModel):
    person_id: str
    name: str
    ways: list[WayToAct] = Field(description="Empty when the person holds no current role")

    def way(self, role: str | None) -> WayToAct | None:
        """The way asked for, or the first when none is asked for."""
        if role is None:
            return self.ways[0] if self.ways else None
        return next((w for w in self.ways if w.role == role), None)
