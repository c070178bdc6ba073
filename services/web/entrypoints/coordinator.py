"""The partnership coordinator's pages: the programme and each activity's bookings and register,
the partnership's case studies, its schools and its dashboard."""

from fastapi import APIRouter

from services.web.entrypoints import (
    coordinate_case_studies,
    coordinate_dashboard,
    coordinate_programme,
    coordinate_register,
    coordinate_schools,
)

router = APIRouter()
for pages in (
    coordinate_programme,
    coordinate_register,
    coordinate_case_studies,
    coordinate_schools,
    coordinate_dashboard,
):
    router.include_router(pages.router)
