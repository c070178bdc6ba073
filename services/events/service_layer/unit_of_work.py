"""The unit of work of the events service: its repositories and the directory in one transaction."""

from datetime import timedelta
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from eventkit.unit_of_work import MongoUnitOfWork
from services.events.adapters.calendar_tokens import CalendarTokenRepository
from services.events.adapters.case_studies import CaseStudyRepository
from services.events.adapters.directory import MongoDirectory
from services.events.adapters.evaluations import EvaluationRepository
from services.events.adapters.issued_certificates import IssuedCertificateRepository
from services.events.adapters.peer_reviews import PeerReviewRepository
from services.events.adapters.placement_swaps import PlacementSwapRepository
from services.events.adapters.publications import PublicationRepository
from services.events.adapters.repositories import (
    ActivityRepository,
    BookingRepository,
    SchoolPolicies,
)
from services.events.adapters.support import SupportRepository


class EventsUnitOfWork(MongoUnitOfWork):
    activities: ActivityRepository
    bookings: BookingRepository
    case_studies: CaseStudyRepository
    support: SupportRepository
    placement_swaps: PlacementSwapRepository
    publications: PublicationRepository
    peer_reviews: PeerReviewRepository
    evaluations: EvaluationRepository
    certificates: IssuedCertificateRepository
    calendar_tokens: CalendarTokenRepository
    directory: MongoDirectory
    policies: SchoolPolicies

    def __init__(
        self, *args: Any, offer_window: timedelta = timedelta(hours=48), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offer_window = offer_window

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.activities = self.repository(ActivityRepository)
        self.bookings = self.repository(BookingRepository)
        self.case_studies = self.repository(CaseStudyRepository)
        self.support = self.repository(SupportRepository)
        self.placement_swaps = self.repository(PlacementSwapRepository)
        self.publications = self.repository(PublicationRepository)
        self.peer_reviews = self.repository(PeerReviewRepository)
        self.evaluations = self.repository(EvaluationRepository)
        self.certificates = self.repository(IssuedCertificateRepository)
        self.calendar_tokens = self.repository(CalendarTokenRepository)
        self.directory = MongoDirectory(self.db, session)
        self.policies = SchoolPolicies(self.db, session)
