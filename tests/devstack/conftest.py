"""Membership and events services, side by side on the same broker, for the demo's tests."""

from events.conftest import events, membership  # noqa: F401  (the fixtures, reused)
