"""Participation by term, end to end: membership and events over real HTTP, reporting on the
real broker, its figures read back as JSON, as CSV (parsed with `csv`) and as an SVG chart
(parsed with ElementTree), each checked against what happened."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from pypdf import PdfReader
from reporting.conftest import Reporting
from reporting.rebuilds import answers_while, documents, live

from eventkit.auth import Role
from services.reporting.adapters import participation as records
from services.reporting.domain.participation import Term
from services.reporting.rebuild import Rebuild
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.membership import Membership

pytestmark = pytest.mark.integration
SVG = "{http://www.w3.org/2000/svg}"
SVG_TYPE = "image/svg+xml"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def test_a_partnerships_term_shows_its_places_reach_hours_attendance_and_ratings(
    membership: Membership, events: Events, reporting: Reporting
) -> None:
    p = await make_partnership(membership, schools=3, staff_per_school=1)
    await wait_for_directory(events, p)
    (ann, ann_urn), (bob, bob_urn), (_, quiet_urn) = p.staff.items()
    coordinator = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    starts = (datetime.now(UTC) + timedelta(minutes=30)).replace(microsecond=0)
    sessions = [
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1.5)).isoformat()}
    ]
    activity = ok(
        await events.http.post(
            "/activities",
            json=activity_body(p.id, sessions=sessions, capacity=10, host_urn=ann_urn),
            headers=coordinator,
        ),
        201,
    )
    ok(await events.http.post(f"/activities/{activity['id']}/publish", headers=coordinator))
    booked = {}
    for person, urn in ((ann, ann_urn), (bob, bob_urn)):
        teacher = events.as_(Role.TEACHER, schools=[urn], person_id=person)
        booked[person] = ok(
            await events.http.post(
                f"/activities/{activity['id']}/bookings",
                json={"urn": urn},
                headers={**teacher, "Idempotency-Key": uuid.uuid4().hex},
            ),
            201,
        )
    for person, came in ((ann, True), (bob, False)):
        ok(
            await events.http.post(
                f"/bookings/{booked[person]['id']}/attendance",
                json={"attended": came},
                headers=coordinator,
            )
        )
    ann_teacher = events.as_(Role.TEACHER, schools=[ann_urn], person_id=ann)
    ratings = {"overall": 4, "relevance": 5, "organisation": 4, "confidence_after": 3}
    ok(
        await events.http.post(
            f"/bookings/{booked[ann]['id']}/evaluations/on_the_day",
            json={"ratings": ratings, "answers": {}},
            headers=ann_teacher,
        ),
        201,
    )

    path = f"/partnerships/{p.id}/participation"
    lead = reporting.as_(Role.SCHOOL_LEAD, schools=[ann_urn])
    shown = await reporting.eventually(
        path,
        lead,
        lambda r: (
            r.status_code == 200
            and bool(r.json()["terms"])
            and r.json()["terms"][0]["evaluations"] == 1
            and r.json()["terms"][0]["no_shows"] == 1  # its own event, on its own time
        ),
    )
    [term] = ok(shown)["terms"]
    assert term["term"] == Term.of(starts).name
    assert term["activities"] == 1 and term["by_category"] == {"teacher_development": 1}
    assert (term["places_offered"], term["places_taken"]) == (10, 2)
    assert (term["staff_reached"], term["pupils_reached"]) == (1, 0)
    assert term["cpd_hours"] == 1.5
    assert (term["attended"], term["no_shows"], term["attendance_rate"]) == (1, 1, 0.5)
    assert term["schools_taking_part"] == 1  # the host; bob's school's only booking: a no-show
    assert term["mean_ratings"] == {f"on_the_day.{k}": float(v) for k, v in sorted(ratings.items())}

    # The same as CSV, as a spreadsheet reads it.
    sheet = await reporting.http.get(f"{path}.csv", headers=lead)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert sheet.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    [row] = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert row["term"] == term["term"]
    assert (row["staff_reached"], row["cpd_hours"], row["attendance_rate"]) == ("1", "1.5", "0.5")
    assert row["category: teacher_development"] == "1" and row["category: stem"] == "0"
    assert row["mean rating: on_the_day.overall"] == "4.0"

    # And as a chart whose words and bars say the same.
    chart = await reporting.http.get(f"/partnerships/{p.id}/charts/reach.svg", headers=lead)
    assert chart.headers["content-type"].startswith("image/svg+xml")
    svg = ElementTree.fromstring(chart.content)
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text and "Reach by term" in title.text
    assert desc is not None and f"{term['term']}: Staff reached 1, Pupils reached 0" in str(
        desc.text
    )
    texts = {t.text for t in svg.iter(f"{SVG}text") if t.text}
    assert term["term"] in texts  # the axis label is text, not a path
    assert not list(svg.iter(f"{SVG}script"))

    # The other charts say their figures in words too.
    said = {}
    for name in ("attendance", "categories", "support"):
        drawn = await reporting.http.get(f"/partnerships/{p.id}/charts/{name}.svg", headers=lead)
        assert drawn.status_code == 200 and drawn.headers["content-type"].startswith(SVG_TYPE)
        root = ElementTree.fromstring(drawn.content)
        assert root.get("role") == "img" and not list(root.iter(f"{SVG}script"))
        said[name] = str(root.findtext(f"{SVG}desc"))
    assert f"{term['term']}: Attendance 50" in said["attendance"]
    assert "Teacher development: Activities 1" in said["categories"]
    assert f"{term['term']}: Support asked for 0" in said["support"]
    unknown = await reporting.http.get(f"/partnerships/{p.id}/charts/pie.svg", headers=lead)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["path", "chart"]

    # Every table opens in a spreadsheet: the members, and one school's part.
    members = await reporting.http.get(f"/partnerships/{p.id}/composition.csv", headers=lead)
    assert members.status_code == 200 and members.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(members.content.decode("utf-8-sig"))))
    assert sorted(r["urn"] for r in rows) == sorted([ann_urn, bob_urn, quiet_urn])
    assert {r["status"] for r in rows} == {"active"}
    own_sheet = await reporting.http.get(f"/schools/{ann_urn}/participation.csv", headers=lead)
    [own_row] = list(csv.DictReader(io.StringIO(own_sheet.content.decode("utf-8-sig"))))
    assert (own_row["key"], own_row["hosted"], own_row["attended"]) == (term["key"], "1", "1")

    # Another partnership's coordinator, and a school not in it, are told there is none.
    other = reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=["elsewhere"])
    for outsider in (other, reporting.as_(Role.SCHOOL_LEAD, schools=["999999"])):
        for suffix in ("", ".csv"):
            assert (
                await reporting.http.get(f"{path}{suffix}", headers=outsider)
            ).status_code == 404

    # The term report, one page a board can read.
    report = await reporting.http.get(
        f"/partnerships/{p.id}/report.pdf", params={"term": term["key"]}, headers=lead
    )
    assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(report.content)).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert f"Term report: {term['term']}" in text
    assert "Staff reached" in text and "CPD hours" in text and "50%" in text
    assert "Teacher development: 1" in text
    for bad in ("2026-winter", "autumn", "26-autumn", "0000-autumn", "٢٠٢٦-autumn"):
        refused = await reporting.http.get(
            f"/partnerships/{p.id}/report.pdf", params={"term": bad}, headers=lead
        )
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["loc"] == ["query", "term"]

    # The schools that took no part are there for the coordinator to follow up; not for a lead.
    coordinates = reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    quiet = ok(
        await reporting.http.get(
            f"/partnerships/{p.id}/under-engaged",
            params={"term": term["key"]},
            headers=coordinates,
        )
    )
    assert quiet["member_schools"] == 3
    # bob's school only had a no-show; the third school had nothing
    assert sorted(s["urn"] for s in quiet["schools"]) == sorted([bob_urn, quiet_urn])
    follow_up = await reporting.http.get(
        f"/partnerships/{p.id}/under-engaged.csv",
        params={"term": term["key"]},
        headers=coordinates,
    )
    listed = list(csv.DictReader(io.StringIO(follow_up.content.decode("utf-8-sig"))))
    assert sorted(r["urn"] for r in listed) == sorted([bob_urn, quiet_urn])
    assert (
        await reporting.http.get(f"/partnerships/{p.id}/under-engaged", headers=lead)
    ).status_code == 403

    # One school's part: it hosted the TeachMeet and had a place on it, which was attended.
    own = ok(await reporting.http.get(f"/schools/{ann_urn}/participation", headers=lead))
    assert own["partnerships"] == [p.id]
    [school_term] = own["terms"]
    assert (school_term["took_part_in"], school_term["hosted"]) == (1, 1)
    assert (school_term["staff_places"], school_term["attended"]) == (1, 1)
    elsewhere = reporting.as_(Role.SCHOOL_LEAD, schools=[bob_urn])
    assert (
        await reporting.http.get(f"/schools/{ann_urn}/participation", headers=elsewhere)
    ).status_code == 404
    malformed = await reporting.http.get("/schools/not-a-urn/participation", headers=lead)
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["loc"] == ["path", "urn"]

    # A saved report: the lead's own, run again whenever she likes, over the period she chose.
    definition = {
        "name": "Our partnership this year",
        "kind": "partnership_participation",
        "partnership_id": p.id,
        "term_from": term["key"],
        "term_to": term["key"],
    }
    saved = ok(await reporting.http.post("/saved-reports", json=definition, headers=lead), 201)
    assert ok(await reporting.http.get("/saved-reports", headers=lead))[0]["id"] == saved["id"]
    ran = ok(await reporting.http.get(f"/saved-reports/{saved['id']}/run", headers=lead))
    assert [t["key"] for t in ran["terms"]] == [term["key"]]
    before_it = Term.of(starts).previous().key
    narrowed = ok(
        await reporting.http.get(
            f"/partnerships/{p.id}/participation",
            params={"term_from": before_it, "term_to": before_it},
            headers=lead,
        )
    )
    assert narrowed["terms"] == []
    someone_else = reporting.as_(Role.SCHOOL_LEAD, schools=[bob_urn], subject="another-lead")
    for method in ("GET", "DELETE"):
        found = await reporting.http.request(
            method, f"/saved-reports/{saved['id']}", headers=someone_else
        )
        assert found.status_code == 404, method
    foreign = {**definition, "partnership_id": "elsewhere0001"}
    assert (
        await reporting.http.post("/saved-reports", json=foreign, headers=lead)
    ).status_code == 404
    for wrong, field in (
        ({**definition, "partnership_id": None}, "body"),
        ({**definition, "term_from": "2027-summer", "term_to": "2026-autumn"}, "body"),
        ({**definition, "term_to": "next year"}, "body.term_to"),
        ({**definition, "kind": "everything"}, "body.kind"),
        ({**definition, "year": 2026}, "body"),
    ):
        refused = await reporting.http.post("/saved-reports", json=wrong, headers=lead)
        assert refused.status_code == 422, wrong
        assert ".".join(map(str, refused.json()["errors"][0]["loc"])) == field, refused.text
    deleted = await reporting.http.delete(f"/saved-reports/{saved['id']}", headers=lead)
    assert deleted.status_code == 204
    assert ok(await reporting.http.get("/saved-reports", headers=lead)) == []

    # The county roll-up is for county officers.
    county = await reporting.http.get("/county/participation", headers=reporting.officer)
    assert any(t["term"] == term["term"] and t["staff_reached"] >= 1 for t in ok(county)["terms"])
    assert (await reporting.http.get("/county/participation", headers=lead)).status_code == 403
    for table, first in (("local_authorities", "la_code"), ("categories", "category")):
        sheet = await reporting.http.get(
            "/county/headline.csv",
            params={"year": term["year"], "table": table},
            headers=reporting.officer,
        )
        assert sheet.status_code == 200, sheet.text
        assert sheet.content.decode("utf-8-sig").split(",")[0] == first

    # A rebuild from the log, while the service answers, gives the same records and figures.
    activity_ids = [activity["id"]]
    of_this = {
        records.ACTIVITIES: {"partnership_id": p.id},
        records.BOOKINGS: {"activity_id": {"$in": activity_ids}},
        records.EVALUATIONS: {"activity_id": {"$in": activity_ids}},
    }
    served = await live(reporting.settings)
    held = await documents(reporting.settings, served, of_this)
    assert [len(held[name]) for name in of_this] == [1, 2, 1]
    figures = ok(await reporting.http.get(path, headers=lead))
    rebuild = Rebuild(reporting.settings)
    try:
        rebuilt, answers = await answers_while(rebuild.run(), reporting, path, lead)
    finally:
        await rebuild.close()
    assert rebuilt.dropped and await live(reporting.settings) == rebuilt.generation != served
    assert answers and all(a.status_code == 200 and a.json() == figures for a in answers)
    assert await documents(reporting.settings, rebuilt.generation, of_this) == held
    assert ok(await reporting.http.get(path, headers=lead)) == figures
