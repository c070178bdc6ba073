"""The school lead's pages, under /school: approvals waiting, pupil places, support requests,
the expertise register, and the school's staff and their roles."""

from fastapi import APIRouter

from services.web.entrypoints import (
    school_approvals,
    school_expertise,
    school_pupils,
    school_staff,
    school_support,
)

router = APIRouter()
for part in (school_approvals, school_pupils, school_support, school_expertise, school_staff):
    router.include_router(part.router)
