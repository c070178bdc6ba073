"""Waiting for what happens after a response or a message: the one polling helper of the tests."""

import asyncio
import time
from collections.abc import Awaitable, Callable

WAIT_SECONDS = 60.0
"""Generous: a service started by a test replays the shared topics from offset 0 first, and late
in a session they hold every earlier test's events. A check that passes returns at once."""

CATCH_UP_SECONDS = 120.0
"""For a fresh service to hear of what a test just made: it replays the shared topics from
offset 0 first, late in a session every earlier test's demo runs (thousands of events), on a
machine the other worker keeps busy."""


async def eventually(
    check: Callable[[], Awaitable[bool]],
    timeout: float = WAIT_SECONDS,
    *,
    interval: float = 0.1,
    what: str = "condition",
) -> None:
    """Call `check` until it is true; fail naming `what` if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout:g} s")
        await asyncio.sleep(interval)
