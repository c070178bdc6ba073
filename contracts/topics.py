"""Topics: one per producing service and version, keyed by aggregate id.

Retention is forever on the main topics so the reporting service can rebuild from offset 0.
"""

from dataclasses import dataclass

DEAD_LETTER_SUFFIX = ".dlt"


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int = 6
    replication_factor: int = 1
    retention_ms: int = -1  # keep forever

    @property
    def dead_letters(self) -> "Topic":
        return Topic(
            self.name + DEAD_LETTER_SUFFIX,
            partitions=1,
            replication_factor=self.replication_factor,
            retention_ms=-1,
        )


MEMBERSHIP = Topic("partnerships.membership.v1")
EVENTS = Topic("partnerships.events.v1")
NOTIFICATIONS = Topic("partnerships.notifications.v1")

ALL_TOPICS: tuple[Topic, ...] = tuple(
    t for main in (MEMBERSHIP, EVENTS, NOTIFICATIONS) for t in (main, main.dead_letters)
)
