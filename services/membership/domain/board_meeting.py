"""A meeting of a board: when and where, its agenda; after it, the minutes with the decisions
taken and the actions agreed, each owned by a member of the board and due on a day, tracked to
done. Minutes may be corrected (replaced) until they are approved."""

import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, Self

from pydantic import BaseModel, Field, model_validator

from contracts import membership as events
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid, NotFound
from eventkit.inputs import Day, Line, Moment, Text


class MeetingDetails(BaseModel):
    starts_at: Moment
    venue: Line = Field(description="Where it meets")
    agenda: list[Line] = Field(min_length=1, max_length=50, description="Its items, in order")


class ActionIn(BaseModel):
    action_id: str | None = Field(
        None,
        max_length=64,
        description="An action of the minutes as they stand, kept (and whether it is done)",
    )
    text: Line
    owner_person_id: str = Field(min_length=1, max_length=64)
    due_on: Day


class MinutesIn(BaseModel):
    minutes: Text
    decisions: list[Line] = Field(default_factory=list, max_length=100)
    actions: list[ActionIn] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _each_action_once(self) -> Self:
        kept = [a.action_id for a in self.actions if a.action_id is not None]
        if len(kept) != len(set(kept)):
            raise ValueError("actions: an action_id is kept once")
        return self


class Action(BaseModel):
    id: str
    text: str
    owner_person_id: str
    due_on: date
    done_on: date | None = None

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today


class Minutes(BaseModel):
    text: str
    decisions: list[str]
    revision: int = Field(description="1 when first recorded, one more for each correction")
    recorded_at: datetime
    approved_at: datetime | None = None


class BoardMeeting(Aggregate):
    id: str
    board_id: str
    partnership_id: str
    details: MeetingDetails
    minutes: Minutes | None = None
    actions: list[Action] = Field(default_factory=list)
    scheduled_at: datetime

    @classmethod
    def schedule(cls, board_id: str, partnership_id: str, details: MeetingDetails) -> Self:
        meeting = cls(
            id=uuid.uuid4().hex[:12],
            board_id=board_id,
            partnership_id=partnership_id,
            details=details,
            scheduled_at=datetime.now(UTC),
        )
        meeting.record(
            events.BoardMeetingScheduled(
                **meeting._ids(),
                starts_at=details.starts_at,
                agenda_items=len(details.agenda),
            )
        )
        return meeting

    @property
    def day(self) -> date:
        """The day it meets, where it meets."""
        return self.details.starts_at.date()

    def _ids(self) -> dict[str, str]:
        return {
            "meeting_id": self.id,
            "board_id": self.board_id,
            "partnership_id": self.partnership_id,
        }

    def action(self, action_id: str) -> Action:
        found = next((a for a in self.actions if a.id == action_id), None)
        if found is None:
            raise NotFound(f"no action {action_id} in meeting {self.id}")
        return found

    def record_minutes(self, given: MinutesIn, owners: Collection[str], now: datetime) -> None:
        """Record the minutes, or correct them (the actions given with an action_id are kept,
        the others withdrawn). `owners`: who may own an action (the board's members)."""
        if self.details.starts_at > now:
            raise Conflict(f"minutes follow the meeting: it starts at {self.details.starts_at}")
        if self.minutes is not None and self.minutes.approved_at is not None:
            raise Conflict(f"the minutes were approved at {self.minutes.approved_at}: locked")
        before = {a.id: a for a in self.actions}
        actions = [self._action(n, a, before, owners) for n, a in enumerate(given.actions)]
        revision = self.minutes.revision + 1 if self.minutes else 1
        self.minutes = Minutes(
            text=given.minutes, decisions=given.decisions, revision=revision, recorded_at=now
        )
        self.actions = actions
        self.record(
            events.BoardMeetingMinuted(
                **self._ids(),
                revision=revision,
                decisions=len(given.decisions),
                actions=len(actions),
            )
        )
        for action in actions:
            was = before.get(action.id)
            if was is None or (was.owner_person_id, was.due_on) != (
                action.owner_person_id,
                action.due_on,
            ):
                self.record(events.BoardActionAssigned(**self._about(action)))
        kept = {a.id for a in actions}
        for action in before.values():
            if action.id not in kept:
                self.record(events.BoardActionWithdrawn(**self._about(action)))

    def _action(
        self, n: int, given: ActionIn, before: dict[str, Action], owners: Collection[str]
    ) -> Action:
        if given.owner_person_id not in owners:
            raise Invalid(
                f"actions.{n}.owner_person_id: {given.owner_person_id} is not a member of the "
                "board (on the day of the meeting, or now)"
            )
        if given.due_on < self.day:
            raise Invalid(f"actions.{n}.due_on: it is due before the meeting on {self.day}")
        if given.action_id is None:
            return Action(id=uuid.uuid4().hex[:12], **given.model_dump(exclude={"action_id"}))
        if given.action_id not in before:
            raise Invalid(f"actions.{n}.action_id: the minutes have no action {given.action_id}")
        return before[given.action_id].model_copy(update=given.model_dump(exclude={"action_id"}))

    def _about(self, action: Action) -> dict[str, Any]:
        return {
            **self._ids(),
            "action_id": action.id,
            "person_id": action.owner_person_id,
            "due_on": action.due_on,
        }

    def approve_minutes(self, now: datetime) -> None:
        if self.minutes is None:
            raise Conflict("there are no minutes to approve yet")
        if self.minutes.approved_at is not None:
            raise Conflict(f"the minutes were approved at {self.minutes.approved_at}")
        self.minutes = self.minutes.model_copy(update={"approved_at": now})
        self.record(
            events.BoardMinutesApproved(
                **self._ids(), revision=self.minutes.revision, approved_at=now
            )
        )

    def mark_done(self, action_id: str, on: date) -> Action:
        action = self.action(action_id)
        if action.done_on is not None:
            raise Conflict(f"action {action_id} was done on {action.done_on}")
        if on < self.day:
            raise Invalid(f"done_on: it was agreed at the meeting on {self.day}")
        done = action.model_copy(update={"done_on": on})
        self.actions = [done if a.id == action_id else a for a in self.actions]
        self.record(events.BoardActionDone(**self._about(done), done_on=on))
        return done

    def owned_by(self, person_id: str | None) -> list[Action]:
        return [a for a in self.actions if a.owner_person_id == person_id]
