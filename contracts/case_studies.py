"""Events of the events service about case studies, on `partnerships.events.v1`."""

from contracts.envelope import IntegrationEvent

EVENTS: tuple[type[IntegrationEvent], ...] = ()
