"""Keeps the names and emails in the directory from the compacted people topic, and forgets
them on a person's tombstone."""

from contracts import people
from contracts.topics import PEOPLE
from eventkit.consumer import EventConsumer
from services.events.service_layer.ports import UnitOfWork

consumer = EventConsumer("events.people", PEOPLE)


@consumer.on(people.PersonContact)
async def contact(event: people.PersonContact, uow: UnitOfWork) -> None:
    await uow.directory.describe_person(event.person_id, name=event.name, email=event.email)


@consumer.on(people.PersonContactErased)
async def contact_erased(event: people.PersonContactErased, uow: UnitOfWork) -> None:
    await uow.directory.erase_person(event.person_id)
