"""An activity a partnership runs: a TeachMeet, a CPD course, a debating day for pupils..."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, ValidationError, model_validator

from contracts import activities as events
from contracts.activities import Audience, ContributorStatus, Session
from contracts.vocabulary import (
    URN_PATTERN,
    ActivityCategory,
    ActivityFormat,
    ActivityStatus,
    ContributorRole,
)
from eventkit.aggregate import Aggregate, InternalEvent
from eventkit.errors import Conflict, Invalid, NotFound
from eventkit.inputs import Count, HappenedOn, Line, Moment, Name, Text, WebLink, moment_problem


class PlacesFreed(InternalEvent):
    """Places on the activity may have come free (a cancellation, a rejection, an expired offer,
    more capacity): the waitlist is offered them, after the commit that freed them."""

    activity_id: str


class ActivityDetails(BaseModel):
    title: Annotated[Name, Field(min_length=3)]
    description: Text | None = None
    category: ActivityCategory
    format: ActivityFormat
    partnership_id: str = Field(description="The partnership that runs it")
    open_to: list[str] = Field(
        default_factory=list, max_length=100, description="Other partnerships it is open to"
    )
    county_wide: bool = Field(False, description="Open to every school in the county")
    host_urn: str | None = Field(None, pattern=URN_PATTERN)
    venue: Line | None = None
    online_url: WebLink | None = None
    sessions: list[Session] = Field(min_length=1, max_length=50)
    audience: Audience = Field(default_factory=Audience)
    capacity: Annotated[Count, Field(ge=1)]
    per_school_cap: Annotated[Count, Field(ge=1)] | None = None
    minimum_numbers: Annotated[Count, Field(ge=1)] | None = None
    booking_opens_at: Moment | None = None
    booking_closes_at: Moment | None = None
    cancel_by: Moment | None = Field(
        None, description="Self-service cancel and substitution allowed until then"
    )

    @model_validator(mode="after")
    def _coherent(self) -> "ActivityDetails":
        for number, s in enumerate(self.sessions):
            for name, value in (("starts_at", s.starts_at), ("ends_at", s.ends_at)):
                if problem := moment_problem(value):
                    raise ValueError(f"sessions[{number}].{name} {problem}")
            if s.ends_at <= s.starts_at:
                raise ValueError("a session must end after it starts")
        if self.venue is None and self.online_url is None:
            raise ValueError("give a venue or an online link")
        opens, closes = self.booking_opens_at, self.booking_closes_at
        if opens and closes and closes <= opens:
            raise ValueError("booking_closes_at is before booking_opens_at")
        if self.minimum_numbers and self.minimum_numbers > self.capacity:
            raise ValueError("minimum_numbers is above capacity")
        if self.per_school_cap and self.per_school_cap > self.capacity:
            raise ValueError("per_school_cap is above capacity")
        return self

    @property
    def starts_at(self) -> datetime:
        return min(s.starts_at for s in self.sessions)

    def partnerships(self) -> set[str]:
        return {self.partnership_id, *self.open_to}


class Invitation(BaseModel):
    person_id: str = Field(min_length=1, max_length=64)
    role: ContributorRole
    contribution: Line | None = Field(None, description="What they bring, e.g. a talk's title")


class Contributor(Invitation):
    id: str
    status: ContributorStatus = ContributorStatus.INVITED

    @property
    def live(self) -> bool:
        return self.status in (ContributorStatus.INVITED, ContributorStatus.CONFIRMED)


ANSWERS = {
    ContributorStatus.INVITED: {ContributorStatus.CONFIRMED, ContributorStatus.DECLINED},
    ContributorStatus.CONFIRMED: {ContributorStatus.DECLINED},
    ContributorStatus.DECLINED: {ContributorStatus.CONFIRMED},
}
"""A contributor's status -> what they (or the coordinator) may answer next; any live one may
also be withdrawn by the coordinator."""


class Donation(BaseModel):
    charity: Annotated[Name, Field(min_length=2)]
    charity_number: str | None = Field(
        None, pattern=r"^\d{6,8}(-\d{1,2})?$|^SC\d{6}$", description="Charity register number"
    )
    amount_pence: Annotated[StrictInt, Field(ge=1, le=100_000_000)]
    raised_on: HappenedOn


class FundsEntry(Donation):
    id: str


class Activity(Aggregate):
    id: str
    details: ActivityDetails
    status: ActivityStatus = ActivityStatus.DRAFT
    sequence: int = 0
    places_taken: int = Field(0, description="Places held by counted bookings (kept atomically)")
    school_places: dict[str, int] = Field(default_factory=dict)
    minimum_warning_sent: bool = False
    contributors: list[Contributor] = Field(default_factory=list)
    funds: list[FundsEntry] = Field(default_factory=list)

    @property
    def places_left(self) -> int:
        return max(self.details.capacity - self.places_taken, 0)

    def _published_event(self) -> events.ActivityPublished:
        d = self.details
        return events.ActivityPublished(
            activity_id=self.id,
            **d.model_dump(
                mode="json",
                exclude={"description", "cancel_by", "online_url"},
            ),
            online_url=str(d.online_url) if d.online_url else None,
            status=self.status,
            sequence=self.sequence,
        )

    def _require(self, *allowed: ActivityStatus, action: str) -> None:
        if self.status not in allowed:
            raise Conflict(f"cannot {action} an activity that is {self.status}")

    def publish(self) -> None:
        self._require(ActivityStatus.DRAFT, action="publish")
        self.status = ActivityStatus.PUBLISHED
        self.record(self._published_event())

    def update(self, details: ActivityDetails) -> None:
        self._require(ActivityStatus.DRAFT, ActivityStatus.PUBLISHED, action="change")
        if details.partnership_id != self.details.partnership_id:
            raise Conflict("an activity cannot move to another partnership")
        if details.sessions != self.details.sessions:
            raise Conflict("change the sessions by rescheduling, so attendees are told")
        if details.capacity < self.places_taken:
            raise Conflict(
                f"{self.places_taken} places are already taken; capacity cannot go below that"
            )
        self.details = details
        if self.status == ActivityStatus.PUBLISHED:
            self.record(self._published_event())

    def reschedule(self, sessions: list[Session], reason: str | None) -> None:
        self._require(ActivityStatus.DRAFT, ActivityStatus.PUBLISHED, action="reschedule")
        try:
            details = ActivityDetails.model_validate(
                {**self.details.model_dump(), "sessions": [s.model_dump() for s in sessions]}
            )
        except ValidationError as exc:
            raise Invalid(exc.errors()[0]["msg"]) from exc
        self.details = details
        self.sequence += 1
        self.record(
            events.ActivityRescheduled(
                activity_id=self.id, sessions=sessions, sequence=self.sequence, reason=reason
            )
        )

    def cancel(self, reason: str | None) -> None:
        self._require(ActivityStatus.DRAFT, ActivityStatus.PUBLISHED, action="cancel")
        self.status = ActivityStatus.CANCELLED
        self.sequence += 1
        self.record(
            events.ActivityCancelled(activity_id=self.id, sequence=self.sequence, reason=reason)
        )

    def complete(self, on: date) -> None:
        self._require(ActivityStatus.PUBLISHED, action="complete")
        self.status = ActivityStatus.COMPLETED
        self.record(events.ActivityCompleted(activity_id=self.id, completed_on=on))

    def booking_open(self, now: datetime) -> bool:
        d = self.details
        return (
            self.status == ActivityStatus.PUBLISHED
            and (d.booking_opens_at is None or d.booking_opens_at <= now)
            and (d.booking_closes_at is None or now < d.booking_closes_at)
            and now < d.starts_at
        )

    # -- speakers, facilitators, hosts --

    def invite(self, invitation: Invitation) -> Contributor:
        self._require(ActivityStatus.DRAFT, ActivityStatus.PUBLISHED, action="invite to")
        if any(
            c.live and (c.person_id, c.role) == (invitation.person_id, invitation.role)
            for c in self.contributors
        ):
            raise Conflict(f"{invitation.person_id} is already a {invitation.role} here")
        contributor = Contributor(id=uuid.uuid4().hex[:12], **invitation.model_dump())
        self.contributors = [*self.contributors, contributor]
        self._tell(events.ContributorInvited, contributor)
        return contributor

    def contributor(self, contributor_id: str) -> Contributor:
        found = next((c for c in self.contributors if c.id == contributor_id), None)
        if found is None:
            raise NotFound(f"activity {self.id} has no contributor {contributor_id}")
        return found

    def answer(self, contributor_id: str, status: ContributorStatus) -> Contributor:
        contributor = self.contributor(contributor_id)
        may = ANSWERS.get(contributor.status, set())
        if status == ContributorStatus.WITHDRAWN and contributor.live:
            may = {status}
        if status not in may:
            raise Conflict(f"a contributor who is {contributor.status} cannot be {status}")
        self._require(ActivityStatus.DRAFT, ActivityStatus.PUBLISHED, action="change who is at")
        changed = contributor.model_copy(update={"status": status})
        self.contributors = [changed if c.id == contributor_id else c for c in self.contributors]
        self._tell(events.ContributorAnswered, changed, status=status)
        return changed

    def _tell(
        self,
        event: type[events.ContributorInvited] | type[events.ContributorAnswered],
        contributor: Contributor,
        **more: ContributorStatus,
    ) -> None:
        self.record(
            event(
                activity_id=self.id,
                contributor_id=contributor.id,
                partnership_id=self.details.partnership_id,
                person_id=contributor.person_id,
                role=contributor.role,
                **more,
            )
        )

    def confirmed_contributors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.status == ContributorStatus.CONFIRMED]

    # -- money raised for charity --

    def record_funds(self, donation: Donation) -> FundsEntry:
        self._require(ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED, action="raise funds at")
        if donation.raised_on < self.details.starts_at.date():
            raise Invalid(f"raised_on: the activity starts on {self.details.starts_at.date()}")
        entry = FundsEntry(id=uuid.uuid4().hex[:12], **donation.model_dump())
        self.funds = [*self.funds, entry]
        self.record(
            events.FundsRaised(
                activity_id=self.id,
                partnership_id=self.details.partnership_id,
                entry_id=entry.id,
                **donation.model_dump(),
            )
        )
        return entry

    def remove_funds(self, entry_id: str) -> None:
        if not any(e.id == entry_id for e in self.funds):
            raise NotFound(f"activity {self.id} has no fundraising entry {entry_id}")
        self.funds = [e for e in self.funds if e.id != entry_id]
        self.record(
            events.FundsEntryRemoved(
                activity_id=self.id, partnership_id=self.details.partnership_id, entry_id=entry_id
            )
        )
