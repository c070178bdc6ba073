"""Signing in through the county's OpenID provider as each of the demo's roles, out again, and
what happens to a person the platform does not know, to a forged form, and to a session whose
person's roles end."""

import asyncio

import httpx
import pytest
from browser.conftest import no_serious_violations
from playwright.async_api import BrowserContext, Page, expect

from devstack.demo_data import THANET_BAY
from support.oidc import add_person
from support.web_platform import WebPlatform

pytestmark = pytest.mark.integration

PEOPLE = {
    "priya.shah@thanetbay.example": ("Priya Shah", "Staff at Thanet Bay Academy"),
    "claire.ashby@stourvalley.example": ("Claire Ashby", "Coordinator of"),
    "ruth.marsden@kent-council.example": ("Ruth Marsden", "County officer"),
}


@pytest.mark.parametrize("email", PEOPLE)
async def test_each_demo_person_signs_in_as_their_role(
    platform: WebPlatform, page: Page, context: BrowserContext, email: str
) -> None:
    name, acting_as = PEOPLE[email]
    await platform.sign_in(page, email)
    account = page.locator(".app-account")
    await expect(account).to_contain_text(name)
    await expect(account).to_contain_text(acting_as)
    await no_serious_violations(page)
    (cookie,) = [c for c in await context.cookies() if c["name"] == "__Host-session"]
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"


async def test_a_person_with_two_roles_switches_between_them(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, "grace.mensah@wantsum.example")
    switch = page.locator("#acting-as")
    await expect(switch.locator("option:checked")).to_have_text(
        "School lead at Wantsum Primary School"
    )
    await switch.select_option(label="Staff at Wantsum Primary School")
    await page.click(".app-account button:has-text('Switch')")
    await expect(page.locator("#acting-as option:checked")).to_have_text(
        "Staff at Wantsum Primary School"
    )


async def test_who_the_platform_does_not_know_gets_a_clear_page(
    platform: WebPlatform, page: Page
) -> None:
    add_person(platform.provider, "visitor", email="visitor@elsewhere.example", email_verified=True)
    await page.goto(f"{platform.web_url}/sign-in")
    await page.fill("input[type=text][name=sub]", "visitor")
    await page.click("button[type=submit]:has-text('Authorize')")
    await expect(page.locator("h1")).to_have_text("We do not know you yet")
    await expect(page.locator("main")).to_contain_text("visitor@elsewhere.example")
    await expect(page.locator("main")).to_contain_text("ask your school's head")
    await expect(page.locator(".govuk-service-navigation")).to_contain_text("Sign in")
    await no_serious_violations(page)


async def test_signing_out_ends_the_session_and_a_forged_form_does_nothing(
    platform: WebPlatform, page: Page, context: BrowserContext
) -> None:
    await platform.sign_in(page, "priya.shah@thanetbay.example")
    session = next(c for c in await context.cookies() if c["name"] == "__Host-session")
    forged = await context.request.post(
        f"{platform.web_url}/sign-out", form={"csrf_token": "guess"}
    )
    assert forged.status == 403 and "That form has expired" in await forged.text()
    await page.reload()
    await expect(page.locator(".app-account")).to_contain_text("Priya Shah")

    await page.click(".app-account ~ li button:has-text('Sign out'), button:has-text('Sign out')")
    await expect(page.locator("h1")).to_have_text("You have signed out")
    await no_serious_violations(page)
    assert not [c for c in await context.cookies() if c["name"] == "__Host-session"]
    async with httpx.AsyncClient(base_url=platform.web_url) as other_browser:
        replayed = await other_browser.get(
            "/", headers={"Cookie": f"__Host-session={session['value']}"}
        )
    assert "Priya Shah" not in replayed.text and "Sign in" in replayed.text


async def test_a_session_ends_when_the_persons_roles_end(platform: WebPlatform, page: Page) -> None:
    email = "leaving.soon@thanetbay.example"  # of this test alone: the demo's people stay
    membership = platform.membership
    role = {"role": "teacher", "urn": THANET_BAY.urn, "starts_on": "2020-09-01"}
    body = {"name": "Lee Leaving", "email": email, "role": role}
    made = await membership.http.post("/people", json=body, headers=membership.officer)
    assert made.status_code == 201, made.text
    person = made.json()
    add_person(platform.provider, email, email=email, email_verified=True, name="Lee Leaving")
    await platform.sign_in(page, email)
    await expect(page.locator(".app-account")).to_contain_text("Lee Leaving")
    (held,) = person["roles"]
    ended = await membership.http.post(
        f"/people/{person['id']}/roles/{held['id']}/end",
        json={"on": held["starts_on"]},
        headers=membership.officer,
    )
    assert ended.status_code == 200, ended.text
    await asyncio.sleep(2.5)  # the web checks a session's roles again every 2 s in this platform
    await page.reload()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have been signed out: the person holds no current role"
    )
    await expect(page.locator(".govuk-service-navigation")).to_contain_text("Sign in")
