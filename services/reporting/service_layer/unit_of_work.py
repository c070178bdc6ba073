"""The unit of work of the reporting service: the read model, the participation records and
the history inside one transaction."""

from pymongo.asynchronous.client_session import AsyncClientSession

from eventkit.unit_of_work import MongoUnitOfWork
from services.reporting.adapters.history import MongoHistory
from services.reporting.adapters.participation import MongoParticipation
from services.reporting.adapters.read_model import MongoReadModel


class ReportingUnitOfWork(MongoUnitOfWork):
    read_model: MongoReadModel
    participation: MongoParticipation
    history: MongoHistory

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.read_model = MongoReadModel(self.db, session)
        self.participation = MongoParticipation(self.db, session)
        self.history = MongoHistory(self.db, session)
