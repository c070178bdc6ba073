"""HTTP routes for attendance."""

from fastapi import APIRouter

router = APIRouter(tags=["attendance"])
