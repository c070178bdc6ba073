"""HTTP routes for snapshots: county officers ask for the read models as of a past day, built
from the log in the background; then every report takes `?as_of=` that day."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field, field_validator

from eventkit.auth import CurrentPrincipal, Principal
from eventkit.errors import Forbidden, NotFound
from services.reporting.domain.participation import ENGLAND
from services.reporting.domain.snapshot import Snapshot
from services.reporting.entrypoints.snapshot_builder import SnapshotBuilder

router = APIRouter(tags=["snapshots"])


class SnapshotRequest(BaseModel):
    as_of: date = Field(description="A past day, or today: the read models at its end")

    @field_validator("as_of")
    @classmethod
    def not_in_the_future(cls, as_of: date) -> date:
        if as_of > datetime.now(ENGLAND).date():
            raise ValueError("a snapshot is of a day that has begun, not of the future")
        return as_of


def _builder(request: Request) -> SnapshotBuilder:
    builder: SnapshotBuilder = request.app.state.snapshots
    return builder


def _officers_only(principal: Principal) -> None:
    if not principal.county_wide:
        raise Forbidden("only a county officer may ask for snapshots")


@router.post(
    "/snapshots",
    status_code=202,
    summary="County officers: build the read models as of the end of a day, from the log",
    responses={200: {"description": "It was asked for before: as it stands"}},
)
async def ask_for(
    body: SnapshotRequest, request: Request, response: Response, principal: CurrentPrincipal
) -> Snapshot:
    _officers_only(principal)
    snapshot, new = await _builder(request).ask_for(body.as_of)
    if not new:
        response.status_code = 200
    return snapshot


@router.get("/snapshots", summary="The snapshots asked for, ready or being built")
async def listed(request: Request, principal: CurrentPrincipal) -> list[Snapshot]:
    _officers_only(principal)
    return await _builder(request).all()


AsOf = Annotated[date, Path(description="The snapshot's day, like 2026-08-31")]


@router.get("/snapshots/{as_of}", summary="One snapshot: how far it has been built")
async def one(as_of: AsOf, request: Request, principal: CurrentPrincipal) -> Snapshot:
    _officers_only(principal)
    found = await _builder(request).get(as_of)
    if found is None:
        raise NotFound(f"no snapshot as of {as_of}")
    return found


@router.delete("/snapshots/{as_of}", status_code=204, summary="Throw a snapshot away")
async def thrown_away(as_of: AsOf, request: Request, principal: CurrentPrincipal) -> None:
    _officers_only(principal)
    if not await _builder(request).discard(as_of):
        raise NotFound(f"no snapshot as of {as_of}")
