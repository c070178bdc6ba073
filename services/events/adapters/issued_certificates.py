"""The record of certificates released, one per booking (its id is the booking's)."""

from eventkit.aggregate import MongoRepository
from services.events.domain.attendance import IssuedCertificate


class IssuedCertificateRepository(MongoRepository[IssuedCertificate]):
    model = IssuedCertificate
    collection_name = "issued_certificates"
    id_field = "booking_id"
    datetime_fields = ("issued_at",)
