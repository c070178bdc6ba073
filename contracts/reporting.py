"""Events of the reporting service, on `partnerships.reporting.v1`: reports it has made ready
for people to read, with their figures (counts only, no names), keyed by report id."""

from typing import ClassVar

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.topics import REPORTING, Topic
from contracts.vocabulary import LaCode

MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"


class CountyReportReady(IntegrationEvent):
    """A county's report for a calendar month (UK time) is ready: what took part in the
    partnerships of the local authorities its county officers cover."""

    type: ClassVar[str] = "reporting.county_report_ready.v1"
    topic: ClassVar[Topic] = REPORTING
    report_id: str = Field(description="`<month>:<local authorities>`, like 2026-11:886,887")
    month: str = Field(pattern=MONTH_PATTERN, description="Like 2026-11")
    local_authorities: list[LaCode]
    partnerships: int
    activities: int
    schools_taking_part: int
    staff_reached: int
    pupils_reached: int
    cpd_hours: float
    case_studies_published: int
    support_agreed: int
    report_path: str = Field(
        description="Where the county's term report is read on the reporting API (a PDF)"
    )

    def aggregate_id(self) -> str:
        return self.report_id


EVENTS: tuple[type[IntegrationEvent], ...] = (CountyReportReady,)
