"""What every route of the reporting API depends on."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from eventkit.errors import NotFound
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


async def _served(request: Request, as_of: AsOf = None) -> Generation:
    """The generation served now, or the snapshot of `as_of`."""
    if as_of is None:
        generation: Generation = request.app.state.served.generation
        return generation
    found = await generations.ready_snapshot(request.app.state.runtime.db, as_of)
    if found is None:
        raise NotFound(f"as_of: no snapshot as of {as_of} is ready (POST /snapshots asks for one)")
    return found


Served = Annotated[Generation, Depends(_served)]


def read_model(request: Request, generation: Served) -> MongoReadModel:
    """Of the generation the service serves (a rebuild switches it over), or of a snapshot."""
    return MongoReadModel(request.app.state.runtime.db, generation=generation)


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
