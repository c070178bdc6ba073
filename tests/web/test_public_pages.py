"""The public pages over real HTTP, reading what the membership and events services hold: the
case-study library and its filters, each case study, each partnership, and the error pages."""

import re
from http import HTTPStatus

import httpx
import pytest
from web.conftest import Platform, ServiceToken
from web.reading import Page

from devstack.servers import free_port
from services.web.adapters.platform_api import ApiProblem, platform_api
from services.web.bootstrap import build
from services.web.forms import Form
from services.web.settings import WebSettings
from support.services import serve

pytestmark = pytest.mark.integration


async def page(platform: Platform, path: str, status: int = 200) -> Page:
    response = await platform.web.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


async def test_the_library_lists_published_case_studies_only(platform: Platform) -> None:
    library = await page(platform, "/case-studies")
    assert sorted(library.result_titles()) == [
        "Maths mastery in Ely",
        "STEM ambassadors",
        "Singing together in Dover",
    ]
    assert library.text_of("result-count") == "3 case studies"
    assert library.title == "Case studies – School partnerships – Cambridgeshire and Kent"
    assert "A science club still in draft" not in library.text
    maths = platform.case_studies["maths"]
    assert library.links()["Maths mastery in Ely"] == f"/case-studies/{maths}"
    assert library.options("local_authority") == {
        "": "Any local authority",
        "873": "Cambridgeshire",
        "886": "Kent",
    }
    for odd_page in ("zzz", "0", "99", "9" * 40):  # a page that is not there shows one that is
        shown = await page(platform, f"/case-studies?page={odd_page}")
        assert len(shown.result_titles()) == 3


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("category=music_and_arts", ["Singing together in Dover"]),
        ("category=stem", ["STEM ambassadors"]),
        # the STEM case study names no school: it is of its partnership's schools' phases
        ("phase=primary", ["Maths mastery in Ely", "STEM ambassadors"]),
        ("local_authority=886", ["Singing together in Dover"]),
        ("phase=secondary&local_authority=873", ["STEM ambassadors"]),
        ("category=academic&local_authority=886", []),
    ],
)
async def test_filters_narrow_the_library_and_keep_what_was_chosen(
    platform: Platform, query: str, titles: list[str]
) -> None:
    library = await page(platform, f"/case-studies?{query}")
    assert sorted(library.result_titles()) == titles
    count = len(titles)
    if count:
        noun = "case study matches" if count == 1 else "case studies match"
        assert library.text_of("result-count") == f"{count} {noun} your filters"
    else:
        assert "There are no published case studies that match your filters" in library.text
    for field, value in (pair.split("=") for pair in query.split("&")):
        assert library.chosen(field) == value


async def test_a_bad_filter_is_answered_next_to_its_field(platform: Platform) -> None:
    library = await page(platform, "/case-studies?category=astrology&phase=primary", 400)
    assert library.title.startswith("Error: Case studies")
    assert library.error_summary() == {"Select a kind of work from the list": "#category"}
    assert library.error_next_to("category") == "Select a kind of work from the list"
    assert library.error_next_to("phase") is None
    assert library.chosen("phase") == "primary"  # what was chosen well is kept
    assert library.result_titles() == []

    library = await page(platform, "/case-studies?local_authority=999&phase=middle-ish", 400)
    assert library.error_summary() == {
        "Select a phase of school from the list": "#phase",
        "Select a local authority from the list": "#local_authority",
    }
    assert library.error_next_to("local_authority") == "Select a local authority from the list"


async def test_a_case_study_is_shown_whole(platform: Platform) -> None:
    shown = await page(platform, f"/case-studies/{platform.case_studies['maths']}")
    assert shown.h1 == "Maths mastery in Ely"
    assert shown.title == "Maths mastery in Ely – School partnerships – Cambridgeshire and Kent"
    for words in (
        "Fenland Learning Partnership",
        "Academic",
        "Teacher development",
        "Aims of Maths mastery in Ely.",
        "Two schools had strong results.",
        "Two wanted to learn from them.",
        "Four TeachMeets and a shared planning bank.",
        "pupils at greater depth rose from 12% to 21%",
        "Ely St Mary's Primary Primary, Cambridgeshire",
    ):
        assert words in shown.text, words
    assert shown.links()["Fenland Learning Partnership"] == f"/partnerships/{platform.fenland}"
    assert "Published" in shown.text


async def test_a_draft_or_unknown_case_study_is_not_there(platform: Platform) -> None:
    for cid in (platform.case_studies["draft"], "no-such-case-study", "a" * 65):
        missing = await page(platform, f"/case-studies/{cid}", 404)
        assert missing.h1 == "Page not found"
        assert "A science club" not in missing.text


async def test_the_partnerships_are_listed(platform: Platform) -> None:
    listed = await page(platform, "/partnerships")
    assert listed.links()["Fenland Learning Partnership"] == f"/partnerships/{platform.fenland}"
    assert listed.links()["East Kent Music Hub"] == f"/partnerships/{platform.kent}"
    assert "Formal partnership, 2 schools" in listed.text
    assert "Hub, 1 school" in listed.text


async def test_a_partnership_shows_its_aims_schools_and_how_to_get_in_touch(
    platform: Platform,
) -> None:
    shown = await page(platform, f"/partnerships/{platform.fenland}")
    assert shown.h1 == "Fenland Learning Partnership"
    assert "Academic" in shown.text and "STEM" in shown.text
    assert "Cambridgeshire" in shown.text
    assert "Ely St Mary's Primary Primary, state, Cambridgeshire" in shown.text
    assert "Soham Village College Secondary, state, Cambridgeshire" in shown.text
    assert "March Invited Academy" not in shown.text  # invited, not a member yet
    contact = platform.coordinator
    for words in (contact["name"], contact["job_title"], contact["email"]):
        assert words in shown.text
    assert shown.links()[contact["email"]] == f"mailto:{contact['email']}"
    assert (
        shown.links()["Maths mastery in Ely"] == f"/case-studies/{platform.case_studies['maths']}"
    )
    assert "STEM ambassadors" in shown.links()
    assert "A science club still in draft" not in shown.text

    kent = await page(platform, f"/partnerships/{platform.kent}")
    assert "Dover Grammar School Secondary, state, Kent" in kent.text
    assert "The partnership has not named a coordinator yet." in kent.text


async def test_an_unknown_partnership_or_page_is_a_page_not_found(platform: Platform) -> None:
    for path in ("/partnerships/000000000000", "/partnerships/..%2F..", "/no-such-page"):
        missing = await page(platform, path, 404)
        assert missing.h1 == "Page not found"
        assert missing.title == "Page not found – School partnerships – Cambridgeshire and Kent"
        assert missing.by_id("main-content") is not None  # in the layout, with its skip link
        assert missing.links()["Skip to main content"] == "#main-content"


async def test_pages_have_neither_the_gov_uk_typeface_nor_the_crown(platform: Platform) -> None:
    for path in (
        "/",
        "/case-studies",
        f"/case-studies/{platform.case_studies['maths']}",
        f"/partnerships/{platform.fenland}",
    ):
        response = await platform.web.get(path)
        html = response.text
        assert "GDS Transport" not in html
        assert not re.search(r"crown|crest|govuk-logo", html, re.IGNORECASE), path
        assert '<html lang="en-GB"' in html
    stylesheet = await platform.web.get("/static/govuk-frontend-6.3.0/govuk-frontend.min.css")
    assert stylesheet.status_code == 200
    assert "GDS Transport" not in stylesheet.text
    assert "@font-face" not in stylesheet.text
    assert "govuk-crest" not in stylesheet.text
    assert "font-family:arial,sans-serif" in stylesheet.text
    script = await platform.web.get("/static/govuk-frontend-6.3.0/govuk-frontend.min.js")
    assert script.status_code == 200 and "initAll" in script.text
    assert (await platform.web.get("/static/govuk-frontend-6.3.0/LICENSE.txt")).status_code == 200


async def test_the_layout_names_the_platform_and_its_county(platform: Platform) -> None:
    home = await page(platform, "/")
    header = home.with_class("govuk-generic-header")[0]
    assert header.text == "School partnerships Cambridgeshire and Kent"
    nav = home.by_id("navigation")
    assert nav is not None and nav.text == "Case studies Partnerships Sign in"
    library = await page(platform, "/case-studies")
    current = library.with_class("govuk-service-navigation__item--active")
    assert [e.text for e in current] == ["Case studies"]


async def test_health() -> None:
    app = build(WebSettings(log_format="console", log_level="WARNING"), ServiceToken())
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as web:
        health = await web.get("/health")
        assert health.json() == {"status": "ok", "service": "web"}


async def test_a_service_that_does_not_answer_is_a_page_saying_so() -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = WebSettings(
        membership_url=nowhere, events_url=nowhere, log_format="console", log_level="CRITICAL"
    )
    async with (
        serve(build(settings, ServiceToken())) as url,
        httpx.AsyncClient(base_url=url) as web,
    ):
        for path in ("/case-studies", "/partnerships", "/partnerships/abc"):
            response = await web.get(path)
            assert response.status_code == 503
            assert response.headers["retry-after"] == "30"
            shown = Page(response.text)
            assert shown.h1 == "Sorry, the platform is not answering"
            assert "Traceback" not in response.text and "ConnectError" not in response.text
        ready = await web.get("/ready")
        assert ready.status_code == 503 and ready.json()["membership"] is False


async def test_a_refusal_of_the_apis_names_each_field_for_the_form(platform: Platform) -> None:
    token = await ServiceToken().public()
    async with platform_api(platform.settings) as api:
        with pytest.raises(ApiProblem) as refused:
            await api.events.get("/case-studies", token, {"category": "astrology", "limit": 0})
        problem = refused.value
        assert problem.status == 422 and problem.title == HTTPStatus(422).phrase
        assert set(problem.fields) == {"category", "limit"}
        form = Form.of({"category": " astrology ", "limit": "0"}, ("category", "limit"))
        assert form.refuse_all(problem, {"category": "category"})
        assert form.error("category") == {"text": problem.fields["category"]}
        assert form.error("limit") is None  # not a field of ours: the page says it as a whole
        assert form.value("category") == "astrology"  # what was typed stays

        with pytest.raises(ApiProblem) as missing:
            await api.membership.get("/partnerships/000000000000", token)
        assert missing.value.not_found and missing.value.detail == "no partnership 000000000000"
