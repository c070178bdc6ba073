"""The Kafka side: membership events into the read model, the events service's into the
participation records, each in its batch's unit of work (beside the consumer's inbox entries)."""

from contracts import MEMBERSHIP
from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS
from eventkit.consumer import EventConsumer
from services.reporting.service_layer import participation_projection, projection
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork

PARTNERSHIP_COMPOSITION = "reporting.partnership_composition"
PARTICIPATION = "reporting.participation"


async def _project(event: IntegrationEvent, uow: ReportingUnitOfWork) -> None:
    await projection.apply(event, uow.read_model)


def partnership_composition(name: str = PARTNERSHIP_COMPOSITION) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps partnerships, memberships and schools."""
    consumer = EventConsumer(name, MEMBERSHIP)
    consumer.on(*projection.HANDLERS)(_project)
    return consumer


async def _record(event: IntegrationEvent, uow: ReportingUnitOfWork) -> None:
    await participation_projection.apply(event, uow.participation)


def participation(name: str = PARTICIPATION) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps activities, bookings and ratings."""
    consumer = EventConsumer(name, EVENTS)
    consumer.on(*participation_projection.HANDLERS)(_record)
    return consumer
