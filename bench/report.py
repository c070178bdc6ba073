"""Figures of a benchmark run: one row per stage, printed as a table or written as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """`events` went through `stage` in `seconds`; `baseline` names the stage it is compared with."""

    stage: str
    events: int
    seconds: float
    baseline: str | None = None
    also: tuple[str, ...] = ()
    """Other stages it is compared with too (printed after the baseline)."""

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.events / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class Report:
    """Every figure of one run, plus the checks that the pipeline lost and doubled nothing."""

    events: int
    figures: list[Figure] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)
    about: dict[str, Any] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        if any(f.stage == figure.stage for f in self.figures):
            raise ValueError(f"stage {figure.stage!r} measured twice")
        self.figures.append(figure)
        return figure

    def figure(self, stage: str) -> Figure:
        for figure in self.figures:
            if figure.stage == stage:
                return figure
        raise KeyError(stage)

    def ratio(self, figure: Figure, baseline: str | None = None) -> float | None:
        """This stage's rate divided by its baseline's (0.25 means a quarter of the raw speed)."""
        against = baseline or figure.baseline
        if against is None:
            return None
        return figure.rate / self.figure(against).rate

    def compared(self, figure: Figure) -> str:
        """The baseline's name, then each other comparison with its ratio."""
        others = [f"{self.ratio(figure, other):.2f}x {other}" for other in figure.also]
        return "; ".join([figure.baseline or "", *others]) if others else figure.baseline or ""

    def as_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "about": self.about,
            "figures": [
                {
                    "stage": f.stage,
                    "events": f.events,
                    "seconds": round(f.seconds, 4),
                    "events_per_second": round(f.rate, 1),
                    "baseline": f.baseline,
                    "ratio": None if (r := self.ratio(f)) is None else round(r, 3),
                }
                for f in self.figures
            ],
            "checks": self.checks,
        }

    def table(self) -> str:
        rows = [("stage", "events", "seconds", "events/s", "ratio", "vs")]
        for f in self.figures:
            ratio = self.ratio(f)
            rows.append(
                (
                    f.stage,
                    str(f.events),
                    f"{f.seconds:.3f}",
                    f"{f.rate:,.0f}",
                    "" if ratio is None else f"{ratio:.2f}x",
                    self.compared(f),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = []
        for number, row in enumerate(rows):
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:5], widths[1:5], strict=True)]
            cells.append(row[5])
            lines.append("  ".join(cells).rstrip())
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)
