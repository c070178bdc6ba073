"""The demo's mail and figures, as `./dev up` leaves them: membership, events, notifications (with
the default reminder lead times) and reporting on the real broker, the demo loaded through their
public APIs, the messages read back from the real SMTP server with the `email` and `icalendar`
packages, and the partnerships' participation read from reporting.

The broker is shared by the whole test session, so other tests' demo runs (the same people,
under other ids) are on it too: only mail to this run's person ids counts."""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx
import icalendar
import pytest
from conftest import SmtpServer
from reporting.conftest import Reporting

from devstack import demo
from devstack.demo_data import EAST_KENT_PARTNERSHIP, SUFFOLK_PARTNERSHIP
from devstack.demo_programme import load_programme
from devstack.demo_programme_data import (
    CLUSTER_MEETING,
    CLUSTER_MEETING_APPROVER,
    CLUSTER_MEETING_BOOKS,
    EAST_KENT_ACTIVITIES,
    KENT_OFFICER,
    SUFFOLK_OFFICER,
    TEACHMEET,
    TEACHMEET_CANCELS,
    TEACHMEET_CHECKS_IN,
)
from eventkit.auth import Role
from services.reporting.domain.participation import Term
from support.events import Events
from support.issuer import signing_key
from support.membership import Membership
from support.notifications import caught_up_notifications
from support.polling import eventually

pytestmark = pytest.mark.integration

EXPECTED = {
    TEACHMEET_CHECKS_IN.email: ["booking_registered"],
    TEACHMEET_CANCELS.email: ["booking_registered", "booking_cancelled"],
    CLUSTER_MEETING_BOOKS.email: [
        "booking_waitlisted",  # the TeachMeet, full
        "waitlist_offer",
        "booking_registered",
        "booking_awaiting_approval",  # the cluster meeting
        "booking_registered",
    ],
    CLUSTER_MEETING_APPROVER.email: ["approval_requested"],
    KENT_OFFICER.email: ["case_study_submitted"],
    SUFFOLK_OFFICER.email: [],  # East Kent's case study is not for Suffolk's officer
}


def rule_and_person(message: EmailMessage) -> tuple[str, str]:
    """From the mail's permanent key; ("", "") for other tests' mail, which has none."""
    rule, _, rest = str(message["X-Partnerships-Mail"] or "").strip().partition(":")
    return rule, rest.partition(":")[0]


def invitation(message: EmailMessage) -> Any:
    [attachment] = [
        a for a in message.iter_attachments() if a.get_content_type() == "text/calendar"
    ]
    return icalendar.Calendar.from_ical(attachment.get_content())


async def test_the_demos_bookings_waitlist_offer_cancellation_and_approval_are_mailed_and_a_reminder_waits(
    membership: Membership,
    events: Events,
    reporting: Reporting,
    smtp_server: SmtpServer,
    kafka_bootstrap: str,
    mongodb_uri: str,
    unique_name: str,
) -> None:
    smtp = (smtp_server.host, smtp_server.port)
    async with caught_up_notifications(
        membership, kafka_bootstrap, mongodb_uri, unique_name, smtp
    ) as notifications:
        key = signing_key()
        partnerships = await demo.load_demo(membership.url, key)
        summary = await load_programme(membership.url, events.url, key, partnerships)
        loader = demo.Loader(membership.http, signing_key())
        await loader.read_existing()
        ids = {email: loader.people[email]["id"] for email in EXPECTED}
        emails = {person_id: email for email, person_id in ids.items()}

        def ours() -> dict[str, list[EmailMessage]]:
            by_email: dict[str, list[EmailMessage]] = defaultdict(list)
            for message in smtp_server.messages:
                _, person_id = rule_and_person(message)
                if person_id in emails:
                    by_email[emails[person_id]].append(message)
            return by_email

        def rules(by_email: dict[str, list[EmailMessage]]) -> dict[str, list[str]]:
            return {e: sorted(rule_and_person(m)[0] for m in by_email[e]) for e in EXPECTED}

        expected = {email: sorted(wanted) for email, wanted in EXPECTED.items()}

        async def all_arrived() -> bool:
            return rules(ours()) == expected

        try:
            await eventually(all_arrived, 30)
        except AssertionError:
            assert rules(ours()) == expected  # shows what came instead
        mail = ours()

        for email, messages in mail.items():
            assert all(str(m["X-RcptTo"]) == email for m in messages)
            for message in messages:
                text = message.get_body(("plain",))
                assert text is not None and message.get_body(("html",)) is not None

        def only(email: str, rule: str, title: str) -> EmailMessage:
            [found] = [
                m
                for m in mail[email]
                if rule_and_person(m)[0] == rule and title in str(m.get_body(("plain",)))
            ]
            return found

        # Tom's place: a calendar invitation, then its cancellation with a higher SEQUENCE.
        [request] = invitation(
            only(TEACHMEET_CANCELS.email, "booking_registered", TEACHMEET.title)
        ).walk("VEVENT")
        cancel_calendar = invitation(
            only(TEACHMEET_CANCELS.email, "booking_cancelled", TEACHMEET.title)
        )
        assert str(cancel_calendar["METHOD"]) == "CANCEL"
        [cancel] = cancel_calendar.walk("VEVENT")
        assert str(cancel["UID"]) == str(request["UID"])
        assert int(cancel["SEQUENCE"]) > int(request["SEQUENCE"])

        # Hannah was offered the place he gave up, with its expiry, and took it.
        offer = only(CLUSTER_MEETING_BOOKS.email, "waitlist_offer", TEACHMEET.title)
        assert "List-Unsubscribe" not in offer  # critical: it cannot be turned off
        offer_text = str(offer.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        assert "until" in offer_text or "expires" in offer_text

        # The cluster meeting waited for Grace, who was asked, and approved it.
        asked = only(CLUSTER_MEETING_APPROVER.email, "approval_requested", CLUSTER_MEETING.title)
        assert CLUSTER_MEETING_BOOKS.name in str(asked.get_body(("plain",)))
        approved = only(CLUSTER_MEETING_BOOKS.email, "booking_registered", CLUSTER_MEETING.title)
        assert str(invitation(approved)["METHOD"]) == "REQUEST"

        # Kent's county officer was asked to quality-assure the case study.
        review = only(KENT_OFFICER.email, "case_study_submitted", "debating")
        assert review["Subject"].startswith("Case study to review: ")

        # Its reminder a day before waits in her delivery log for the time the demo printed.
        log = await notifications.http.get(
            f"/people/{ids[CLUSTER_MEETING_BOOKS.email]}/mail", headers=notifications.officer
        )
        assert log.status_code == 200, log.text
        [reminder] = [m for m in log.json() if m["rule"] == "reminder"]
        assert reminder["state"] in ("queued", "deferred")
        [meeting] = [a for a in summary.activities if a.title == CLUSTER_MEETING.title]
        assert reminder["activity_id"] == meeting.id
        assert reminder["send_at"].replace("Z", "+00:00") == summary.reminder_due.isoformat()

        # On the wire the link is one URI in angle brackets (RFC 2369), not folded into encoded
        # words a mail program would not follow.
        [wire] = [v for k, v in approved.raw_items() if k == "List-Unsubscribe"]
        assert wire.startswith("<http") and "=?" not in wire and "\n" not in wire, wire

        # The unsubscribe link in her mail works without signing in, in one click (on this
        # test's port: the link names the service's public address).
        link = urlsplit(approved["List-Unsubscribe"].strip("<>"))
        async with httpx.AsyncClient(base_url=notifications.url) as anyone:
            clicked = await anyone.post(
                f"{link.path}?{link.query}", content="List-Unsubscribe=One-Click"
            )
        assert clicked.status_code == 200, clicked.text
        preferences = await notifications.http.get(
            f"/people/{ids[CLUSTER_MEETING_BOOKS.email]}/preferences", headers=notifications.officer
        )
        assert preferences.json()["muted"] == ["bookings"]

        # Reporting counts the demo's term: East Kent's activities and its published case study,
        # Suffolk's support request agreed.
        east_kent, suffolk = (
            {o.name: o.id for o in partnerships.partnerships}[seed.name]
            for seed in (EAST_KENT_PARTNERSHIP, SUFFOLK_PARTNERSHIP)
        )

        def counted(field: str) -> Callable[[httpx.Response], bool]:
            def done(response: httpx.Response) -> bool:
                terms = response.json().get("terms", []) if response.status_code == 200 else []
                return sum(t[field] for t in terms) >= 1

            return done

        kent = await reporting.eventually(
            f"/partnerships/{east_kent}/participation",
            reporting.officer,
            counted("case_studies_published"),
        )
        terms = kent.json()["terms"]
        assert sum(t["case_studies_published"] for t in terms) == 1
        assert sum(t["activities"] for t in terms) == len(EAST_KENT_ACTIVITIES)
        assert sum(t["staff_reached"] for t in terms) == 1  # Priya, checked in
        support = await reporting.eventually(
            f"/partnerships/{suffolk}/participation", reporting.officer, counted("support_agreed")
        )
        assert sum(t["support_requested"] for t in support.json()["terms"]) == 1
        assert sum(t["support_agreed"] for t in support.json()["terms"]) == 1

        # Kent's county officer sees the headline for Kent's schools only (the shared broker
        # holds other tests' demo runs too: the same schools, so only Kent's figures are sure).
        ruth = ids[KENT_OFFICER.email]
        kent_officer = reporting.as_(Role.COUNTY_OFFICER, person_id=ruth)
        [session] = [a for a in summary.activities if a.title == CLUSTER_MEETING.title]
        year = Term.of(datetime.fromisoformat(session.starts_at)).year
        shown = await reporting.eventually(
            f"/county/headline?year={year}",
            kent_officer,
            lambda r: r.status_code == 200 and r.json()["staff_reached"] >= 1,
        )
        top = shown.json()
        assert top["local_authorities"] == ["886"], top
        assert {a["la_code"] for a in top["by_local_authority"]} == {"886"}
        assert top["state_schools_benefited"] >= 1 and top["staff_reached"] >= 1
        assert top["independent_state_partnerships"] >= 1  # East Kent: state and independent

        # Each officer's county participation is of the partnerships in their authorities.
        daniel = reporting.as_(Role.COUNTY_OFFICER, person_id=ids[SUFFOLK_OFFICER.email])
        for officer, own, other in (
            (kent_officer, east_kent, suffolk),
            (daniel, suffolk, east_kent),
        ):
            theirs = await reporting.http.get("/county/participation", headers=officer)
            assert theirs.status_code == 200, theirs.text
            assert own in theirs.json()["partnership_ids"], theirs.json()
            assert other not in theirs.json()["partnership_ids"]

        # A county officer sees the partnerships of their county, and no other.
        for route in ("participation", "composition", "charts/reach.svg"):
            outside = await reporting.http.get(
                f"/partnerships/{suffolk}/{route}", headers=kent_officer
            )
            assert outside.status_code == 404, route
            inside = await reporting.http.get(
                f"/partnerships/{east_kent}/{route}", headers=kent_officer
            )
            assert inside.status_code == 200, route
        listed = await reporting.http.get("/partnerships", headers=kent_officer)
        assert east_kent in {p["partnership_id"] for p in listed.json()}
        assert suffolk not in {p["partnership_id"] for p in listed.json()}

        # The deployment serves Kent and Suffolk (and whatever other tests made): each county
        # rolls up on its own, and the national view adds them up, each school once.
        national = await reporting.http.get(
            f"/counties/headline?year={year}", headers=reporting.officer
        )
        assert national.status_code == 200, national.text
        counties = {tuple(c["local_authorities"]): c for c in national.json()["counties"]}
        assert counties[("886",)] == top and ("935",) in counties
        whole = national.json()["national"]
        assert whole["local_authorities"] is None
        assert whole["staff_reached"] >= top["staff_reached"]
        own_only = await reporting.http.get(f"/counties/headline?year={year}", headers=kent_officer)
        assert own_only.json()["counties"] == [top] and own_only.json()["national"] is None
