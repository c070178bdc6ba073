"""Interest alerts for new activities, and announcements to chosen audiences: against fakes."""

from datetime import timedelta

import pytest
from unit.fakes import coordinator, officer, teacher
from unit.notifications_fakes import NOW, P1, P2, A, B, NotificationsFakeUnitOfWork, world

from contracts import activities as ev
from contracts import case_studies as cs
from contracts import reporting as rp
from contracts import support as sp
from contracts.activities import Session
from contracts.membership import HeldRole
from contracts.vocabulary import (
    ActivityCategory,
    ActivityFormat,
    ActivityStatus,
    BookingStatus,
    Phase,
    StaffRole,
)
from eventkit.errors import Forbidden, Invalid, NotFound
from services.notifications.domain.bookings import BookingCopy
from services.notifications.domain.mail import MailState
from services.notifications.domain.preferences import Interests, Preferences
from services.notifications.service_layer.announcements import Audience, announce
from services.notifications.service_layer.rules import Rules

RULES = Rules(lambda _format: [])
STARTS = NOW + timedelta(days=20)


def published(**changes: object) -> ev.ActivityPublished:
    fields: dict[str, object] = {
        "activity_id": "act9",
        "title": "Phonics network",
        "category": ActivityCategory.ACADEMIC,
        "format": ActivityFormat.CLUSTER_MEETING,
        "partnership_id": P1,
        "sessions": [Session(starts_at=STARTS, ends_at=STARTS + timedelta(hours=1))],
        "audience": ev.Audience(phases=[Phase.PRIMARY]),
        "capacity": 30,
        "status": ActivityStatus.PUBLISHED,
        "sequence": 1,
        **changes,
    }
    return ev.ActivityPublished.model_validate(fields)


@pytest.fixture
async def uow() -> NotificationsFakeUnitOfWork:
    """School A is a member of P1, B of P2. ann (A) follows academic work for primary, cat (B)
    academic work of any phase, bob (A) sport."""
    uow = await world()
    async with uow:
        await uow.recipients.set_membership(P1, A, True)
        await uow.recipients.set_membership(P2, B, True)
        follows = {
            "ann": Interests(categories=[ActivityCategory.ACADEMIC], phases=[Phase.PRIMARY]),
            "cat": Interests(categories=[ActivityCategory.ACADEMIC]),
            "bob": Interests(categories=[ActivityCategory.SPORT]),
        }
        for person, interests in follows.items():
            await uow.preferences.save(Preferences(person_id=person, interests=interests))
        await uow.commit()
    return uow


async def publish(uow: NotificationsFakeUnitOfWork, event: ev.ActivityPublished) -> None:
    async with uow:
        await RULES.activity_published(uow, event, NOW)
        await uow.commit()


async def test_those_who_follow_a_category_hear_of_a_new_activity_open_to_them_once(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await publish(uow, published())
    await publish(uow, published(title="Phonics network (new room)"))  # published again
    assert [m.person_id for m in uow.mails(rule="activity_alert")] == ["ann"]  # cat's B: not in P1

    await publish(uow, published(activity_id="act10", open_to=[P2]))
    assert sorted(m.person_id for m in uow.mails(rule="activity_alert")) == ["ann", "ann", "cat"]


async def test_no_alert_for_another_phase_for_pupils_only_or_for_what_has_begun(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await publish(uow, published(audience=ev.Audience(phases=[Phase.SECONDARY]), county_wide=True))
    assert [m.person_id for m in uow.mails(rule="activity_alert")] == ["cat"]  # any phase
    await publish(uow, published(activity_id="p", audience=ev.Audience(staff=False, pupils=True)))
    past = NOW - timedelta(days=1)
    began = [Session(starts_at=past, ends_at=past + timedelta(hours=1))]
    await publish(uow, published(activity_id="old", sessions=began))
    assert len(uow.mails(rule="activity_alert")) == 1


async def announced(
    uow: NotificationsFakeUnitOfWork, principal: object, audience: Audience, **where: str
) -> list[str]:
    _, count = await announce(
        uow,
        principal,
        audience=audience,
        subject="Spring",
        body="Dates.",
        now=NOW,
        **where,  # type: ignore[arg-type]
    )
    people = sorted(m.person_id for m in uow.mails(rule="announcement"))
    assert count == len(people)
    return people


async def test_a_coordinator_writes_to_the_heads_of_every_member_school(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    coco = coordinator(person_id="coco")  # named coordinator of P1 by membership, not the token
    assert await announced(uow, coco, Audience.HEADS, partnership_id=P1) == ["hana", "sian"]


async def test_the_cpd_leads_and_everyone_booked_on_an_activity(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    assert await announced(uow, coordinator(P1), Audience.CPD_LEADS, partnership_id=P1) == ["vic"]


async def test_everyone_booked_on_an_activity_of_the_partnership(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await publish(uow, published())
    async with uow:
        for booking_id, person, status in (
            ("b1", "ann", BookingStatus.REGISTERED),
            ("b2", "bob", BookingStatus.CANCELLED),
        ):
            await uow.bookings.put_booking(
                BookingCopy(
                    id=booking_id, activity_id="act9", urn=A, person_id=person, status=status
                )
            )
        await uow.commit()
    where = {"partnership_id": P1, "activity_id": "act9"}
    assert await announced(uow, coordinator(P1), Audience.BOOKED, **where) == ["ann"]
    with pytest.raises(NotFound):  # not an activity of P2
        await announced(
            uow, coordinator(P2), Audience.BOOKED, partnership_id=P2, activity_id="act9"
        )


async def test_only_officers_write_to_every_coordinator_and_others_see_no_partnership(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    assert await announced(uow, officer(), Audience.COORDINATORS) == ["coco", "cody"]  # not olga
    with pytest.raises(Forbidden):
        await announce(
            uow, coordinator(P1), audience=Audience.COORDINATORS, subject="s", body="b", now=NOW
        )
    for outsider in (teacher(A, person_id="ann"), coordinator(P2), coordinator(person_id="cody")):
        with pytest.raises(NotFound):
            await announce(
                uow,
                outsider,
                audience=Audience.HEADS,
                subject="s",
                body="b",
                now=NOW,
                partnership_id=P1,
            )
    with pytest.raises(Invalid):
        await announce(uow, officer(), audience=Audience.HEADS, subject="s", body="b", now=NOW)


async def test_case_study_authors_hear_of_each_return_and_of_publication_once(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    about = {
        "case_study_id": "cs1",
        "partnership_id": P1,
        "title": "Debating",
        "authors": ["ann", "bob"],
    }
    returned = cs.CaseStudyReturned(**about, note="Say how you measured it.")
    async with uow:
        await RULES.case_study_returned(uow, returned, NOW)
        await RULES.case_study_returned(uow, returned, NOW)  # redelivered: once
        await RULES.case_study_returned(uow, returned.model_copy(update={"note": "Shorter."}), NOW)
        await RULES.case_study_published(
            uow, cs.CaseStudyPublished(**about, summary="s", impact="i"), NOW
        )
        await uow.commit()
    assert sorted(m.person_id for m in uow.mails(rule="case_study_returned")) == [
        "ann",
        "ann",
        "bob",
        "bob",
    ]
    assert sorted(m.person_id for m in uow.mails(rule="case_study_published")) == ["ann", "bob"]


async def officers(uow: NotificationsFakeUnitOfWork) -> None:
    async with uow:
        for person, areas, ends in (
            ("kit", ["886", "887"], None),  # Kent and Medway
            ("sue", ["935"], None),  # Suffolk
            ("med", ["887"], None),  # Medway alone: a county of its own
            ("ken", ["886"], NOW.date() - timedelta(days=1)),  # no longer a county officer
        ):
            await uow.recipients.describe(person, name=person.title(), email=f"{person}@c.example")
            await uow.recipients.put_role(
                person,
                HeldRole(
                    role_id=f"{person}-officer",
                    role=StaffRole.COUNTY_OFFICER,
                    local_authorities=areas,
                    starts_on=NOW.date() - timedelta(days=400),
                    ends_on=ends,
                ),
            )
        await uow.commit()


async def test_a_submitted_case_study_goes_to_the_county_officers_over_its_schools_once_per_submission(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    async with uow:
        await uow.recipients.set_school_area(A, "886")  # Kent
        await uow.recipients.set_school_area(B, "935")  # Suffolk: not P1's
        await uow.commit()
    await officers(uow)
    about = {"case_study_id": "cs1", "partnership_id": P1, "title": "Debating", "authors": ["ann"]}
    first = cs.CaseStudySubmitted(**about, summary="Pupils lead pupils.", submitted_at=NOW)
    again = first.model_copy(update={"submitted_at": NOW + timedelta(days=3)})  # after a return
    async with uow:
        for event in (first, first, again):  # the first delivered twice
            await RULES.case_study_submitted(uow, event, NOW)
        await uow.commit()
    mails = uow.mails(rule="case_study_submitted")
    assert [m.person_id for m in mails] == ["kit", "kit"]
    assert {m.facts["title"] for m in mails} == {"Debating"}
    assert len({m.id for m in mails}) == 2


async def test_the_monthly_county_report_goes_to_the_officers_of_its_county_once(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await officers(uow)
    report = rp.CountyReportReady(
        report_id="2026-11:886,887",
        month="2026-11",
        local_authorities=["886", "887"],
        partnerships=2,
        activities=5,
        schools_taking_part=7,
        staff_reached=31,
        pupils_reached=120,
        cpd_hours=46.5,
        case_studies_published=1,
        support_agreed=0,
        report_path="/county/report.pdf?term=2026-autumn",
    )
    rules = Rules(lambda _format: [], reporting_url="https://reports.example/")
    async with uow:
        for _ in range(2):  # delivered twice
            await rules.county_report_ready(uow, report, NOW)
        await uow.commit()
    [mail] = uow.mails(rule="county_report")
    assert mail.person_id == "kit" and mail.category == "reports"
    assert mail.facts["month_name"] == "November 2026"
    assert mail.facts["local_authorities"] == "886, 887"
    assert mail.facts["report_url"] == "https://reports.example/county/report.pdf?term=2026-autumn"
    assert (mail.facts["staff_reached"], mail.facts["cpd_hours"]) == (31, 46.5)


async def test_both_schools_heads_hear_of_a_support_match_and_its_agreement(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    ids = {"engagement_id": "e1", "partnership_id": P1, "requesting_urn": A, "supporting_urn": B}
    agreed = sp.SupportAgreed(
        **ids, objectives=["Maths"], starts_on=NOW.date(), ends_on=NOW.date(), visits_planned=3
    )
    async with uow:
        await RULES.support_changed(uow, sp.SupportMatched(**ids), NOW)
        await RULES.support_changed(uow, agreed, NOW)
        await uow.commit()
    told = {"hana", "sian", "hugo"}  # A's head and senior leader, B's head
    assert {m.person_id for m in uow.mails(rule="support_matched")} == told
    assert {m.person_id for m in uow.mails(rule="support_agreed")} == told


async def test_those_who_attended_are_asked_how_it_went_when_it_ends_and_about_impact_weeks_later_once(
    uow: NotificationsFakeUnitOfWork,
) -> None:
    await publish(uow, published())
    async with uow:
        booking = BookingCopy(
            id="b1", activity_id="act9", urn=A, person_id="ann", status=BookingStatus.REGISTERED
        )
        await uow.bookings.put_booking(booking)
        await uow.commit()
    attended = ev.BookingStatusChanged(
        activity_id="act9",
        booking_id="b1",
        urn=A,
        person_id="ann",
        previous=BookingStatus.REGISTERED,
        status=BookingStatus.ATTENDED,
    )
    for _ in range(2):  # delivered twice: asked once
        async with uow:
            await RULES.booking_changed(uow, attended, NOW)
            await uow.commit()
    [after] = uow.mails(rule="evaluation_request")
    [later] = uow.mails(rule="impact_evaluation")
    assert after.send_at == STARTS + timedelta(hours=1)  # once it ended, not at the door
    assert later.send_at == STARTS + timedelta(hours=1) + timedelta(weeks=6)  # after it ended

    # The register was wrong: she did not come after all. Nobody asks her how it went.
    corrected = attended.model_copy(
        update={"previous": BookingStatus.ATTENDED, "status": BookingStatus.NO_SHOW}
    )
    async with uow:
        await RULES.booking_changed(uow, corrected, NOW)
        await uow.commit()
    for rule in ("evaluation_request", "impact_evaluation"):
        [mail] = uow.mails(rule=rule)
        assert mail.state == MailState.CANCELLED, rule
