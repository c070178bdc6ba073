"""An identity service in a thread of this process, with a signing key of its own: for tests
and benchmarks that run services in-process and need a real issuer of their tokens."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from devstack.servers import LOCALHOST, free_port
from eventkit.auth import SigningKey
from services.identity.adapters.key_files import KeyFiles
from services.identity.bootstrap import build
from services.identity.settings import IdentitySettings


@dataclass(frozen=True)
class LocalIssuer:
    keys_dir: Path
    url: str

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/.well-known/jwks.json"

    @property
    def key(self) -> SigningKey:
        return KeyFiles(self.keys_dir).active()


@contextmanager
def local_issuer(keys_dir: Path | None = None) -> Iterator[LocalIssuer]:
    """Serve the identity service on a free loopback port until the block ends."""
    folder = keys_dir or Path(tempfile.mkdtemp(prefix="identity-keys-"))
    KeyFiles(folder).active()
    port = free_port()
    config = IdentitySettings(identity_keys_dir=folder, log_format="console", log_level="WARNING")
    server = uvicorn.Server(
        uvicorn.Config(build(config), host=LOCALHOST, port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, name="local-identity", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the local identity service did not start")
        time.sleep(0.02)
    try:
        yield LocalIssuer(folder, f"http://{LOCALHOST}:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
