"""Webhook subscriptions of other council systems, managed by county officers: which there are,
a new one (its address checked here first, in plain words, then by the notifications service),
and turning one off.

The kinds of event offered are those the contracts publish on the topics the notifications
service delivers (every one but the people topic), less those no longer published (they carry
personal fields) and its own delivery receipts; the service itself is the judge.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from contracts import notifications
from contracts.registry import PRODUCERS
from contracts.topics import PEOPLE
from services.web.adapters.platform_api import PlatformApi
from services.web.models import Answer

URL_LENGTH = 2_000

GROUPS = {
    "membership": "Partnerships, schools and people",
    "activities": "Activities and bookings",
    "attendance": "Evaluations and certificates",
    "case_studies": "Case studies",
    "support": "School-to-school support",
    "peer_review": "Peer reviews",
    "placements": "Placement swaps",
    "publications": "Publications",
    "notifications": "Mail and webhooks",
    "reporting": "Reports",
}
NOT_OFFERED = frozenset({notifications.WebhookDelivered.type})


class Subscription(Answer):
    id: str
    url: str
    event_types: list[str]
    partnership_ids: list[str]
    created_at: datetime
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    failing_since: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    @property
    def turned_off_because(self) -> str:
        reason = self.disabled_reason or ""
        if "410" in reason:
            return "its system answered that the address is gone"
        if reason.startswith("failing"):
            return "its system kept failing to take events"
        return "a county officer removed it"


class Subscribed(Subscription):
    secret: str


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    hint: str


@dataclass(frozen=True)
class EventGroup:
    name: str
    heading: str
    types: list[EventType]


def _label(code: str) -> str:
    """`events.case_study_published.v1` as `Case study published`."""
    name = code.split(".")[1] if code.count(".") >= 2 else code
    return name.replace("_", " ").capitalize()


def _hint(doc: str | None) -> str:
    first = (doc or "").strip().split("\n\n")[0]
    return " ".join(first.split())


def event_groups() -> list[EventGroup]:
    groups = []
    for module in PRODUCERS:
        offered = [
            cls
            for cls in module.EVENTS
            if cls.topic != PEOPLE and not cls.personal_fields and cls.type not in NOT_OFFERED
        ]
        if not offered:
            continue
        name = module.__name__.rsplit(".", 1)[-1]
        types = [EventType(cls.type, _label(cls.type), _hint(cls.__doc__)) for cls in offered]
        groups.append(
            EventGroup(name, GROUPS.get(name, name.replace("_", " ").capitalize()), types)
        )
    return groups


EVENT_TYPES = frozenset(t.code for g in event_groups() for t in g.types)
EVENT_LABELS = {t.code: t.label for g in event_groups() for t in g.types}


def url_problem(url: str) -> str | None:
    """What is wrong with a webhook's address, in words; None if it looks like one."""
    if not url:
        return "Enter the web address events are to be sent to"
    if len(url) > URL_LENGTH:
        return f"The web address must be {URL_LENGTH:,} characters or fewer"
    if any(c.isspace() for c in url):
        return "The web address must not contain spaces"
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        return "Enter a full web address starting with https://, like https://systems.example/hooks"
    try:
        host, _ = parts.hostname, parts.port  # a port that is not a number raises
    except ValueError:
        host = None
    if not host or ("." not in host and ":" not in host):
        return "Enter a full web address with the server's name, like https://systems.example/hooks"
    return None


def refusal(detail: str) -> tuple[str, str]:
    """The notifications service's refusal of a subscription: the field it is about (`url` or
    `events`), and what is wrong in words for the officer."""
    if "event type" in detail:
        return "events", "One of the kinds of event cannot be sent by webhook: choose again"
    if "cannot be resolved" in detail:
        return "url", "No server with that name can be found: check the web address"
    if "private or local" in detail:
        return "url", (
            "Enter a public web address: events cannot be sent to an address inside a private "
            "network or to this computer"
        )
    return "url", (
        "Enter a full web address starting with https://, like https://systems.example/hooks"
    )


async def subscriptions(api: PlatformApi, token: str) -> list[Subscription]:
    """The ones on, newest first, then those turned off."""
    found = [
        Subscription.model_validate(s) for s in await api.notifications.get("/webhooks", token)
    ]
    return sorted(found, key=lambda s: (not s.active, -s.created_at.timestamp()))


async def subscribe(
    api: PlatformApi,
    token: str,
    url: str,
    event_types: list[str],
    partnership_ids: list[str],
) -> Subscribed:
    body = {"url": url, "event_types": event_types, "partnership_ids": partnership_ids}
    return Subscribed.model_validate(await api.notifications.post("/webhooks", token, body))


async def turn_off(api: PlatformApi, token: str, subscription_id: str) -> Subscription:
    answer = await api.notifications.delete(f"/webhooks/{subscription_id}", token)
    return Subscription.model_validate(answer)
