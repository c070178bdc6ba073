"""HTTP routes for case studies."""

from fastapi import APIRouter

router = APIRouter(tags=["case studies"])
