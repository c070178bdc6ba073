"""The embedded stack for real: broker, database and mail catcher in a temporary stack folder."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosmtplib
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pymongo import AsyncMongoClient

from devstack import cli, servers, stack
from devstack.mailcatcher import read_mail
from devstack.processes import ManagedProcess, ProcessError, process_state, wait_for_port
from devstack.webhookcatcher import read_deliveries

if TYPE_CHECKING:
    from conftest import SmtpServer

pytestmark = pytest.mark.integration

CHECK_TOPIC = "devstack-check"
EXTERNAL_VARIABLES = ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI", "SMTP_HOST", "SMTP_PORT")


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A stack folder with free ports and no external servers; whatever runs is stopped after."""
    for variable in EXTERNAL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    ports: set[int] = set()
    while len(ports) < len(stack.SERVERS):
        ports.add(servers.free_port())
    for part, port in zip(stack.SERVERS, sorted(ports), strict=True):
        monkeypatch.setenv(f"STACK_{part.upper()}_PORT", str(port))
    folder = tmp_path / "stack"
    monkeypatch.setenv("STACK_HOME", str(folder))
    yield folder
    stack.down(folder)


def by_name(parts: list[stack.PartStatus]) -> dict[str, stack.PartStatus]:
    return {part.name: part for part in parts}


def alive(pid: int) -> bool:
    """Running: a process that exited but is not reaped yet (a zombie) is not."""
    state = process_state(pid)
    return state is not None and not state.zombie


async def test_up_status_down(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = stack.up(services=[], create_topics=False)

    parts = by_name(stack.status())
    for name in stack.SERVERS:
        pid = parts[name].pid
        assert parts[name].state == "running", parts[name]
        assert pid is not None and alive(pid)
        assert parts[name].url
    assert json.loads((home / "stack.json").read_text()) == info
    assert info["kafka"]["pid"] == parts["kafka"].pid
    assert cli.main(["stack", "status"]) == 0
    assert re.search(r"^kafka +running +\d+", capsys.readouterr().out, re.MULTILINE)

    await produce(info["kafka"]["url"], b"kept across restarts")
    await insert(info["mongodb"]["url"], {"_id": "kept"})
    await send_mail(info["smtp"]["host"], info["smtp"]["port"], "TeachMeet on Thursday")
    [mail] = await saved_mail(home / "mail")
    assert mail["Subject"] == "TeachMeet on Thursday"
    assert mail["X-RcptTo"] == "head@school.example.org"
    async with httpx.AsyncClient() as http:
        caught = await http.post(f"{info['webhooks']['url']}/council", content=b'{"id": "1"}')
    assert caught.status_code == 204
    [delivery] = read_deliveries(home / "webhooks")
    assert (delivery["path"], delivery["body"]) == ("/council", '{"id": "1"}')

    pids = {name: parts[name].pid for name in stack.SERVERS}
    stack.up(services=[], create_topics=False)
    assert {n: p.pid for n, p in by_name(stack.status()).items() if n in pids} == pids

    assert sorted(stack.down()) == sorted(stack.SERVERS)
    for pid in pids.values():
        assert pid is not None and not alive(pid)
    assert {p.state for p in stack.status()} == {"stopped"}
    assert not list((home / "run").glob("*.pid"))

    info = stack.up(services=[], create_topics=False)  # data was kept across the restart
    assert await consume_all(info["kafka"]["url"]) == [b"kept across restarts"]
    assert await find(info["mongodb"]["url"], "kept") == {"_id": "kept"}
    assert len(read_mail(home / "mail")) == 1


async def produce(bootstrap: str, value: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(CHECK_TOPIC, value)
    finally:
        await producer.stop()


async def consume_all(bootstrap: str) -> list[bytes | None]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partition = TopicPartition(CHECK_TOPIC, 0)
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        batch = await consumer.getmany(partition, timeout_ms=5000)
        return [record.value for record in batch.get(partition, [])]
    finally:
        await consumer.stop()


async def insert(uri: str, document: dict[str, Any]) -> None:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri, serverSelectionTimeoutMS=5000)
    try:
        assert (await mongo.admin.command("ping"))["ok"] == 1
        await mongo.devstack_check.things.insert_one(document)
    finally:
        await mongo.close()


async def find(uri: str, key: str) -> dict[str, Any] | None:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri, serverSelectionTimeoutMS=5000)
    try:
        return await mongo.devstack_check.things.find_one({"_id": key})
    finally:
        await mongo.close()


async def send_mail(host: str, port: int, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "coordinator@example.org"
    message["To"] = "head@school.example.org"
    message["Subject"] = subject
    message.set_content("See you there.")
    await aiosmtplib.send(message, hostname=host, port=port)


async def saved_mail(folder: Path) -> list[EmailMessage]:
    for _ in range(100):
        if mail := read_mail(folder):
            return mail
        await asyncio.sleep(0.05)
    raise AssertionError(f"no .eml file appeared in {folder}")


def test_stale_pid_file_never_signals_a_stranger(home: Path) -> None:
    run = home / "run"
    run.mkdir(parents=True)
    stale = {"pid": os.getpid(), "started": "long ago", "argv": ["noida-db"], "url": ""}
    (run / "kafka.pid").write_text(json.dumps(stale))
    (run / "mongodb.pid").write_text(f"{os.getpid()}\n")  # not our format: never ours

    parts = by_name(stack.status())
    assert (parts["kafka"].state, parts["kafka"].pid) == ("exited", None)
    assert stack.down() == []  # and this test is still alive to check it
    assert not (run / "kafka.pid").exists()
    assert not (run / "mongodb.pid").exists()


def test_external_servers_are_passed_through(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example.org:9092")
    monkeypatch.setenv("MONGODB_URI", "mongodb://mongo.example.org:27017/")
    monkeypatch.setenv("SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("OIDC_ISSUER", "https://login.example.org/realms/county")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "from-the-county")

    info = stack.up(services=[], create_topics=False)

    # only the demo's webhook catcher starts: it stands for a council system, not a server
    assert [p.name for p in (home / "run").glob("*.pid")] == ["webhooks.pid"]
    assert info["kafka"] == {"url": "kafka.example.org:9092", "external": True, "pid": None}
    assert info["env"]["MONGODB_URI"] == "mongodb://mongo.example.org:27017/"
    assert (info["env"]["SMTP_HOST"], info["env"]["SMTP_PORT"]) == ("smtp.example.org", "25")
    assert "OIDC_ISSUER" not in info["env"]  # the services' settings, not the servers'
    config = stack.StackConfig.from_env()
    assert stack._sign_in_env(config) == {
        "OIDC_ISSUER": "https://login.example.org/realms/county",
        "OIDC_CLIENT_ID": "web",
        "OIDC_CLIENT_SECRET": "from-the-county",
    }
    assert {p.name: p.state for p in stack.status()}["kafka"] == "external"


def test_a_given_broker_is_not_started(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")

    info = stack.up(services=[], create_topics=False)

    parts = by_name(stack.status())
    assert parts["kafka"].pid is None
    assert not (home / "run" / "kafka.pid").exists()
    assert info["env"]["KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:1"
    assert parts["mongodb"].state == parts["smtp"].state == "running"
    assert sorted(stack.down()) == ["mongodb", "oidc", "smtp", "webhooks"]


def test_a_taken_port_fails_before_anything_starts(home: Path) -> None:
    port = int(os.environ["STACK_MONGODB_PORT"])
    with socket.socket() as squatter:
        squatter.bind((servers.LOCALHOST, port))
        squatter.listen()
        with pytest.raises(stack.StackError, match="STACK_MONGODB_PORT"):
            stack.up(services=[], create_topics=False)
    assert not list((home / "run").glob("*.pid"))


def test_a_process_that_dies_is_reported_with_its_log(tmp_path: Path) -> None:
    code = "import sys; print('cannot open the data dir', flush=True); sys.exit(3)"
    process = ManagedProcess("broken", [sys.executable, "-c", code], tmp_path)
    process.start()
    with pytest.raises(ProcessError) as failure:
        wait_for_port(servers.LOCALHOST, servers.free_port(), 10, process)
    assert str(process.log_path) in failure.value.summary
    assert "cannot open the data dir" in failure.value.log_tail
    assert not process.running()
    process.stop()
    assert not process.pid_path.exists()


def test_link_secret_and_signing_key_are_made_once_and_private(tmp_path: Path) -> None:
    secret = stack.link_secret(tmp_path)
    assert len(secret) >= 32
    assert stack.link_secret(tmp_path) == secret
    assert (tmp_path / "link-secret").stat().st_mode & 0o777 == 0o600
    key = stack.signing_key(tmp_path)
    assert stack.signing_key(tmp_path).kid == key.kid
    (key_file,) = stack.keys_dir(tmp_path).iterdir()
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_cli_reports_failure_in_one_line(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STACK_KAFKA_PORT", "not-a-port")
    assert cli.main(["stack", "up"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "STACK_KAFKA_PORT" in error


async def test_session_fixtures_give_real_servers(
    kafka_bootstrap: str, mongodb_uri: str, smtp_server: SmtpServer, unique_name: str
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        record = await producer.send_and_wait(unique_name, b"hello", key=b"k")
        assert record.offset == 0
    finally:
        await producer.stop()

    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongodb_uri, serverSelectionTimeoutMS=5000
    )
    try:
        things = mongo[unique_name].things
        async with mongo.start_session() as session, await session.start_transaction():
            await things.insert_one({"_id": 1}, session=session)
        assert await things.count_documents({}) == 1
    finally:
        await mongo.close()

    message = EmailMessage()
    message["From"] = "platform@example.org"
    message["To"] = f"{unique_name}@example.org"
    message["Subject"] = "Booking confirmed"
    message.set_content("You are registered.")
    await aiosmtplib.send(message, hostname=smtp_server.host, port=smtp_server.port)
    [received] = await smtp_server.wait_for(to=f"{unique_name}@example.org")
    assert received["Subject"] == "Booking confirmed"
