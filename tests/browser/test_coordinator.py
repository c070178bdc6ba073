"""A partnership coordinator's pages, against the whole platform with the East Kent programme
loaded, as Claire Ashby (East Kent Schools Together's coordinator): the programme (create with a
bad date answered next to the field, publish, change, reschedule, cancel), an activity's bookings
and waiting list, the register on a phone where she checks a teacher in by her booking's code,
case studies (write, send for review, publish once approved), member schools and invitations,
the dashboard's charts, and what needs her on the home page; axe on every page.

Each test makes its own activities, case study and school, so they do not depend on each other."""

import re
import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from browser.conftest import PHONE, no_serious_violations
from playwright.async_api import Browser, Page, expect

from eventkit.auth import Role
from support.web_platform import WebPlatform

pytestmark = pytest.mark.integration

ENGLAND = ZoneInfo("Europe/London")
CLAIRE = "claire.ashby@stourvalley.example"
PRIYA = "priya.shah@thanetbay.example"
TOM = "tom.fairweather@canterburydowns.example"
THANET_BAY, CANTERBURY_DOWNS = "990202", "990204"
EAST_KENT = "East Kent Schools Together"
DEBATING_CASE_STUDY = "Older pupils lead younger pupils in debating"


def unique(title: str) -> str:
    return f"{title} {secrets.token_hex(3)}"


async def east_kent(platform: WebPlatform) -> str:
    listed = await platform.membership.http.get(
        "/partnerships", headers=platform.membership.officer
    )
    return str(next(p["id"] for p in listed.json() if p["details"]["name"] == EAST_KENT))


def as_coordinator(platform: WebPlatform, partnership_id: str) -> dict[str, str]:
    return platform.events.as_(
        Role.PARTNERSHIP_COORDINATOR,
        partnerships=[partnership_id],
        person_id=platform.person(CLAIRE)["id"],
    )


def as_teacher(platform: WebPlatform, email: str, urn: str) -> dict[str, str]:
    return platform.events.as_(Role.TEACHER, schools=[urn], person_id=platform.person(email)["id"])


async def book(platform: WebPlatform, activity_id: str, email: str, urn: str) -> dict[str, Any]:
    made = await platform.events.http.post(
        f"/activities/{activity_id}/bookings",
        json={"urn": urn},
        headers={**as_teacher(platform, email, urn), "Idempotency-Key": secrets.token_hex(8)},
    )
    assert made.status_code == 201, made.text
    booking: dict[str, Any] = made.json()
    return booking


async def published_activity(
    platform: WebPlatform, partnership_id: str, title: str, *, capacity: int, days_ahead: int
) -> str:
    """Made and published through the events API, starting at 10am that many days ahead."""
    day = datetime.now(ENGLAND).date() + timedelta(days=days_ahead)
    starts = datetime(day.year, day.month, day.day, 10, tzinfo=ENGLAND)
    body = {
        "title": title,
        "category": "teacher_development",
        "format": "cpd_course",
        "partnership_id": partnership_id,
        "venue": "Stour Valley College, hall",
        "sessions": [
            {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}
        ],
        "capacity": capacity,
    }
    headers = as_coordinator(platform, partnership_id)
    made = await platform.events.http.post("/activities", json=body, headers=headers)
    assert made.status_code == 201, made.text
    activity_id = str(made.json()["id"])
    published = await platform.events.http.post(
        f"/activities/{activity_id}/publish", headers=headers
    )
    assert published.status_code == 200, published.text
    return activity_id


async def activity(platform: WebPlatform, activity_id: str) -> dict[str, Any]:
    found = await platform.events.http.get(
        f"/activities/{activity_id}", headers=platform.events.officer
    )
    assert found.status_code == 200, found.text
    result: dict[str, Any] = found.json()
    return result


async def activity_titled(platform: WebPlatform, start: str) -> str:
    found = await platform.events.http.get("/activities", headers=platform.events.officer)
    return str(next(a["id"] for a in found.json() if a["details"]["title"].startswith(start)))


async def fits_the_screen(page: Page) -> None:
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def starting_soon() -> tuple[datetime, str, str]:
    """A start 20 to 25 minutes from now (booking still open; the register already open, from
    two hours before), and an end later the same day."""
    now = datetime.now(ENGLAND).replace(second=0, microsecond=0)
    starts = now + timedelta(minutes=25 - now.minute % 5)
    end_of_day = starts.replace(hour=23, minute=59)
    ends = min(starts + timedelta(hours=1), end_of_day)
    return starts, f"{starts:%H:%M}", f"{ends:%H:%M}"


async def fill_date(page: Page, prefix: str, day: str, month: str, year: str) -> None:
    await page.fill(f"#{prefix}-day", day)
    await page.fill(f"#{prefix}-month", month)
    await page.fill(f"#{prefix}-year", year)


async def test_a_coordinator_checks_the_teacher_in_by_code(
    platform: WebPlatform, page: Page, browser: Browser
) -> None:
    await platform.sign_in(page, CLAIRE, then="/coordinate/programme")
    await expect(page.locator("h1")).to_have_text("Programme")
    await expect(page.locator("main")).to_contain_text(
        "East Kent TeachMeet: questioning that stretches every learner"
    )
    await no_serious_violations(page)

    await page.click("text=Create an activity")
    await expect(page.locator("h1")).to_have_text("Create an activity")
    await no_serious_violations(page)
    title = unique("TeachMeet: retrieval practice")
    starts, start_time, end_time = starting_soon()
    await page.fill("#title", title)
    await page.select_option("#category", label="Teacher development")
    await page.select_option("#format", label="TeachMeet")
    await page.select_option("#host_urn", label="Stour Valley College")
    await page.fill("#venue", "Stour Valley College, library")
    await fill_date(page, "session-1-date", "31", "2", str(starts.year))
    await page.fill("#session-1-starts", start_time)
    await page.fill("#session-1-ends", end_time)
    await page.fill("#capacity", "20")
    await page.click("button:has-text('Save as a draft')")

    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("The date of session 1 must be a real date")
    await expect(page.locator("#session-1-date-error")).to_contain_text("must be a real date")
    await expect(page.locator("#title")).to_have_value(title)
    await expect(page.locator("#venue")).to_have_value("Stour Valley College, library")
    await expect(page.locator("#session-1-date-day")).to_have_value("31")
    await expect(page.locator("#session-1-starts")).to_have_value(start_time)
    await expect(page.locator("#capacity")).to_have_value("20")
    await expect(page.locator("#host_urn option:checked")).to_have_text("Stour Valley College")
    await expect(page).to_have_title(re.compile(r"^Error: Create an activity"))
    await no_serious_violations(page)

    await fill_date(page, "session-1-date", str(starts.day), str(starts.month), str(starts.year))
    await page.click("button:has-text('Save as a draft')")
    await expect(page.locator("h1")).to_have_text(title)
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    await expect(page.locator("main .govuk-tag").first).to_have_text("Draft")
    await no_serious_violations(page)
    activity_id = page.url.rstrip("/").rsplit("/", 1)[1]
    made = await activity(platform, activity_id)
    assert made["status"] == "draft"
    assert datetime.fromisoformat(made["details"]["sessions"][0]["starts_at"]) == starts

    await page.click("button:has-text('Publish')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    await expect(page.locator("main .govuk-tag").first).to_have_text("Published")
    assert (await activity(platform, activity_id))["status"] == "published"

    booking = await book(platform, activity_id, PRIYA, THANET_BAY)
    assert booking["status"] == "registered"
    await page.click("text=Bookings and waiting list")
    await expect(page.locator("h1")).to_have_text("Bookings and waiting list")
    await expect(page.locator("#places")).to_have_text("Holding a place (1)")
    await expect(page.locator("main")).to_contain_text("Priya Shah, Thanet Bay Academy")
    await no_serious_violations(page)

    phone = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    at_the_door = await phone.new_page()
    register = f"/coordinate/programme/{activity_id}/register"
    await platform.sign_in(at_the_door, CLAIRE, then=register)
    await expect(at_the_door.locator("h1")).to_have_text("Register")
    await expect(at_the_door.locator("#still-to-come")).to_have_text("Still to come (1)")
    await no_serious_violations(at_the_door)
    await fits_the_screen(at_the_door)

    await at_the_door.fill("#code", "not-her-code")
    await at_the_door.click("button:has-text('Check in') >> nth=0")
    await expect(at_the_door.locator("#code-error")).to_contain_text(
        "No booking for this activity has that code"
    )
    await expect(at_the_door.locator("#code")).to_have_value("not-her-code")
    await no_serious_violations(at_the_door)
    await fits_the_screen(at_the_door)

    await at_the_door.fill("#code", booking["check_in_code"])
    await at_the_door.click("button:has-text('Check in') >> nth=0")
    await expect(at_the_door.locator(".govuk-notification-banner")).to_contain_text(
        "Priya Shah is checked in."
    )
    await expect(at_the_door.locator("#register-count")).to_have_text("1 of 1 checked in")
    await expect(at_the_door.locator("#checked-in")).to_have_text("Checked in (1)")
    await no_serious_violations(at_the_door)
    await fits_the_screen(at_the_door)

    seen = await platform.events.http.get(
        f"/bookings/{booking['id']}", headers=as_teacher(platform, PRIYA, THANET_BAY)
    )
    assert seen.status_code == 200 and seen.json()["status"] == "attended", seen.text

    await at_the_door.fill("#code", booking["check_in_code"])
    await at_the_door.click("button:has-text('Check in') >> nth=0")
    await expect(at_the_door.locator(".govuk-notification-banner")).to_contain_text(
        "Priya Shah is already checked in."
    )
    await phone.close()


async def test_the_coordinator_sees_the_waiting_list_changes_reschedules_and_cancels(
    platform: WebPlatform, page: Page
) -> None:
    pid = await east_kent(platform)
    title = unique("Assessment for learning")
    activity_id = await published_activity(platform, pid, title, capacity=1, days_ahead=10)
    await book(platform, activity_id, PRIYA, THANET_BAY)
    waiting = await book(platform, activity_id, TOM, CANTERBURY_DOWNS)
    assert waiting["status"] == "waitlisted"

    here = f"/coordinate/programme/{activity_id}"
    await platform.sign_in(page, CLAIRE, then=f"{here}/bookings")
    await expect(page.locator("#places")).to_have_text("Holding a place (1)")
    await expect(page.locator("#waiting-list")).to_have_text("Waiting list (1)")
    await expect(page.locator("main ol")).to_contain_text(
        "Tom Fairweather, Canterbury Downs Grammar School"
    )
    await no_serious_violations(page)

    await page.goto(f"{platform.web_url}{here}")
    await no_serious_violations(page)
    await page.click("text=Change the details")
    await expect(page.locator("h1")).to_have_text("Change the details")
    await no_serious_violations(page)
    await page.fill("#capacity", "two")
    await page.click("button:has-text('Save changes')")
    await expect(page.locator("#capacity-error")).to_contain_text("as a whole number")
    await expect(page.locator("#capacity")).to_have_value("two")
    await expect(page.locator("#title")).to_have_value(title)
    await no_serious_violations(page)
    await page.fill("#capacity", "2")
    await page.click("button:has-text('Save changes')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("are changed")
    assert (await activity(platform, activity_id))["details"]["capacity"] == 2

    await page.click("main >> text=Change the dates and times >> nth=0")
    await expect(page.locator("h1")).to_have_text("Change the dates and times")
    await no_serious_violations(page)
    await page.fill("#session-1-starts", "2pm")
    await page.fill("#session-1-ends", "1pm")
    await page.fill("#reason", "The hall is needed in the morning")
    await page.click("button:has-text('Change the dates')")
    await expect(page.locator("#session-1-ends-error")).to_contain_text(
        "Session 1 must end after it starts"
    )
    await expect(page.locator("#reason")).to_have_value("The hall is needed in the morning")
    await no_serious_violations(page)
    await page.fill("#session-1-ends", "4:30pm")
    await page.click("button:has-text('Change the dates')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("dates of")
    await expect(page.locator("main")).to_contain_text("2pm to 4:30pm")
    moved = await activity(platform, activity_id)
    starts = datetime.fromisoformat(moved["details"]["sessions"][0]["starts_at"])
    assert starts.astimezone(ENGLAND).hour == 14 and moved["sequence"] == 1

    await page.click("text=Cancel the activity")
    await expect(page.locator("h1")).to_have_text("Cancel the activity")
    await no_serious_violations(page)
    await page.click("button:has-text('Cancel the activity')")
    await expect(page.locator("#reason-error")).to_contain_text("Say why it is cancelled")
    await no_serious_violations(page)
    await page.fill("#reason", "The speaker is ill. We will run it next term.")
    await page.click("button:has-text('Cancel the activity')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("is cancelled")
    await expect(page.locator("main .govuk-tag").first).to_have_text("Cancelled")
    assert (await activity(platform, activity_id))["status"] == "cancelled"


async def test_the_coordinator_writes_a_case_study_and_publishes_it_once_approved(
    platform: WebPlatform, page: Page
) -> None:
    await platform.sign_in(page, CLAIRE, then="/coordinate/case-studies")
    await expect(page.locator("h1")).to_have_text("Your case studies")
    await expect(page.locator("main")).to_contain_text(DEBATING_CASE_STUDY)
    await no_serious_violations(page)

    await page.click("text=Write a case study")
    await expect(page.locator("h1")).to_have_text("Write a case study")
    await no_serious_violations(page)
    title = unique("Trainees swap schools and see teaching anew")
    aims = "Trainees see a school unlike their own, state and independent, primary and secondary."
    await page.fill("#aims", aims)
    await page.click("button:has-text('Save as a draft')")
    await expect(page.locator("#title-error")).to_contain_text("Enter a title")
    await expect(page.locator("#aims")).to_have_value(aims)
    await page.fill("#title", title)
    await page.check("label:has-text('Teacher development')")
    await page.click("button:has-text('Save and send for review')")
    await expect(page.locator("#impact-error")).to_contain_text("Write the difference it made")
    await expect(page.locator("#title")).to_have_value(title)
    await expect(page.locator("input[name=categories][value=teacher_development]")).to_be_checked()
    await no_serious_violations(page)

    await page.click("button:has-text('Save as a draft')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    await expect(page.locator("h1")).to_have_text(title)
    await no_serious_violations(page)
    case_study_id = page.url.rstrip("/").rsplit("/", 1)[1]
    await page.click("button:has-text('Send it for review')")
    await expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Write the difference it made"
    )
    await no_serious_violations(page)

    await page.click("text=Change it")
    await expect(page.locator("#aims")).to_have_value(aims)
    await page.fill("#impact", "Every trainee planned a lesson with their host's methods.")
    await page.click("button:has-text('Save and send for review')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to the county")
    await expect(page.locator("main .govuk-tag").first).to_have_text(
        "Waiting for the county's review"
    )

    approved = await platform.events.http.post(
        f"/case-studies/{case_study_id}/approve", headers=platform.events.officer
    )
    assert approved.status_code == 200, approved.text
    await page.reload()
    await expect(page.locator("main .govuk-tag").first).to_have_text("Approved: ready to publish")
    await page.click("button:has-text('Publish it')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    await no_serious_violations(page)
    await page.click("main >> text=case-study library")
    await expect(page.locator("h1")).to_have_text(title)


async def test_the_coordinator_invites_a_school_by_its_urn(
    platform: WebPlatform, page: Page
) -> None:
    urn = str(880000 + secrets.randbelow(99999))
    name = f"Herne Bay Juniors {urn}"
    school = {"urn": urn, "name": name, "phase": "primary", "sector": "state", "la_code": "886"}
    made = await platform.membership.http.post(
        "/schools", json=school, headers=platform.membership.officer
    )
    assert made.status_code == 201, made.text

    await platform.sign_in(page, CLAIRE, then="/coordinate/schools")
    await expect(page.locator("h1")).to_have_text("Schools")
    await expect(page.locator("main")).to_contain_text("Wantsum Primary School")
    await no_serious_violations(page)

    await page.fill("#urn", "12")
    await page.click("button:has-text('Invite the school')")
    await expect(page.locator("#urn-error")).to_contain_text("6 or 7 numbers")
    await expect(page.locator("#urn")).to_have_value("12")
    await no_serious_violations(page)
    await page.fill("#urn", "999999")
    await page.click("button:has-text('Invite the school')")
    await expect(page.locator("#urn-error")).to_contain_text("There is no school with URN 999999")
    await page.fill("#urn", "990203")
    await page.click("button:has-text('Invite the school')")
    await expect(page.locator("#urn-error")).to_contain_text("already a member of")

    await page.fill("#urn", urn)
    await page.click("button:has-text('Invite the school')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{name} is invited")
    await expect(page.locator("main")).to_contain_text(f"{name} (URN {urn})")
    await no_serious_violations(page)
    partnership = await platform.membership.http.get(
        f"/partnerships/{await east_kent(platform)}", headers=platform.membership.officer
    )
    assert partnership.json()["memberships"][urn]["status"] == "invited"

    await page.click(f"button:has-text('Withdraw the invitation to {name}')")
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("is withdrawn")


async def test_the_dashboard_shows_the_partnerships_charts(
    platform: WebPlatform, page: Page, browser: Browser
) -> None:
    await platform.sign_in(page, CLAIRE, then="/coordinate/dashboard")
    await expect(page.locator("h1")).to_have_text("Dashboard")
    for _ in range(30):  # the reports catch up with the demo a moment after it is loaded
        if await page.locator("#charts").count():
            break
        await page.wait_for_timeout(2000)
        await page.reload()
    charts = page.locator(".app-coordinate-chart img")
    await expect(charts).to_have_count(4)
    for n in range(4):
        await charts.nth(n).scroll_into_view_if_needed()
        await expect(charts.nth(n)).to_have_js_property("complete", True)
        assert await charts.nth(n).evaluate("img => img.naturalWidth") > 0
    await expect(page.locator("#terms")).to_have_text("Term by term")
    await no_serious_violations(page)

    pid = await east_kent(platform)
    svg = await page.request.get(f"{platform.web_url}/coordinate/dashboard/{pid}/charts/reach.svg")
    assert svg.status == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Reach by term: East Kent Schools Together" in await svg.text()
    csv = await page.request.get(f"{platform.web_url}/coordinate/dashboard/{pid}/participation.csv")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")

    phone = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    small = await phone.new_page()
    await platform.sign_in(small, CLAIRE, then="/coordinate/dashboard")
    await expect(small.locator(".app-coordinate-chart img")).to_have_count(4)
    await fits_the_screen(small)
    teachmeet = await activity_titled(platform, "East Kent TeachMeet")
    for path in (
        "/coordinate/programme",
        "/coordinate/programme/new",
        f"/coordinate/programme/{teachmeet}",
        f"/coordinate/programme/{teachmeet}/bookings",
        f"/coordinate/programme/{teachmeet}/reschedule",
        "/coordinate/case-studies",
        "/coordinate/case-studies/new",
        "/coordinate/schools",
        "/",
    ):
        await small.goto(f"{platform.web_url}{path}")
        await fits_the_screen(small)
        await no_serious_violations(small)
    await phone.close()


async def test_home_says_what_needs_the_coordinator_and_others_may_not_come_in(
    platform: WebPlatform, page: Page, browser: Browser
) -> None:
    pid = await east_kent(platform)
    body = {
        "title": unique("Governors' cluster meeting"),
        "category": "governance",
        "format": "cluster_meeting",
        "partnership_id": pid,
        "online_url": "https://meet.example/governors",
        "sessions": [
            {"starts_at": "2030-03-04T18:00:00+00:00", "ends_at": "2030-03-04T19:00:00+00:00"}
        ],
        "capacity": 30,
    }
    made = await platform.events.http.post(
        "/activities", json=body, headers=as_coordinator(platform, pid)
    )
    assert made.status_code == 201, made.text
    await platform.sign_in(page, CLAIRE)
    needs = page.locator(".app-needs-you")
    await expect(needs).to_contain_text("a draft")
    await no_serious_violations(page)
    await needs.locator("a", has_text="draft").first.click()
    await expect(page.locator("h1")).to_have_text("Programme")
    await expect(page.locator("main")).to_contain_text(body["title"])

    other = await browser.new_context()
    teacher = await other.new_page()
    await platform.sign_in(teacher, PRIYA)
    answer = await teacher.goto(f"{platform.web_url}/coordinate/programme")
    assert answer is not None and answer.status == 403
    await expect(teacher.locator("h1")).to_have_text(
        "This page is not for the way you are acting now"
    )
    await other.close()
