"""Events of the events service about support, on `partnerships.events.v1`."""

from contracts.envelope import IntegrationEvent

EVENTS: tuple[type[IntegrationEvent], ...] = ()
