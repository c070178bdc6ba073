"""Composition root of the events service."""

from datetime import UTC, datetime, timedelta
from functools import partial

from fastapi import FastAPI

from contracts import registry
from contracts.topics import EVENTS
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from services.events.adapters import calendar_tokens, directory, evaluations, repositories
from services.events.adapters import case_studies as case_study_store
from services.events.adapters import peer_reviews as peer_review_store
from services.events.adapters import placement_swaps as placement_swap_store
from services.events.adapters import publications as publication_store
from services.events.adapters import support as support_store
from services.events.domain.activity import PlacesFreed
from services.events.entrypoints import (
    activities,
    attendance,
    bookings,
    calendars,
    case_studies,
    contributors,
    fundraising,
    peer_reviews,
    placement_swaps,
    publications,
    support,
)
from services.events.entrypoints.membership_consumer import consumer as directory_consumer
from services.events.entrypoints.people_consumer import consumer as people_consumer
from services.events.service_layer import waitlist
from services.events.service_layer.unit_of_work import EventsUnitOfWork
from services.events.settings import EventsSettings


def build(settings: EventsSettings | None = None) -> FastAPI:
    settings = settings or EventsSettings()
    runtime = ServiceRuntime(
        settings,
        partial(EventsUnitOfWork, offer_window=timedelta(hours=settings.offer_hours)),
        consumers=[
            c.renamed(settings.consumer_name(c.name)) for c in (directory_consumer, people_consumer)
        ],
        follow_ups={PlacesFreed: [waitlist.offer_freed_places]},
        index_setup=[
            repositories.ensure_indexes,
            directory.ensure_indexes,
            case_study_store.ensure_indexes,
            support_store.ensure_indexes,
            peer_review_store.ensure_indexes,
            placement_swap_store.ensure_indexes,
            publication_store.ensure_indexes,
            evaluations.ensure_indexes,
            calendar_tokens.ensure_indexes,
        ],
    )
    warn_ahead = timedelta(days=settings.minimum_numbers_warning_days)

    async def sweep(uow: EventsUnitOfWork) -> None:
        now = datetime.now(UTC)
        await waitlist.expire_offers(uow, now)
        await waitlist.promote_everywhere(uow)
        await waitlist.warn_minimum_numbers(uow, now, warn_ahead)

    runtime.every(settings.sweep_seconds, sweep)
    return create_app(
        runtime,
        title="Events",
        description="Activities, bookings, waitlists, attendance, evaluations, case studies and "
        "school-to-school support.",
        routers=[
            activities.router,
            bookings.router,
            attendance.router,
            case_studies.router,
            support.router,
            peer_reviews.router,
            placement_swaps.router,
            publications.router,
            calendars.router,
            contributors.router,
            fundraising.router,
        ],
        published=[cls for cls in registry.EVENT_TYPES.values() if cls.topic.name == EVENTS.name],
    )
