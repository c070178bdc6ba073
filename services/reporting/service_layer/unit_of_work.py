"""The unit of work of the reporting service: the read model, the participation records (both
of one generation), the history and the county reports made, inside one transaction."""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from eventkit.unit_of_work import MongoUnitOfWork
from services.reporting.adapters.county_reports import MongoCountyReports
from services.reporting.adapters.history import MongoHistory
from services.reporting.adapters.participation import MongoParticipation
from services.reporting.adapters.read_model import MongoReadModel
from services.reporting.domain.generation import Generation


class ReportingUnitOfWork(MongoUnitOfWork):
    read_model: MongoReadModel
    participation: MongoParticipation
    history: MongoHistory
    county_reports: MongoCountyReports

    def __init__(self, *args: Any, generation: Generation = Generation(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generation = generation

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.read_model = MongoReadModel(self.db, session, self.generation)
        self.participation = MongoParticipation(self.db, session, self.generation)
        self.history = MongoHistory(self.db, session)
        self.county_reports = MongoCountyReports(self.db, session)
