"""What every route of the reporting API depends on."""

from typing import Annotated

from fastapi import Depends, Request

from services.reporting.adapters.history import MongoHistory
from services.reporting.adapters.participation import MongoParticipation
from services.reporting.adapters.read_model import MongoReadModel
from services.reporting.adapters.saved_reports import MongoSavedReports
from services.reporting.domain.generation import Generation


def _served(request: Request) -> Generation:
    generation: Generation = request.app.state.served.generation
    return generation


def read_model(request: Request) -> MongoReadModel:
    """Of the generation the service serves (a rebuild switches it over)."""
    return MongoReadModel(request.app.state.runtime.db, generation=_served(request))


ReadModel = Annotated[MongoReadModel, Depends(read_model)]


def records(request: Request) -> MongoParticipation:
    return MongoParticipation(request.app.state.runtime.db, generation=_served(request))


Records = Annotated[MongoParticipation, Depends(records)]


def saved(request: Request) -> MongoSavedReports:
    return MongoSavedReports(request.app.state.runtime.db)


Saved = Annotated[MongoSavedReports, Depends(saved)]


def history(request: Request) -> MongoHistory:
    return MongoHistory(request.app.state.runtime.db)


History = Annotated[MongoHistory, Depends(history)]
