"""Kent's county officer, Ruth Marsden, at work in the browser: she reviews a case study East
Kent's coordinator sent (returning one without a note is answered on the page), approves it,
and the public finds it in the library once it is published; her dashboard shows the reporting
service's own figures, charts and downloads; she adds a webhook (a bad address is answered
next to the field, nothing typed lost) and removes it; she releases an address on hold; every
page passes axe, and fits a phone."""

import csv
import io
import uuid
from typing import Any

import pytest
from browser.conftest import PHONE, no_serious_violations
from conftest import SmtpServer
from notifications.test_booking_mail import book, email_of, published
from playwright.async_api import Browser, BrowserContext, Page, expect

from devstack.demo_data import EAST_KENT_PARTNERSHIP
from eventkit.auth import Role
from support.events import make_partnership, wait_for_directory
from support.notifications import wait_until_known
from support.polling import eventually
from support.services import RunningService
from support.web_platform import WebPlatform

pytestmark = pytest.mark.integration

RUTH = "ruth.marsden@kent-council.example"
CLAIRE = "claire.ashby@stourvalley.example"
PUBLIC_ADDRESS = "https://93.184.215.14/partnership-events"
"""A webhook's address the notifications service takes in a test: it resolves no host name
here, and refuses private addresses."""


def east_kent(platform: WebPlatform) -> str:
    return next(p.id for p in platform.demo.partnerships if p.name == EAST_KENT_PARTNERSHIP.name)


def coordinator(platform: WebPlatform) -> dict[str, str]:
    return platform.events.as_(
        Role.PARTNERSHIP_COORDINATOR,
        partnerships=[east_kent(platform)],
        person_id=platform.person(CLAIRE)["id"],
    )


def as_ruth(platform: WebPlatform, service: RunningService[Any]) -> dict[str, str]:
    """What Ruth's own token lets her see: a county officer, known by her person id."""
    return service.as_(Role.COUNTY_OFFICER, person_id=platform.person(RUTH)["id"])


async def submitted_case_study(platform: WebPlatform, title: str) -> dict[str, Any]:
    events, auth = platform.events, coordinator(platform)
    body = {
        "partnership_id": east_kent(platform),
        "title": title,
        "categories": ["academic"],
        "summary": "Year 9 pupils from four schools debated climate policy together.",
        "impact": "Pupils said they were more confident speaking in public.\n\nTeachers shared "
        "their marking of the speeches.",
    }
    created = await events.http.post("/case-studies", json=body, headers=auth)
    assert created.status_code == 201, created.text
    sent = await events.http.post(f"/case-studies/{created.json()['id']}/submit", headers=auth)
    assert sent.status_code == 200, sent.text
    return dict(sent.json())


async def test_an_officer_approves_a_case_study_and_the_public_finds_it_in_the_library(
    platform: WebPlatform, page: Page, browser: Browser
) -> None:
    title = f"Debating across the schools {uuid.uuid4().hex[:6]}"
    case_study = await submitted_case_study(platform, title)

    await platform.sign_in(page, RUTH)
    waiting = page.locator(".app-needs-you a", has_text="waiting for your review")
    await expect(waiting).to_be_visible()
    await no_serious_violations(page)
    await waiting.click()
    await expect(page.locator("h1")).to_have_text("Case studies to review")
    await no_serious_violations(page)
    await page.click(f"a:has-text('{title}')")
    await expect(page.locator("h1")).to_have_text(title)
    main = page.locator("main")
    await expect(main).to_contain_text("East Kent Schools Together")
    await expect(main).to_contain_text("more confident speaking in public")
    await expect(main).to_contain_text("Claire Ashby")
    await no_serious_violations(page)

    await page.fill("#approve_note", "A note I typed before choosing")
    await page.click("button:has-text('Return to the authors')")
    await expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what the authors should change"
    )
    await expect(page.locator("#return_note-error")).to_contain_text(
        "Say what the authors should change"
    )
    assert page.url.endswith(f"/county/case-studies/{case_study['id']}/return")
    await expect(page.locator("#approve_note")).to_have_value("A note I typed before choosing")
    await no_serious_violations(page)
    unchanged = await platform.events.http.get(
        f"/case-studies/{case_study['id']}", headers=as_ruth(platform, platform.events)
    )
    assert unchanged.json()["status"] == "submitted"

    await page.fill("#approve_note", "Clear aims and a real difference to pupils.")
    await page.click("button:has-text('Approve')")
    await expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You approved “{title}”"
    )
    approved = page.locator("h2:has-text('Approved, not yet published') + p + ul")
    await expect(approved).to_contain_text(title)
    await no_serious_violations(page)
    await page.reload()
    await expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)

    decided = await platform.events.http.get(
        f"/case-studies/{case_study['id']}", headers=as_ruth(platform, platform.events)
    )
    assert decided.json()["status"] == "approved"
    [note] = decided.json()["review_notes"]
    assert note["note"] == "Clear aims and a real difference to pupils."
    assert note["by"] == platform.person(RUTH)["id"]

    publish = await platform.events.http.post(
        f"/case-studies/{case_study['id']}/publish", headers=coordinator(platform)
    )
    assert publish.status_code == 200, publish.text

    public = await browser.new_context()
    try:
        visitor = await public.new_page()
        await visitor.goto(f"{platform.web_url}/case-studies")
        await visitor.click(f"a:has-text('{title}')")
        await expect(visitor.locator("h1")).to_have_text(title)
        await expect(visitor.locator("main")).to_contain_text("more confident speaking in public")
        await expect(visitor.locator(".govuk-service-navigation")).to_contain_text("Sign in")
    finally:
        await public.close()


async def test_the_dashboard_shows_the_reporting_services_figures_charts_and_downloads(
    platform: WebPlatform, page: Page, context: BrowserContext
) -> None:
    reporting = platform.reporting
    await platform.sign_in(page, RUTH, then="/county/dashboard")
    await expect(page.locator("h1")).to_have_text("County dashboard")

    seen: dict[str, Any] = {}

    async def same_as_the_api() -> bool:
        """The read model moves on as events arrive: the page and the API, read one after the
        other, agree once it is still."""
        answer = await reporting.http.get(
            "/county/participation", headers=as_ruth(platform, reporting)
        )
        terms = answer.json()["terms"]
        await page.reload()
        seen["page"] = [
            await table_rows(page, "reach-by-term"),
            await table_rows(page, "outcomes-by-term"),
        ]
        seen["api"] = [[reach_row(t) for t in terms], [outcomes_row(t) for t in terms]]
        return bool(seen["page"] == seen["api"])

    try:
        await eventually(
            same_as_the_api, 30, interval=1, what="the dashboard showing the API's figures"
        )
    except AssertionError:
        assert seen["page"] == seen["api"]
        raise
    answer = (
        await reporting.http.get("/county/participation", headers=as_ruth(platform, reporting))
    ).json()
    assert answer["terms"], "the demo's activities make figures for a term"
    headline = (
        await reporting.http.get("/county/headline", headers=as_ruth(platform, reporting))
    ).json()
    shown = page.locator("#headline .govuk-summary-list__value")
    await expect(shown).to_have_text(
        [
            f"{headline[name]:,}"
            for name in (
                "state_schools_benefited",
                "independent_schools_involved",
                "pupils_benefited",
                "staff_reached",
                "partnerships",
                "independent_state_partnerships",
            )
        ]
    )
    await no_serious_violations(page)

    charts = page.locator(".app-county-chart img")
    assert await charts.count() == 4
    for n in range(4):
        src = await charts.nth(n).get_attribute("src")
        assert src is not None
        drawn = await context.request.get(platform.web_url + src)
        assert drawn.status == 200
        assert drawn.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in await drawn.body()
        loaded = await charts.nth(n).evaluate("img => img.complete && img.naturalWidth > 0")
        assert loaded, f"{src} did not load in the page"

    href = await page.locator("a:has-text('These figures, a row per term')").get_attribute("href")
    assert href is not None
    downloaded = await context.request.get(platform.web_url + href)
    from_api = await reporting.http.get(
        "/county/participation.csv", headers=as_ruth(platform, reporting)
    )
    assert downloaded.status == 200
    assert downloaded.headers["content-type"].startswith("text/csv")
    assert downloaded.headers["content-disposition"] == 'attachment; filename="participation.csv"'
    assert rows_of(await downloaded.body()) == rows_of(from_api.content)

    report = await context.request.get(f"{platform.web_url}/county/dashboard/report.pdf")
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    assert (await report.body()).startswith(b"%PDF")

    last = answer["terms"][-1]
    await page.select_option("#term_from", last["key"])
    await page.click("button:has-text('Show these terms')")
    await expect(page.locator("[data-figures=reach-by-term] tbody tr")).to_have_count(1)
    ranged = await reporting.http.get(
        "/county/participation",
        params={"term_from": last["key"]},
        headers=as_ruth(platform, reporting),
    )
    assert await table_rows(page, "reach-by-term") == [reach_row(t) for t in ranged.json()["terms"]]

    await page.goto(
        f"{platform.web_url}/county/dashboard?term_from=2099-autumn&term_to={last['key']}"
    )
    await expect(page.locator("#term_from-error")).to_contain_text(
        "Select the first term from the list"
    )
    await expect(page.locator("#term_to")).to_have_value(last["key"])
    await no_serious_violations(page)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def table_rows(page: Page, name: str) -> list[list[str]]:
    rows = page.locator(f"[data-figures={name}] tbody tr")
    return [
        [" ".join(cell.split()) for cell in await rows.nth(n).locator("th, td").all_inner_texts()]
        for n in range(await rows.count())
    ]


def reach_row(t: dict[str, Any]) -> list[str]:
    rate = t["attendance_rate"]
    return [
        t["term"],
        f"{t['activities']:,}",
        f"{t['places_taken']:,} of {t['places_offered']:,}",
        f"{t['schools_taking_part']:,}",
        f"{t['staff_reached']:,}",
        f"{t['pupils_reached']:,}",
        f"{t['cpd_hours']:,.1f}".removesuffix(".0"),
        "No registers taken" if rate is None else f"{round(rate * 100)}%",
        f"PDF term report, {t['term']}",
    ]


def outcomes_row(t: dict[str, Any]) -> list[str]:
    return [
        t["term"],
        *(
            f"{t[name]:,}"
            for name in (
                "cancelled",
                "cross_sector_activities",
                "support_requested",
                "support_agreed",
                "support_closed",
                "case_studies_published",
                "mail_held",
            )
        ),
    ]


async def test_a_webhook_with_a_bad_address_is_answered_next_to_the_field_then_added_and_removed(
    platform: WebPlatform, page: Page
) -> None:
    notifications = platform.notifications
    await platform.sign_in(page, RUTH, then="/county/webhooks")
    await no_serious_violations(page)
    await page.click("a:has-text('Add a webhook')")
    await expect(page.locator("h1")).to_have_text("Add a webhook")
    await no_serious_violations(page)

    await page.fill("#url", "systems.kent.example/partnership-events")
    await page.check("input[name=events][value=chosen]")
    await page.click("summary:has-text('Kinds of event')")
    await page.check("input[name=event_types][value='events.case_study_published.v1']")
    await page.click("button:has-text('Add webhook')")
    await expect(page.locator("#url-error")).to_contain_text(
        "Enter a full web address starting with https://"
    )
    await expect(page.locator(".govuk-error-summary a[href='#url']")).to_be_visible()
    await expect(page.locator("#url")).to_have_value("systems.kent.example/partnership-events")
    await expect(page.locator("input[name=events][value=chosen]")).to_be_checked()
    await expect(
        page.locator("input[name=event_types][value='events.case_study_published.v1']")
    ).to_be_checked()
    await no_serious_violations(page)

    await page.fill("#url", "http://127.0.0.1/partnership-events")
    await page.click("button:has-text('Add webhook')")
    await expect(page.locator("#url-error")).to_contain_text("Enter a public web address")
    await expect(
        page.locator("input[name=event_types][value='events.case_study_published.v1']")
    ).to_be_checked()

    await page.fill("#url", PUBLIC_ADDRESS)
    await page.click("button:has-text('Add webhook')")
    await expect(page.locator("h1")).to_have_text("Webhook added")
    secret = await page.locator("#secret").inner_text()
    assert secret.startswith("whsec_")
    await no_serious_violations(page)
    await page.reload()
    await expect(page.locator("#secret")).to_have_count(0)
    await expect(page.locator("main")).to_contain_text("cannot be shown again")

    listed = (
        await notifications.http.get("/webhooks", headers=as_ruth(platform, notifications))
    ).json()
    [made] = [s for s in listed if s["url"] == PUBLIC_ADDRESS and s["disabled_at"] is None]
    assert made["event_types"] == ["events.case_study_published.v1"]
    assert made["partnership_ids"] == []

    await page.click("a:has-text('Back to webhooks')")
    hook = page.locator(".app-county-webhook", has_text=PUBLIC_ADDRESS)
    await expect(hook).to_contain_text("Case study published")
    await hook.locator("button:has-text('Remove')").click()
    await expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Nothing more will be sent to {PUBLIC_ADDRESS}"
    )
    await expect(page.locator(".app-county-removed")).to_contain_text(PUBLIC_ADDRESS)
    await no_serious_violations(page)
    removed = await notifications.http.get(
        f"/webhooks/{made['id']}", headers=as_ruth(platform, notifications)
    )
    assert removed.json()["disabled_at"] is not None


async def test_an_officer_sees_an_address_on_hold_and_releases_it(
    platform: WebPlatform, page: Page, smtp_server: SmtpServer
) -> None:
    p = await make_partnership(platform.membership, schools=1, staff_per_school=1)
    await wait_for_directory(platform.events, p)
    await wait_until_known(platform.notifications, p.staff)
    [teacher] = list(p.staff)
    address = email_of(p, teacher)
    notifications = platform.notifications
    smtp_server.handler.refused.add(address)
    try:
        activity = await published(platform.events, p, title="A TeachMeet she never hears of")
        await book(platform.events, p, activity["id"], teacher)

        async def held() -> bool:
            found = await notifications.http.get(
                "/held-addresses", headers=as_ruth(platform, notifications)
            )
            return teacher in [h["person_id"] for h in found.json()]

        await eventually(held, what="the address put on hold after a 550")
    finally:
        smtp_server.handler.refused.discard(address)

    await platform.sign_in(page, RUTH)
    await page.click(".app-needs-you a:has-text('on hold')")
    await expect(page.locator("h1")).to_have_text("Addresses on hold")
    entry = page.locator(".app-county-held", has_text=address)
    name = f"Teacher 0 of {p.staff[teacher]}"
    await expect(entry).to_contain_text(name)
    await expect(entry).to_contain_text("550")
    await no_serious_violations(page)
    await entry.locator("button:has-text('Send mail again')").click()
    await expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Mail will be sent to {name} again"
    )
    await expect(page.locator(".app-county-held", has_text=address)).to_have_count(0)
    found = await notifications.http.get(
        "/held-addresses", headers=as_ruth(platform, notifications)
    )
    assert teacher not in [h["person_id"] for h in found.json()]


async def test_every_partnership_is_listed_with_its_state_and_each_one_opens(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, RUTH, then="/county/partnerships")
    await expect(page.locator("h1")).to_have_text("All partnerships")
    listed = (
        await platform.membership.http.get(
            "/partnerships", headers=as_ruth(platform, platform.membership)
        )
    ).json()
    rows = page.locator("main tbody tr")
    await expect(rows).to_have_count(len(listed))
    await expect(rows.filter(has_text=EAST_KENT_PARTNERSHIP.name)).to_contain_text("Active")
    await no_serious_violations(page)
    await page.click(f"a:has-text('{EAST_KENT_PARTNERSHIP.name}')")
    await expect(page.locator("h1")).to_have_text(EAST_KENT_PARTNERSHIP.name)
    main = page.locator("main")
    await expect(main).to_contain_text("Claire Ashby")
    await expect(main).to_contain_text("Thanet Bay Academy")
    await expect(main.locator("li", has_text="Published").first).to_be_visible()
    await no_serious_violations(page)


async def test_a_teacher_is_refused_the_officers_pages(platform: WebPlatform, page: Page) -> None:
    await platform.sign_in(page, "priya.shah@thanetbay.example")
    answer = await page.goto(f"{platform.web_url}/county/dashboard")
    assert answer is not None and answer.status == 403
    await expect(page.locator("h1")).to_have_text("This page is not for the way you are acting now")
    chart = await page.context.request.get(f"{platform.web_url}/county/dashboard/charts/reach.svg")
    assert chart.status == 403


async def test_on_a_phone_every_officers_page_fits_the_screen(
    platform: WebPlatform, browser: Browser
) -> None:
    case_study = await submitted_case_study(platform, f"Read on a phone {uuid.uuid4().hex[:6]}")
    phone = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = await phone.new_page()
        await platform.sign_in(page, RUTH)
        for path in (
            "/",
            "/county/case-studies",
            f"/county/case-studies/{case_study['id']}",
            "/county/dashboard",
            "/county/partnerships",
            f"/county/partnerships/{east_kent(platform)}",
            "/county/webhooks",
            "/county/webhooks/new",
            "/county/held-addresses",
        ):
            await page.goto(platform.web_url + path)
            await fits_a_phone(page)
        await page.goto(f"{platform.web_url}/county/webhooks/new")
        await page.check("input[name=events][value=chosen]")
        await page.click("button:has-text('Add webhook')")
        await expect(page.locator("#events-error")).to_be_visible()
        await fits_a_phone(page)
    finally:
        await phone.close()


async def fits_a_phone(page: Page) -> None:
    await no_serious_violations(page)
    wider = await page.evaluate(
        """[...document.querySelectorAll('body *')]
            .filter(e => !e.closest('.app-county-scroll'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
    )
    too_wide = await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not too_wide, f"{page.url} is wider than a phone (wider: {wider})"
