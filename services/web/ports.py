"""What the web front end needs from outside that the composition root supplies."""

from typing import Protocol


class Tokens(Protocol):
    """Bearer tokens the pages call the services' APIs with."""

    async def public(self) -> str:
        """A token for pages anyone may read, signed in or not: the web's own service token."""
        ...
