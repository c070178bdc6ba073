"""The embedded broker and database of the dev stack, for a benchmark run that was given none.

Each server not given is started on a free loopback port with its data in a temporary folder,
and stopped (folder removed) when the run ends.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from devstack import servers
from devstack.processes import ManagedProcess, wait_for_port

START_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Servers:
    kafka_bootstrap: str
    mongodb_uri: str
    embedded: tuple[str, ...]
    """The names of the servers started here ("kafka", "mongodb")."""


@contextmanager
def servers_for_run(kafka_bootstrap: str | None, mongodb_uri: str | None) -> Iterator[Servers]:
    """The given servers, with an embedded one started for each that was not given."""
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as folder, ExitStack() as running:
        stack_dir = Path(folder)
        planned: list[tuple[ManagedProcess, int]] = []
        if kafka_bootstrap is None:
            port = _free_port(taken=[])
            planned.append((servers.kafka(stack_dir, port), port))
        if mongodb_uri is None:
            port = _free_port(taken=[p for _, p in planned])
            planned.append((servers.mongodb(stack_dir, port), port))
        for process, _ in planned:
            process.start()
            running.callback(process.stop)
        for process, port in planned:
            wait_for_port(servers.LOCALHOST, port, START_TIMEOUT_SECONDS, process)
        urls = {process.name: process.url for process, _ in planned}
        yield Servers(
            kafka_bootstrap=kafka_bootstrap or urls["kafka"],
            mongodb_uri=mongodb_uri or urls["mongodb"],
            embedded=tuple(urls),
        )


def _free_port(taken: list[int]) -> int:
    while (port := servers.free_port()) in taken:
        pass
    return port


def add_run_arguments(parser: argparse.ArgumentParser, *, timeout: float) -> None:
    """The options every benchmark takes: servers to use, where to write figures, limits."""
    parser.add_argument(
        "--kafka", metavar="BOOTSTRAP", help="bootstrap servers (default: embedded)"
    )
    parser.add_argument("--mongodb", metavar="URI", help="MongoDB URI (default: embedded)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument("--timeout", type=float, default=timeout, help="give up after (seconds)")
    parser.add_argument("--log-level", default="WARNING", help="default %(default)s")
