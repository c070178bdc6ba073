"""The events service's copy of membership and of the people topic, kept by its Kafka handlers:
driven with fakes."""

from datetime import UTC, date, datetime, timedelta

from unit.events_fakes import NOW, STARTS, A, EventsFakeUnitOfWork, given_activity, world
from unit.fakes import coordinator, teacher

from contracts import membership as m
from contracts import people
from contracts.attendance import EvaluationStage
from contracts.envelope import IntegrationEvent
from contracts.vocabulary import (
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    Sector,
    StaffRole,
)
from services.events.domain.booking import PlaceRequest
from services.events.domain.evaluation import EvaluationForm
from services.events.entrypoints import membership_consumer, people_consumer
from services.events.service_layer import access, attendance, bookings, evaluations

TODAY = date(2026, 9, 1)
HANDLERS = {**membership_consumer.consumer.handlers, **people_consumer.consumer.handlers}


async def deliver(uow: EventsFakeUnitOfWork, *events: IntegrationEvent) -> None:
    """As the consumer applies a batch: every handler in one unit of work, then commit."""
    async with uow:
        for event in events:
            await HANDLERS[type(event)].handler(event, uow)
        await uow.commit()


def partnership_created(pid: str = "p9") -> m.PartnershipCreated:
    return m.PartnershipCreated(
        partnership_id=pid,
        name="Wisbech cluster",
        kind=PartnershipKind.CLUSTER,
        status=PartnershipStatus.ACTIVE,
        created_at=datetime(2026, 9, 1, tzinfo=UTC),
    )


async def test_membership_events_decide_which_partnerships_a_school_is_active_in() -> None:
    uow = EventsFakeUnitOfWork()
    await deliver(
        uow,
        partnership_created(),
        m.SchoolInvited(
            partnership_id="p9", urn="110001", role=MembershipRole.MEMBER, invited_on=TODAY
        ),
    )
    assert await uow.directory.partnerships_of("110001") == set()

    await deliver(
        uow,
        m.SchoolJoined(
            partnership_id="p9", urn="110001", role=MembershipRole.MEMBER, joined_on=TODAY
        ),
    )
    assert await uow.directory.partnerships_of("110001") == {"p9"}
    copy = await uow.directory.partnership("p9")
    assert copy is not None and copy.name == "Wisbech cluster"

    await deliver(uow, m.MembershipSuspended(partnership_id="p9", urn="110001", suspended_on=TODAY))
    assert await uow.directory.partnerships_of("110001") == set()
    await deliver(
        uow, m.MembershipReinstated(partnership_id="p9", urn="110001", reinstated_on=TODAY)
    )
    assert await uow.directory.partnerships_of("110001") == {"p9"}
    await deliver(uow, m.SchoolLeft(partnership_id="p9", urn="110001", left_on=TODAY))
    assert copy.members["110001"] == MembershipStatus.LEFT
    assert await uow.directory.partnerships_of("110001") == set()


async def test_a_coordinator_named_by_membership_coordinates_here_too() -> None:
    uow = EventsFakeUnitOfWork()
    cora = coordinator(person_id="cora")  # her token names no partnership
    await deliver(
        uow, partnership_created(), m.CoordinatorAssigned(partnership_id="p9", person_id="cora")
    )
    assert await access.coordinates(uow.directory, cora, "p9")
    await deliver(uow, m.CoordinatorRemoved(partnership_id="p9", person_id="cora"))
    assert not await access.coordinates(uow.directory, cora, "p9")


async def test_school_details_and_expertise_each_keep_their_own_fields() -> None:
    uow = EventsFakeUnitOfWork()
    await deliver(
        uow,
        m.SchoolExpertiseUpdated(urn="110002", subjects=["maths"], phases=[Phase.SECONDARY]),
        m.SchoolRegistered(
            urn="110002", name="Kesgrave High", phase=Phase.SECONDARY, sector=Sector.STATE
        ),
    )
    school = await uow.directory.school("110002")
    assert school is not None
    assert (school.name, school.sector, school.subjects) == (
        "Kesgrave High",
        Sector.STATE,
        ["maths"],
    )


async def test_roles_are_replaced_by_id_and_ended() -> None:
    uow = EventsFakeUnitOfWork()
    assigned = m.RoleAssigned(
        person_id="pat", role_id="r1", role=StaffRole.TEACHER, urn="110003", starts_on=TODAY
    )
    await deliver(uow, assigned, assigned)  # delivered twice: one role
    person = await uow.directory.person("pat")
    assert person is not None and [r.role_id for r in person.roles] == ["r1"]
    assert person.holds(StaffRole.TEACHER, urn="110003", today=TODAY)

    ended = TODAY + timedelta(days=30)
    await deliver(uow, m.RoleEnded(person_id="pat", role_id="r1", ended_on=ended))
    person = await uow.directory.person("pat")
    assert person is not None
    assert not person.holds(StaffRole.TEACHER, urn="110003", today=ended)
    assert person.holds(StaffRole.TEACHER, urn="110003", today=ended - timedelta(days=1))


async def test_an_erased_person_loses_name_email_and_free_text_but_keeps_roles_and_ratings() -> (
    None
):
    uow = world()  # ann teaches at A
    await given_activity(uow)
    ann = teacher(A, person_id="ann")
    booking = await bookings.book(uow, ann, "act1", PlaceRequest(urn=A), "key-ann", now=NOW)
    coco = coordinator("p1", person_id="coco")
    await attendance.record_attendance(uow, coco, booking.id, True, now=STARTS)
    form = EvaluationForm(ratings={"overall": 5, "relevance": 4}, answers={"best_thing": "Ideas"})
    await evaluations.submit_evaluation(
        uow, ann, booking.id, EvaluationStage.ON_THE_DAY, form, now=STARTS
    )

    await deliver(uow, m.PersonErased(person_id="ann", erased_at=NOW))

    person = await uow.directory.person("ann")
    assert person is not None
    assert (person.name, person.email, person.erased) == ("(erased)", "", True)
    assert person.roles  # counts of who took part still add up
    async with uow:
        [evaluation] = await uow.evaluations.of_booking(booking.id)
    assert evaluation.answers == {} and evaluation.answers_erased
    assert evaluation.ratings == {"overall": 5, "relevance": 4}


async def test_contact_details_come_from_the_people_topic_and_go_with_its_tombstone() -> None:
    uow = EventsFakeUnitOfWork()
    assigned = m.RoleAssigned(
        person_id="pat", role_id="r1", role=StaffRole.TEACHER, urn="110003", starts_on=TODAY
    )
    contact = people.PersonContact(person_id="pat", name="Pat Park", email="pat@example.org")
    await deliver(uow, assigned, contact)
    person = await uow.directory.person("pat")
    assert person is not None and (person.name, person.email) == ("Pat Park", "pat@example.org")

    await deliver(uow, people.PersonContactErased(person_id="pat"))
    person = await uow.directory.person("pat")
    assert person is not None
    assert (person.name, person.email, person.erased) == ("(erased)", "", True)
    assert [r.role_id for r in person.roles] == ["r1"]


async def test_an_old_contact_replayed_after_the_tombstone_does_not_bring_the_name_back() -> None:
    uow = EventsFakeUnitOfWork()
    contact = people.PersonContact(person_id="pat", name="Pat Park", email="pat@example.org")
    await deliver(uow, contact, people.PersonContactErased(person_id="pat"))
    await deliver(uow, contact)  # e.g. a dead letter replayed after the erasure
    person = await uow.directory.person("pat")
    assert person is not None and (person.name, person.email, person.erased) == (
        "(erased)",
        "",
        True,
    )
