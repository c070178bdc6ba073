"""A teacher's evaluations of what they booked (before it, on the day, its impact later) and the
certificates of attendance they release.

A stage may be evaluated once: `before` while the booking is registered and the activity has
not started; `on_the_day` and `impact` once attendance is recorded. The certificate is released
once the booking is attended and the on-the-day (or impact) evaluation is in."""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.attendance import EvaluationStage
from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer.teacher_bookings import MyBooking, my_bookings
from services.web.service_layer.teacher_models import Evaluation, StageForm
from services.web.viewer import Viewer

CERTIFYING = frozenset({EvaluationStage.ON_THE_DAY, EvaluationStage.IMPACT})


def stages_open(my: MyBooking, now: datetime) -> list[str]:
    """The stages this booking may be evaluated at now (whether done or not)."""
    if my.booking.attended:
        return [EvaluationStage.ON_THE_DAY, EvaluationStage.IMPACT]
    if my.booking.checks_in and now < my.activity.starts_at:
        return [EvaluationStage.BEFORE]
    return []


@dataclass(frozen=True)
class Evaluated:
    my: MyBooking
    done: dict[str, Evaluation]
    open: list[str]
    """Stages it may be evaluated at now."""

    @property
    def to_do(self) -> list[str]:
        return [s for s in self.open if s not in self.done]

    @property
    def to_do_after_attending(self) -> list[str]:
        """What is asked of everyone who attended (the `before` stage is optional)."""
        return [s for s in self.to_do if s != EvaluationStage.BEFORE]

    @property
    def certificate_ready(self) -> bool:
        return self.my.booking.attended and bool(CERTIFYING & set(self.done))


async def evaluations_of(api: PlatformApi, token: str, booking_id: str) -> dict[str, Evaluation]:
    found = await api.events.get(f"/bookings/{booking_id}/evaluations", token)
    return {e.stage: e for e in (Evaluation.model_validate(x) for x in found)}


async def evaluated(api: PlatformApi, viewer: Viewer, my: MyBooking, now: datetime) -> Evaluated:
    open_now = stages_open(my, now)
    done = await evaluations_of(api, viewer.token, my.id) if open_now else {}
    return Evaluated(my, done, open_now)


async def my_evaluations(api: PlatformApi, viewer: Viewer, now: datetime) -> list[Evaluated]:
    """Every booking that may be evaluated now, with what is done."""
    mine = await my_bookings(api, viewer, now)
    found = await asyncio.gather(
        *(evaluated(api, viewer, m, now) for m in mine if stages_open(m, now))
    )
    return list(found)


async def forms(api: PlatformApi, token: str) -> dict[str, StageForm]:
    found = await api.events.get("/evaluations/forms", token)
    return {stage: StageForm.model_validate(form) for stage, form in found.items()}


async def submit(
    api: PlatformApi, viewer: Viewer, booking_id: str, stage: str, body: dict[str, Any]
) -> Evaluation:
    return Evaluation.model_validate(
        await api.events.post(f"/bookings/{booking_id}/evaluations/{stage}", viewer.token, body)
    )
