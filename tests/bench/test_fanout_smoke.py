"""The fan-out benchmark runs on the session's broker and database: every recipient gets the
announcement exactly once. No timing is asserted (the machine is noisy)."""

import pytest

from bench import fanout


@pytest.mark.integration
async def test_one_announcement_reaches_every_recipient_once(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    figures = await fanout.run(30, kafka_bootstrap, mongodb_uri, timeout=120)

    assert (figures.queued, figures.arrived, figures.duplicates) == (30, 30, 0)
    assert figures.service_seconds > figures.queue_seconds > 0 and figures.raw_seconds > 0
    assert "ratio" in figures.text()
