"""The booking-burst benchmark runs end to end on the session's real broker and database.

No timing is asserted (the machine is noisy): only that every request was answered, that no
activity was overbooked, that every place was filled, and that the figures are well formed.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from pymongo import AsyncMongoClient

from bench import booking_burst
from bench.booking_burst import ActivityTally, BurstReport, BurstSize, Latency
from bench.report import Report

SIZE = BurstSize(requests=60, activities=2, places=10, concurrency=20)


@pytest.mark.integration
async def test_two_events_processes_racing_on_one_database_overbook_nothing(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    two = BurstSize(requests=60, activities=2, places=10, concurrency=20, processes=2)
    report = await booking_burst.run(two, kafka_bootstrap, mongodb_uri, timeout=120)

    assert report.responses == Counter({201: 60}), report.failures
    assert report.statuses == Counter(registered=20, waitlisted=40)
    assert report.overbooked == [] and report.problems() == []
    assert [(t.places_taken, t.registered) for t in report.activities] == [(10, 10), (10, 10)]


@pytest.mark.integration
async def test_a_small_burst_fills_every_place_and_overbooks_nothing(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    report = await booking_burst.run(SIZE, kafka_bootstrap, mongodb_uri, timeout=120)

    assert report.responses == Counter({201: 60}), report.failures
    assert report.statuses == Counter(registered=20, waitlisted=40)
    assert report.overbooked == []
    assert [
        (t.capacity, t.places_taken, t.registered, t.waitlisted) for t in report.activities
    ] == [
        (10, 10, 10, 20),
        (10, 10, 10, 20),
    ]
    assert report.problems() == []
    assert report.figures.checks == {"passed": True, "overbooked": []}

    # the raw baselines took exactly the places there were, on their scratch copies
    assert [(s.stage, s.taken, s.overbooked) for s in report.scratch] == [
        (booking_burst.RAW_TAKE, 20, []),
        (booking_burst.TXN_TAKE, 20, []),
    ]

    assert [figure.stage for figure in report.figures.figures] == list(booking_burst.STAGES)
    for figure in report.figures.figures:
        assert figure.events == 60 and figure.rate > 0, figure
    assert report.figures.figure(booking_burst.BOOKINGS).baseline == booking_burst.RAW_TAKE
    by_outcome = {f"{booking_burst.BOOKINGS} → {status}" for status in ("registered", "waitlisted")}
    assert set(report.latency) == {*booking_burst.STAGES, *by_outcome}
    for latency in report.latency.values():
        assert 0 < latency.p50 <= latency.p95 <= latency.p99 <= latency.max
    assert report.bookings_per_raw_update(booking_burst.TXN_TAKE) > 0

    text = report.text()
    assert "bookings/s ÷ take_places, no transaction/s" in text
    assert "20 registered" in text and "40 waitlisted" in text
    written = report.as_json()
    assert json.loads(json.dumps(written)) == written
    assert written["problems"] == [] and written["responses"] == {"201": 60}

    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongodb_uri)
    try:
        run_id = report.figures.about["run_id"]
        left = [n for n in await client.list_database_names() if n.startswith(f"bench_{run_id}")]
    finally:
        await client.close()
    assert left == []  # the run removed its databases


def tally(places_taken: int, **stored: int) -> ActivityTally:
    return ActivityTally(
        activity_id="a1",
        capacity=10,
        requests=30,
        expected_registered=10,
        places_taken=places_taken,
        stored=Counter(stored),
    )


def test_an_overbooked_activity_fails_the_checks_first_and_by_name() -> None:
    report = BurstReport(SIZE, Report(SIZE.requests))
    report.responses = Counter({201: 60})
    report.activities = [tally(11, registered=11, waitlisted=19), tally(10, registered=10)]

    assert report.overbooked == [report.activities[0]]
    problems = report.problems()
    assert problems[0] == (
        "OVERBOOKED: activity a1 has 11 registered bookings and places_taken 11 for 10 places"
    )
    assert "activity a1: 10 bookings stored for 30 requests" in problems


def test_the_checks_catch_a_count_out_of_step_and_requests_not_answered() -> None:
    report = BurstReport(SIZE, Report(SIZE.requests))
    report.responses = Counter({201: 59, 500: 1})
    report.failures = ["HTTP 500 boom"]
    report.activities = [
        tally(10, registered=9, waitlisted=21),
        tally(10, registered=10, waitlisted=20),
    ]

    assert report.overbooked == []
    assert report.problems() == [
        "activity a1: places_taken is 10 but 9 bookings hold a place",
        "activity a1: 9 registered, expected 10 (30 requests for 10 places)",
        "1 of 60 booking requests were not answered 201, e.g. HTTP 500 boom",
    ]


def test_latency_percentiles_are_nearest_rank() -> None:
    latency = Latency.of([n / 1000 for n in range(100, 0, -1)])  # 1..100 ms, shuffled order
    assert latency.as_ms() == {"p50": 50.0, "p95": 95.0, "p99": 99.0, "max": 100.0}
    with pytest.raises(ValueError, match="no latencies"):
        Latency.of([])


def test_requests_are_spread_over_the_activities_and_schools() -> None:
    size = BurstSize(requests=25, activities=2, places=10, concurrency=5)
    assert [size.requests_for(a) for a in range(2)] == [13, 12]
    assert [size.expected_registered(a) for a in range(2)] == [10, 10]
    targets = [size.target(n, ["a", "b"], ["100001", "100002"]) for n in range(4)]
    assert targets == [("a", "100001"), ("b", "100001"), ("a", "100002"), ("b", "100002")]
    with pytest.raises(ValueError, match="concurrency must be at least 1"):
        BurstSize(concurrency=0)
