"""The embedded stack: broker, database, mail and webhook catchers and every service, in one
stack folder.

The stack folder is `$STACK_HOME`, or `.platform/` in the current directory. It holds

    kafka/ mongo/ mail/     data of the broker, the database and the mail catcher (kept by `down`)
    webhooks/               every request POSTed to the webhook catcher, one .json file each
    logs/<part>.log         output of each part (services log JSON lines)
    run/<part>.pid          what we started, so `down` stops exactly that
    identity-keys/          the identity service's signing keys (the services verify with
                            their public halves, which it publishes); local tools sign with them
    identity-clients.json   clients that may ask the identity service for tokens
    link-secret             the key services sign their own links with (calendar, unsubscribe)
    web-client-secret       the web front end's secret at the identity service
    stack.json              what runs where, written by `up`

Ports come from STACK_KAFKA_PORT, STACK_MONGODB_PORT, STACK_SMTP_PORT, STACK_WEBHOOKS_PORT and
STACK_<SERVICE>_PORT.
A server named by KAFKA_BOOTSTRAP_SERVERS, MONGODB_URI or SMTP_HOST is used as it is instead of
starting one.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devstack import servers
from devstack.demo_people import provider_users
from devstack.processes import (
    ManagedProcess,
    ProcessError,
    log_tail,
    port_in_use,
    read_pid_file,
    wait_for_http,
    wait_for_port,
)
from eventkit.auth import SigningKey
from services.identity.adapters.key_files import KeyFiles
from services.identity.domain.clients import Client, ClientRegistry, secret_hash

SERVICES = ("identity", "membership", "events", "notifications", "reporting", "web")
SERVERS = ("kafka", "mongodb", "smtp", "webhooks", "oidc")
DEFAULT_PORTS = {
    "kafka": 9092,
    "mongodb": 27017,
    "smtp": 8025,
    "webhooks": 8026,
    "oidc": 9400,
    "web": 8000,
    "membership": 8001,
    "events": 8002,
    "notifications": 8003,
    "reporting": 8004,
    "identity": 8005,
}
WEB_CLIENT = "web"
SERVER_TIMEOUT_SECONDS = 30.0
SERVICE_TIMEOUT_SECONDS = 60.0
TOPICS_TIMEOUT_SECONDS = 120.0


class StackError(ProcessError):
    """A part of the stack did not come up or could not be found."""


@dataclass(frozen=True)
class StackConfig:
    """Where the stack lives and what it runs, as the environment says."""

    home: Path
    ports: dict[str, int]
    kafka_bootstrap: str | None
    """Set when KAFKA_BOOTSTRAP_SERVERS names a broker we must not start."""
    mongodb_uri: str | None
    smtp_host: str | None
    smtp_port: int
    oidc_issuer: str | None
    """Set when OIDC_ISSUER names the provider people sign in at (then OIDC_CLIENT_ID and
    OIDC_CLIENT_SECRET are the web's there): the development provider is not started."""
    log_level: str

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> StackConfig:
        env = os.environ
        ports = {part: _port_from_env(part, default) for part, default in DEFAULT_PORTS.items()}
        smtp_host = env.get("SMTP_HOST") or None
        if smtp_host:
            smtp_port = _port_value("SMTP_PORT", env.get("SMTP_PORT") or "25")
        else:
            smtp_port = ports["smtp"]
        return cls(
            home=stack_home(home),
            ports=ports,
            kafka_bootstrap=env.get("KAFKA_BOOTSTRAP_SERVERS") or None,
            mongodb_uri=env.get("MONGODB_URI") or None,
            smtp_host=smtp_host,
            smtp_port=smtp_port,
            oidc_issuer=env.get("OIDC_ISSUER") or None,
            log_level=env.get("LOG_LEVEL") or "INFO",
        )


@dataclass(frozen=True)
class PartStatus:
    name: str
    state: str
    """running; exited (its pid file remains, the process is gone); stopped; or external"""
    pid: int | None
    url: str


def stack_home(home: Path | str | None = None) -> Path:
    """The stack folder: `home`, else $STACK_HOME, else `.platform/` in the current directory."""
    chosen = home or os.environ.get("STACK_HOME") or Path.cwd() / ".platform"
    return Path(chosen).expanduser().absolute()


def signing_key(stack_dir: Path | str | None = None) -> SigningKey:
    """The key the stack's identity service signs with now (made on first use)."""
    return KeyFiles(keys_dir(stack_dir)).active()


def keys_dir(stack_dir: Path | str | None = None) -> Path:
    return stack_home(stack_dir) / "identity-keys"


def link_secret(stack_dir: Path | str | None = None) -> str:
    """The key services sign their own links with, made once, kept in `<stack>/link-secret`."""
    return _secret(stack_dir, "link-secret")


def _secret(stack_dir: Path | str | None, name: str) -> str:
    """A random secret made once and kept in `<stack>/<name>` (mode 600)."""
    path = stack_home(stack_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text().strip()
        if not secret:
            raise StackError(f"{path} is empty; delete it to make a new secret") from None
        return secret
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    return secret


def up(
    home: Path | str | None = None,
    *,
    services: Iterable[str] | None = None,
    create_topics: bool = True,
) -> dict[str, Any]:
    """Start what is not running yet, wait until all of it answers; return the stack.json data.

    `services` defaults to every service that exists (`services/<name>/__main__.py`).
    `create_topics=False` skips `python -m eventkit.topics` (for tests of the stack alone).
    """
    config = StackConfig.from_env(home)
    config.home.mkdir(parents=True, exist_ok=True)
    secret = link_secret(config.home)
    signing_key(config.home)
    web_secret = _secret(config.home, "web-client-secret")
    clients = ClientRegistry(
        clients=[
            Client(
                client_id=WEB_CLIENT,
                name="The web front end",
                secret_sha256=secret_hash(web_secret),
                may_sign_people_in=True,
            )
        ]
    )
    (config.home / "identity-clients.json").write_text(clients.model_dump_json(indent=2))
    local = f"http://{servers.LOCALHOST}"
    names = _chosen_services(services)
    _not_running([servers.service(config.home, n, config.ports[n], {}) for n in names], config)

    shared_env = _start_servers(config)
    if create_topics:
        _create_topics(config.home, shared_env["KAFKA_BOOTSTRAP_SERVERS"])
    service_env = {
        **shared_env,
        "LINK_SECRET": secret,
        "AUTH_JWKS_URL": f"{local}:{config.ports['identity']}/.well-known/jwks.json",
        "IDENTITY_KEYS_DIR": str(keys_dir(config.home)),
        "IDENTITY_CLIENTS_FILE": str(config.home / "identity-clients.json"),
        "MEMBERSHIP_URL": f"{local}:{config.ports['membership']}",
        "EVENTS_URL": f"{local}:{config.ports['events']}",
        "NOTIFICATIONS_URL": f"{local}:{config.ports['notifications']}",
        "IDENTITY_URL": f"{local}:{config.ports['identity']}",
        **_sign_in_env(config),
        "WEB_CLIENT_ID": WEB_CLIENT,
        "WEB_CLIENT_SECRET": web_secret,
        "COUNTY_NAME": "Demo counties",
        "REPORTING_URL": f"{local}:{config.ports['reporting']}",
        # The demo's county officers get last month's county report a minute after they load.
        "COUNTY_REPORT_CHECK_SECONDS": "60",
    }
    started = _start_services(config, names, service_env)

    info = _describe(config, shared_env, started)
    tmp = config.home / ".stack.json.tmp"
    tmp.write_text(json.dumps(info, indent=2) + "\n")
    os.replace(tmp, config.home / "stack.json")
    return info


def _sign_in_env(config: StackConfig) -> dict[str, str]:
    """Where people sign in: the provider OIDC_* name, else the development one."""
    if config.oidc_issuer:
        return {
            "OIDC_ISSUER": config.oidc_issuer,
            "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", WEB_CLIENT),
            "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        }
    return {
        "OIDC_ISSUER": f"http://{servers.LOCALHOST}:{config.ports['oidc']}",
        "OIDC_CLIENT_ID": WEB_CLIENT,
        "OIDC_CLIENT_SECRET": "development",  # the development provider takes any
    }


def _start_servers(config: StackConfig) -> dict[str, str]:
    """Start broker, database and mail catcher unless running or external; wait for their ports.

    Returns the environment that points a service (or a client) at them.
    """
    planned: list[ManagedProcess] = []
    if config.kafka_bootstrap is None:
        planned.append(servers.kafka(config.home, config.ports["kafka"]))
    if config.mongodb_uri is None:
        planned.append(servers.mongodb(config.home, config.ports["mongodb"]))
    if config.smtp_host is None:
        planned.append(servers.mailcatcher(config.home, config.ports["smtp"]))
    planned.append(servers.webhookcatcher(config.home, config.ports["webhooks"]))
    if config.oidc_issuer is None:
        planned.append(servers.oidc_provider(config.home, config.ports["oidc"], provider_users()))
    to_start = _not_running(planned, config)
    for process in to_start:
        process.start()
    for process in to_start:
        wait_for_port(
            servers.LOCALHOST, config.ports[process.name], SERVER_TIMEOUT_SECONDS, process
        )

    urls = {process.name: _url(process) for process in planned}
    if config.smtp_host is None:
        smtp_host, smtp_port = _host_port(urls["smtp"].removeprefix("smtp://"))
    else:
        smtp_host, smtp_port = config.smtp_host, config.smtp_port
    return {
        "KAFKA_BOOTSTRAP_SERVERS": config.kafka_bootstrap or urls["kafka"],
        "MONGODB_URI": config.mongodb_uri or urls["mongodb"],
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": str(smtp_port),
        "WEBHOOK_ALLOW_PRIVATE": "true",  # the webhook catcher is on loopback
        "LOG_FORMAT": "json",
        "LOG_LEVEL": config.log_level,
    }


def _start_services(
    config: StackConfig, names: Sequence[str], env: dict[str, str]
) -> dict[str, ManagedProcess]:
    """Start each service not running yet, then wait until every one answers /ready."""
    started: dict[str, ManagedProcess] = {}
    for name in names:
        public_url = f"http://{servers.LOCALHOST}:{config.ports[name]}"
        service_env = {
            **env,
            "SERVICE_NAME": name,
            "MONGODB_DATABASE": name,
            "PUBLIC_URL": public_url,  # links in mail point here
        }
        process = servers.service(config.home, name, config.ports[name], service_env)
        if _not_running([process], config):
            process.start()
        process.url = _url(process)
        started[name] = process
    for process in started.values():
        wait_for_http(f"{process.url}/ready", SERVICE_TIMEOUT_SECONDS, process)
    return started


def _describe(
    config: StackConfig, env: dict[str, str], started: dict[str, ManagedProcess]
) -> dict[str, Any]:
    """The content of stack.json: what runs where (never a key or secret itself)."""
    home = config.home
    smtp_url = f"smtp://{env['SMTP_HOST']}:{env['SMTP_PORT']}"
    return {
        "home": str(home),
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kafka": _server_info(
            home, "kafka", env["KAFKA_BOOTSTRAP_SERVERS"], config.kafka_bootstrap
        ),
        "mongodb": _server_info(home, "mongodb", env["MONGODB_URI"], config.mongodb_uri),
        "smtp": {
            **_server_info(home, "smtp", smtp_url, config.smtp_host),
            "host": env["SMTP_HOST"],
            "port": int(env["SMTP_PORT"]),
            "mail_dir": None if config.smtp_host else str(home / "mail"),
        },
        "webhooks": {
            **_server_info(
                home, "webhooks", f"http://{servers.LOCALHOST}:{config.ports['webhooks']}", None
            ),
            "dir": str(home / "webhooks"),
        },
        "services": {
            name: {"url": p.url, "ready": f"{p.url}/ready", "pid": p.pid(), "log": str(p.log_path)}
            for name, p in started.items()
        },
        "env": env,
        "identity_keys_dir": str(keys_dir(home)),
    }


def down(home: Path | str | None = None) -> list[str]:
    """Stop what this stack started (services first), by pid; return the names stopped.

    Data folders are kept, so the next `up` finds everything as it was.
    """
    folder = stack_home(home)
    run = folder / "run"
    names = sorted(path.stem for path in run.glob("*.pid")) if run.is_dir() else []
    first = [name for name in names if name not in SERVERS]
    last = [name for name in SERVERS if name in names]
    stopped: list[str] = []
    for phase in (first, last):
        processes = [ManagedProcess(name, (), folder) for name in phase]
        with ThreadPoolExecutor(max_workers=max(1, len(processes))) as pool:
            results = list(pool.map(lambda process: process.stop(), processes))
        stopped += [
            p.name for p, was_running in zip(processes, results, strict=True) if was_running
        ]
    (folder / "stack.json").unlink(missing_ok=True)
    return stopped


def status(home: Path | str | None = None) -> list[PartStatus]:
    """Each part of the stack: running, stopped or external, with its pid and url."""
    folder = stack_home(home)
    info = read_stack_info(folder) or {}
    names = [*SERVERS, *(n for n in SERVICES if servers.service_exists(n))]
    run = folder / "run"
    if run.is_dir():
        names += sorted(p.stem for p in run.glob("*.pid") if p.stem not in names)
    parts = []
    for name in names:
        process = ManagedProcess(name, (), folder)
        record = process.record()
        pid = process.pid()
        known = info.get(name) or info.get("services", {}).get(name) or {}
        url = record.url if record else str(known.get("url", ""))
        if pid is not None:
            state = "running"
        elif record is not None:
            state = "exited"  # a pid file, but not our process: it crashed or was killed
        elif known.get("external"):
            state = "external"
        else:
            state = "stopped"
        parts.append(PartStatus(name, state, pid, url))
    return parts


def read_stack_info(home: Path | str | None = None) -> dict[str, Any] | None:
    """What the last `up` wrote to stack.json, or None when the stack is not up."""
    try:
        data = json.loads((stack_home(home) / "stack.json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def format_status(parts: Sequence[PartStatus]) -> str:
    rows = [("part", "state", "pid", "url")]
    rows += [(p.name, p.state, str(p.pid or "-"), p.url or "-") for p in parts]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `stack up|down|status` to the `partnerships` command."""
    stack = subparsers.add_parser("stack", help="run the whole platform on this machine")
    commands = stack.add_subparsers(dest="stack_command", required=True, metavar="COMMAND")
    start = commands.add_parser("up", help="start whatever is not running yet and wait for it")
    start.add_argument(
        "--service",
        action="append",
        choices=SERVICES,
        dest="services",
        help="start only this service (repeatable); default: every service that exists",
    )
    start.set_defaults(func=_up_command)
    stop = commands.add_parser("down", help="stop what `stack up` started (data is kept)")
    stop.set_defaults(func=_down_command)
    show = commands.add_parser("status", help="show each part, its pid and where it answers")
    show.set_defaults(func=_status_command)


def _up_command(args: argparse.Namespace) -> int:
    info = up(services=args.services)
    print(format_status(status()))
    print(f"stack is up; see {Path(info['home']) / 'stack.json'}")
    return 0


def _down_command(args: argparse.Namespace) -> int:
    stopped = down()
    print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    return 0


def _status_command(args: argparse.Namespace) -> int:
    print(format_status(status()))
    return 0


def _not_running(processes: Sequence[ManagedProcess], config: StackConfig) -> list[ManagedProcess]:
    """Those of `processes` not running yet; fails if one's port is taken by something else."""
    missing = [process for process in processes if not process.running()]
    for process in missing:
        port = config.ports[process.name]
        if port_in_use(servers.LOCALHOST, port):
            raise StackError(
                f"{process.name}: port {port} is already in use by something this stack did not "
                f"start; stop it or choose another port with {_port_variable(process.name)}"
            )
    return missing


def _url(process: ManagedProcess) -> str:
    """Where a process answers: as recorded when it was started (maybe by an earlier `up`)."""
    record = process.record()
    return (record.url if record else "") or process.url


def _create_topics(home: Path, bootstrap: str) -> None:
    """Run `python -m eventkit.topics` against the broker; its output goes to logs/topics.log."""
    log_path = home / "logs" / "topics.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **servers.python_path_env(), "KAFKA_BOOTSTRAP_SERVERS": bootstrap}
    with log_path.open("ab") as log:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        log.write(f"--- {stamp} creating topics on {bootstrap}\n".encode())
        log.flush()
        try:
            result = subprocess.run(
                [sys.executable, "-m", "eventkit.topics"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=TOPICS_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise StackError(
                f"topic creation took longer than {TOPICS_TIMEOUT_SECONDS:.0f} s; see {log_path}",
                log_tail(log_path),
            ) from None
    if result.returncode != 0:
        raise StackError(
            f"topic creation failed (exit {result.returncode}); see {log_path}", log_tail(log_path)
        )


def _chosen_services(services: Iterable[str] | None) -> list[str]:
    if services is None:
        return [name for name in SERVICES if servers.service_exists(name)]
    names = list(dict.fromkeys(services))
    for name in names:
        if name not in SERVICES:
            raise StackError(f"unknown service {name!r}; known: {', '.join(SERVICES)}")
        if not servers.service_exists(name):
            raise StackError(f"service {name!r} has no services/{name}/__main__.py yet")
    return names


def _server_info(home: Path, name: str, url: str, external: str | None) -> dict[str, Any]:
    if external is not None:
        return {"url": url, "external": True, "pid": None}
    record = read_pid_file(ManagedProcess(name, (), home).pid_path)
    return {"url": url, "external": False, "pid": record.pid if record else None}


def _port_from_env(part: str, default: int) -> int:
    variable = _port_variable(part)
    value = os.environ.get(variable)
    return _port_value(variable, value) if value else default


def _port_value(variable: str, value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise StackError(f"{variable}={value!r} is not a port number") from None
    if not 0 < port < 65536:
        raise StackError(f"{variable}={value!r} is not a port number")
    return port


def _port_variable(part: str) -> str:
    return f"STACK_{part.upper()}_PORT"


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port)
