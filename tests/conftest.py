"""Fixtures that give tests real servers: a Kafka-protocol broker, a MongoDB server, an SMTP server.

Where the broker and the database come from, in this order:
1. KAFKA_BOOTSTRAP_SERVERS / MONGODB_URI in the environment: used as they are;
2. testcontainers, when a Docker engine answers `docker info` and TEST_USE_CONTAINERS is not "0"
   (images from TEST_KAFKA_IMAGE / TEST_MONGODB_IMAGE);
3. the embedded servers of the dev stack (noida-db, secantusdb) on free ports in a temporary
   folder, stopped when the session ends.
The SMTP server always runs inside the test process and keeps what it receives in memory.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from devstack import servers
from devstack.mailcatcher import CatchingHandler
from devstack.processes import ManagedProcess, wait_for_port


def pytest_configure(config: pytest.Config) -> None:
    """Every test process has its own token issuer (see support.issuer)."""
    from support import issuer

    issuer.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    from support import issuer

    issuer.stop()


KAFKA_IMAGE = os.environ.get("TEST_KAFKA_IMAGE", "confluentinc/cp-kafka:7.6.0")
MONGODB_IMAGE = os.environ.get("TEST_MONGODB_IMAGE", "mongo:7.0")
SERVER_TIMEOUT_SECONDS = 60.0


@functools.cache
def use_containers() -> bool:
    """True when testcontainers is installed, a Docker engine answers, and it is not turned off."""
    if os.environ.get("TEST_USE_CONTAINERS") == "0":
        return False
    if importlib.util.find_spec("testcontainers") is None or shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@pytest.fixture(scope="session")
def embedded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stack folder of the embedded servers this session starts."""
    return tmp_path_factory.mktemp("embedded-stack")


@pytest.fixture(scope="session")
def kafka_bootstrap(embedded_dir: Path) -> Iterator[str]:
    """Bootstrap servers of a real Kafka-protocol broker, for the whole session."""
    if given := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield given
    elif use_containers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer(KAFKA_IMAGE).with_kraft() as kafka:
            yield kafka.get_bootstrap_server()
    else:
        port = servers.free_port()
        with _running(servers.kafka(embedded_dir, port), port) as process:
            yield process.url


@pytest.fixture(scope="session")
def mongodb_uri(embedded_dir: Path) -> Iterator[str]:
    """URI of a real MongoDB-protocol server with transactions, for the whole session."""
    if given := os.environ.get("MONGODB_URI"):
        yield given
    elif use_containers():
        yield from _mongodb_replica_set_container()
    else:
        port = servers.free_port()
        with _running(servers.mongodb(embedded_dir, port), port) as process:
            yield process.url


@dataclass
class SmtpServer:
    """An SMTP server in the test process; `messages` holds every message received, in order."""

    host: str
    port: int
    handler: CatchingHandler

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Messages whose envelope recipients include `address` (To, Cc or Bcc)."""
        wanted = address.lower()
        return [
            message
            for message in self.handler.messages
            if wanted in (r.strip().lower() for r in str(message["X-RcptTo"]).split(","))
        ]

    async def wait_for(
        self, count: int = 1, to: str | None = None, seconds: float = 10.0
    ) -> list[EmailMessage]:
        """Wait up to `seconds` until `count` messages (to `to`, if given) arrived; return them."""
        deadline = time.monotonic() + seconds
        while True:
            found = self.messages_to(to) if to else self.messages
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(f"expected {count} message(s), got {len(found)}")
            await asyncio.sleep(0.05)

    def clear(self) -> None:
        self.handler.messages.clear()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """An aiosmtpd server on a free port in a thread of the test process."""
    handler = CatchingHandler()
    host = servers.LOCALHOST
    controller = Controller(
        handler, hostname=host, port=servers.free_port(), server_hostname="mailcatcher"
    )
    controller.start()
    try:
        yield SmtpServer(host, controller.port, handler)
    finally:
        controller.stop()


@pytest.fixture
def unique_name() -> str:
    """A short random name for fresh topics, databases and group ids: `t` and 8 hex digits."""
    return f"t{secrets.token_hex(4)}"


class _running:
    """Start an embedded server, wait for its port, stop it on exit."""

    def __init__(self, process: ManagedProcess, port: int) -> None:
        self.process = process
        self.port = port

    def __enter__(self) -> ManagedProcess:
        self.process.start()
        try:
            wait_for_port(servers.LOCALHOST, self.port, SERVER_TIMEOUT_SECONDS, self.process)
        except BaseException:
            self.process.stop()
            raise
        return self.process

    def __exit__(self, *exc_info: object) -> None:
        self.process.stop()


def _mongodb_replica_set_container() -> Iterator[str]:
    """A one-member MongoDB replica set in a container (transactions need a replica set).

    testcontainers' MongoDbContainer sets a root user, and a replica set with users needs a
    key file, so this uses the plain container with `--replSet` and no authentication.
    """
    from pymongo import MongoClient
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    container = (
        DockerContainer(MONGODB_IMAGE)
        .with_command("--replSet rs0 --bind_ip_all")
        .with_exposed_ports(27017)
    )
    with container:
        wait_for_logs(container, "Waiting for connections", timeout=SERVER_TIMEOUT_SECONDS)
        initiate = "rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'localhost:27017'}]})"
        exit_code, output = container.exec(["mongosh", "--quiet", "--eval", initiate])
        if exit_code != 0:
            raise RuntimeError(f"rs.initiate failed: {output!r}")
        host = container.get_container_host_ip()
        uri = f"mongodb://{host}:{container.get_exposed_port(27017)}/?directConnection=true"
        client: MongoClient[dict[str, Any]]
        with MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
            deadline = time.monotonic() + SERVER_TIMEOUT_SECONDS
            while not client.admin.command("hello").get("isWritablePrimary"):
                if time.monotonic() >= deadline:
                    raise RuntimeError("the MongoDB replica set elected no primary")
                time.sleep(0.2)
        yield uri
