"""HTTP routes for webhook subscriptions (county officers): subscribe, list, turn off, the
delivery log, and replays."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from pydantic import AnyHttpUrl, BaseModel, Field

from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Moment
from services.notifications.domain.webhooks import Attempt, Delivery, DeliveryState, Subscription
from services.notifications.entrypoints.dependencies import UoW
from services.notifications.service_layer import webhooks as handlers

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
Id = Annotated[str, Path(min_length=1, max_length=64)]


class SubscribeBody(BaseModel):
    url: AnyHttpUrl = Field(description="Where events are POSTed (a public http(s) address)")
    event_types: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=100, description="CloudEvents types; none: every type"
    )
    partnership_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=100, description="Only these partnerships; none: all"
    )


class SubscriptionView(BaseModel):
    id: str
    url: str
    event_types: list[str]
    partnership_ids: list[str]
    created_at: datetime
    disabled_at: datetime | None
    disabled_reason: str | None
    failing_since: datetime | None

    @classmethod
    def of(cls, s: Subscription) -> "SubscriptionView":
        return cls.model_validate(s.model_dump())


class Subscribed(SubscriptionView):
    secret: str = Field(description="Shown once: verify each delivery's signature with it")


class DeliveryView(BaseModel):
    id: str
    event_id: str
    event_type: str
    event_time: datetime
    state: DeliveryState
    next_attempt_at: datetime | None
    attempts: list[Attempt]

    @classmethod
    def of(cls, d: Delivery) -> "DeliveryView":
        return cls.model_validate(d.model_dump())


class Replayed(BaseModel):
    queued: int


class ReplayRange(BaseModel):
    since: Moment = Field(description="Events from this time")
    until: Moment = Field(description="to this time")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Subscribe an endpoint")
async def subscribe(
    body: SubscribeBody, request: Request, uow: UoW, principal: CurrentPrincipal
) -> Subscribed:
    made = await handlers.subscribe(
        uow,
        principal,
        request.app.state.destinations,
        url=str(body.url),
        event_types=body.event_types,
        partnership_ids=body.partnership_ids,
        now=datetime.now().astimezone(),
    )
    return Subscribed.model_validate(made.model_dump())


@router.get("", summary="Every subscription")
async def subscriptions(uow: UoW, principal: CurrentPrincipal) -> list[SubscriptionView]:
    return [SubscriptionView.of(s) for s in await handlers.subscriptions(uow, principal)]


@router.get("/{subscription_id}", summary="One subscription")
async def subscription(
    subscription_id: Id, uow: UoW, principal: CurrentPrincipal
) -> SubscriptionView:
    return SubscriptionView.of(await handlers.subscription(uow, principal, subscription_id))


@router.delete("/{subscription_id}", summary="Turn a subscription off")
async def disable(subscription_id: Id, uow: UoW, principal: CurrentPrincipal) -> SubscriptionView:
    return SubscriptionView.of(await handlers.disable(uow, principal, subscription_id))


@router.get("/{subscription_id}/deliveries", summary="Deliveries and their attempts, newest first")
async def deliveries(
    subscription_id: Id,
    uow: UoW,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeliveryView]:
    return [
        DeliveryView.of(d)
        for d in await handlers.deliveries(uow, principal, subscription_id, limit)
    ]


@router.post("/{subscription_id}/deliveries/{delivery_id}/replay", summary="Deliver one again")
async def replay_one(
    subscription_id: Id,
    delivery_id: Annotated[str, Path(min_length=1, max_length=200)],
    uow: UoW,
    principal: CurrentPrincipal,
) -> Replayed:
    queued = await handlers.replay(uow, principal, subscription_id, delivery_id=delivery_id)
    return Replayed(queued=queued)


@router.post("/{subscription_id}/replay", summary="Deliver again every event between two times")
async def replay_range(
    subscription_id: Id, body: ReplayRange, uow: UoW, principal: CurrentPrincipal
) -> Replayed:
    queued = await handlers.replay(
        uow, principal, subscription_id, since=body.since, until=body.until
    )
    return Replayed(queued=queued)
