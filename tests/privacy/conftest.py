"""Every service that keeps a copy of people, side by side on the same broker."""

from events.conftest import events, membership  # noqa: F401  (the fixtures, reused)
from reporting.conftest import reporting  # noqa: F401
