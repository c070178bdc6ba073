"""Events of the events service about evaluations and certificates, on `partnerships.events.v1`.

Attendance itself travels as `events.booking_status_changed.v1` (to attended or no-show). Keyed
by activity id, like the booking events, so one activity's story stays in order. Evaluations
carry their ratings only: free-text answers may hold personal details and stay in the service;
what a person will do differently travels as the practice themes its words name, never the words.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic

Rating = Annotated[int, Field(ge=1, le=5)]


class EvaluationStage(StrEnum):
    BEFORE = "before"
    ON_THE_DAY = "on_the_day"
    IMPACT = "impact"


class PracticeTheme(StrEnum):
    """What a teacher says they will do differently, as a theme of classroom practice."""

    QUESTIONING = "questioning"
    FEEDBACK_AND_ASSESSMENT = "feedback_and_assessment"
    BEHAVIOUR = "behaviour"
    READING_AND_LITERACY = "reading_and_literacy"
    MATHS = "maths"
    INCLUSION_AND_SEND = "inclusion_and_send"
    WELLBEING = "wellbeing"
    CURRICULUM_AND_PLANNING = "curriculum_and_planning"
    TECHNOLOGY = "technology"
    COLLABORATION = "collaboration"


class _AttendanceEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    activity_id: str
    booking_id: str
    urn: str = Field(description="The school the booking is for")

    def aggregate_id(self) -> str:
        return self.activity_id


class EvaluationSubmitted(_AttendanceEvent):
    """An evaluation of one booking at one stage: its ratings (1 to 5) on named scales."""

    type: ClassVar[str] = "events.evaluation_submitted.v1"
    stage: EvaluationStage
    ratings: dict[str, Rating] = Field(description="Scale name -> rating from 1 to 5")
    group: bool = Field(False, description="For a school's pupil places, not one member of staff")
    respondents: int = Field(1, ge=1, description="How many people's views it gives")
    submitted_at: datetime
    themes: list[PracticeTheme] = Field(
        default_factory=list,
        description="The practice themes the answer to 'What will you do differently?' names",
    )


class CertificateIssued(_AttendanceEvent):
    """A certificate of attendance was released for the first time."""

    type: ClassVar[str] = "events.certificate_issued.v1"
    person_id: str
    issued_at: datetime


EVENTS: tuple[type[IntegrationEvent], ...] = (EvaluationSubmitted, CertificateIssued)
