"""HTTP routes for support."""

from fastapi import APIRouter

router = APIRouter(tags=["support"])
