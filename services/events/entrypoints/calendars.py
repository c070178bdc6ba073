"""HTTP routes for calendars."""

from fastapi import APIRouter

router = APIRouter(tags=["calendars"])
