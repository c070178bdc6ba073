"""HTTP routes for bookings."""

from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from pydantic import BaseModel, Field, model_validator

from contracts.vocabulary import URN_PATTERN
from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Count
from services.events.domain.booking import PlaceRequest
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import BookingView
from services.events.service_layer import bookings as handlers

router = APIRouter(tags=["bookings"])

IdempotencyKey = Annotated[
    str,
    Header(
        min_length=8,
        max_length=200,
        description="Chosen by the client; the same key again returns the same booking",
    ),
]


class BookingRequest(BaseModel):
    """A place for a member of staff (`person_id`, default: the caller), or `pupils` places."""

    urn: str = Field(pattern=URN_PATTERN, description="The school the booking is for")
    person_id: str | None = Field(None, max_length=64)
    pupils: Annotated[Count, Field(ge=1, le=1000)] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "BookingRequest":
        if self.person_id is not None and self.pupils is not None:
            raise ValueError("book either a member of staff or a number of pupils, not both")
        return self

    def wanted(self) -> PlaceRequest:
        return PlaceRequest(urn=self.urn, person_id=self.person_id, pupils=self.pupils)


class SubstituteIn(BaseModel):
    person_id: str


class PolicyIn(BaseModel):
    staff_bookings_need_approval: bool


@router.post(
    "/activities/{activity_id}/bookings",
    status_code=status.HTTP_201_CREATED,
    summary="Book a place for a member of staff, or N pupil places for a school",
)
async def book(
    activity_id: str,
    body: BookingRequest,
    idempotency_key: IdempotencyKey,
    uow: UoW,
    principal: CurrentPrincipal,
) -> BookingView:
    return BookingView.of(
        await handlers.book(uow, principal, activity_id, body.wanted(), idempotency_key)
    )


@router.get("/activities/{activity_id}/bookings")
async def of_activity(activity_id: str, uow: UoW, principal: CurrentPrincipal) -> list[BookingView]:
    return BookingView.many(await handlers.bookings_of_activity(uow, principal, activity_id))


@router.get("/bookings/mine", summary="My bookings (a school lead: also their school's)")
async def mine(uow: UoW, principal: CurrentPrincipal) -> list[BookingView]:
    return BookingView.many(await handlers.my_bookings(uow, principal))


@router.get("/bookings/{booking_id}")
async def get(booking_id: str, uow: UoW, principal: CurrentPrincipal) -> BookingView:
    return BookingView.of(await handlers.get_booking(uow, principal, booking_id))


@router.post("/bookings/{booking_id}/cancel")
async def cancel(booking_id: str, uow: UoW, principal: CurrentPrincipal) -> BookingView:
    return BookingView.of(await handlers.cancel_booking(uow, principal, booking_id))


@router.post("/bookings/{booking_id}/substitute", summary="Pass the place to a colleague")
async def substitute(
    booking_id: str, body: SubstituteIn, uow: UoW, principal: CurrentPrincipal
) -> BookingView:
    return BookingView.of(await handlers.substitute(uow, principal, booking_id, body.person_id))


@router.post("/bookings/{booking_id}/approve")
async def approve(booking_id: str, uow: UoW, principal: CurrentPrincipal) -> BookingView:
    return BookingView.of(await handlers.decide(uow, principal, booking_id, approve=True))


@router.post("/bookings/{booking_id}/reject")
async def reject(booking_id: str, uow: UoW, principal: CurrentPrincipal) -> BookingView:
    return BookingView.of(await handlers.decide(uow, principal, booking_id, approve=False))


@router.post("/bookings/{booking_id}/accept", summary="Take up a waitlist offer")
async def accept(booking_id: str, uow: UoW, principal: CurrentPrincipal) -> BookingView:
    return BookingView.of(await handlers.accept_offer(uow, principal, booking_id))


@router.put(
    "/schools/{urn}/booking-policy",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Whether staff bookings wait for a CPD approver",
)
async def booking_policy(
    urn: str, body: PolicyIn, uow: UoW, principal: CurrentPrincipal
) -> Response:
    await handlers.set_approval_policy(uow, principal, urn, body.staff_bookings_need_approval)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
