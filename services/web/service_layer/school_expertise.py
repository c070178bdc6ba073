"""The expertise register: what a school offers other schools (subjects, phases, facilities,
kinds of work), kept by its lead, and finding it at other schools."""

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from services.web.adapters.platform_api import PlatformApi
from services.web.models import Answer, SchoolDetails
from services.web.service_layer.library import MOST_PAGES, SCHOOLS_PAGE
from services.web.viewer import Viewer

MOST_FOUND = 50


class Expertise(Answer):
    subjects: list[str] = Field(default_factory=list)
    phases: list[str] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    summary: str | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.subjects or self.phases or self.facilities or self.categories or self.summary
        )

    def mentions(self, words: str) -> bool:
        """Each word of the search is in a subject, a facility or the summary."""
        text = " ".join([*self.subjects, *self.facilities, self.summary or ""]).casefold()
        return all(w in text for w in words.casefold().split())


class ExpertSchool(Answer):
    urn: str
    details: SchoolDetails
    expertise: Expertise = Field(default_factory=Expertise)

    @property
    def name(self) -> str:
        return self.details.name


@dataclass(frozen=True)
class Search:
    words: str = ""
    category: str | None = None
    phase: str | None = None

    def admits(self, school: ExpertSchool) -> bool:
        e = school.expertise
        if e.empty:
            return False
        if self.category and self.category not in e.categories:
            return False
        if self.phase and self.phase not in e.phases:
            return False
        return not self.words or e.mentions(self.words)


@dataclass(frozen=True)
class Found:
    schools: list[ExpertSchool]
    """The first MOST_FOUND, by name."""
    total: int


async def school_expertise(api: PlatformApi, viewer: Viewer, urn: str) -> ExpertSchool:
    return ExpertSchool.model_validate(await api.membership.get(f"/schools/{urn}", viewer.token))


async def offer(api: PlatformApi, viewer: Viewer, urn: str, expertise: dict[str, Any]) -> None:
    await api.membership.put(f"/schools/{urn}/expertise", viewer.token, expertise)


async def search(api: PlatformApi, viewer: Viewer, wanted: Search, excluding: set[str]) -> Found:
    """Every school in the register but the lead's own whose expertise fits: the membership
    service filters schools by their details only, so all are read and filtered here."""
    found: list[ExpertSchool] = []
    for n in range(MOST_PAGES):
        batch = await api.membership.get(
            "/schools", viewer.token, {"limit": SCHOOLS_PAGE, "skip": n * SCHOOLS_PAGE}
        )
        found.extend(
            s
            for s in map(ExpertSchool.model_validate, batch)
            if s.urn not in excluding and wanted.admits(s)
        )
        if len(batch) < SCHOOLS_PAGE:
            break
    found.sort(key=lambda s: s.name.casefold())
    return Found(found[:MOST_FOUND], len(found))
