"""A teacher's pages, against the whole platform with the East Kent programme loaded: the
programme and its filters, booking (a place, the waiting list, a booking waiting for approval),
My bookings with the check-in code and its QR image, cancelling, handing the place to a
colleague, evaluations and certificates, the calendar link, email settings; bad input answered
next to the field with what was typed kept; axe on every page; a phone-size run.

The tests share one platform and run in order: Priya books and cancels the cluster meeting,
hands a place on the placement swap to Tom Hale, evaluates the TeachMeet she attended."""

import asyncio
from typing import Any

import httpx
import pytest
from browser.conftest import PHONE, no_serious_violations
from playwright.async_api import Browser, Page, expect

from support.web_platform import WebPlatform

pytestmark = pytest.mark.integration

PRIYA = "priya.shah@thanetbay.example"
HANNAH = "hannah.okafor@wantsum.example"
SAM = "sam.kaur@stourvalley.example"
TOM_HALE = "tom.hale@thanetbay.example"
RUTH = "ruth.marsden@kent-council.example"
CLUSTER_MEETING = "Maths cluster group meeting: reasoning in Key Stage 2"
TEACHMEET = "East Kent TeachMeet: questioning that stretches every learner"
PLACEMENT_SWAP = "Trainee placement swap: independent and state, primary and secondary"


async def activity_id(platform: WebPlatform, title: str) -> str:
    found = await platform.events.http.get("/activities", headers=platform.events.officer)
    return str(next(a["id"] for a in found.json() if a["details"]["title"] == title))


async def booking(platform: WebPlatform, booking_id: str) -> dict[str, Any]:
    found = await platform.events.http.get(
        f"/bookings/{booking_id}", headers=platform.events.officer
    )
    assert found.status_code == 200, found.text
    result: dict[str, Any] = found.json()
    return result


def booking_id_of(page: Page) -> str:
    return page.url.split("/my/bookings/")[1].split("?")[0]


async def book(page: Page, platform: WebPlatform, title: str, button: str) -> str:
    """From the activity's page in the programme: the booking's id."""
    await page.goto(f"{platform.web_url}/programme/{await activity_id(platform, title)}")
    await page.click(f"button:has-text('{button}')")
    await page.wait_for_url("**/my/bookings/*?done=*")
    return booking_id_of(page)


async def test_a_teacher_books_a_place_and_sees_it_in_their_bookings(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, PRIYA, then="/programme")
    await expect(page.locator("h1")).to_have_text("Programme")
    await expect(page.locator("main")).to_contain_text(CLUSTER_MEETING)
    await expect(page.locator("main")).to_contain_text(TEACHMEET)
    await no_serious_violations(page)

    await page.select_option("#format", label="Cluster meeting")
    await page.select_option("#category", label="Teacher development")
    await page.select_option("#phase", label="Primary")
    await page.click("button:has-text('Apply filters')")
    results = page.locator(".app-results")
    await expect(page.locator("#result-count")).to_have_text("1 activity matches your filters")
    await expect(results).to_contain_text(CLUSTER_MEETING)
    await expect(results).not_to_contain_text(TEACHMEET)
    await expect(results).to_contain_text("places left")
    term = await page.locator("#term option").nth(1).get_attribute("value")
    assert term
    await page.select_option("#term", term)
    await page.click("button:has-text('Apply filters')")
    await expect(results).to_contain_text(CLUSTER_MEETING)

    await page.click(f"a:has-text('{CLUSTER_MEETING}')")
    await expect(page.locator("h1")).to_have_text(CLUSTER_MEETING)
    await expect(page.locator("main")).to_contain_text("Wantsum Primary School, staff room")
    await expect(page.locator("main")).to_contain_text("You are booking for Thanet Bay Academy")
    await no_serious_violations(page)
    await page.click("button:has-text('Book a place')")
    await page.wait_for_url("**/my/bookings/*?done=booked")

    await expect(page.locator(".govuk-notification-banner")).to_contain_text("You have a place")
    booked = await booking(platform, booking_id_of(page))
    assert booked["status"] == "registered"
    assert booked["person_id"] == platform.person(PRIYA)["id"]
    await expect(page.locator("main")).to_contain_text(booked["check_in_code"])
    qr = page.locator("img.app-teacher-qr")
    await expect(qr).to_be_visible()
    assert await qr.evaluate("img => img.complete && img.naturalWidth > 0")
    await no_serious_violations(page)

    await page.click("nav a:has-text('My bookings')")
    card = page.locator(".govuk-summary-card", has_text=CLUSTER_MEETING)
    await expect(card).to_contain_text("Booked")
    await expect(card).to_contain_text(booked["check_in_code"])
    assert await card.locator("img").evaluate("img => img.naturalWidth > 0")
    await no_serious_violations(page)
    image = await page.request.get(f"{platform.web_url}/my/bookings/{booked['id']}/check-in.png")
    assert image.ok and image.headers["content-type"] == "image/png"

    await page.goto(f"{platform.web_url}/my/bookings/{booked['id']}/certificate.pdf")
    await expect(page.locator("h1")).to_have_text("Your certificate is not ready yet")
    await expect(page.locator("main")).to_contain_text("once the organiser records")
    await no_serious_violations(page)


async def test_a_bad_form_is_answered_next_to_the_field_and_keeps_what_was_typed(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, PRIYA, then="/my/emails")
    await expect(page.locator("h1")).to_have_text("Email settings")
    await no_serious_violations(page)
    await page.uncheck("input[name=mail][value=reminders]")
    await page.select_option("#frequency-new_activities", "weekly")
    await page.check("input[name=interest_category][value=stem]")
    await page.fill("#quiet_starts", "21:00")
    await page.fill("#quiet_ends", "7 in the morning")
    await page.click("button:has-text('Save email settings')")

    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("There is a problem")
    message = "Enter the time quiet hours end on the 24-hour clock, like 07:00 or 21:30"
    await expect(summary.locator("a[href='#quiet_ends']")).to_have_text(message)
    await expect(page.locator("#quiet_ends-error")).to_contain_text(message)
    assert (await page.title()).startswith("Error:")
    await expect(page.locator("#quiet_ends")).to_have_value("7 in the morning")
    await expect(page.locator("#quiet_starts")).to_have_value("21:00")
    await expect(page.locator("input[name=mail][value=reminders]")).not_to_be_checked()
    await expect(page.locator("input[name=mail][value=bookings]")).to_be_checked()
    await expect(page.locator("input[name=interest_category][value=stem]")).to_be_checked()
    await expect(page.locator("#frequency-new_activities")).to_have_value("weekly")
    await no_serious_violations(page)

    await page.fill("#quiet_ends", "07:00")
    await page.click("button:has-text('Save email settings')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    await page.goto(f"{platform.web_url}/my/emails")
    await expect(page.locator("input[name=mail][value=reminders]")).not_to_be_checked()
    await expect(page.locator("#quiet_starts")).to_have_value("21:00")
    await expect(page.locator("#quiet_ends")).to_have_value("07:00")
    await expect(page.locator("#frequency-new_activities")).to_have_value("weekly")
    await expect(page.locator("input[name=interest_category][value=stem]")).to_be_checked()

    person_id = platform.person(PRIYA)["id"]
    kept = (
        await platform.notifications.http.get(
            f"/people/{person_id}/preferences", headers=platform.notifications.officer
        )
    ).json()
    assert "reminders" in kept["muted"] and "bookings" not in kept["muted"]
    assert kept["frequency"]["new_activities"] == "weekly"
    assert kept["quiet_hours"] == {"starts": "21:00:00", "ends": "07:00:00"}
    assert kept["interests"]["categories"] == ["stem"]


async def test_a_teacher_cancels_a_booking(platform: WebPlatform, page: Page) -> None:
    await platform.sign_in(page, PRIYA, then="/my/bookings")
    card = page.locator(".govuk-summary-card", has_text=CLUSTER_MEETING)
    await card.locator("a:has-text('Cancel')").click()
    await expect(page.locator("h1")).to_have_text("Cancel your booking")
    await no_serious_violations(page)
    cancelled = page.url.split("/my/bookings/")[1].split("/")[0]
    await page.click("button:has-text('Cancel my booking')")
    await page.wait_for_url("**/my/bookings?done=cancelled")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your booking is cancelled"
    )
    await expect(card).to_contain_text("Cancelled")
    await expect(card.locator("a:has-text('Cancel')")).to_have_count(0)
    assert (await booking(platform, cancelled))["status"] == "cancelled"


async def test_a_teacher_gives_their_place_to_a_colleague(
    platform: WebPlatform, page: Page, browser: Browser
) -> None:
    await platform.sign_in(page, PRIYA)
    booking_id = await book(page, platform, PLACEMENT_SWAP, "Book a place")
    await page.click("a:has-text('Give your place to a colleague')")
    await expect(page.locator("h1")).to_have_text("Give your place to a colleague")
    await no_serious_violations(page)

    await page.click("button:has-text('Give my place')")
    await expect(page.locator("#colleague-error")).to_contain_text(
        "Enter your colleague's platform reference"
    )
    await page.fill("#colleague", "nobody000000")
    await page.click("button:has-text('Give my place')")
    await expect(page.locator("#colleague-error")).to_contain_text(
        "No one working at your school now has this reference"
    )
    await expect(page.locator("#colleague")).to_have_value("nobody000000")
    await expect(page.locator(".govuk-error-summary a[href='#colleague']")).to_be_visible()
    await no_serious_violations(page)
    assert (await booking(platform, booking_id))["person_id"] == platform.person(PRIYA)["id"]

    tom = platform.person(TOM_HALE)["id"]
    await page.fill("#colleague", tom)
    await page.click("button:has-text('Give my place')")
    await page.wait_for_url("**/my/bookings?done=handed_on")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your place is now your colleague's"
    )
    await expect(page.locator(".govuk-summary-card", has_text=PLACEMENT_SWAP)).to_have_count(0)
    assert (await booking(platform, booking_id))["person_id"] == tom

    context = await browser.new_context()
    try:
        colleague = await context.new_page()
        await platform.sign_in(colleague, TOM_HALE, then="/my/bookings")
        await expect(colleague.locator("#my-reference")).to_have_text(tom)
        await expect(
            colleague.locator(".govuk-summary-card", has_text=PLACEMENT_SWAP)
        ).to_contain_text("Booked")
    finally:
        await context.close()


async def test_a_teacher_evaluates_what_they_attended_and_downloads_the_certificate(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, PRIYA)
    needs = page.locator(".app-needs-you")
    await expect(needs).to_contain_text("1 evaluation to fill in")
    await no_serious_violations(page)
    await needs.locator("a:has-text('evaluation to fill in')").click()
    await expect(page.locator("h1")).to_have_text("Evaluations")
    await expect(page.locator("main")).to_contain_text(TEACHMEET)
    await no_serious_violations(page)

    await page.click("a:has-text('Its impact, looking back')")
    await expect(page.locator("h1")).to_have_text("Evaluation: its impact, looking back")
    await no_serious_violations(page)
    await page.check("input[name=rating-overall][value='5']")
    await page.fill("#answer-comments", "Shared it with my department.")
    await page.click("button:has-text('Send evaluation')")
    await expect(page.locator("#answer-what_will_you_do_differently-error")).to_contain_text(
        "Answer the question: What will you do differently?"
    )
    await expect(page.locator("#rating-impact-error")).to_contain_text("Select a rating for")
    await expect(page.locator("#answer-comments")).to_have_value("Shared it with my department.")
    await expect(page.locator("input[name=rating-overall][value='5']")).to_be_checked()
    await no_serious_violations(page)

    await page.check("input[name=rating-impact][value='4']")
    await page.check("input[name=rating-confidence_after][value='4']")
    await page.fill("#answer-what_will_you_do_differently", "Hinge questions in every lesson.")
    await page.click("button:has-text('Send evaluation')")
    await page.wait_for_url("**/my/evaluations?done=evaluated")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    await expect(page.locator("main")).to_contain_text("Nothing to fill in now")
    await page.click("a:has-text('its impact, looking back')")
    await expect(page.locator("main")).to_contain_text("Hinge questions in every lesson.")
    await no_serious_violations(page)
    await page.goto(f"{platform.web_url}/")
    await expect(page.locator("main")).not_to_contain_text("evaluation to fill in")

    await page.click("nav a:has-text('Certificates')")
    await expect(page.locator("h1")).to_have_text("Certificates")
    await no_serious_violations(page)
    link = page.locator("a:has-text('Download your certificate')")
    href = await link.get_attribute("href")
    assert href
    pdf = await page.request.get(f"{platform.web_url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert (await pdf.body()).startswith(b"%PDF")


async def test_a_teacher_subscribes_their_calendar_to_their_bookings(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, PRIYA, then="/my/calendar")
    await no_serious_violations(page)
    await page.click("button:has-text('Make a calendar link')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("calendar link")
    url = await page.locator("#calendar-url").input_value()
    assert "/calendar.ics?token=" in url
    webcal = await page.locator("a:has-text('Open it in your calendar app')").get_attribute("href")
    assert webcal and webcal.startswith("webcal://")
    await no_serious_violations(page)
    async with httpx.AsyncClient() as calendar_app:
        feed = await calendar_app.get(url)
        assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
        assert "TeachMeet" in feed.text

        await page.reload()
        await expect(page.locator("#calendar-url")).to_have_count(0)
        await page.click("button:has-text('Stop this link')")
        await expect(page.locator(".govuk-notification-banner")).to_contain_text("no longer works")
        assert (await calendar_app.get(url)).status_code == 401


async def test_what_a_booking_waits_for(
    platform: WebPlatform, page: Page, browser: Browser
) -> None:
    await platform.sign_in(page, HANNAH)
    booking_id = await book(page, platform, PLACEMENT_SWAP, "Book a place")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "It waits for your school's approval"
    )
    await expect(page.locator("main")).to_contain_text("Waiting for approval")
    assert (await booking(platform, booking_id))["status"] == "awaiting_approval"
    await page.goto(f"{platform.web_url}/")
    await expect(page.locator(".app-needs-you")).to_contain_text(
        "1 booking waits for your school's approval"
    )

    context = await browser.new_context()
    try:
        sam = await context.new_page()
        await platform.sign_in(sam, SAM)
        await sam.goto(f"{platform.web_url}/programme/{await activity_id(platform, TEACHMEET)}")
        await expect(sam.locator("main")).to_contain_text("Full: you can join the waiting list")
        waiting = await book(sam, platform, TEACHMEET, "Join the waiting list")
        await expect(sam.locator(".govuk-notification-banner")).to_contain_text(
            "you are on the waiting list"
        )
        await expect(sam.locator("main")).to_contain_text("On the waiting list")
        assert (await booking(platform, waiting))["status"] == "waitlisted"
        await no_serious_violations(sam)

        await sam.goto(f"{platform.web_url}/my/bookings/{booking_id}")
        await expect(sam.locator("h1")).to_have_text("Page not found")

        await page.goto(f"{platform.web_url}/my/bookings")
        card = page.locator(".govuk-summary-card", has_text=TEACHMEET)
        await card.locator("a:has-text('Cancel')").click()
        await page.click("button:has-text('Cancel my booking')")
        await page.wait_for_url("**/my/bookings?done=cancelled")
        offer = sam.locator(".app-needs-you a", has_text="is offered to you")
        for _ in range(30):  # the waitlist is offered the place after the cancellation's commit
            await sam.goto(f"{platform.web_url}/")
            if await offer.count():
                break
            await asyncio.sleep(1)
        await offer.click()
        await expect(sam.locator("main")).to_contain_text("A place is yours to take")
        await no_serious_violations(sam)
        await sam.click("button:has-text('Take the place')")
        await sam.wait_for_url(f"**/my/bookings/{waiting}?done=accepted")
        await expect(sam.locator(".govuk-notification-banner")).to_contain_text(
            "You have taken the place"
        )
        taken = await booking(platform, waiting)
        assert taken["status"] == "registered"
        await expect(sam.locator("main")).to_contain_text(taken["check_in_code"])
    finally:
        await context.close()


async def test_a_booking_form_sent_twice_books_once(platform: WebPlatform, page: Page) -> None:
    cluster = await activity_id(platform, CLUSTER_MEETING)
    await platform.sign_in(page, TOM_HALE, then=f"/programme/{cluster}")
    form = {
        name: await page.locator(f"main input[name={name}]").get_attribute("value") or ""
        for name in ("csrf_token", "idempotency_key")
    }
    answers = [
        await page.request.post(
            f"{platform.web_url}/programme/{cluster}/book", form=form, max_redirects=0
        )
        for _ in range(2)
    ]
    assert [a.status for a in answers] == [303, 303]
    first, again = (a.headers["location"] for a in answers)
    assert first == again and first.endswith("?done=booked")
    tom = platform.person(TOM_HALE)["id"]
    listed = await platform.events.http.get(
        f"/activities/{cluster}/bookings", headers=platform.events.officer
    )
    assert [b["status"] for b in listed.json() if b["person_id"] == tom] == ["registered"]


async def test_the_pages_are_only_for_teachers(platform: WebPlatform, page: Page) -> None:
    await page.goto(f"{platform.web_url}/programme")
    await expect(page.locator("h1")).not_to_have_text("Programme")
    assert "/sign-in" in page.url or "Authorize" in await page.content()
    await platform.sign_in(page, RUTH, then="/my/bookings")
    await expect(page.locator("h1")).to_have_text("This page is not for the way you are acting now")


async def test_the_teacher_pages_fit_a_phone(platform: WebPlatform, browser: Browser) -> None:
    context = await browser.new_context(viewport=PHONE)
    try:
        page = await context.new_page()
        await platform.sign_in(page, PRIYA, then="/programme")
        cluster = await activity_id(platform, CLUSTER_MEETING)
        for path in ("/programme", f"/programme/{cluster}", "/my/bookings", "/my/emails", "/"):
            await page.goto(f"{platform.web_url}{path}")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide"
            await no_serious_violations(page)
        await page.goto(f"{platform.web_url}/programme/{cluster}")
        await page.click("button:has-text('Book a place')")
        await page.wait_for_url("**/my/bookings/*?done=booked")
        await expect(page.locator("img.app-teacher-qr")).to_be_visible()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"a booking is {width}px wide"
        await no_serious_violations(page)
    finally:
        await context.close()
