"""The teacher's evaluations (the list, and the form for each stage) and certificates of
attendance (the list, and each one's PDF)."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from contracts.attendance import EvaluationStage
from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep
from services.web.entrypoints.files import file_response
from services.web.entrypoints.teacher_bookings import own_booking
from services.web.entrypoints.teacher_dependencies import Teacher, done, fields, now, sent
from services.web.forms import Form
from services.web.service_layer import teacher_evaluations as evaluations
from services.web.service_layer import teacher_words as tw
from services.web.service_layer.teacher_bookings import MyBooking
from services.web.service_layer.teacher_evaluations import Evaluated
from services.web.service_layer.teacher_models import StageForm

router = APIRouter(tags=["teacher"])

LONGEST_ANSWER = 4000
RATINGS = ("1", "2", "3", "4", "5")


@router.get("/my/evaluations", response_class=HTMLResponse)
async def my_evaluations(
    request: Request, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    found = await evaluations.my_evaluations(api, viewer, now())
    return pages.render(
        request,
        "teacher/evaluations.html",
        {
            "title": "Evaluations",
            "done": done(request),
            "to_do": [e for e in found if e.to_do],
            "sent": [e for e in found if e.done],
            "stages": tw.STAGES,
        },
    )


@router.get("/my/bookings/{booking_id}/evaluations/{stage}", response_class=HTMLResponse)
async def evaluation_page(
    request: Request, booking_id: str, stage: str, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    ready = await _stage(api, viewer, booking_id, stage)
    forms = await evaluations.forms(api, viewer.token)
    return _evaluation(request, pages, ready, stage, forms[stage], Form())


@router.post("/my/bookings/{booking_id}/evaluations/{stage}", response_model=None)
async def evaluate(
    request: Request, booking_id: str, stage: str, pages: PagesDep, api: Api, viewer: Teacher
) -> Response:
    ready = await _stage(api, viewer, booking_id, stage)
    asked = (await evaluations.forms(api, viewer.token))[stage]
    names = (
        *(f"rating-{s}" for s in asked.scales),
        *(f"answer-{q}" for q in asked.questions),
    )
    form = Form.of(fields(await sent(request)), names)
    for scale, question in asked.scales.items():
        if form.value(f"rating-{scale}") not in RATINGS:
            form.refuse(f"rating-{scale}", f"Select a rating for: {question}")
    for name, question in asked.questions.items():
        answer = form.value(f"answer-{name}")
        if name in asked.required and not answer:
            form.refuse(f"answer-{name}", f"Answer the question: {question}")
        elif len(answer) > LONGEST_ANSWER:
            form.refuse(
                f"answer-{name}", f"Your answer to '{question}' must be 4,000 characters or fewer"
            )
    if stage in ready.done:
        form.refuse("send", "You have already sent this evaluation.")
    if not form.valid:
        return _evaluation(request, pages, ready, stage, asked, form, HTTPStatus.BAD_REQUEST)
    body = {
        "ratings": {s: int(form.value(f"rating-{s}")) for s in asked.scales},
        "answers": {
            q: form.value(f"answer-{q}") for q in asked.questions if form.value(f"answer-{q}")
        },
    }
    try:
        await evaluations.submit(api, viewer, ready.my.id, stage, body)
    except ApiProblem as problem:
        if problem.status not in (HTTPStatus.CONFLICT, HTTPStatus.UNPROCESSABLE_ENTITY):
            raise
        form.refuse("send", "Your evaluation could not be sent: reload the page and try again.")
        return _evaluation(request, pages, ready, stage, asked, form, HTTPStatus.CONFLICT)
    return RedirectResponse("/my/evaluations?done=evaluated", status_code=303)


async def _stage(api: Api, viewer: Teacher, booking_id: str, stage: str) -> Evaluated:
    """The booking, if this stage of it may be evaluated now (else: not found)."""
    if stage not in set(EvaluationStage):
        raise HTTPException(HTTPStatus.NOT_FOUND)
    my = await own_booking(api, viewer, booking_id)
    ready = await evaluations.evaluated(api, viewer, my, now())
    if stage not in ready.open:
        raise HTTPException(HTTPStatus.NOT_FOUND)
    return ready


def _evaluation(
    request: Request,
    pages: PagesDep,
    ready: Evaluated,
    stage: str,
    asked: StageForm,
    form: Form,
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "teacher/evaluation.html",
        {
            "title": f"Evaluate: {ready.my.activity.title}",
            "my": ready.my,
            "stage": stage,
            "stage_name": tw.STAGES[stage],
            "sent": ready.done.get(stage),
            "scales": [_scale(form, name, q) for name, q in asked.scales.items()],
            "questions": [
                {"name": name, "text": q, "required": name in asked.required}
                for name, q in asked.questions.items()
            ],
            "form": form,
        },
        status_code=status,
    )


def _scale(form: Form, name: str, question: str) -> dict[str, Any]:
    chosen = form.value(f"rating-{name}")
    words = {"1": "1 (low)", "5": "5 (high)"}
    return {
        "name": f"rating-{name}",
        "scale": name,
        "question": question,
        "radios": [{"value": r, "text": words.get(r, r), "checked": chosen == r} for r in RATINGS],
    }


@router.get("/my/certificates", response_class=HTMLResponse)
async def certificates(
    request: Request, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    found = await evaluations.my_evaluations(api, viewer, now())
    return pages.render(
        request,
        "teacher/certificates.html",
        {
            "title": "Certificates",
            "attended": [e for e in found if e.my.booking.attended],
        },
    )


@router.get("/my/bookings/{booking_id}/certificate.pdf", response_model=None)
async def certificate(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> Response:
    my = await own_booking(api, viewer, booking_id)
    try:
        found = await api.events.file(f"/bookings/{my.id}/certificate.pdf", viewer.token)
    except ApiProblem as problem:
        if problem.status != HTTPStatus.CONFLICT:
            raise
        return pages.render(
            request,
            "teacher/certificate_waiting.html",
            {"title": "Your certificate is not ready yet", "my": my, "reason": _waiting(my)},
            status_code=HTTPStatus.CONFLICT,
        )
    disposition = f'inline; filename="certificate-{my.id}.pdf"'
    return file_response(found, media_type="application/pdf", disposition=disposition)


def _waiting(my: MyBooking) -> str:
    if not my.booking.attended:
        return (
            "Your certificate is made once the organiser records that you attended. "
            f"Your booking is: {my.booking.status_words.lower()}."
        )
    return (
        "Fill in the on-the-day evaluation first: your certificate is made once it is in. "
        "If you have just sent it, try again in a minute."
    )
