"""Composition root of the reporting service."""

from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import Field

from contracts.reporting import CountyReportReady
from eventkit.consumer import EventConsumer
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from services.reporting.adapters import history
from services.reporting.entrypoints import compositions
from services.reporting.entrypoints import history as history_routes
from services.reporting.entrypoints import participation as participation_routes
from services.reporting.entrypoints import saved_reports as saved_report_routes
from services.reporting.entrypoints import snapshots as snapshot_routes
from services.reporting.entrypoints.consumer import (
    MAIL,
    PARTICIPATION,
    PARTNERSHIP_COMPOSITION,
    ServedGeneration,
    partnership_composition,
)
from services.reporting.entrypoints.consumer import mail as mail_projection
from services.reporting.entrypoints.consumer import participation as participation_projection
from services.reporting.entrypoints.history_consumer import HISTORY, history_consumers
from services.reporting.entrypoints.snapshot_builder import SnapshotBuilder
from services.reporting.service_layer import county_reports
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting"
    http_port: int = 8004
    monthly_county_reports: bool = Field(
        default=True,
        description="Make each county's report when a month ends (for the notifications "
        "service to email its county officers)",
    )
    county_report_check_seconds: float = Field(
        default=3600, gt=0, description="How often the service looks whether a month has ended"
    )
    generation_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often the service looks whether a rebuild has switched the read models "
        "over to a new generation, and for snapshots asked for",
    )


def composition_consumer(settings: ReportingSettings) -> EventConsumer:
    return partnership_composition(settings.consumer_name(PARTNERSHIP_COMPOSITION))


def participation_consumer(settings: ReportingSettings) -> EventConsumer:
    return participation_projection(settings.consumer_name(PARTICIPATION))


def projection_consumers(settings: ReportingSettings) -> list[EventConsumer]:
    """The consumers of every rebuilt read model (generation 0's names)."""
    return [
        composition_consumer(settings),
        participation_consumer(settings),
        mail_projection(settings.consumer_name(MAIL)),
    ]


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = ServiceRuntime(
        settings,
        ReportingUnitOfWork,
        consumers=history_consumers(settings.consumer_name(HISTORY)),
        index_setup=[history.ensure_indexes],
    )
    served = ServedGeneration(runtime, projection_consumers(settings))
    runtime.at_start(served.start)
    runtime.every(settings.generation_poll_seconds, served.follow)
    snapshots = SnapshotBuilder(
        runtime, projection_consumers(settings), settings.consumer_batch_size
    )
    runtime.every(settings.generation_poll_seconds, snapshots.build_waiting)
    if settings.monthly_county_reports:

        async def monthly_reports(_: ReportingUnitOfWork) -> None:
            await county_reports.make_monthly_reports(served.unit_of_work(), datetime.now(UTC))

        runtime.every(settings.county_report_check_seconds, monthly_reports)
    app = create_app(
        runtime,
        title="Reporting",
        description="Read models built only from events: partnership compositions, "
        "participation by term (JSON, CSV, SVG charts), county roll-ups, the history of every "
        "record.",
        routers=[
            compositions.router,
            participation_routes.router,
            saved_report_routes.router,
            history_routes.router,
            snapshot_routes.router,
        ],
        published=[CountyReportReady],
    )
    app.state.served = served
    app.state.snapshots = snapshots
    return app
