"""The county officer's pages, under /county."""

from fastapi import APIRouter

from services.web.entrypoints import (
    county_case_studies,
    county_dashboard,
    county_mail,
    county_partnerships,
    county_webhooks,
)

router = APIRouter()
for part in (
    county_case_studies,
    county_dashboard,
    county_partnerships,
    county_webhooks,
    county_mail,
):
    router.include_router(part.router)
