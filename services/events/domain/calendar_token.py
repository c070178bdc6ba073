"""A calendar token: a link a person gives their calendar app, reading one feed as them."""

from datetime import datetime

from pydantic import Field

from eventkit.aggregate import Aggregate


class CalendarToken(Aggregate):
    """The record of one; the token itself (a signed JWT naming this id) is shown only once."""

    id: str
    holder: str = Field(
        description="Who made it (a person id, or a hash of the caller), who alone lists and revokes it"
    )
    feed: str = Field(description="The path of the one feed it reads")
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, at: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = at
