"""Events of the events service about two-way placement swaps, on `partnerships.events.v1`.

Two member schools of a partnership each host a trainee (or teacher) of the other: two legs,
one each way, each with its dates. The swap is proposed, agreed by both schools' leads (or a
coordinator for both), its legs may be rescheduled, and it is completed or cancelled. Keyed by
the swap id, so one swap's story stays in order. Only ids, URNs, person ids and dates travel,
never names.
"""

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic


class PlacementSwapStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PlacementLeg(BaseModel):
    """One way of the swap: the host school takes in a visitor from the other school."""

    host_urn: str = Field(description="The school the visitor is placed at")
    visitor_urn: str = Field(description="The visitor's own school (the other school)")
    visitor_id: str = Field(description="Person id of the trainee or teacher placed")
    mentor_id: str | None = Field(None, description="Person id of their mentor at the host")
    starts_on: date
    ends_on: date


class _PlacementSwapEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    swap_id: str
    partnership_id: str = Field(description="The partnership the two schools belong to")
    activity_id: str | None = Field(
        None, description="The placement swap activity that groups the pairs, if any"
    )

    def aggregate_id(self) -> str:
        return self.swap_id


class PlacementSwapProposed(_PlacementSwapEvent):
    type: ClassVar[str] = "events.placement_swap_proposed.v1"
    legs: list[PlacementLeg] = Field(description="Two legs, one each way")


class PlacementSwapAgreed(_PlacementSwapEvent):
    """Both schools agreed: each school's lead, or a coordinator for both."""

    type: ClassVar[str] = "events.placement_swap_agreed.v1"
    legs: list[PlacementLeg]
    agreed_by_leads: list[str] = Field(
        default_factory=list, description="The schools whose own lead agreed"
    )


class PlacementSwapRescheduled(_PlacementSwapEvent):
    """One leg has new dates."""

    type: ClassVar[str] = "events.placement_swap_rescheduled.v1"
    leg: PlacementLeg = Field(description="The leg as it now stands")
    previous_starts_on: date
    previous_ends_on: date


class PlacementSwapCompleted(_PlacementSwapEvent):
    type: ClassVar[str] = "events.placement_swap_completed.v1"
    legs: list[PlacementLeg]
    completed_on: date


class PlacementSwapCancelled(_PlacementSwapEvent):
    type: ClassVar[str] = "events.placement_swap_cancelled.v1"
    previous_status: PlacementSwapStatus


EVENTS: tuple[type[IntegrationEvent], ...] = (
    PlacementSwapProposed,
    PlacementSwapAgreed,
    PlacementSwapRescheduled,
    PlacementSwapCompleted,
    PlacementSwapCancelled,
)
