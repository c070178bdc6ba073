"""The case studies of a coordinator's partnerships: written as aims, background, resources and
impact, sent to a county officer for review, published once approved; and the form they are
written with, checked field by field."""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.web import words
from services.web.adapters.platform_api import ApiProblem, Params, PlatformApi
from services.web.forms import Form
from services.web.service_layer.coordinate_models import CaseStudy
from services.web.service_layer.coordinate_partnerships import my_partnerships, not_yours

PAGE = 200
MOST_PAGES = 20
TEXTS = (
    ("summary", "The summary", 600),
    ("aims", "The aims", 5_000),
    ("background", "The background", 10_000),
    ("resources", "The resources", 5_000),
    ("impact", "The impact", 10_000),
)
FIELDS = ("partnership_id", "title", *(name for name, _, _ in TEXTS))
LISTS = ("categories", "activity_ids", "urns")
WHOLE_FORM = "case-study-form"
ORDER = ("returned", "draft", "approved", "submitted", "published")
"""The groups of the list, what needs the coordinator first."""


@dataclass
class CaseStudyForm(Form):
    chosen: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def given(cls, items: list[tuple[str, str]]) -> "CaseStudyForm":
        pairs = [(k, v.strip()) for k, v in items]
        single = dict(pairs)
        return cls(
            values={name: single.get(name, "") for name in (*FIELDS, "version")},
            chosen={name: [v for k, v in pairs if k == name and v] for name in LISTS},
        )

    @classmethod
    def of_case_study(cls, case_study: CaseStudy) -> "CaseStudyForm":
        c = case_study.content
        values = {name: getattr(c, name) or "" for name in FIELDS if name != "partnership_id"}
        return cls(
            values={
                **values,
                "partnership_id": case_study.partnership_id,
                "version": str(case_study.version),
            },
            chosen={"categories": c.categories, "activity_ids": c.activity_ids, "urns": c.urns},
        )

    def chose(self, name: str) -> list[str]:
        return self.chosen.get(name, [])

    @property
    def version(self) -> int | None:
        """The version the form was opened at: a change made since is not overwritten."""
        given = self.value("version")
        return int(given) if given.isdecimal() and len(given) < 10 else None


@dataclass(frozen=True)
class Links:
    """What a case study may name: its partnership's activities and member schools."""

    partnerships: Mapping[str, str]
    activities: Mapping[str, str]
    schools: Mapping[str, str]


def read_case_study(form: CaseStudyForm, links: Links, *, sending: bool) -> dict[str, Any]:
    """The events API's body for what was typed; `sending` for review needs the impact."""
    v = form.value
    if v("partnership_id") not in links.partnerships:
        form.refuse("partnership_id", "Select the partnership whose work it tells")
    title = v("title")
    if not title:
        form.refuse("title", "Enter a title")
    elif len(title) < 3:
        form.refuse("title", "The title must be 3 characters or more")
    elif len(title) > 200:
        form.refuse("title", "The title must be 200 characters or fewer")
    if not set(form.chose("categories")) <= set(words.CATEGORIES):
        form.refuse("categories", "Select kinds of work from the list")
    for name, label, most in TEXTS:
        if len(v(name)) > most:
            form.refuse(name, f"{label} must be {most:,} characters or fewer")
    if sending and not v("impact"):
        form.refuse("impact", "Write the difference it made before you send it for review")
    if not set(form.chose("activity_ids")) <= set(links.activities):
        form.refuse("activity_ids", "Select activities from the list")
    if not set(form.chose("urns")) <= set(links.schools):
        form.refuse("urns", "Select schools from the list")
    return {
        "title": title,
        **{name: v(name) or None for name, _, _ in TEXTS},
        "categories": form.chose("categories"),
        "activity_ids": form.chose("activity_ids"),
        "urns": form.chose("urns"),
    }


API_FIELDS = {
    "title": "Enter a title of 3 to 200 characters",
    "categories": "Select kinds of work from the list",
    "activity_ids": "Select activities of the partnership from the list",
    "urns": "Select member schools of the partnership from the list",
    **{name: f"{label} is too long, or has characters it cannot have" for name, label, _ in TEXTS},
}


def refuse_api(form: Form, problem: ApiProblem) -> None:
    for api_field in problem.fields:
        name = api_field.split(".")[0]
        if name in API_FIELDS:
            form.refuse(name, API_FIELDS[name])
    said = problem.detail.split(":", 1)[0]
    if form.valid and said in API_FIELDS:
        form.refuse(said, API_FIELDS[said])  # a link the service refused: `urns: ...`
    if form.valid and problem.status == 409 and "version" in problem.detail:
        form.refuse(
            WHOLE_FORM,
            "Someone changed this case study while you were writing. What you typed is kept "
            "below: copy what you need, then open the case study again to see their changes",
        )
    if form.valid:
        said = problem.detail.rstrip(".")
        form.refuse(WHOLE_FORM, f"The case study could not be saved: {said}")


async def case_studies_of(
    api: PlatformApi, token: str, partnership_ids: list[str]
) -> list[CaseStudy]:
    """Every one the coordinator may see of their partnerships, published or not."""

    async def of(pid: str) -> list[CaseStudy]:
        found: list[CaseStudy] = []
        for n in range(MOST_PAGES):
            params: Params = {"partnership_id": pid, "limit": PAGE, "offset": n * PAGE}
            batch = await api.events.get("/case-studies", token, params)
            found.extend(CaseStudy.model_validate(c) for c in batch)
            if len(batch) < PAGE:
                break
        return found

    return [c for batch in await asyncio.gather(*map(of, partnership_ids)) for c in batch]


def grouped(case_studies: list[CaseStudy]) -> list[tuple[str, list[CaseStudy]]]:
    by_status: dict[str, list[CaseStudy]] = {}
    for c in sorted(case_studies, key=lambda c: c.updated_at, reverse=True):
        by_status.setdefault(c.status, []).append(c)
    return [(status, by_status[status]) for status in ORDER if status in by_status]


async def my_case_study(api: PlatformApi, token: str, case_study_id: str) -> CaseStudy:
    found, partnerships = await asyncio.gather(
        api.events.get(f"/case-studies/{case_study_id}", token), my_partnerships(api, token)
    )
    case_study = CaseStudy.model_validate(found)
    if case_study.partnership_id not in {p.id for p in partnerships}:
        raise not_yours(f"case study {case_study_id}")
    return case_study


async def create(api: PlatformApi, token: str, partnership_id: str, body: dict[str, Any]) -> str:
    made = await api.events.post("/case-studies", token, {**body, "partnership_id": partnership_id})
    return str(made["id"])


async def update(
    api: PlatformApi, token: str, case_study: CaseStudy, body: dict[str, Any], version: int | None
) -> None:
    """The authors stay as they are; `version` is the one edited (None: whatever it is now)."""
    content = {**body, "authors": case_study.content.authors, "version": version}
    await api.events.put(f"/case-studies/{case_study.id}", token, content)


async def act(api: PlatformApi, token: str, case_study_id: str, action: str) -> None:
    """submit or publish."""
    await api.events.post(f"/case-studies/{case_study_id}/{action}", token)
