"""Benchmark of an idle platform: CPU per process while nothing happens, and how soon a new event
is picked up all the same.

    python -m bench.idle [--idle-seconds S] [--probes N] [--json PATH]

Starts the whole embedded stack (`partnerships stack up`: broker, database, mail catcher, every
service) in a temporary folder on free ports, waits until the services settled, then reads each
process's CPU time from /proc over S idle seconds (default 30). Then, N times with a second of
quiet before each, it registers a school through the membership API and times, from the answer,
until the events and reporting services' databases hold their copies of it: the relay, the
broker and an idle consumer in between. The stack is stopped and its folder removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from devstack import stack
from devstack.servers import free_port
from eventkit.auth import Role, SigningKey, mint_token

DEFAULT_IDLE_SECONDS = 30.0
DEFAULT_PROBES = 10
SETTLE_SECONDS = 5.0
IDLE_TARGET_PERCENT = 5.0
"""Most of one core an idle process may use."""
CONSUMERS = {"events": "directory_schools", "reporting": "schools"}
"""Where each consuming service keeps its copy of a school."""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """The process's CPU time and that of its children that still run (a broker's helpers)."""
    total = cpu_seconds(pid)
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            total += tree_cpu_seconds(int(child))
    return total


def idle_cpu(pids: dict[str, int], seconds: float) -> dict[str, float]:
    """Percent of one core each process used over `seconds` of nothing happening."""
    before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
    started = time.monotonic()
    time.sleep(seconds)
    wall = time.monotonic() - started
    return {name: 100 * (tree_cpu_seconds(pid) - before[name]) / wall for name, pid in pids.items()}


async def pickup_latencies(
    info: dict[str, Any], key: SigningKey, probes: int
) -> dict[str, list[float]]:
    """Milliseconds from the membership API's answer until each consumer stored the school."""
    token = mint_token(key, subject="bench-idle", role=Role.COUNTY_OFFICER)
    membership = info["services"]["membership"]["url"]
    mongodb_uri = info["mongodb"]["url"]
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    latencies: dict[str, list[float]] = {name: [] for name in CONSUMERS}
    try:
        async with httpx.AsyncClient(
            base_url=membership, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as http:
            for number in range(probes):
                await asyncio.sleep(1.0)  # quiet first: the consumers are idle again
                urn = str(990000 + number)
                body = {"urn": urn, "name": f"Idle probe {number}", "phase": "primary"}
                answered = await http.post("/schools", json={**body, "sector": "state"})
                if answered.status_code != 201:
                    raise SystemExit(f"bench.idle: POST /schools answered {answered.text}")
                sent = time.perf_counter()
                pending = dict(CONSUMERS)
                while pending:
                    for service, collection in list(pending.items()):
                        if await client[service][collection].find_one({"_id": urn}, {"_id": 1}):
                            latencies[service].append((time.perf_counter() - sent) * 1000)
                            del pending[service]
                    if time.perf_counter() - sent > 30:
                        raise SystemExit(f"bench.idle: {sorted(pending)} never stored {urn}")
                    await asyncio.sleep(0.002)
    finally:
        await client.close()
    return latencies


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.idle", description=__doc__)
    parser.add_argument("--idle-seconds", type=float, default=DEFAULT_IDLE_SECONDS)
    parser.add_argument("--probes", type=int, default=DEFAULT_PROBES)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-idle-") as folder:
        for part in stack.DEFAULT_PORTS:
            os.environ[f"STACK_{part.upper()}_PORT"] = str(free_port())
        print(f"bench.idle: starting the embedded stack in {folder} ...", flush=True)
        try:
            info = stack.up(folder)
            pids = {p.name: p.pid for p in stack.status(folder) if p.pid is not None}
            time.sleep(SETTLE_SECONDS)
            cpu = idle_cpu(pids, args.idle_seconds)
            latencies = asyncio.run(pickup_latencies(info, stack.signing_key(folder), args.probes))
        finally:
            stack.down(folder)
    print(f"\nidle CPU over {args.idle_seconds:g} s (percent of one core; target < 5% each)")
    for name, percent in cpu.items():
        verdict = "ok" if percent < IDLE_TARGET_PERCENT else "OVER"
        print(f"  {name:<12} {percent:6.1f}%  {verdict}")
    print(f"\nnew event picked up, ms from the API's answer ({args.probes} probes after 1 s quiet)")
    for service, values in latencies.items():
        ordered = sorted(values)
        p50 = statistics.median(ordered)
        print(f"  {service:<12} p50 {p50:6.1f}  max {ordered[-1]:6.1f}")
    if args.json:
        args.json.write_text(json.dumps({"idle_cpu_percent": cpu, "pickup_ms": latencies}) + "\n")
    return 0 if all(p < IDLE_TARGET_PERCENT for p in cpu.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
