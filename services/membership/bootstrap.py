"""Composition root of the membership service."""

from fastapi import FastAPI

from contracts import membership
from contracts import people as people_topic
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from services.membership.adapters.repositories import ensure_indexes
from services.membership.entrypoints import (
    governance,
    organisations,
    partnerships,
    people,
    relationships,
    school_import,
    schools,
)
from services.membership.service_layer.unit_of_work import MembershipUnitOfWork


class MembershipSettings(ServiceSettings):
    service_name: str = "membership"
    http_port: int = 8001


def build(settings: ServiceSettings | None = None) -> FastAPI:
    runtime = ServiceRuntime(
        settings or MembershipSettings(), MembershipUnitOfWork, index_setup=[ensure_indexes]
    )
    app = create_app(
        runtime,
        title="Membership",
        description="Partnerships, schools, memberships, people and roles, expertise register, "
        "relationships between schools, outside organisations, boards and their meetings.",
        routers=[
            partnerships.router,
            schools.router,
            people.router,
            school_import.router,
            relationships.router,
            organisations.router,
            governance.router,
        ],
        published=[*membership.EVENTS, *people_topic.EVENTS],
    )
    return app
