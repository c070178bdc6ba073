"""Browser tests: Debian's Chromium driven by Playwright, against the whole platform with the
demo loaded (one for the module), signing in through a real OpenID provider."""

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from conftest import SmtpServer
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from support.web_platform import WebPlatform, running_platform

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
async def platform(
    kafka_bootstrap: str,
    mongodb_uri: str,
    smtp_server: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[WebPlatform]:
    name = f"b{secrets.token_hex(4)}"
    folder: Path = tmp_path_factory.mktemp("web-platform")
    smtp = (smtp_server.host, smtp_server.port)
    async with running_platform(kafka_bootstrap, mongodb_uri, smtp, name, folder) as running:
        yield running


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        await launched.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookies) per test."""
    made = await browser.new_context()
    yield made
    await made.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


async def no_serious_violations(page: Page) -> None:
    """axe-core on the page as it is now: no serious or critical WCAG 2.2 AA failure."""
    results = await Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            },
            "resultTypes": ["violations"],
        },
    )
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
    assert found == [], f"{page.url}: {found}"
