"""Relationships between schools: what each kind's parties may be, the dates, ending once."""

from datetime import date

import pytest
from pydantic import ValidationError

from contracts import membership as events
from contracts.vocabulary import RelationshipKind, SupportArea
from eventkit.errors import Conflict, Invalid
from services.membership.domain.relationship import RelationshipDetails, SchoolRelationship

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
