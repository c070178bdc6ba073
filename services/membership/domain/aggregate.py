"""What every aggregate of this service shares: an id, a version for conditional updates, and the
events it has recorded since it was loaded."""

from pydantic import BaseModel, ConfigDict, PrivateAttr

from contracts.envelope import IntegrationEvent


class Aggregate(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    version: int = 0
    _events: list[IntegrationEvent] = PrivateAttr(default_factory=list)

    def record(self, event: IntegrationEvent) -> None:
        self._events.append(event)

    def collect_events(self) -> list[IntegrationEvent]:
        events, self._events = self._events, []
        return events
