"""Composition root of the reporting service."""

from fastapi import FastAPI

from eventkit.consumer import EventConsumer
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from services.reporting.adapters.read_model import ensure_indexes
from services.reporting.entrypoints import compositions
from services.reporting.entrypoints.consumer import PARTNERSHIP_COMPOSITION, partnership_composition
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting"
    http_port: int = 8004


def composition_consumer(settings: ReportingSettings) -> EventConsumer:
    return partnership_composition(settings.consumer_name(PARTNERSHIP_COMPOSITION))


def build(settings: ReportingSettings | None = None) -> FastAPI:
    settings = settings or ReportingSettings()
    runtime = ServiceRuntime(
        settings,
        ReportingUnitOfWork,
        consumers=[composition_consumer(settings)],
        index_setup=[ensure_indexes],
    )
    return create_app(
        runtime,
        title="Reporting",
        description="Read models built only from events: partnership compositions, county roll-up.",
        routers=[compositions.router],
    )
