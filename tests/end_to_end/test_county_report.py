"""The monthly county report, end to end: reporting makes a county's report for the month
just ended (once, however often it is asked), its relay publishes it on the reporting topic, and
notifications emails it to the county's officer, with a link to the term report that opens."""

import secrets
from datetime import UTC, datetime

import pytest
from conftest import SmtpServer
from reporting.conftest import Reporting
from reporting.rebuilds import live

from eventkit import mongo
from eventkit.auth import Role
from services.reporting.domain.monthly import month_before
from services.reporting.service_layer.county_reports import make_report
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork
from support.membership import Membership
from support.notifications import running_notifications, wait_until_known
from support.polling import eventually

pytestmark = pytest.mark.integration


async def test_a_countys_report_for_the_month_is_mailed_to_its_officer_once(
    membership: Membership,
    reporting: Reporting,
    smtp_server: SmtpServer,
    kafka_bootstrap: str,
    mongodb_uri: str,
    unique_name: str,
) -> None:
    # A local authority code no real one has (they run from 201), so no other test's officer
    # covers it.
    area = str(100 + secrets.randbelow(100))
    http, officer = membership.http, membership.officer
    urn = str(700000 + secrets.randbelow(99999))
    school = {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": "state"}
    assert (
        await http.post("/schools", json={**school, "la_code": area}, headers=officer)
    ).is_success
    pid = (
        await http.post(
            "/partnerships", json={"name": f"Cluster {area}", "kind": "cluster"}, headers=officer
        )
    ).json()["id"]
    assert (
        await http.post(f"/partnerships/{pid}/members", json={"urn": urn}, headers=officer)
    ).is_success
    email = f"officer.{unique_name}@county.example"
    person = {
        "name": "Olu Officer",
        "email": email,
        "role": {"role": "county_officer", "local_authorities": [area], "starts_on": "2020-01-01"},
    }
    added = await http.post("/people", json=person, headers=officer)
    assert added.status_code == 201, added.text
    officer_id = added.json()["id"]

    async with running_notifications(
        kafka_bootstrap,
        mongodb_uri,
        f"notifications_{unique_name}",
        consumer_group_suffix=unique_name,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        reporting_url=str(reporting.http.base_url),
    ) as notifications:
        await wait_until_known(notifications, [officer_id])
        as_officer = reporting.as_(Role.COUNTY_OFFICER, person_id=officer_id)

        async def county_known() -> bool:
            found = await reporting.http.get("/county/participation", headers=as_officer)
            return found.status_code == 200 and found.json()["partnership_ids"] == [pid]

        await eventually(county_known, what="reporting knowing the county's partnership")

        # What the monthly sweep does for each county, here for this one only.
        month = month_before(datetime.now(UTC))
        client = mongo.connect(reporting.settings)
        try:
            db = mongo.database(client, reporting.settings)
            generation = await live(reporting.settings)

            def uow() -> ReportingUnitOfWork:
                return ReportingUnitOfWork(client, db, source="test", generation=generation)

            made = await make_report(uow(), {area}, month)
            assert made == f"{month}:{area}"
            assert await make_report(uow(), {area}, month) is None  # once per county and month
        finally:
            await client.close()

        [message] = await smtp_server.wait_for(1, to=email, seconds=30)
        assert str(message["X-Partnerships-Mail"]).startswith(f"county_report:{officer_id}:")
        assert str(message["Subject"]).startswith("County report for ")
        assert f"({area})" in str(message["Subject"])
        text = str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        assert "the 1 partnership of local authorities " + area in text
        assert "for 0 hours of professional development" in text
        link = next(word for word in text.split() if "/county/report.pdf?term=" in word)
        report = await reporting.http.get(
            link.removeprefix(str(reporting.http.base_url)), headers=as_officer
        )
        assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
        assert len(smtp_server.messages_to(email)) == 1
