"""What every route of the reporting API depends on."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from eventkit.auth import CurrentPrincipal
from eventkit.errors import Forbidden, NotFound
from services.reporting.adapters import generations
from services.reporting.adapters.history import MongoHistory
from services.reporting.adapters.participation import MongoParticipation
from services.reporting.adapters.read_model import MongoReadModel
from services.reporting.adapters.saved_reports import MongoSavedReports
from services.reporting.domain.generation import Generation

AsOf = Annotated[
    date | None,
    Query(
        description="As the records stood at the end of this day (UK time): a snapshot "
        "asked for with `POST /snapshots` and ready"
    ),
]


def _now(request: Request) -> Generation:
    generation: Generation = request.app.state.served.generation
    return generation


async def _served(request: Request, principal: CurrentPrincipal, as_of: AsOf = None) -> Generation:
    """The generation served now, or the snapshot of `as_of` (for county officers: a snapshot
    is of the whole county)."""
    if as_of is None:
        return _now(request)
    if not principal.county_wide:
        raise Forbidden("as_of: reports as of a past day are for county officers")
    found = await generations.ready_snapshot(request.app.state.runtime.db, as_of)
    if found is None:
        raise NotFound(f"as_of: no snapshot as of {as_of} is ready (POST /snapshots asks for one)")
    return found


Served = Annotated[Generation, Depends(_served)]


def read_model(request: Request, generation: Served) -> MongoReadModel:
    """Of the generation the service serves (a rebuild switches it over), or of a snapshot; who
    county officers are and what they cover, always as of now."""
    db = request.app.state.runtime.db
    return MongoReadModel(db, generation=generation, officers_from=_now(request))


ReadModel = Annotated[MongoReadModel, Depends(read_model)]


def records(request: Request, generation: Served) -> MongoParticipation:
    return MongoParticipation(request.app.state.runtime.db, generation=generation)


Records = Annotated[MongoParticipation, Depends(records)]


def saved(request: Request) -> MongoSavedReports:
    return MongoSavedReports(request.app.state.runtime.db)


Saved = Annotated[MongoSavedReports, Depends(saved)]


def history(request: Request) -> MongoHistory:
    return MongoHistory(request.app.state.runtime.db)


History = Annotated[MongoHistory, Depends(history)]
