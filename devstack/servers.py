"""Builders for the processes of the embedded stack: broker, database, mail catcher, services.

Each builder only describes the process (argv, environment, data folder under the stack folder);
`ManagedProcess.start()` runs it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from devstack.processes import ManagedProcess, ProcessError

LOCALHOST = "127.0.0.1"
SOURCE_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding `devstack/`, `services/` and (in a checkout) `libs/`."""


def free_port(host: str = LOCALHOST) -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def kafka(stack_dir: Path, port: int, host: str = LOCALHOST) -> ManagedProcess:
    """The noida-db Kafka-protocol broker, keeping its data in `<stack>/kafka/`."""
    data = stack_dir / "kafka"
    argv = [str(noida_binary()), "start", "--only", "kafka", "--kafka-port", str(port)]
    argv += ["--host", host, "--data-dir", str(data)]
    return ManagedProcess("kafka", argv, stack_dir, url=f"{host}:{port}", data_dirs=[data])


def mongodb(stack_dir: Path, port: int, host: str = LOCALHOST) -> ManagedProcess:
    """The secantusdb MongoDB-protocol server, keeping its data in `<stack>/mongo/`."""
    data = stack_dir / "mongo"
    argv = [str(console_script("secantusd-py", "secantusdb"))]
    argv += ["--host", host, "--port", str(port), "--storage-path", str(data), "--sync-on-commit"]
    url = f"mongodb://{host}:{port}/?directConnection=true"
    return ManagedProcess("mongodb", argv, stack_dir, url=url, data_dirs=[data])


def mailcatcher(stack_dir: Path, port: int, host: str = LOCALHOST) -> ManagedProcess:
    """The SMTP mail catcher, writing every message it receives to `<stack>/mail/`."""
    data = stack_dir / "mail"
    argv = [sys.executable, "-m", "devstack.mailcatcher"]
    argv += ["--host", host, "--port", str(port), "--dir", str(data)]
    return ManagedProcess(
        "smtp",
        argv,
        stack_dir,
        env=python_path_env(),
        url=f"smtp://{host}:{port}",
        data_dirs=[data],
    )


def webhookcatcher(stack_dir: Path, port: int, host: str = LOCALHOST) -> ManagedProcess:
    """The webhook catcher, writing every request POSTed to it to `<stack>/webhooks/`."""
    data = stack_dir / "webhooks"
    argv = [sys.executable, "-m", "devstack.webhookcatcher"]
    argv += ["--host", host, "--port", str(port), "--dir", str(data)]
    return ManagedProcess(
        "webhooks",
        argv,
        stack_dir,
        env=python_path_env(),
        url=f"http://{host}:{port}",
        data_dirs=[data],
    )


def oidc_provider(
    stack_dir: Path, port: int, users: list[str], host: str = LOCALHOST
) -> ManagedProcess:
    """The development OpenID provider (oidc-provider-mock), knowing `users` (claims as JSON).
    Its issuer is the address it is asked at, so everyone uses this one: http://host:port."""
    argv = [sys.executable, "-W", "ignore", "-m", "oidc_provider_mock", "-p", str(port), "-H", host]
    for claims in users:
        argv += ["--user-claims", claims]
    return ManagedProcess("oidc", argv, stack_dir, url=f"http://{host}:{port}")


def service(
    stack_dir: Path, name: str, port: int, env: Mapping[str, str], host: str = LOCALHOST
) -> ManagedProcess:
    """`python -m services.<name>` serving HTTP on host:port, configured by `env`."""
    argv = [sys.executable, "-m", f"services.{name}"]
    full_env = {**python_path_env(), **env, "HTTP_HOST": host, "HTTP_PORT": str(port)}
    return ManagedProcess(name, argv, stack_dir, env=full_env, url=f"http://{host}:{port}")


def service_exists(name: str) -> bool:
    return (SOURCE_ROOT / "services" / name / "__main__.py").is_file()


def noida_binary() -> Path:
    """The broker binary shipped inside the `noida-db` package."""
    spec = importlib.util.find_spec("noida_db")
    if spec is None or not spec.submodule_search_locations:
        raise ProcessError(_missing("noida-db"))
    binary = Path(next(iter(spec.submodule_search_locations))) / "noida-db"
    if not binary.is_file():
        raise ProcessError(f"the noida-db package has no broker binary at {binary}")
    return binary


def console_script(name: str, package: str) -> Path:
    """A console script installed beside the running interpreter (or else on PATH)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return beside
    found = shutil.which(name)
    if found is None:
        raise ProcessError(_missing(package))
    return Path(found)


def python_path_env() -> dict[str, str]:
    """PYTHONPATH for child interpreters, so a source checkout works without being installed."""
    if not (SOURCE_ROOT / "pyproject.toml").is_file():
        return {}  # an installed package: the interpreter finds everything already
    paths = [str(SOURCE_ROOT)]
    if (SOURCE_ROOT / "libs").is_dir():
        paths.append(str(SOURCE_ROOT / "libs"))
    if existing := os.environ.get("PYTHONPATH"):
        paths.append(existing)
    return {"PYTHONPATH": os.pathsep.join(paths)}


def _missing(package: str) -> str:
    return f"{package} is not installed; install the stack extra: pip install -e '.[stack]'"
