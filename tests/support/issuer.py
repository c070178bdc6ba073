"""The token issuer of a test session: a real identity service on a loopback port, in a thread,
with a signing key of the session's own. Every service a test starts (in the test process or
as a child process) finds its public keys through AUTH_JWKS_URL; tests sign their tokens with
`signing_key()`."""

import os
from contextlib import ExitStack
from pathlib import Path

from devstack.local_issuer import local_issuer
from eventkit.auth import SigningKey
from services.identity.adapters.key_files import KeyFiles

KEYS_DIR_VARIABLE = "TEST_IDENTITY_KEYS_DIR"
_running = ExitStack()


def start() -> None:
    """Start the session's issuer (once per process) and point AUTH_JWKS_URL at it."""
    if KEYS_DIR_VARIABLE in os.environ:
        return
    issuer = _running.enter_context(local_issuer())
    os.environ[KEYS_DIR_VARIABLE] = str(issuer.keys_dir)
    os.environ["AUTH_JWKS_URL"] = issuer.jwks_url


def stop() -> None:
    _running.close()


def signing_key() -> SigningKey:
    return KeyFiles(Path(os.environ[KEYS_DIR_VARIABLE])).active()
