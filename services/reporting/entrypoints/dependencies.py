"""What every route of the reporting API depends on."""

from typing import Annotated

from fastapi import Depends, Request

from services.reporting.adapters.history import MongoHistory
from services.reporting.adapters.read_model import MongoReadModel


def read_model(request: Request) -> MongoReadModel:
    return MongoReadModel(request.app.state.runtime.db)


ReadModel = Annotated[MongoReadModel, Depends(read_model)]


def history(request: Request) -> MongoHistory:
    return MongoHistory(request.app.state.runtime.db)


History = Annotated[MongoHistory, Depends(history)]
