"""The booking-to-email benchmark runs on the session's broker and database: every booking's
confirmation arrives, and the figures are well formed. No timing is asserted."""

import pytest

from bench import mail_latency


@pytest.mark.integration
async def test_every_booking_gets_its_confirmation_and_the_figures_add_up(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    figures = await mail_latency.run(6, 20, kafka_bootstrap, mongodb_uri, timeout=180)

    assert figures.bookings == 6
    for stage in (figures.to_email, figures.to_queued):
        assert 0 <= stage["p50"] <= stage["p99"] <= stage["max"]
    assert figures.to_queued["p50"] <= figures.to_email["p50"]
    assert "p99" in figures.text()
