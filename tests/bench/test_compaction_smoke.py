"""The compaction measurement runs on the session's broker, and whatever the broker does with
a compacted topic, the latest value of every key (and every tombstone) reads back."""

import pytest

from bench import compaction


@pytest.mark.integration
async def test_the_latest_value_of_every_key_survives_on_a_compacted_topic(
    kafka_bootstrap: str,
) -> None:
    result = await compaction.measure(kafka_bootstrap, keys=6, updates=3, wait_seconds=0)

    assert (result.written, result.erased) == (6 * 3 + 3, 3)
    assert result.latest_intact
    assert result.keys - result.erased <= result.read_back[-1] <= result.written
    assert len(result.lines()) == 3
