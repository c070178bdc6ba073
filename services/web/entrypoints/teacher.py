"""The pages of a teacher (or trainee): the programme and booking, their bookings, evaluations
and certificates, their calendar link and email settings."""

from fastapi import APIRouter

from services.web.entrypoints import (
    teacher_account,
    teacher_bookings,
    teacher_evaluations,
    teacher_programme,
)

router = APIRouter()
for pages in (teacher_programme, teacher_bookings, teacher_evaluations, teacher_account):
    router.include_router(pages.router)
