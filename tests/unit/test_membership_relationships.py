"""Relationships between schools: what each kind's parties may be, the dates, ending once; and
the handlers, who may record and end them, over fakes of the repositories."""

from datetime import date

import pytest
from pydantic import ValidationError
from unit.fakes import FakeUnitOfWork, officer, school_lead

from contracts import membership as events
from contracts.vocabulary import Phase, RelationshipKind, Sector, SupportArea
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.membership.domain.relationship import RelationshipDetails, SchoolRelationship
from services.membership.domain.school import SchoolDetails
from services.membership.service_layer import relationships as handlers
from services.membership.service_layer.schools import register_school

SPONSOR, SPONSORED = {"school_urn": "990301"}, {"school_urn": "990302"}
TRUST = {"trust_uid": "16724", "trust_name": "New Hall Multi Academy Trust"}


def details(**changes: object) -> RelationshipDetails:
    body: dict[str, object] = {
        "kind": "sponsorship",
        "first": SPONSOR,
        "second": SPONSORED,
        "starts_on": "2013-09-01",
        **changes,
    }
    return RelationshipDetails.model_validate(body)


def test_a_sponsorship_starts_with_its_event_and_ends_once_after_its_start() -> None:
    made = SchoolRelationship.start(details(support=["sport", "academic", "sport"]))
    [started] = made.collect_events()
    assert isinstance(started, events.SchoolRelationshipStarted)
    assert (started.relationship_id, started.kind) == (made.id, RelationshipKind.SPONSORSHIP)
    assert started.support == [SupportArea.ACADEMIC, SupportArea.SPORT]
    assert made.current(date(2020, 1, 1)) and not made.current(date(2013, 8, 31))
    with pytest.raises(Invalid, match="started on"):
        made.end(date(2013, 8, 31))
    made.end(date(2026, 8, 31))
    assert [type(e) for e in made.collect_events()] == [events.SchoolRelationshipEnded]
    assert not made.current(date(2026, 8, 31))
    with pytest.raises(Conflict):
        made.end(date(2026, 9, 1))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"kind": "academy_trust_membership"}, "the first party is a trust"),
        ({"kind": "academy_trust_membership", "first": TRUST, "second": TRUST}, "is a school"),
        ({"kind": "teaching_school_alliance", "second": TRUST}, "is a school"),
        ({"first": TRUST}, "the first party is a school"),
        ({"second": SPONSOR}, "itself"),
        ({"ends_on": "2013-08-31"}, "ends on or after"),
        ({"first": {}}, "not both"),
        ({"first": {"trust_uid": "1"}}, "trust_name"),
        ({"first": {**SPONSOR, "trust_name": "x y"}}, "for a trust"),
    ],
)
def test_each_kind_takes_its_own_parties_and_dates_run_forwards(
    changes: dict[str, object], words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        details(**changes)


def test_a_trust_has_its_schools_and_a_sponsor_may_sponsor_a_trust() -> None:
    assert details(kind="academy_trust_membership", first=TRUST).urns() == {"990302"}
    assert details(second=TRUST).urns() == {"990301"}


# The handlers, through fakes of the repositories.


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def schools(uow: FakeUnitOfWork) -> None:
    for urn in ("990301", "990302"):
        details = SchoolDetails(name=f"School {urn}", phase=Phase.PRIMARY, sector=Sector.STATE)
        await register_school(uow, officer(), urn, details)
    uow.published.clear()


async def test_a_lead_of_the_first_school_records_and_ends_it_and_both_schools_list_it(
    uow: FakeUnitOfWork,
) -> None:
    await schools(uow)
    with pytest.raises(Forbidden):
        await handlers.start_relationship(uow, school_lead("990302"), details())
    made = await handlers.start_relationship(uow, school_lead("990301"), details())
    assert uow.published_types() == [events.SchoolRelationshipStarted]
    for urn in ("990301", "990302"):
        assert [r.id for r in await handlers.of_school(uow, urn)] == [made.id]
    ended = await handlers.end_relationship(uow, school_lead("990301"), made.id, date(2020, 1, 1))
    assert ended.ended_on == date(2020, 1, 1)
    assert (await handlers.get_relationship(uow, made.id)).ended_on == date(2020, 1, 1)
    assert uow.published_types()[-1] == events.SchoolRelationshipEnded


async def test_only_an_officer_records_a_trusts_and_no_unknown_school_is_named(
    uow: FakeUnitOfWork,
) -> None:
    await schools(uow)
    trusts = details(kind="academy_trust_membership", first=TRUST)
    with pytest.raises(Forbidden):
        await handlers.start_relationship(uow, school_lead("990302"), trusts)
    assert await handlers.start_relationship(uow, officer(), trusts)
    with pytest.raises(Invalid, match="999999"):
        await handlers.start_relationship(uow, officer(), details(second={"school_urn": "999999"}))
    with pytest.raises(NotFound):
        await handlers.of_school(uow, "123456")
    with pytest.raises(NotFound):
        await handlers.end_relationship(uow, officer(), "nosuch", date(2020, 1, 1))
