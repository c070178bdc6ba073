"""What the handlers need of storage and of the outside world: the ports adapters implement."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from typing import Protocol

from contracts.activities import Session
from contracts.membership import HeldRole
from contracts.vocabulary import ActivityCategory, StaffRole
from eventkit import unit_of_work as eventkit_uow
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Mail
from services.notifications.domain.preferences import Preferences
from services.notifications.domain.recipients import Hold, Recipient
from services.notifications.domain.webhooks import Delivery, Subscription


class Recipients(Protocol):
    async def get(self, person_id: str) -> Recipient | None: ...
    async def many(self, person_ids: Iterable[str]) -> list[Recipient]: ...
    async def holding(
        self, role: StaffRole, *, urn: str | None = None, partnership_id: str | None = None
    ) -> list[str]:
        """The ids of people who hold the role now, at the school or the partnership."""
        ...

    async def describe(self, person_id: str, *, name: str, email: str) -> None: ...
    async def put_role(self, person_id: str, role: HeldRole) -> None: ...
    async def end_role(self, person_id: str, role_id: str, ended_on: date) -> None: ...
    async def erase(self, person_id: str) -> None:
        """Drop the name and address; keep the roles."""
        ...

    async def set_hold(self, person_id: str, hold: Hold | None) -> None: ...
    async def set_membership(self, partnership_id: str, urn: str, active: bool) -> None:
        """Whether the school is an active member of the partnership (membership's events)."""
        ...

    async def member_schools(self, partnership_id: str) -> set[str]: ...
    async def partnerships_of(self, recipient: Recipient) -> set[str]:
        """Those they hold a role at, and those their schools are active members of, now."""
        ...

    async def holding_at_schools(
        self, roles: Iterable[StaffRole], urns: Iterable[str]
    ) -> list[str]:
        """People who hold one of the roles now at one of the schools."""
        ...

    async def holding_anywhere(self, role: StaffRole) -> list[str]: ...
    async def set_school_area(self, urn: str, la_code: str | None) -> None:
        """The local authority a school is in (membership's school events)."""
        ...

    async def county_officers_over(self, urns: Iterable[str]) -> list[str]:
        """County officers who now cover the local authority of one of the schools."""
        ...

    async def county_officers_in(self, areas: set[str], *, whole: bool = False) -> list[str]:
        """County officers who now cover one of the local authorities (`whole`: whose county is
        them all, and no more)."""
        ...

    async def held(self) -> list[Recipient]: ...


class Bookings(Protocol):
    async def activity(self, activity_id: str) -> ActivityCopy | None: ...
    async def activities(self, activity_ids: Iterable[str]) -> list[ActivityCopy]: ...
    async def bookings(self, booking_ids: Iterable[str]) -> list[BookingCopy]: ...
    async def describe_activity(self, activity: ActivityCopy) -> None: ...
    async def reschedule(
        self, activity_id: str, sessions: list[Session], sequence: int
    ) -> None: ...
    async def cancel_activity(self, activity_id: str, sequence: int) -> None: ...
    async def booking(self, booking_id: str) -> BookingCopy | None: ...
    async def put_booking(self, booking: BookingCopy) -> None: ...
    async def booked_on(self, activity_id: str) -> list[BookingCopy]:
        """Bookings that hold or wait for a place."""
        ...


class Mailbox(Protocol):
    """The mail outbox: one document per mail, its id the permanent key."""

    async def queue(self, mails: Iterable[Mail]) -> int:
        """Add the mails whose keys are new; return how many were. An existing key is left as
        it is, whatever its state: that is what makes each mail go at most once."""
        ...

    async def get(self, mail_id: str) -> Mail | None: ...
    async def save(self, mail: Mail) -> None: ...
    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[Mail]:
        """Mails due now (queued, failed with a retry due, or sending with an expired lease),
        marked sending until `lease_until`."""
        ...

    async def renew(self, mail: Mail, leased_until: datetime) -> bool:
        """Extend the mail's lease if it is still the one this sender holds (and set it on
        `mail`); False when another sender took it over."""
        ...

    async def pending_about(
        self,
        *,
        activity_id: str | None = None,
        booking_id: str | None = None,
        person_id: str | None = None,
        rule_prefix: str = "",
    ) -> list[Mail]:
        """Mails not sent yet (queued or failed with a retry), about these."""
        ...

    async def of_person(self, person_id: str, limit: int) -> list[Mail]:
        """The person's mails, newest first."""
        ...

    async def forget_person(self, person_id: str) -> None:
        """Erasure: cancel what is pending for them; their delivery log keeps no address."""
        ...


class PreferenceStore(Protocol):
    async def of(self, person_id: str) -> Preferences: ...
    async def of_many(self, person_ids: Iterable[str]) -> dict[str, Preferences]:
        """Each person's preferences (the defaults for one who set none)."""
        ...

    async def save(self, preferences: Preferences) -> None: ...
    async def following(self, category: ActivityCategory) -> list[Preferences]:
        """Everyone whose interests name the category."""
        ...


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Raises PermanentFailure (5xx: the address refuses mail) or TemporaryFailure."""
        ...


class Composer(Protocol):
    def message(
        self,
        mail: Mail,
        recipient: Recipient,
        activity: ActivityCopy | None,
        booking: BookingCopy | None,
        names: Mapping[str, str],
        *,
        now: datetime,
    ) -> EmailMessage:
        """The mail as a message to send: subject, plain text and HTML, attachments. `names`:
        person id -> name, of the people the mail may name (the person booked)."""
        ...

    def digest(
        self,
        items: list[tuple[Mail, ActivityCopy | None, BookingCopy | None]],
        recipient: Recipient,
        names: Mapping[str, str],
        *,
        now: datetime,
    ) -> EmailMessage:
        """Several mails to one person as one message."""
        ...


class PermanentFailure(Exception):
    pass


class TemporaryFailure(Exception):
    pass


class Webhooks(Protocol):
    async def add(self, subscription: Subscription) -> None: ...
    async def get(self, subscription_id: str) -> Subscription | None: ...
    async def all(self) -> list[Subscription]: ...
    async def save(self, subscription: Subscription) -> None: ...
    async def queue(self, deliveries: list[Delivery]) -> int:
        """Add the deliveries whose keys are new; return how many were."""
        ...

    async def delivery(self, delivery_id: str) -> Delivery | None: ...
    async def save_delivery(self, delivery: Delivery) -> None: ...
    async def due(self, subscription_id: str, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose attempt is due, oldest event first."""
        ...

    async def deliveries(
        self,
        subscription_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        """Newest first; between `since` and `until` (event times) if given."""
        ...

    async def abandon_pending(self, subscription_id: str) -> None: ...


class Destinations(Protocol):
    async def refusal(self, url: str) -> str | None:
        """Why the URL may not receive webhooks (a private or loopback address), or None."""
        ...


@dataclass(frozen=True)
class Answer:
    status: int | None
    retry_after: float | None = None
    error: str | None = None


class Poster(Protocol):
    async def post(self, url: str, body: str, headers: dict[str, str]) -> Answer: ...


class Signer(Protocol):
    def sign(self, secret: str, message_id: str, at: datetime, body: str) -> str: ...


class UnitOfWork(eventkit_uow.UnitOfWork, Protocol):
    @property
    def recipients(self) -> Recipients: ...
    @property
    def bookings(self) -> Bookings: ...
    @property
    def mailbox(self) -> Mailbox: ...
    @property
    def preferences(self) -> PreferenceStore: ...
    @property
    def webhooks(self) -> Webhooks: ...
