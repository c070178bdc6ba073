"""The Kafka side: membership events into the read model, each in the consumer's transaction."""

from contracts import MEMBERSHIP
from contracts.envelope import IntegrationEvent
from eventkit.consumer import Delivery, EventConsumer
from services.reporting.adapters.read_model import MongoReadModel
from services.reporting.service_layer import projection

PARTNERSHIP_COMPOSITION = "reporting.partnership_composition"


async def _project(event: IntegrationEvent, delivery: Delivery) -> None:
    """Written in the delivery's transaction, beside the consumer's inbox entry."""
    await projection.apply(event, MongoReadModel(delivery.db, delivery.session))


def partnership_composition(name: str = PARTNERSHIP_COMPOSITION) -> EventConsumer:
    """The consumer (and Kafka group `name`) that keeps partnerships, memberships and schools."""
    consumer = EventConsumer(name, MEMBERSHIP)
    consumer.on(*projection.HANDLERS)(_project)
    return consumer
