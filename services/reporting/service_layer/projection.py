"""How each membership event changes the read model. Plain functions of the event and a writer."""

from collections.abc import Awaitable, Callable
from typing import Any

from contracts import membership as events
from contracts.envelope import IntegrationEvent
from contracts.vocabulary import StaffRole
from services.reporting.domain.records import (
    GovernanceKind,
    PartnershipRecord,
    RelationshipRecord,
    SchoolRecord,
)
from services.reporting.service_layer.read_model import ReadModelWriter


async def partnership_described(
    event: events.PartnershipCreated | events.PartnershipUpdated, model: ReadModelWriter
) -> None:
    await model.describe_partnership(
        PartnershipRecord(
            partnership_id=event.partnership_id,
            name=event.name,
            kind=event.kind,
            status=event.status,
            area=event.area,
        )
    )


async def coordinator_assigned(event: events.CoordinatorAssigned, model: ReadModelWriter) -> None:
    await model.add_coordinator(event.partnership_id, event.person_id)


async def coordinator_removed(event: events.CoordinatorRemoved, model: ReadModelWriter) -> None:
    await model.remove_coordinator(event.partnership_id, event.person_id)


async def membership_changed(event: events.MembershipChanged, model: ReadModelWriter) -> None:
    role = event.role if isinstance(event, events.SchoolInvited | events.SchoolJoined) else None
    await model.set_membership(
        event.partnership_id, event.urn, events.STATUS_AFTER[type(event)], role
    )


async def school_described(
    event: events.SchoolRegistered | events.SchoolUpdated, model: ReadModelWriter
) -> None:
    await model.describe_school(
        SchoolRecord(
            urn=event.urn,
            name=event.name,
            sector=event.sector,
            phase=event.phase,
            la_code=event.la_code,
            la_name=event.la_name,
        )
    )


async def role_assigned(event: events.RoleAssigned, model: ReadModelWriter) -> None:
    """Only county officers' roles: which local authorities each covers (ids, no names)."""
    if event.role == StaffRole.COUNTY_OFFICER:
        await model.put_officer_role(event.person_id, event.held())


async def role_ended(event: events.RoleEnded, model: ReadModelWriter) -> None:
    await model.end_officer_role(event.person_id, event.role_id, event.ended_on)


async def relationship_started(
    event: events.SchoolRelationshipStarted, model: ReadModelWriter
) -> None:
    await model.describe_relationship(
        RelationshipRecord(
            relationship_id=event.relationship_id,
            kind=event.kind,
            first_urn=event.first.school_urn,
            first_trust=event.first.trust_name,
            second_urn=event.second.school_urn,
            second_trust=event.second.trust_name,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            partnership_id=event.partnership_id,
            support=event.support,
        )
    )


async def relationship_ended(event: events.SchoolRelationshipEnded, model: ReadModelWriter) -> None:
    await model.end_relationship(event.relationship_id, event.ended_on)


BOARD = {"board_id", "partnership_id"}
MEETING = {"meeting_id", *BOARD}


async def board_formed(event: events.BoardFormed, model: ReadModelWriter) -> None:
    fields = event.model_dump(mode="json", include={"partnership_id", "kind"})
    await model.note_governance(GovernanceKind.BOARDS, event.board_id, fields)


async def board_member_appointed(
    event: events.BoardMemberAppointed, model: ReadModelWriter
) -> None:
    """The seat, not the person: its office, term and whom it represents (a school by URN; an
    outside body only as that)."""
    fields = event.model_dump(
        mode="json", include={*BOARD, "office", "represents_urn", "starts_on", "ends_on"}
    )
    fields["represents_body"] = event.represents_body is not None
    await model.note_governance(GovernanceKind.MEMBERS, event.member_id, fields)


async def board_member_stood_down(
    event: events.BoardMemberStoodDown, model: ReadModelWriter
) -> None:
    fields = {"stood_down_on": event.stood_down_on.isoformat()}
    await model.note_governance(GovernanceKind.MEMBERS, event.member_id, fields)


async def board_meeting_scheduled(
    event: events.BoardMeetingScheduled, model: ReadModelWriter
) -> None:
    fields = event.model_dump(mode="json", include={*BOARD, "starts_at", "agenda_items"})
    await model.note_governance(GovernanceKind.MEETINGS, event.meeting_id, fields)


async def board_meeting_minuted(event: events.BoardMeetingMinuted, model: ReadModelWriter) -> None:
    fields = {
        "minutes_revision": event.revision,
        "decisions": event.decisions,
        "actions": event.actions,
    }
    await model.note_governance(GovernanceKind.MEETINGS, event.meeting_id, fields)


async def board_minutes_approved(
    event: events.BoardMinutesApproved, model: ReadModelWriter
) -> None:
    fields = {"approved_revision": event.revision}
    await model.note_governance(GovernanceKind.MEETINGS, event.meeting_id, fields)


async def board_action(
    event: events.BoardActionAssigned | events.BoardActionDone | events.BoardActionWithdrawn,
    model: ReadModelWriter,
) -> None:
    """Its meeting, board and due day as they now stand; done and withdrawn, once so, stay so."""
    fields = event.model_dump(mode="json", include={*MEETING, "due_on"})
    if isinstance(event, events.BoardActionDone):
        fields["done_on"] = event.done_on.isoformat()
    if isinstance(event, events.BoardActionWithdrawn):
        fields["withdrawn"] = True
    await model.note_governance(GovernanceKind.ACTIONS, event.action_id, fields)


HANDLERS: dict[type[IntegrationEvent], Callable[[Any, ReadModelWriter], Awaitable[None]]] = {
    events.PartnershipCreated: partnership_described,
    events.PartnershipUpdated: partnership_described,
    events.CoordinatorAssigned: coordinator_assigned,
    events.CoordinatorRemoved: coordinator_removed,
    **dict.fromkeys(events.STATUS_AFTER, membership_changed),
    events.SchoolRegistered: school_described,
    events.SchoolUpdated: school_described,
    events.RoleAssigned: role_assigned,
    events.RoleEnded: role_ended,
    events.SchoolRelationshipStarted: relationship_started,
    events.SchoolRelationshipEnded: relationship_ended,
    events.BoardFormed: board_formed,
    events.BoardMemberAppointed: board_member_appointed,
    events.BoardMemberStoodDown: board_member_stood_down,
    events.BoardMeetingScheduled: board_meeting_scheduled,
    events.BoardMeetingMinuted: board_meeting_minuted,
    events.BoardMinutesApproved: board_minutes_approved,
    events.BoardActionAssigned: board_action,
    events.BoardActionDone: board_action,
    events.BoardActionWithdrawn: board_action,
}
"""The membership events this projection uses; the others it leaves alone."""


async def apply(event: IntegrationEvent, model: ReadModelWriter) -> None:
    await HANDLERS[type(event)](event, model)
