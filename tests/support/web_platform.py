"""The whole platform behind the web front end, as `./dev up` runs it, for browser tests: the
four services on the shared broker (each with its own database), the identity service signing
with the session's key, a real OpenID provider knowing the demo's people, and the web front end,
with the demo (membership and the East Kent programme) loaded through the services' APIs."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page

from devstack import demo
from devstack.demo import DemoSummary
from devstack.demo_people import demo_people
from devstack.demo_programme import load_programme
from devstack.servers import free_port
from services.identity.bootstrap import build as build_identity
from services.identity.domain.clients import secret_hash
from services.identity.settings import IdentitySettings
from services.reporting.bootstrap import ReportingSettings
from services.reporting.bootstrap import build as build_reporting
from services.web.bootstrap import build as build_web
from services.web.settings import WebSettings
from support import issuer
from support.events import Events, running_events
from support.issuer import signing_key
from support.membership import Membership, running_membership
from support.notifications import Notifications, running_notifications
from support.oidc import add_person, running_provider
from support.services import RunningService, running, serve, settings_for

WEB_SECRET = "web-secret-for-tests"
Reporting = RunningService[ReportingSettings]


@dataclass
class WebPlatform:
    web_url: str
    provider: str
    membership: Membership
    events: Events
    notifications: Notifications
    reporting: Reporting
    demo: DemoSummary

    def person(self, email: str) -> dict[str, Any]:
        """The demo person's membership record (their id, roles)."""
        return self.people[email.lower()]

    people: dict[str, dict[str, Any]]

    async def sign_in(self, page: Page, email: str, then: str = "/") -> None:
        """Sign in through the provider's page, as the person would, and land on `then`."""
        await page.goto(f"{self.web_url}/sign-in?next={then}")
        await page.fill("input[type=text][name=sub]", email.lower())
        await page.click("button[type=submit]:has-text('Authorize')")
        await page.wait_for_url(f"{self.web_url}{then}*")


@asynccontextmanager
async def running_platform(
    kafka: str, mongodb: str, smtp: tuple[str, int], name: str, folder: Path
) -> AsyncIterator[WebPlatform]:
    async with AsyncExitStack() as stack:
        provider = stack.enter_context(running_provider())
        membership = await stack.enter_async_context(
            running_membership(kafka, mongodb, f"membership_{name}")
        )
        events = await stack.enter_async_context(
            running_events(kafka, mongodb, f"events_{name}", consumer_group_suffix=name)
        )
        notifications = await stack.enter_async_context(
            running_notifications(
                kafka,
                mongodb,
                f"notifications_{name}",
                consumer_group_suffix=name,
                smtp_host=smtp[0],
                smtp_port=smtp[1],
            )
        )
        reporting_settings = settings_for(
            ReportingSettings,
            kafka,
            mongodb,
            f"reporting_{name}",
            consumer_group_suffix=name,
            monthly_county_reports=False,
        )
        reporting = await stack.enter_async_context(
            running(build_reporting(reporting_settings), reporting_settings)
        )
        clients = folder / "clients.json"
        web_client = {
            "client_id": "web",
            "name": "Web",
            "secret_sha256": secret_hash(WEB_SECRET),
            "may_sign_people_in": True,
        }
        clients.write_text(json.dumps({"clients": [web_client]}))
        identity_settings = IdentitySettings(
            identity_keys_dir=Path(os.environ[issuer.KEYS_DIR_VARIABLE]),
            identity_clients_file=clients,
            membership_url=membership.url,
            oidc_issuer=provider,
            oidc_client_id="web",
            log_format="console",
            log_level="WARNING",
        )
        identity_url = await stack.enter_async_context(serve(build_identity(identity_settings)))
        web_port = free_port()
        web_settings = WebSettings(
            mongodb_uri=mongodb,
            mongodb_database=f"web_{name}",
            membership_url=membership.url,
            events_url=events.url,
            notifications_url=notifications.url,
            reporting_url=reporting.url,
            identity_url=identity_url,
            web_client_secret=WEB_SECRET,
            oidc_issuer=provider,
            oidc_client_secret="any",
            public_base_url=f"http://127.0.0.1:{web_port}",
            county_name="Kent",
            session_recheck_seconds=2,
            log_format="console",
            log_level="WARNING",
        )
        web_url = await stack.enter_async_context(serve(build_web(web_settings), web_port))

        key = signing_key()
        summary = await demo.load_demo(membership.url, key)
        await load_programme(membership.url, events.url, key, summary)
        for person in demo_people():
            add_person(
                provider,
                person.email.lower(),
                email=person.email.lower(),
                email_verified=True,
                name=person.name,
            )
        async with httpx.AsyncClient(base_url=membership.url) as http:
            listed = (await http.get("/people", headers=membership.officer)).json()
        people = {p["details"]["email"]: p for p in listed if p.get("details")}
        yield WebPlatform(
            web_url, provider, membership, events, notifications, reporting, summary, people
        )
