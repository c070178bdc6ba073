"""The Kafka side: membership events into the read model, in the batch's unit of work (beside
the consumer's inbox entries)."""

from contracts import MEMBERSHIP
from contracts.envelope import IntegrationEvent
from eventkit.consumer import EventConsumer
from services.reporting.service_layer import projection
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork

PARTNERSHIP_COMPOSITION = "reporting.partnership_composition"


async def _project(event: IntegrationEvent, uow: ReportingUnitOfWork) -> None:
    await projection.apply(event, uow.read_model)


def partnership_composition(name: str = PARTNERSHIP_COMPOSITION) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps partnerships, memberships and schools."""
    consumer = EventConsumer(name, MEMBERSHIP)
    consumer.on(*projection.HANDLERS)(_project)
    return consumer
