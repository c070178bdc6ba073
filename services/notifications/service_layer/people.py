"""A person's preferences, their delivery log, unsubscribing, and holds on addresses."""

from datetime import UTC, datetime

from contracts import notifications as events
from eventkit.auth import Principal
from eventkit.errors import NotFound
from services.notifications.domain.mail import Mail
from services.notifications.domain.preferences import Category, Preferences
from services.notifications.domain.recipients import Recipient
from services.notifications.service_layer import access
from services.notifications.service_layer.ports import UnitOfWork


async def preferences_of(uow: UnitOfWork, principal: Principal, person_id: str) -> Preferences:
    access.require_self_or_officer(principal, person_id)
    async with uow:
        return await uow.preferences.of(person_id)


async def set_preferences(
    uow: UnitOfWork, principal: Principal, preferences: Preferences
) -> Preferences:
    access.require_self_or_officer(principal, preferences.person_id)
    preferences = preferences.model_copy(update={"muted": sorted(set(preferences.muted))})
    async with uow:
        await uow.preferences.save(preferences)
        await uow.commit()
    return preferences


async def unsubscribe(uow: UnitOfWork, person_id: str, category: Category | None) -> Preferences:
    """From a signed link: no sign-in. Unsubscribing twice changes nothing more."""
    async with uow:
        preferences = (await uow.preferences.of(person_id)).mute(category)
        await uow.preferences.save(preferences)
        await uow.commit()
    return preferences


async def delivery_log(
    uow: UnitOfWork, principal: Principal, person_id: str, limit: int
) -> list[Mail]:
    access.require_self_or_officer(principal, person_id)
    async with uow:
        return await uow.mailbox.of_person(person_id, limit)


async def held_addresses(uow: UnitOfWork, principal: Principal) -> list[Recipient]:
    access.require_county_officer(principal)
    async with uow:
        return await uow.recipients.held()


async def clear_hold(uow: UnitOfWork, principal: Principal, person_id: str) -> None:
    """Mail goes to the address again (what was held stays held: it is not sent late)."""
    access.require_county_officer(principal)
    async with uow:
        recipient = await uow.recipients.get(person_id)
        if recipient is None or recipient.hold is None:
            raise NotFound(f"no hold on the address of person {person_id[:64]}")
        await uow.recipients.set_hold(person_id, None)
        now = datetime.now(UTC)
        uow.record([events.AddressReleased(person_id=person_id, released_at=now)])
        await uow.commit()
