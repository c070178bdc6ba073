"""Each public page in a real browser (Debian's Chromium), on a desktop and on a phone: axe finds
no serious or critical WCAG failure, GOV.UK Frontend's scripts start (the content security policy
lets them), and nothing is wider than the phone's screen."""

from collections.abc import AsyncIterator

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, async_playwright
from web.conftest import Platform

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        await launched.close()


def public_pages(platform: Platform) -> list[str]:
    return [
        "/",
        "/case-studies",
        "/case-studies?category=astrology",
        f"/case-studies/{platform.case_studies['maths']}",
        "/partnerships",
        f"/partnerships/{platform.fenland}",
        "/partnerships/000000000000",
    ]


@pytest.mark.parametrize("screen", SCREENS)
async def test_public_pages_pass_axe_and_fit_the_screen(
    platform: Platform, browser: Browser, screen: str
) -> None:
    context = await browser.new_context(viewport=SCREENS[screen])  # type: ignore[arg-type]
    page = await context.new_page()
    complaints: list[str] = []
    page.on("pageerror", lambda e: complaints.append(str(e)))
    page.on(
        "console",
        lambda m: (
            complaints.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(  # a page itself may answer 400 or 404; what it loads may not fail
        "response",
        lambda r: (
            complaints.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    axe = Axe()
    try:
        for path in public_pages(platform):
            await page.goto(platform.url + path)
            results = await axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
            grave = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])} elements)"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert grave == [], f"{path} on a {screen}: {grave}"
            started = await page.evaluate(
                "document.body.classList.contains('govuk-frontend-supported')"
                " && !!document.querySelector('[data-govuk-service-navigation-init]')"
            )
            assert started, f"GOV.UK Frontend did not start on {path}"
            too_wide = await page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not too_wide, f"{path} is wider than a {screen}'s screen"
        assert complaints == []
    finally:
        await context.close()
