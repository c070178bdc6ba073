"""Bodies outside the member schools that take part in partnerships: universities, trainee
providers, the council, charities. Their people hold contributor roles at a partnership."""

import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from contracts import membership as events
from contracts.vocabulary import LaCode, OrganisationKind
from eventkit.aggregate import Aggregate
from eventkit.inputs import Name, WebLink


class OrganisationDetails(BaseModel):
    name: Annotated[Name, Field(min_length=2)]
    kind: OrganisationKind
    website: WebLink | None = None
    la_code: LaCode | None = Field(None, description="The local authority it is in, if one")


class Organisation(Aggregate):
    id: str
    details: OrganisationDetails

    @classmethod
    def register(cls, details: OrganisationDetails) -> "Organisation":
        organisation = cls(id=uuid.uuid4().hex[:12], details=details)
        organisation._announce()
        return organisation

    def update(self, details: OrganisationDetails) -> None:
        if details != self.details:
            self.details = details
            self._announce()

    def _announce(self) -> None:
        d = self.details
        self.record(
            events.OrganisationRegistered(
                organisation_id=self.id,
                name=d.name,
                kind=d.kind,
                website=d.website,
                la_code=d.la_code,
            )
        )
