"""Every service's live OpenAPI, fuzzed by schemathesis as an outside client would: every
operation with positive and negative data, then stateful runs where one operation's ids feed the
next (links schemathesis infers from the schemas). Every answer must be no server error, a
documented status code and content type, and a body that matches its documented schema.

The services run as OS processes of their own, over real HTTP, each with its own database on the
session's broker and database server; schemathesis's own command (`st run`) is the client.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack import servers
from devstack.processes import ManagedProcess, wait_for_http
from eventkit.auth import Role, mint_token
from support.issuer import signing_key

pytestmark = pytest.mark.integration

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
SERVICES = ("identity", "membership", "events", "notifications", "reporting")
EXAMPLES = int(os.environ.get("TEST_FUZZ_EXAMPLES", "15"))
"""Test cases per operation; more with TEST_FUZZ_EXAMPLES."""
SEED = os.environ.get("TEST_FUZZ_SEED", "20261201")
"""Fixed, so a failure is seen again on the next run; another with TEST_FUZZ_SEED."""


@pytest.fixture(scope="module")
def live(kafka_bootstrap: str, mongodb_uri: str) -> Iterator[dict[str, str]]:
    """The base URL of each service, running as its own process."""
    unique_name = secrets.token_hex(4)
    folder = Path(tempfile.mkdtemp(prefix="fuzz-stack-"))
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URI": mongodb_uri,
        "AUTH_JWKS_URL": os.environ["AUTH_JWKS_URL"],
        "IDENTITY_KEYS_DIR": str(folder / "identity-keys"),
        "CONSUMER_GROUP_SUFFIX": f"fuzz-{unique_name}",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "MONTHLY_COUNTY_REPORTS": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "eventkit.topics"],
        env={**os.environ, **servers.python_path_env(), **env},
        check=True,
        capture_output=True,
    )
    started: dict[str, ManagedProcess] = {}
    try:
        for name in SERVICES:
            service_env = {
                **env,
                "SERVICE_NAME": name,
                "MONGODB_DATABASE": f"fuzz_{name}_{unique_name}",
            }
            started[name] = servers.service(folder, name, servers.free_port(), service_env)
            started[name].start()
        for process in started.values():
            wait_for_http(f"{process.url}/ready", 60, process)
        yield {name: process.url for name, process in started.items()}
    finally:
        for process in started.values():
            process.stop()


def officer_token() -> str:
    return mint_token(signing_key(), subject="fuzzer", role=Role.COUNTY_OFFICER)


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers_as_documented(service: str, live: dict[str, str]) -> None:
    """schemathesis's own command, as any client's CI could run it: examples, coverage, fuzzing
    (positive and negative data) and stateful phases, with the four checks."""
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        f"{live[service]}/openapi.json",
        "--header",
        f"Authorization: Bearer {officer_token()}",
        "--checks",
        ",".join(CHECKS),
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        SEED,
        "--generation-database",
        "none",
        "--workers",
        "1",
        "--no-color",
    ]
    with tempfile.TemporaryDirectory(prefix="fuzz-run-") as scratch:  # its caches stay out
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=600, check=False, cwd=scratch
        )
    summary = "\n".join(done.stdout.splitlines()[-60:])
    assert done.returncode == 0, f"schemathesis found failures in {service}:\n{summary}"
    assert " passed" in done.stdout and "generated" in done.stdout, summary
