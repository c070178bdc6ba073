"""Contact details of people, on the compacted topic `partnerships.people.v1`, keyed by person id.

The only topic that carries names and email addresses. Kafka keeps the latest value per key;
erasing a person publishes a tombstone, after which compaction removes everything earlier of
that key. Produced by the membership service; every service that keeps a copy of someone's
details reads it here and drops the copy on the tombstone.
"""

from typing import ClassVar, Self

from contracts.envelope import IntegrationEvent
from contracts.topics import PEOPLE, Topic


class _PeopleEvent(IntegrationEvent):
    topic: ClassVar[Topic] = PEOPLE
    person_id: str

    def aggregate_id(self) -> str:
        return self.person_id


class PersonContact(_PeopleEvent):
    """A person's details as they are now (each one replaces the one before)."""

    type: ClassVar[str] = "membership.person_contact.v1"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"name", "email", "job_title"})
    name: str
    email: str
    job_title: str | None = None


class PersonContactErased(_PeopleEvent):
    """A tombstone (null value): the person is erased; forget their details."""

    type: ClassVar[str] = "membership.person_contact_erased.v1"
    tombstone: ClassVar[bool] = True

    @classmethod
    def from_tombstone(cls, subject: str) -> Self:
        return cls(person_id=subject)


EVENTS: tuple[type[IntegrationEvent], ...] = (PersonContact, PersonContactErased)
