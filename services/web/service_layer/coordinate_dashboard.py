"""A partnership's dashboard: its participation term by term, the member schools that took no
part last term, and the reporting service's charts, spreadsheet and term report, fetched with
the coordinator's own token (the browser has none to fetch them with)."""

import asyncio
from dataclasses import dataclass
from typing import Any

from services.web.adapters.platform_api import (
    ApiProblem,
    PlatformApi,
    ServiceClient,
    ServiceFile,
)
from services.web.service_layer.coordinate_models import (
    Participation,
    TermFigures,
    UnderEngaged,
)

CHARTS = {
    "reach": "Bar chart of the staff reached, pupils reached and schools taking part, by term",
    "attendance": "Line chart of the share of booked places that were attended, by term",
    "categories": "Bar chart of the number of activities of each kind of work",
    "support": "Bar chart of school-to-school support asked for, agreed and closed, and case "
    "studies published, by term",
}
"""Each chart the reporting service draws, and what it shows, for its image's text."""
DOWNLOADS = {
    "participation.csv": "text/csv; charset=utf-8",
    "report.pdf": "application/pdf",
}


@dataclass(frozen=True)
class Dashboard:
    participation: Participation | None
    """None until the reporting service has heard of the partnership."""
    under_engaged: UnderEngaged | None

    @property
    def terms(self) -> list[TermFigures]:
        """Most recent first."""
        return list(reversed(self.participation.terms)) if self.participation else []

    def by_category(self) -> list[tuple[str, int]]:
        totals: dict[str, int] = {}
        for term in self.terms:
            for code, n in term.by_category.items():
                totals[code] = totals.get(code, 0) + n
        return sorted(totals.items(), key=lambda kv: -kv[1])


async def _found(client: ServiceClient, path: str, token: str) -> Any:
    """The answer, or None while the reporting service has not heard of the partnership."""
    try:
        return await client.get(path, token)
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise


async def dashboard(api: PlatformApi, token: str, partnership_id: str) -> Dashboard:
    path = f"/partnerships/{partnership_id}"
    found, quiet = await asyncio.gather(
        _found(api.reporting, f"{path}/participation", token),
        _found(api.reporting, f"{path}/under-engaged", token),
    )
    return Dashboard(
        Participation.model_validate(found) if found else None,
        UnderEngaged.model_validate(quiet) if quiet else None,
    )


async def chart(api: PlatformApi, token: str, partnership_id: str, name: str) -> ServiceFile:
    return await api.reporting.file(f"/partnerships/{partnership_id}/charts/{name}.svg", token)


async def report_file(api: PlatformApi, token: str, partnership_id: str, name: str) -> ServiceFile:
    return await api.reporting.file(f"/partnerships/{partnership_id}/{name}", token)
