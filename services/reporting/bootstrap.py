"""Composition root of the reporting service."""

from fastapi import FastAPI

from eventkit.consumer import EventConsumer
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from services.reporting.adapters import history, participation, read_model
from services.reporting.entrypoints import compositions
from services.reporting.entrypoints import history as history_routes
from services.reporting.entrypoints import participation as participation_routes
from services.reporting.entrypoints import saved_reports as saved_report_routes
from services.reporting.entrypoints.consumer import (
    PARTICIPATION,
    PARTNERSHIP_COMPOSITION,
    partnership_composition,
)
from services.reporting.entrypoints.consumer import participation as participation_projection
from services.reporting.entrypoints.history_consumer import HISTORY, history_consumers
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting"
    http_port: int = 8004


def composition_consumer(settings: ReportingSettings) -> EventConsumer:
    return partnership_composition(settings.consumer_name(PARTNERSHIP_COMPOSITION))


def participation_consumer(settings: ReportingSettings) -> EventConsumer:
    return participation_projection(settings.consumer_name(PARTICIPATION))


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = ServiceRuntime(
        settings,
        ReportingUnitOfWork,
        consumers=[
            composition_consumer(settings),
            participation_consumer(settings),
            *history_consumers(settings.consumer_name(HISTORY)),
        ],
        index_setup=[
            read_model.ensure_indexes,
            participation.ensure_indexes,
            history.ensure_indexes,
        ],
    )
    return create_app(
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
        ],
    )
