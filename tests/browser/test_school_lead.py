"""The school lead's pages, as Grace Mensah (CPD approver at Wantsum Primary School) uses them:
a teacher's booking waits for her and she approves it (or declines one), she books pupil places,
asks for support and proposes its terms, keeps her school's expertise, finds other schools',
and adds a member of staff and ends a role. Every page passes axe; one run is phone-sized."""

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from browser.conftest import PHONE, no_serious_violations
from playwright.async_api import Browser, Page, expect

from eventkit.auth import Role
from support.web_platform import WebPlatform

pytestmark = pytest.mark.integration

GRACE = "grace.mensah@wantsum.example"
HANNAH = "hannah.okafor@wantsum.example"
JACK = "jack.doyle@wantsum.example"
CLAIRE = "claire.ashby@stourvalley.example"
WANTSUM = "990203"
THANET_BAY = "990202"
EAST_KENT = "East Kent Schools Together"


def east_kent(platform: WebPlatform) -> str:
    return next(p.id for p in platform.demo.partnerships if p.name == EAST_KENT)


def coordinator(platform: WebPlatform) -> dict[str, str]:
    return platform.events.as_(
        Role.PARTNERSHIP_COORDINATOR,
        partnerships=[east_kent(platform)],
        person_id=platform.person(CLAIRE)["id"],
    )


def teacher(platform: WebPlatform, email: str) -> dict[str, str]:
    return platform.events.as_(
        Role.TEACHER, schools=[WANTSUM], person_id=platform.person(email)["id"]
    )


async def new_activity(
    platform: WebPlatform, title: str, *, pupils: bool = False
) -> dict[str, Any]:
    """A published East Kent activity a fortnight ahead, made by its coordinator."""
    starts = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    body = {
        "title": f"{title} {secrets.token_hex(3)}",
        "category": "academic" if pupils else "teacher_development",
        "format": "pupil_activity" if pupils else "cluster_meeting",
        "partnership_id": east_kent(platform),
        "host_urn": WANTSUM,
        "venue": "Wantsum Primary School, hall",
        "sessions": [
            {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}
        ],
        "audience": {"staff": not pupils, "pupils": pupils, "phases": []},
        "capacity": 30,
        "per_school_cap": 8 if pupils else None,
    }
    http, auth = platform.events.http, coordinator(platform)
    made = await http.post("/activities", json=body, headers=auth)
    assert made.status_code == 201, made.text
    published = await http.post(f"/activities/{made.json()['id']}/publish", headers=auth)
    assert published.status_code == 200, published.text
    activity: dict[str, Any] = published.json()
    return activity


async def book(platform: WebPlatform, email: str, activity: dict[str, Any]) -> dict[str, Any]:
    """The teacher books their own place, through the events API."""
    booked = await platform.events.http.post(
        f"/activities/{activity['id']}/bookings",
        json={"urn": WANTSUM},
        headers={**teacher(platform, email), "Idempotency-Key": secrets.token_hex(8)},
    )
    assert booked.status_code == 201, booked.text
    booking: dict[str, Any] = booked.json()
    return booking


async def booking_status(platform: WebPlatform, email: str, booking_id: str) -> str:
    found = await platform.events.http.get(
        f"/bookings/{booking_id}", headers=teacher(platform, email)
    )
    assert found.status_code == 200, found.text
    return str(found.json()["status"])


def banner(page: Page) -> Any:
    return page.locator(".govuk-notification-banner--success")


async def test_a_teachers_booking_waits_for_grace_and_she_approves_it(
    platform: WebPlatform, page: Page
) -> None:
    activity = await new_activity(platform, "Phonics cluster meeting")
    title = activity["details"]["title"]
    booking = await book(platform, HANNAH, activity)
    assert booking["status"] == "awaiting_approval"

    await platform.sign_in(page, GRACE)
    needs = page.locator(".app-needs-you")
    await expect(needs).to_contain_text(
        re.compile(r"\d+ bookings? (is|are) waiting for your approval")
    )
    await no_serious_violations(page)
    await needs.get_by_role("link", name=re.compile("waiting for your approval")).click()
    await expect(page.locator("h1")).to_have_text("Approvals waiting")
    card = page.locator(f"#booking-{booking['id']}")
    await expect(card).to_contain_text("Hannah Okafor")
    await expect(card).to_contain_text(title)
    await expect(card).to_contain_text("Year 5 teacher")
    await no_serious_violations(page)

    await card.get_by_role("button", name=re.compile("^Approve")).click()
    await expect(banner(page)).to_contain_text(f"You approved Hannah Okafor's place at {title}.")
    await expect(page.locator(f"#booking-{booking['id']}")).to_have_count(0)
    await no_serious_violations(page)
    assert await booking_status(platform, HANNAH, booking["id"]) == "registered"


async def test_grace_declines_a_booking_after_saying_so_twice(
    platform: WebPlatform, page: Page
) -> None:
    activity = await new_activity(platform, "Reading for pleasure cluster")
    booking = await book(platform, JACK, activity)

    await platform.sign_in(page, GRACE, then="/school/approvals")
    card = page.locator(f"#booking-{booking['id']}")
    await card.get_by_role("link", name=re.compile("^Decline")).click()
    await expect(page.locator("h1")).to_have_text(
        f"Decline Jack Doyle's place at {activity['details']['title']}?"
    )
    await no_serious_violations(page)
    await page.get_by_role("button", name="Yes, decline it").click()
    await expect(banner(page)).to_contain_text("You declined Jack Doyle's place")
    assert await booking_status(platform, JACK, booking["id"]) == "rejected"

    second = await page.context.request.post(
        f"{platform.web_url}/school/approvals/{booking['id']}/approve",
        form={"csrf_token": await page.locator("input[name=csrf_token]").first.input_value()},
    )
    assert second.status == 409 and "no longer waiting for approval" in await second.text()


async def test_adding_staff_answers_a_bad_email_next_to_the_field_and_keeps_what_was_typed(
    platform: WebPlatform, page: Page
) -> None:
    email = f"ada.{secrets.token_hex(3)}@wantsum.example"
    await platform.sign_in(page, GRACE, then="/school/staff")
    await expect(page.locator("main")).to_contain_text("Hannah Okafor")
    await no_serious_violations(page)
    await page.get_by_role("button", name="Add a member of staff").click()
    await expect(page.locator("h1")).to_have_text("Add a member of staff")
    await no_serious_violations(page)

    await page.fill("#name", "Ada Lovelace")
    await page.fill("#email", "ada.lovelace@@wantsum")
    await page.fill("#job_title", "Year 3 teacher")
    await page.get_by_label("Teacher", exact=True).check()
    await page.get_by_role("button", name="Add member of staff").click()

    message = "Enter an email address in the correct format, like name@school.example"
    await expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    await expect(page.locator("#email-error")).to_contain_text(message)
    await expect(page).to_have_title(re.compile("^Error: "))
    await expect(page.locator("#name")).to_have_value("Ada Lovelace")
    await expect(page.locator("#email")).to_have_value("ada.lovelace@@wantsum")
    await expect(page.locator("#job_title")).to_have_value("Year 3 teacher")
    await expect(page.get_by_label("Teacher", exact=True)).to_be_checked()
    await no_serious_violations(page)

    await page.fill("#email", email)
    await page.get_by_role("button", name="Add member of staff").click()
    await expect(banner(page)).to_contain_text(
        f"Ada Lovelace is now a teacher at Wantsum Primary School. They can sign in with {email}."
    )
    listed = await platform.membership.http.get("/people", headers=platform.membership.officer)
    (ada,) = [p for p in listed.json() if p["details"] and p["details"]["email"] == email]
    (role,) = ada["roles"]
    assert (role["role"], role["urn"], role["ends_on"]) == ("teacher", WANTSUM, None)

    await page.get_by_role("link", name="End role of Ada Lovelace as Teacher").first.click()
    await expect(page.locator("h1")).to_have_text("End Ada Lovelace's role as teacher?")
    await no_serious_violations(page)
    await page.fill("#on-day", "31")
    await page.fill("#on-month", "2")
    await page.get_by_role("button", name="End role").click()
    await expect(page.locator("#on-error")).to_contain_text("must be a real date")
    await expect(page.locator("#on-day")).to_have_value("31")
    await no_serious_violations(page)
    today = date.today()
    await page.fill("#on-day", str(today.day))
    await page.fill("#on-month", str(today.month))
    await page.fill("#on-year", str(today.year))
    await page.get_by_role("button", name="End role").click()
    await expect(banner(page)).to_contain_text("Ada Lovelace's role as teacher at Wantsum")
    person = await platform.membership.http.get(
        f"/people/{ada['id']}", headers=platform.membership.officer
    )
    assert person.json()["roles"][0]["ends_on"] == today.isoformat()


async def test_grace_books_pupil_places_and_gives_them_up(
    platform: WebPlatform, page: Page
) -> None:
    activity = await new_activity(platform, "Science fair for Year 6", pupils=True)
    title = activity["details"]["title"]
    await platform.sign_in(page, GRACE, then="/school/pupil-places")
    await no_serious_violations(page)
    card = page.locator(".govuk-summary-card", has_text=title)
    await card.get_by_role("link", name=re.compile("^Book places")).click()
    await expect(page.locator("h1")).to_have_text("Book pupil places")
    await no_serious_violations(page)

    await page.fill("#pupils", "lots")
    await page.get_by_role("button", name="Book places").click()
    await expect(page.locator("#pupils-error")).to_contain_text("whole number")
    await expect(page.locator("#pupils")).to_have_value("lots")
    await no_serious_violations(page)
    await page.fill("#pupils", "9")
    await page.get_by_role("button", name="Book places").click()
    await expect(page.locator("#pupils-error")).to_contain_text("more than 8 pupils")
    await page.fill("#pupils", "6")
    await page.get_by_role("button", name="Book places").click()
    await expect(banner(page)).to_contain_text(
        f"You booked 6 pupil places at {title} for Wantsum Primary School."
    )
    bookings = await platform.events.http.get(
        f"/activities/{activity['id']}/bookings", headers=coordinator(platform)
    )
    (placed,) = bookings.json()
    assert (placed["urn"], placed["pupils"], placed["status"]) == (WANTSUM, 6, "registered")

    await page.get_by_role("link", name=f"Give up these places at {title}").click()
    await expect(page.locator("h1")).to_have_text(f"Give up 6 pupil places at {title}?")
    await no_serious_violations(page)
    await page.get_by_role("button", name="Yes, give them up").click()
    await expect(banner(page)).to_contain_text(f"You gave up 6 pupil places at {title}.")
    gone = await platform.events.http.get(
        f"/bookings/{placed['id']}", headers=coordinator(platform)
    )
    assert gone.json()["status"] == "cancelled"


async def test_grace_asks_for_support_and_proposes_its_terms_once_matched(
    platform: WebPlatform, page: Page
) -> None:
    subject = f"phonics {secrets.token_hex(2)}"
    await platform.sign_in(page, GRACE, then="/school/support")
    await no_serious_violations(page)
    await page.get_by_role("button", name="Ask for support").click()
    await expect(page.locator("h1")).to_have_text("Ask for support")
    await no_serious_violations(page)
    await page.fill("#description", "Our Year 1 phonics screening results fell this year.")
    await page.get_by_role("button", name="Ask for support").click()
    await expect(page.locator("#subjects-error")).to_contain_text("Enter a subject")
    await expect(page.locator("#description")).to_have_value(
        "Our Year 1 phonics screening results fell this year."
    )
    await no_serious_violations(page)
    await page.fill("#subjects", f"{subject}, early reading")
    await page.get_by_label("SEND", exact=True).check()
    await page.get_by_role("button", name="Ask for support").click()
    await expect(banner(page)).to_contain_text(f"You asked {EAST_KENT} for support in")

    lead = platform.events.as_(
        Role.SCHOOL_LEAD, schools=[WANTSUM], person_id=platform.person(GRACE)["id"]
    )
    listed = await platform.events.http.get("/support-requests", headers=lead)
    (asked,) = [e for e in listed.json() if subject in e["need"]["subjects"]]
    assert asked["need"]["categories"] == ["send"] and asked["status"] == "requested"
    matched = await platform.events.http.post(
        f"/support-requests/{asked['id']}/match",
        json={"urn": THANET_BAY},
        headers=coordinator(platform),
    )
    assert matched.status_code == 200, matched.text

    await page.goto(f"{platform.web_url}/")
    needs = page.locator(".app-needs-you")
    await expect(needs).to_contain_text(re.compile(r"support requests? needs? your answer"))
    await needs.get_by_role("link", name=re.compile("your answer")).click()
    await page.get_by_role("link", name=re.compile(f"Support in .*{subject}")).click()
    await expect(page.locator("main")).to_contain_text("Thanet Bay Academy")
    await no_serious_violations(page)

    await page.fill("#objectives", "Train two Year 1 teachers in synthetic phonics")
    for prefix, on in (("starts", date(2026, 9, 7)), ("ends", date(2026, 7, 17))):
        await page.fill(f"#{prefix}-day", str(on.day))
        await page.fill(f"#{prefix}-month", str(on.month))
        await page.fill(f"#{prefix}-year", str(on.year))
    await page.fill("#visits", "4")
    await page.get_by_role("button", name="Propose these terms").click()
    await expect(page.locator("#ends-error")).to_contain_text("on or after the day it starts")
    await expect(page.locator("#objectives")).to_have_value(
        "Train two Year 1 teachers in synthetic phonics"
    )
    await expect(page.locator("#visits")).to_have_value("4")
    await no_serious_violations(page)
    await page.fill("#ends-year", "2027")
    await page.get_by_role("button", name="Propose these terms").click()
    await expect(banner(page)).to_contain_text("You proposed these terms")
    found = await platform.events.http.get(f"/support-requests/{asked['id']}", headers=lead)
    terms = found.json()
    assert terms["agreement"]["objectives"] == ["Train two Year 1 teachers in synthetic phonics"]
    assert terms["agreement"]["ends_on"] == "2027-07-17" and terms["agreed_by"] == [WANTSUM]

    await page.get_by_role("link", name="Withdraw this request").click()
    await no_serious_violations(page)
    await page.fill("#reason", "We found help nearer home.")
    await page.get_by_role("button", name="Yes, withdraw it").click()
    await expect(banner(page)).to_contain_text("You withdrew the request")
    found = await platform.events.http.get(f"/support-requests/{asked['id']}", headers=lead)
    assert found.json()["status"] == "withdrawn"
    assert found.json()["withdrawal_reason"] == "We found help nearer home."


async def test_grace_keeps_her_schools_expertise_and_finds_other_schools(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, GRACE, then="/school/expertise")
    await no_serious_violations(page)
    await page.fill("#subjects", "phonics\nearly reading")
    await page.locator("#phases").check()  # the first phase: nursery
    await page.get_by_label("Primary", exact=True).check()
    await page.get_by_label("Disadvantage", exact=True).check()
    await page.fill("#summary", "x" * 5001)
    await page.get_by_role("button", name="Save expertise").click()
    await expect(page.locator("#summary-error")).to_contain_text("5000 characters or fewer")
    await expect(page.locator("#subjects")).to_have_value("phonics\nearly reading")
    await expect(page.get_by_label("Primary", exact=True)).to_be_checked()
    await no_serious_violations(page)
    await page.fill("#summary", "Phonics taught from nursery, with reading at home.")
    await page.get_by_role("button", name="Save expertise").click()
    await expect(banner(page)).to_contain_text("You updated Wantsum Primary School's expertise")
    await expect(page.locator("main")).to_contain_text("early reading, phonics")
    school = await platform.membership.http.get(
        f"/schools/{WANTSUM}", headers=platform.membership.officer
    )
    expertise = school.json()["expertise"]
    assert expertise["subjects"] == ["early reading", "phonics"]
    assert expertise["phases"] == ["nursery", "primary"]
    assert expertise["categories"] == ["disadvantage"]

    await page.get_by_role("link", name="Find expertise at other schools").click()
    await no_serious_violations(page)
    await page.fill("#words", "teacher training")
    await page.select_option("#category", label="STEM")
    await page.get_by_role("button", name="Search").click()
    results = page.locator(".app-results")
    await expect(results).to_contain_text("Kesgrave High School")
    await expect(results).not_to_contain_text("Wantsum Primary School")
    await no_serious_violations(page)


async def test_a_teacher_is_not_shown_the_leads_pages(platform: WebPlatform, page: Page) -> None:
    await platform.sign_in(page, HANNAH, then="/school/approvals")
    await expect(page.locator("h1")).to_have_text("This page is not for the way you are acting now")


async def test_the_leads_pages_fit_a_phone(platform: WebPlatform, browser: Browser) -> None:
    context = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = await context.new_page()
    await platform.sign_in(page, GRACE)
    for path in (
        "/",
        "/school/approvals",
        "/school/pupil-places",
        "/school/support",
        "/school/support/new",
        "/school/expertise",
        "/school/expertise/search?words=maths",
        "/school/staff",
        "/school/staff/add",
    ):
        await page.goto(f"{platform.web_url}{path}")
        await no_serious_violations(page)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
    await context.close()
