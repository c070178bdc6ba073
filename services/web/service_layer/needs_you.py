"""What the home page shows a signed-in person first: what needs them now, for the way they are
acting. Each way of acting has its own `needs_you` (in its own page module), listed in
`services.web.entrypoints.home.NEEDS_YOU`."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.web.adapters.platform_api import PlatformApi
from services.web.viewer import Viewer


@dataclass(frozen=True)
class NeedsYou:
    text: str
    """In plain words: '2 bookings are waiting for your approval'."""
    href: str
    """The page where it is done."""


NeedsYouFor = Callable[[PlatformApi, Viewer], Awaitable[list[NeedsYou]]]
