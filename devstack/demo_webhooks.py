"""The demo's council system: the stack's webhook catcher subscribed to every event, and the
deliveries it received checked with the Standard Webhooks library."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from devstack.webhookcatcher import read_deliveries
from eventkit.auth import Role, SigningKey, mint_token

SECRET_FILE = "webhook-secret"
SETTLE_SECONDS = 3.0
WAIT_SECONDS = 30.0


def subscribe_catcher(notifications_url: str, catcher_url: str, home: Path, key: SigningKey) -> str:
    """Subscribe the catcher to every event once; its secret is kept in the stack folder.
    Returns the subscription id."""
    token = mint_token(
        key,
        subject="demo:officer",
        role=Role.COUNTY_OFFICER,
    )
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{catcher_url}/council-system"
    with httpx.Client(base_url=notifications_url, headers=headers, timeout=30) as http:
        existing = [s for s in http.get("/webhooks").raise_for_status().json() if s["url"] == url]
        live = [s for s in existing if s["disabled_at"] is None]
        if live and (home / SECRET_FILE).exists():
            return str(live[0]["id"])
        for lost in live:  # its secret is gone: a new subscription replaces it
            http.delete(f"/webhooks/{lost['id']}").raise_for_status()
        made = http.post("/webhooks", json={"url": url}).raise_for_status().json()
    (home / SECRET_FILE).write_text(made["secret"])
    return str(made["id"])


def settled_deliveries(directory: Path) -> list[dict[str, Any]]:
    """What the catcher received, once nothing new came for a few seconds (at most 30 s)."""
    deadline = time.monotonic() + WAIT_SECONDS
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(list(directory.glob("*.json")))
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        elif count and time.monotonic() - quiet_since >= SETTLE_SECONDS:
            break
        time.sleep(0.5)
    return read_deliveries(directory)


def format_deliveries(deliveries: list[dict[str, Any]], secret: str, where: Path) -> str:
    webhook = Webhook(secret)
    types: Counter[str] = Counter()
    refused = 0
    for delivery in deliveries:
        try:
            types[webhook.verify(delivery["body"], delivery["headers"])["type"]] += 1
        except WebhookVerificationError:
            refused += 1
    lines = [
        f"Webhooks (the demo's council system): {sum(types.values())} signed CloudEvents "
        f"received that verify with the Standard Webhooks library"
        + (f", {refused} that do not" if refused else "")
        + f"; in {where}/"
    ]
    lines += [f"  {n:4d}  {t}" for t, n in types.most_common(6)]
    if len(types) > 6:
        lines.append(f"        ... and {len(types) - 6} more types")
    return "\n".join(lines)
