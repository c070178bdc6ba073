"""Topics: one per producing service and version, keyed by aggregate id.

Retention is forever on the main topics so the reporting service can rebuild from offset 0.
The people topic is the exception: it is compacted (the latest contact details per person id,
and a tombstone once the person is erased), so it is the only place names and emails travel.
"""

from dataclasses import dataclass

DEAD_LETTER_SUFFIX = ".dlt"


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int = 6
    replication_factor: int = 1
    retention_ms: int = -1  # keep forever
    cleanup_policy: str = "delete"  # or "compact": the latest value per key

    @property
    def compacted(self) -> bool:
        return self.cleanup_policy == "compact"

    @property
    def dead_letters(self) -> "Topic":
        """Kept forever, except a compacted topic's: its dead letters are copies of personal
        data that no tombstone reaches, so they are kept for `PERSONAL_DEAD_LETTERS_MS`."""
        return Topic(
            self.name + DEAD_LETTER_SUFFIX,
            partitions=1,
            replication_factor=self.replication_factor,
            retention_ms=PERSONAL_DEAD_LETTERS_MS if self.compacted else -1,
        )

    def configs(self) -> dict[str, str]:
        """The topic's configuration as Kafka names it."""
        if self.compacted:
            return {
                "cleanup.policy": "compact",
                "segment.ms": str(DAY_MS),  # only closed segments are compacted
                "max.compaction.lag.ms": str(MAX_COMPACTION_LAG_MS),
                "delete.retention.ms": str(DAY_MS),  # how long a tombstone itself is kept
            }
        return {"cleanup.policy": self.cleanup_policy, "retention.ms": str(self.retention_ms)}


DAY_MS = 24 * 3600 * 1000
MAX_COMPACTION_LAG_MS = 7 * DAY_MS
"""The longest an overwritten value (an old name, an erased person's details) stays in the log."""
PERSONAL_DEAD_LETTERS_MS = 30 * DAY_MS


MEMBERSHIP = Topic("partnerships.membership.v1")
EVENTS = Topic("partnerships.events.v1")
NOTIFICATIONS = Topic("partnerships.notifications.v1")
REPORTING = Topic("partnerships.reporting.v1")
PEOPLE = Topic("partnerships.people.v1", cleanup_policy="compact")

ALL_TOPICS: tuple[Topic, ...] = tuple(
    t
    for main in (MEMBERSHIP, EVENTS, NOTIFICATIONS, REPORTING, PEOPLE)
    for t in (main, main.dead_letters)
)
