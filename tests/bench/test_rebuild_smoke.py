"""The rebuild benchmark runs end to end on the session's broker and database: the rebuild and
the raw baseline each write every booking. No timing is asserted (the machine is noisy)."""

import pytest

from bench import rebuild


@pytest.mark.integration
async def test_the_rebuild_and_the_raw_baseline_each_write_every_document(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    figures = await rebuild.run(120, 40, kafka_bootstrap, mongodb_uri, timeout=120)

    assert [s.events for s in figures.sizes] == [40, 120]
    for size in figures.sizes:
        assert size.rebuilt_documents == size.raw_documents == size.events
        assert size.rebuild_seconds > 0 and size.raw_seconds > 0
    assert "ratio at 120 events" in figures.text()
