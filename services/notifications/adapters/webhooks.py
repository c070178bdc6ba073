"""Webhooks: subscriptions and deliveries in MongoDB, delivery over HTTP with httpx, signatures
by the Standard Webhooks library, and which destinations are refused (server-side request
forgery: private, loopback and link-local addresses, unless a setting allows them)."""

import asyncio
import ipaddress
import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from pymongo import ASCENDING, DESCENDING, UpdateOne
from standardwebhooks.webhooks import Webhook

from services.notifications.adapters.repositories import Db, _Collections
from services.notifications.domain.webhooks import Delivery, DeliveryState, Subscription
from services.notifications.service_layer.ports import Answer

SUBSCRIPTIONS, DELIVERIES = "webhook_subscriptions", "webhook_deliveries"
MAX_RETRY_AFTER = 86400.0
"""The longest `Retry-After` honoured (seconds): an endpoint cannot park a delivery for ever."""


class MongoWebhooks(_Collections):
    async def add(self, subscription: Subscription) -> None:
        doc = {"_id": subscription.id, **subscription.model_dump(exclude={"id"})}
        await self._db[SUBSCRIPTIONS].insert_one(doc, session=self._session)

    async def get(self, subscription_id: str) -> Subscription | None:
        doc = await self._db[SUBSCRIPTIONS].find_one(
            {"_id": subscription_id}, session=self._session
        )
        return Subscription.model_validate({**doc, "id": doc["_id"]}) if doc else None

    async def all(self) -> list[Subscription]:
        cursor = self._db[SUBSCRIPTIONS].find({}, session=self._session).sort("created_at")
        return [Subscription.model_validate({**d, "id": d["_id"]}) async for d in cursor]

    async def save(self, subscription: Subscription) -> None:
        doc = subscription.model_dump(exclude={"id"})
        await self._db[SUBSCRIPTIONS].replace_one(
            {"_id": subscription.id}, doc, session=self._session
        )

    async def queue(self, deliveries: list[Delivery]) -> int:
        if not deliveries:
            return 0
        writes = [
            UpdateOne({"_id": d.id}, {"$setOnInsert": d.model_dump(exclude={"id"})}, upsert=True)
            for d in deliveries
        ]
        result = await self._db[DELIVERIES].bulk_write(writes, ordered=True, session=self._session)
        return result.upserted_count

    async def delivery(self, delivery_id: str) -> Delivery | None:
        doc = await self._db[DELIVERIES].find_one({"_id": delivery_id}, session=self._session)
        return _delivery(doc) if doc else None

    async def save_delivery(self, delivery: Delivery) -> None:
        doc = delivery.model_dump(exclude={"id"})
        await self._db[DELIVERIES].replace_one(
            {"_id": delivery.id}, doc, upsert=True, session=self._session
        )

    async def due(self, subscription_id: str, now: datetime, limit: int) -> list[Delivery]:
        query = {
            "subscription_id": subscription_id,
            "state": DeliveryState.PENDING.value,
            "next_attempt_at": {"$lte": now},
        }
        cursor = self._db[DELIVERIES].find(query, session=self._session)
        docs = (
            await cursor.sort([("event_time", ASCENDING), ("_id", ASCENDING)])
            .limit(limit)
            .to_list()
        )
        return [_delivery(d) for d in docs]

    async def deliveries(
        self,
        subscription_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        query: dict[str, Any] = {"subscription_id": subscription_id}
        window = {k: v for k, v in (("$gte", since), ("$lte", until)) if v is not None}
        if window:
            query["event_time"] = window
        cursor = self._db[DELIVERIES].find(query, session=self._session)
        docs = await cursor.sort("event_time", DESCENDING).limit(limit).to_list()
        return [_delivery(d) for d in docs]

    async def abandon_pending(self, subscription_id: str) -> None:
        await self._db[DELIVERIES].update_many(
            {"subscription_id": subscription_id, "state": DeliveryState.PENDING.value},
            {"$set": {"state": DeliveryState.ABANDONED.value, "next_attempt_at": None}},
            session=self._session,
        )


def _delivery(doc: dict[str, Any]) -> Delivery:
    return Delivery.model_validate({**doc, "id": doc["_id"]})


async def ensure_indexes(db: Db) -> None:
    await db[DELIVERIES].create_index(
        [("subscription_id", ASCENDING), ("state", ASCENDING), ("next_attempt_at", ASCENDING)]
    )
    await db[DELIVERIES].create_index([("subscription_id", ASCENDING), ("event_time", DESCENDING)])


class StandardWebhooksSigner:
    def sign(self, secret: str, message_id: str, at: datetime, body: str) -> str:
        return Webhook(secret).sign(message_id, at, body)


class HttpPoster:
    """One POST, at most `timeout` seconds; the answer, or why none came. Redirects are not
    followed (a redirect could lead to an address that would be refused)."""

    def __init__(self, timeout_seconds: float) -> None:
        self._client = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)

    async def post(self, url: str, body: str, headers: dict[str, str]) -> Answer:
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Answer(status=None, error=f"{type(exc).__name__}: {exc}"[:300])
        retry_after = response.headers.get("retry-after", "")
        return Answer(
            status=response.status_code,
            retry_after=min(float(retry_after), MAX_RETRY_AFTER) if retry_after.isdigit() else None,
            error=None if response.is_success else response.text[:300],
        )


class Destinations:
    """Refuses URLs that are not http(s), or whose host resolves to a private, loopback,
    link-local or otherwise non-public address, unless `allow_private`."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    async def refusal(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "a webhook URL is http(s)://host/..."
        if self.allow_private:
            return None
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP
            )
        except (socket.gaierror, UnicodeError):
            return f"the host {parts.hostname[:100]} cannot be resolved"
        for *_, address in found:
            ip = ipaddress.ip_address(address[0])
            if not ip.is_global:
                return f"{parts.hostname[:100]} is a private or local address: refused"
        return None
