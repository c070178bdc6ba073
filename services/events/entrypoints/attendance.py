"""HTTP routes for attendance, evaluations and certificates of attendance."""

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from contracts.attendance import EvaluationStage
from eventkit.auth import CurrentPrincipal
from services.events.adapters import certificates, qr
from services.events.domain.evaluation import EvaluationForm
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import EvaluationView
from services.events.service_layer import attendance as handlers
from services.events.service_layer import evaluations
from services.events.service_layer.attendance import AttendanceRecord
from services.events.service_layer.evaluations import (
    ActivityEvaluations,
    StageForm,
)

router = APIRouter(tags=["attendance"])

PRIVATE = {"Cache-Control": "private, no-store"}


class AttendanceIn(BaseModel):
    attended: bool = Field(description="True: attended; false: did not come (no-show)")
    reason: str | None = Field(None, max_length=2000)


class CheckInIn(BaseModel):
    code: str = Field(min_length=1, max_length=100, description="The booking's check-in code")


@router.post(
    "/bookings/{booking_id}/attendance",
    summary="Mark a booking attended or no-show (the activity's coordinators)",
)
async def mark(
    booking_id: str, body: AttendanceIn, uow: UoW, principal: CurrentPrincipal
) -> AttendanceRecord:
    return await handlers.record_attendance(uow, principal, booking_id, body.attended, body.reason)


@router.post(
    "/activities/{activity_id}/check-in",
    summary="Check a booking in at the door by its code (the activity's coordinators)",
)
async def check_in(
    activity_id: str, body: CheckInIn, uow: UoW, principal: CurrentPrincipal
) -> AttendanceRecord:
    return await handlers.check_in(uow, principal, activity_id, body.code)


@router.get(
    "/bookings/{booking_id}/check-in.png",
    summary="The booking's check-in code as a QR image",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "A PNG image"}},
)
async def check_in_qr(
    booking_id: str, request: Request, uow: UoW, principal: CurrentPrincipal
) -> Response:
    content = await handlers.check_in_content(
        uow, principal, booking_id, request.app.state.settings.public_base_url
    )
    image = await run_in_threadpool(qr.png, content)
    return Response(image, media_type="image/png", headers=PRIVATE)


@router.get("/evaluations/forms", summary="Each stage's rating scales and questions")
async def evaluation_forms(principal: CurrentPrincipal) -> dict[EvaluationStage, StageForm]:
    return evaluations.forms()


@router.post(
    "/bookings/{booking_id}/evaluations/{stage}",
    status_code=status.HTTP_201_CREATED,
    summary="Evaluate a booking: before, on the day, or its impact later (once per stage)",
)
async def evaluate(
    booking_id: str,
    stage: EvaluationStage,
    body: EvaluationForm,
    uow: UoW,
    principal: CurrentPrincipal,
) -> EvaluationView:
    return EvaluationView.of(
        await evaluations.submit_evaluation(uow, principal, booking_id, stage, body)
    )


@router.get("/bookings/{booking_id}/evaluations", summary="A booking's evaluations")
async def evaluations_of_booking(
    booking_id: str, uow: UoW, principal: CurrentPrincipal
) -> list[EvaluationView]:
    return EvaluationView.many(await evaluations.evaluations_of_booking(uow, principal, booking_id))


@router.get(
    "/activities/{activity_id}/evaluations/summary",
    summary="Attendance, evaluation counts and mean ratings, and answers without names",
)
async def evaluation_summary(
    activity_id: str, uow: UoW, principal: CurrentPrincipal
) -> ActivityEvaluations:
    return await evaluations.summary(uow, principal, activity_id)


@router.get(
    "/bookings/{booking_id}/certificate.pdf",
    summary="The certificate of attendance, once attendance and an evaluation are in",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "A PDF document"},
        409: {"description": "Not released yet: says what it waits for"},
    },
)
async def certificate(booking_id: str, uow: UoW, principal: CurrentPrincipal) -> Response:
    content = await handlers.release_certificate(uow, principal, booking_id)
    document = await run_in_threadpool(certificates.render, content)
    return Response(
        document,
        media_type="application/pdf",
        headers={
            **PRIVATE,
            "Content-Disposition": f'inline; filename="certificate-{content.reference}.pdf"',
        },
    )
