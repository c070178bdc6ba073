"""Two-way placement swaps: two member schools of a partnership each host a trainee (or teacher)
of the other, with dates, so who hosts whom, both ways, is explicit.

proposed → agreed (both schools' leads, or a coordinator for both) → completed; or cancelled
before completed. A leg may be rescheduled while the swap is proposed or agreed.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Self

from pydantic import BaseModel, Field, model_validator

from contracts import placements as events
from contracts.placements import PlacementLeg, PlacementSwapStatus
from contracts.vocabulary import Urn
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid, NotFound
from eventkit.inputs import Day, Line

S = PlacementSwapStatus
PersonId = str


class Dates(BaseModel):
    starts_on: Day
    ends_on: Day

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on: a placement ends on or after the day it starts")
        return self


class SwapLeg(Dates):
    host_urn: Urn = Field(description="The school the visitor is placed at")
    visitor_urn: Urn = Field(description="The visitor's own school: the other school")
    visitor_id: PersonId = Field(
        min_length=1, max_length=100, description="A current trainee or teacher of visitor_urn"
    )
    mentor_id: PersonId | None = Field(
        None, min_length=1, max_length=100, description="Their mentor: staff of host_urn"
    )

    @model_validator(mode="after")
    def _two_schools(self) -> Self:
        if self.host_urn == self.visitor_urn:
            raise ValueError("visitor_urn: a school does not swap with itself")
        return self

    def contract(self) -> PlacementLeg:
        return PlacementLeg(**self.model_dump())


class SwapLegs(BaseModel):
    legs: list[SwapLeg] = Field(
        min_length=2, max_length=2, description="Two legs, one each way: mirror images"
    )

    @model_validator(mode="after")
    def _mirror_images(self) -> Self:
        first, second = self.legs
        if (first.host_urn, first.visitor_urn) != (second.visitor_urn, second.host_urn):
            raise ValueError(
                "legs: the second leg goes the other way: its host_urn is the first leg's "
                "visitor_urn and its visitor_urn the first leg's host_urn"
            )
        return self


class SchoolAgreement(BaseModel):
    urn: str = Field(description="The school agreed for")
    by: str = Field(description="Who agreed: its lead, or a coordinator for both schools")
    by_coordinator: bool = False
    at: datetime


@dataclass(frozen=True)
class Placement:
    """A visitor's leg of a swap, as their own calendar shows it."""

    swap_id: str
    status: PlacementSwapStatus
    sequence: int
    leg: SwapLeg
    host_name: str


class PlacementSwap(Aggregate):
    id: str
    partnership_id: str
    activity_id: str | None = None
    legs: list[SwapLeg]
    status: PlacementSwapStatus = S.PROPOSED
    agreements: list[SchoolAgreement] = Field(default_factory=list)
    completed_on: date | None = None
    cancellation_reason: Line | None = None
    proposed_by: str = Field(description="A person id, or a hash of a caller with none")
    proposed_at: datetime

    @classmethod
    def propose(cls, **fields: object) -> "PlacementSwap":
        swap = cls.model_validate(fields)
        swap.record(events.PlacementSwapProposed(**swap._identity(), legs=swap._contract_legs()))
        return swap

    def _identity(self) -> dict[str, str | None]:
        return {
            "swap_id": self.id,
            "partnership_id": self.partnership_id,
            "activity_id": self.activity_id,
        }

    def _contract_legs(self) -> list[PlacementLeg]:
        return [leg.contract() for leg in self.legs]

    def _require(self, *allowed: PlacementSwapStatus, action: str) -> None:
        if self.status not in allowed:
            raise Conflict(f"cannot {action} a placement swap that is {self.status}")

    def schools(self) -> set[str]:
        return {leg.host_urn for leg in self.legs}

    def people(self) -> set[str]:
        """The visitors and mentors of both legs."""
        return {p for leg in self.legs for p in (leg.visitor_id, leg.mentor_id) if p}

    def legs_visited_by(self, person_id: str) -> list[SwapLeg]:
        return [leg for leg in self.legs if leg.visitor_id == person_id]

    def agreed_for(self) -> set[str]:
        return {a.urn for a in self.agreements}

    def leg_hosted_by(self, urn: str) -> SwapLeg:
        for leg in self.legs:
            if leg.host_urn == urn:
                return leg
        raise NotFound(f"no leg of placement swap {self.id} is hosted by school {urn}")

    def agree(self, urns: set[str], *, by: str, at: datetime, coordinator: bool = False) -> None:
        """Agree for these schools (a lead for their own; a coordinator for both)."""
        if self.status == S.AGREED and urns <= self.agreed_for():
            return
        self._require(S.PROPOSED, action="agree")
        if unknown := sorted(urns - self.schools()):
            raise Invalid(f"school {unknown[0]} is not a party to this placement swap")
        self.agreements = [
            *self.agreements,
            *(
                SchoolAgreement(urn=urn, by=by, by_coordinator=coordinator, at=at)
                for urn in sorted(urns - self.agreed_for())
            ),
        ]
        if self.agreed_for() == self.schools():
            self.status = S.AGREED
            leads = sorted(a.urn for a in self.agreements if not a.by_coordinator)
            self.record(
                events.PlacementSwapAgreed(
                    **self._identity(), legs=self._contract_legs(), agreed_by_leads=leads
                )
            )

    def reschedule(self, host_urn: str, dates: Dates) -> SwapLeg:
        self._require(S.PROPOSED, S.AGREED, action="reschedule")
        leg = self.leg_hosted_by(host_urn)
        if (leg.starts_on, leg.ends_on) == (dates.starts_on, dates.ends_on):
            return leg
        moved = leg.model_copy(update=dates.model_dump())
        self.legs = [moved if each is leg else each for each in self.legs]
        self.record(
            events.PlacementSwapRescheduled(
                **self._identity(),
                leg=moved.contract(),
                previous_starts_on=leg.starts_on,
                previous_ends_on=leg.ends_on,
            )
        )
        return moved

    def complete(self, on: date) -> None:
        self._require(S.AGREED, action="complete")
        last = max(leg.ends_on for leg in self.legs)
        if on < last:
            raise Conflict(f"a placement swap is completed once both legs are over: ends {last}")
        self.status, self.completed_on = S.COMPLETED, on
        self.record(
            events.PlacementSwapCompleted(
                **self._identity(), legs=self._contract_legs(), completed_on=on
            )
        )

    def cancel(self, reason: str | None) -> None:
        self._require(S.PROPOSED, S.AGREED, action="cancel")
        previous, self.status = self.status, S.CANCELLED
        self.cancellation_reason = reason
        self.record(events.PlacementSwapCancelled(**self._identity(), previous_status=previous))
