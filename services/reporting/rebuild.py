"""Rebuild the read models from the log while the service keeps answering:
`python -m services.reporting.rebuild [--status | --discard]`.

A rebuild writes a new generation of the read models (the composition, from membership's
topic; participation, from the events service's) beside the one served: fresh collections
(`bookings.g2` ...) kept by consumer groups of their own (`reporting.participation.g2` ...),
replayed from offset 0 of every topic with a progress bar. Once it has caught up with the end
of the log it switches over: the running service moves its consumers to the new generation's
groups, which go on from where the rebuild stopped, and answers from the new collections. The
generation it replaced is dropped once no consumer of it is left.

A rebuild that stops half-way (interrupted, a crash) is resumed by running the command again,
or thrown away with `--discard`; neither touches what is served. The history of records
(`reporting.history.*`) is not a generation and is left as it is. Settings come from the same
environment variables as the service itself.
"""

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tqdm import tqdm

from eventkit.consumer import EventConsumer
from eventkit.logging import configure_logging
from eventkit.runtime import ServiceRuntime
from services.reporting.adapters import generations
from services.reporting.adapters.consumer_group import active_members
from services.reporting.bootstrap import ReportingSettings, projection_consumers
from services.reporting.domain.generation import Generation
from services.reporting.entrypoints.consumer import replay
from services.reporting.service_layer.unit_of_work import ReportingUnitOfWork

RETIRE_WAIT_SECONDS = 30.0
Progress = Callable[[str, int, int], None]
"""Called with (consumer, records read, records to read as far as is known now)."""
Runtime = ServiceRuntime[ReportingUnitOfWork]


@dataclass(frozen=True)
class Rebuilt:
    generation: Generation
    resumed: bool
    read: dict[str, int]
    """How many records each consumer read."""
    replaced: Generation
    dropped: bool
    """Whether the replaced generation is gone (else its consumers had not moved in time)."""


class Rebuild:
    """Over the service's own database and broker (its runtime, not started)."""

    def __init__(
        self, settings: ReportingSettings, consumers: Sequence[EventConsumer] | None = None
    ) -> None:
        self.settings = settings
        self.runtime: Runtime = ServiceRuntime(settings, ReportingUnitOfWork)
        self.db = self.runtime.db
        self.consumers = list(consumers or projection_consumers(settings))

    async def close(self) -> None:
        await self.runtime.client.close()

    async def run(
        self,
        progress: Progress = lambda consumer, done, total: None,
        retire_wait_seconds: float = RETIRE_WAIT_SECONDS,
    ) -> Rebuilt:
        """Resume the generation being built, or begin one; replay; switch over; retire."""
        generation = await generations.building(self.db)
        resumed = generation is not None
        if generation is None:
            await self._drop_leftovers()
            generation = await generations.begin(self.db)
        read = await self._replay(generation, progress)
        replaced = await generations.switch(self.db, generation)
        dropped = await self._retire(replaced, retire_wait_seconds)
        return Rebuilt(generation, resumed, read, replaced, dropped)

    async def discard(self) -> Generation | None:
        """Throw away the generation being built, if any (what is served is untouched)."""
        generation = await generations.building(self.db)
        if generation is not None:
            await generations.drop(self.db, generation, [c.name for c in self.consumers])
            await generations.forget(self.db, generation)
        return generation

    async def status(self) -> dict[str, object]:
        present = await generations.present(self.db)
        return {
            "live": (await generations.live(self.db)).number,
            "building": getattr(await generations.building(self.db), "number", None),
            "present": {g.number: len(names) for g, names in sorted(present.items())},
        }

    async def _replay(self, generation: Generation, progress: Progress) -> dict[str, int]:
        await self.runtime.broker.start()  # for dead letters, and the relay's wake-ups
        try:
            return await replay(
                self.runtime,
                self.consumers,
                generation,
                batch_size=self.settings.consumer_batch_size,
                progress=progress,
            )
        finally:
            await self.runtime.broker.stop()

    async def _in_use(self, generation: Generation) -> bool:
        """Whether a running service still consumes into the generation."""
        for consumer in self.consumers:
            group = generation.consumer(consumer.name)
            if await active_members(self.settings.kafka_bootstrap_servers, group):
                return True
        return False

    async def _retire(self, generation: Generation, wait_seconds: float) -> bool:
        """Drop a generation no longer served once no consumer of it is left; whether it went."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while await self._in_use(generation):
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.5)
        await generations.drop(self.db, generation, [c.name for c in self.consumers])
        return True

    async def _drop_leftovers(self) -> None:
        """Generations neither served, nor being built, nor a snapshot (a replaced one whose
        service had not moved in time), once nothing consumes into them."""
        keep = await generations.kept(self.db)
        for generation in await generations.present(self.db):
            if generation not in keep:
                await self._retire(generation, wait_seconds=0)


class _Bars:
    """One progress bar per consumer (on a terminal; elsewhere a line when each is done)."""

    def __init__(self) -> None:
        self._bars: dict[str, tqdm[None]] = {}

    def __call__(self, consumer: str, done: int, total: int) -> None:
        bar = self._bars.get(consumer)
        if bar is None:
            bar = self._bars[consumer] = tqdm(
                desc=consumer, total=total, unit=" events", disable=None, file=sys.stderr
            )
        bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


async def _main(args: argparse.Namespace) -> int:
    settings = ReportingSettings()
    if "LOG_LEVEL" not in os.environ:  # the progress bars say how it goes; warnings still show
        settings = settings.model_copy(update={"log_level": "WARNING"})
    configure_logging(settings)
    rebuild = Rebuild(settings)
    try:
        if args.status:
            print(await rebuild.status())
            return 0
        if args.discard:
            thrown = await rebuild.discard()
            print(f"{thrown} thrown away." if thrown else "No rebuild was under way.")
            return 0
        bars = _Bars()
        try:
            done = await rebuild.run(bars)
        finally:
            bars.close()
    finally:
        await rebuild.close()
    read = ", ".join(f"{name} {count}" for name, count in done.read.items())
    print(
        f"{'Resumed' if done.resumed else 'Built'} {done.generation} of the read models in "
        f"database {settings.database_name} from offset 0 (records read: {read}); it is served now."
    )
    if done.dropped:
        print(f"{done.replaced} was dropped.")
    else:
        print(f"{done.replaced} is still consumed by a service; the next rebuild drops it.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.reporting.rebuild", description=__doc__.split("\n\n")[0]
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help="the generations, and nothing done")
    what.add_argument("--discard", action="store_true", help="throw away a half-built rebuild")
    try:
        return asyncio.run(_main(parser.parse_args(argv)))
    except generations.RebuildUnderWay as exc:
        print(f"rebuild refused: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped: run it again to resume, or with --discard to throw it away.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
