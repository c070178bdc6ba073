"""Builds the snapshots asked for: each replays the log from offset 0 up to the end of its day
into a generation of its own, by the projections' own consumers (their groups named for that
generation, so a build that stops goes on where it was when the service starts again). A
snapshot of today is ready once it has caught up, and follows the log until the day is over."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import structlog

from eventkit.consumer import EventConsumer
from eventkit.runtime import ServiceRuntime
from services.reporting.adapters import generations
from services.reporting.domain.generation import Generation
from services.reporting.domain.snapshot import Snapshot, SnapshotState, end_of
from services.reporting.entrypoints.consumer import replay
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork

log = structlog.get_logger(__name__)
FOLLOW = timedelta(seconds=10)
"""How often a snapshot of a day not yet over takes in what the log has gained."""


class SnapshotBuilder:
    def __init__(
        self,
        runtime: ServiceRuntime[ReportingUnitOfWork],
        consumers: Sequence[EventConsumer],
        batch_size: int,
    ) -> None:
        self._runtime = runtime
        self._consumers = list(consumers)
        self._batch_size = batch_size
        self._progress: dict[date, dict[str, tuple[int, int]]] = {}
        self._followed: dict[date, datetime] = {}
        self._dropping: set[asyncio.Task[int]] = set()

    async def ask_for(self, as_of: date) -> tuple[Snapshot, bool]:
        """The snapshot of the day (begun now if new: the sweep builds it); whether it is new."""
        return await generations.begin_snapshot(self._runtime.db, as_of)

    async def get(self, as_of: date) -> Snapshot | None:
        found = await generations.snapshot(self._runtime.db, as_of)
        return None if found is None else self._with_progress(found)

    async def all(self) -> list[Snapshot]:
        return [self._with_progress(s) for s in await generations.snapshots(self._runtime.db)]

    async def discard(self, as_of: date) -> bool:
        """Forget the snapshot at once (no report is answered from it after this); its
        collections and inbox entries, the whole log's worth, are dropped in the background."""
        found = await generations.snapshot(self._runtime.db, as_of)
        if found is None:
            return False
        await generations.forget_snapshot(self._runtime.db, as_of)
        consumers = [c.name for c in self._consumers]
        dropping = asyncio.create_task(
            generations.drop(self._runtime.db, Generation(found.generation), consumers)
        )
        self._dropping.add(dropping)
        dropping.add_done_callback(self._dropped)
        return True

    def _dropped(self, task: "asyncio.Task[int]") -> None:
        self._dropping.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.warning("snapshot.drop_failed", error=repr(error))

    def _with_progress(self, snapshot: Snapshot) -> Snapshot:
        if snapshot.state != SnapshotState.BUILDING:
            return snapshot
        counts = self._progress.get(snapshot.as_of, {}).values()
        read, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
        return snapshot.model_copy(update={"read": read, "total": total})

    async def build_waiting(self, _: ReportingUnitOfWork) -> None:
        """The sweep: build every snapshot asked for and not ready yet, one after the other,
        and bring a snapshot of a day not yet over up to date (every `FOLLOW_SECONDS`)."""
        now = datetime.now(UTC)
        for snapshot in await generations.snapshots(self._runtime.db):
            if snapshot.complete:
                continue
            if snapshot.state == SnapshotState.READY:
                if (
                    now - self._followed.get(snapshot.as_of, datetime.min.replace(tzinfo=UTC))
                    < FOLLOW
                ):
                    continue
                self._followed[snapshot.as_of] = now
            await self._build(snapshot)

    async def _build(self, snapshot: Snapshot) -> None:
        runtime, generation = self._runtime, Generation(snapshot.generation)
        until = end_of(snapshot.as_of)
        complete = datetime.now(UTC) >= until  # what happens later is left out anyway
        progress = self._progress.setdefault(snapshot.as_of, {})

        def report(consumer: str, done: int, total: int) -> None:
            progress[consumer] = (done, total)

        await replay(
            runtime,
            self._consumers,
            generation,
            batch_size=self._batch_size,
            progress=report,
            until=until,
        )
        self._progress.pop(snapshot.as_of, None)
        if not await generations.snapshot_ready(runtime.db, snapshot, complete):
            # thrown away while it was built: what the build wrote goes too
            await generations.drop(runtime.db, generation, [c.name for c in self._consumers])
            return
        if snapshot.state == SnapshotState.BUILDING:
            log.info(
                "snapshot.ready", as_of=snapshot.as_of.isoformat(), generation=generation.number
            )
