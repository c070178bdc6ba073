"""Detached processes remembered by pid file, so a later command can find and stop them.

A process is started in its own session with stdin from /dev/null and stdout and stderr appended
to `<stack>/logs/<name>.log`. Its pid file `<stack>/run/<name>.pid` is a small JSON record: the
pid, the process's start time as the operating system reports it, the argv and the url where the
process is reached. A process counts as ours only while a live process has that pid AND that start
time, so a stale pid file whose pid was reused never makes us signal a stranger.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

STOP_TIMEOUT_SECONDS = 10.0
LOG_TAIL_LINES = 20

_children: dict[int, subprocess.Popen[bytes]] = {}
"""Processes this interpreter started, kept so that their exit is collected through Popen."""


class ProcessError(RuntimeError):
    """A managed process failed; `summary` is one line, `log_tail` the end of its log."""

    def __init__(self, summary: str, log_tail: str = "") -> None:
        self.summary = summary
        self.log_tail = log_tail
        super().__init__(f"{summary}\n{log_tail}" if log_tail else summary)


@dataclass(frozen=True)
class PidRecord:
    """What the pid file says about the process we started."""

    pid: int
    started: str
    argv: list[str]
    url: str


@dataclass
class ManagedProcess:
    """One named process of a stack: how to start it and where its log and pid file live."""

    name: str
    argv: Sequence[str]
    stack_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    """Variables set on top of the current environment."""
    url: str = ""
    """Where clients reach it (bootstrap servers, a Mongo URI, an http url ...)."""
    data_dirs: Sequence[Path] = ()
    """Folders created before the process starts."""
    cwd: Path | None = None

    @property
    def log_path(self) -> Path:
        return self.stack_dir / "logs" / f"{self.name}.log"

    @property
    def pid_path(self) -> Path:
        return self.stack_dir / "run" / f"{self.name}.pid"

    def record(self) -> PidRecord | None:
        """The pid file's record, or None when there is none or it is unreadable."""
        return read_pid_file(self.pid_path)

    def pid(self) -> int | None:
        """The pid of our live process, or None when it is not running."""
        record = self.record()
        if record is None or not _is_alive(record.pid):
            return None
        state = process_state(record.pid)
        if state is None or state.started != record.started:
            return None  # gone, or the pid now belongs to some other process
        if state.zombie:
            _reap(record.pid)  # it is ours and has exited: collect it
            return None
        return record.pid

    def running(self) -> bool:
        return self.pid() is not None

    def start(self) -> int:
        """Start the process detached; return its pid. Refuses when it is already running."""
        if (pid := self.pid()) is not None:
            raise ProcessError(f"{self.name} is already running (pid {pid})")
        for folder in (*self.data_dirs, self.log_path.parent, self.pid_path.parent):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ProcessError(f"{self.name}: cannot create {folder}: {error}") from error
        with self.log_path.open("ab") as log:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            log.write(f"--- {stamp} starting {self.name}: {' '.join(self.argv)}\n".encode())
            log.flush()
            try:
                child = subprocess.Popen(
                    list(self.argv),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, **self.env},
                    cwd=self.cwd,
                    start_new_session=True,
                    close_fds=True,
                )
            except OSError as error:
                raise ProcessError(f"{self.name} could not be started: {error}") from error
        _children[child.pid] = child
        state = process_state(child.pid)
        if state is None:
            raise self.failure("exited at once")
        record = PidRecord(pid=child.pid, started=state.started, argv=list(self.argv), url=self.url)
        _write_atomically(self.pid_path, json.dumps(record.__dict__, indent=1) + "\n")
        return child.pid

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
        """SIGTERM, wait up to `timeout` seconds, then SIGKILL. True when something was stopped.

        Only the process we started is signalled; the pid file is removed either way.
        """
        pid = self.pid()
        if pid is not None:
            _signal_group(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.running():
                _signal_group(pid, signal.SIGKILL)
                deadline = time.monotonic() + 15.0  # a process in disk I/O dies only after it
                while self.running() and time.monotonic() < deadline:
                    time.sleep(0.05)
        self.pid_path.unlink(missing_ok=True)
        return pid is not None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return log_tail(self.log_path, lines)

    def failure(self, what: str) -> ProcessError:
        """An error naming this process's log, with the log's last lines attached."""
        return ProcessError(f"{self.name} {what}; see {self.log_path}", self.log_tail())


def read_pid_file(path: Path) -> PidRecord | None:
    try:
        data = json.loads(path.read_text())
        return PidRecord(
            pid=int(data["pid"]),
            started=str(data["started"]),
            argv=[str(arg) for arg in data.get("argv", [])],
            url=str(data.get("url", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, or not written by us: never treated as ours


@dataclass(frozen=True)
class ProcessState:
    started: str
    """The start time as the OS reports it: with the pid, it names one process for good."""
    zombie: bool


def process_state(pid: int) -> ProcessState | None:
    """Start time and zombie state of process `pid`, or None when there is no such process."""
    if Path("/proc/self/stat").exists():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        fields = stat[stat.rindex(")") + 2 :].split()
        # fields[0] is field 3 of proc(5), the state; fields[19] is field 22, the start time
        return ProcessState(started=fields[19], zombie=fields[0] in ("Z", "X"))
    try:  # macOS and other systems without /proc
        out = subprocess.run(
            ["ps", "-o", "stat=,lstart=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if not out:
        return None
    return ProcessState(started=" ".join(out[1:]), zombie=out[0].startswith("Z"))


def wait_for_port(
    host: str, port: int, timeout: float = 30.0, process: ManagedProcess | None = None
) -> None:
    """Wait until a TCP connection to host:port succeeds; fail early if `process` dies."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and not process.running():
            raise process.failure(f"exited before it opened port {port}")
        try:
            with socket.create_connection((host, port), timeout=1.0):
                break
        except OSError:
            if time.monotonic() >= deadline:
                if process is not None:
                    raise process.failure(
                        f"did not open {host}:{port} within {timeout:.0f} s"
                    ) from None
                raise ProcessError(
                    f"nothing answers on {host}:{port} after {timeout:.0f} s"
                ) from None
            time.sleep(0.1)
    if process is not None and not process.running():
        raise process.failure(f"exited although {host}:{port} answers (port taken by another?)")


def wait_for_http(url: str, timeout: float = 60.0, process: ManagedProcess | None = None) -> None:
    """Wait until GET `url` answers 200; fail early if `process` dies."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while True:
        if process is not None and not process.running():
            raise process.failure(f"exited before {url} answered 200")
        try:
            response = httpx.get(url, timeout=2.0, trust_env=False)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            last = type(error).__name__
        if time.monotonic() >= deadline:
            summary = f"{url} did not answer 200 within {timeout:.0f} s (last: {last})"
            if process is not None:
                raise process.failure(summary.replace(url, f"at {url}", 1))
            raise ProcessError(summary)
        time.sleep(0.2)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        with path.open("rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 16_384))
            text = log.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(f"  | {line}" for line in text.splitlines()[-lines:])


def _is_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, but someone else's
    return True


def _reap(pid: int) -> None:
    """Collect the exit status if `pid` is our own child, so it does not linger as a zombie."""
    child = _children.pop(pid, None)
    if child is not None:
        child.poll()
        return
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _signal_group(pid: int, signum: signal.Signals) -> None:
    """Signal the process's session (it leads its own), or the process alone if it does not."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
