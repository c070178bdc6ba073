"""Every service side by side on the same broker, each with its own database."""

from events.conftest import events, membership  # noqa: F401  (the fixtures, reused)
from notifications.conftest import notifications  # noqa: F401
from reporting.conftest import reporting  # noqa: F401
