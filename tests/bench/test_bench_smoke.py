"""The plumbing benchmark runs end to end on the session's real broker and database.

No timing is asserted (the machine is noisy): only that every stage moved every event, that the
figures are well formed, and that the idempotent consumer applied each event exactly once.
"""

from __future__ import annotations

import json

import pytest
from pymongo import AsyncMongoClient

from bench import baselines, pipeline
from bench.report import Figure, Report

EVENTS = 50


@pytest.mark.integration
async def test_every_stage_moves_every_event_and_the_consumer_applies_each_once(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    report = await pipeline.run(EVENTS, kafka_bootstrap, mongodb_uri, timeout=120)

    assert [figure.stage for figure in report.figures] == list(pipeline.STAGES)
    for figure in report.figures:
        assert figure.events == EVENTS, figure
        assert figure.seconds > 0, figure
        assert figure.rate > 0, figure
    compared = {f.stage: f.baseline for f in report.figures if f.baseline is not None}
    assert compared == {
        pipeline.OUTBOX_ONE: baselines.PYMONGO_ONE,
        pipeline.OUTBOX_BATCH: baselines.PYMONGO_MANY,
        pipeline.RELAY: baselines.RAW_RELAY,
        pipeline.APPLY: baselines.RAW_CONSUME_APPLY,
        pipeline.END_TO_END: pipeline.RAW_BOTH,
    }

    checks = report.checks
    assert checks["effects"] == EVENTS  # nothing lost
    assert checks["effects_applied_more_than_once"] == 0  # nothing applied twice
    assert checks["inbox_entries"] == EVENTS
    assert checks["outbox_unsent"] == 0
    assert checks["dead_letters"] == 0
    assert checks["passed"] is True

    written = report.as_json()
    assert json.loads(json.dumps(written)) == written
    assert [row["stage"] for row in written["figures"]] == list(pipeline.STAGES)
    end_to_end = next(row for row in written["figures"] if row["stage"] == pipeline.END_TO_END)
    assert end_to_end["ratio"] is not None and end_to_end["ratio"] > 0

    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongodb_uri)
    try:
        left = [
            name
            for name in await client.list_database_names()
            if name.startswith(f"bench_{report.about['run_id']}")
        ]
    finally:
        await client.close()
    assert left == []  # the run removed its databases


def test_ratio_is_the_rate_over_the_baseline_rate_and_the_table_shows_it() -> None:
    report = Report(events=100)
    report.add(Figure("raw", 100, 0.5))
    report.add(Figure("ours", 100, 2.0, baseline="raw"))

    assert report.ratio(report.figure("ours")) == pytest.approx(0.25)
    assert report.ratio(report.figure("raw")) is None
    lines = report.table().splitlines()
    assert lines[0].split() == ["stage", "events", "seconds", "events/s", "ratio", "vs"]
    assert lines[2].split() == ["raw", "100", "0.500", "200"]
    assert lines[3].split() == ["ours", "100", "2.000", "50", "0.25x", "raw"]
    with pytest.raises(ValueError, match="measured twice"):
        report.add(Figure("raw", 100, 1.0))
