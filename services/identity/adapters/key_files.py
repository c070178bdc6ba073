"""The signing keys, one PEM file each in a folder: `<UTC time>-<kid>.pem`, mode 600.

The newest file signs; every file is published in the JWKS, so a rotation works at once (the
services fetch the set again when they meet a new key id) and tokens signed with the old key
stay good until they expire. `prune` then removes keys older than the one signing, once no
token they signed can still be alive.
"""

import itertools
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from eventkit.auth import SigningKey


class KeyFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[str, SigningKey] = {}

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*.pem")) if self.folder.is_dir() else []

    def published(self) -> list[SigningKey]:
        """Newest first."""
        keys = []
        for path in reversed(self._files()):
            if path.name not in self._loaded:
                self._loaded[path.name] = SigningKey.from_pem(path.read_bytes())
            keys.append(self._loaded[path.name])
        return keys

    def active(self) -> SigningKey:
        """The key that signs; the first one is made when there is none yet."""
        keys = self.published()
        return keys[0] if keys else self.rotate()

    def rotate(self) -> SigningKey:
        key = SigningKey.generate()
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.folder / f"{stamp}-{key.kid}.pem"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(key.to_pem())
        return key

    def prune(self, token_lifetime: timedelta) -> list[str]:
        """Remove the keys replaced more than `token_lifetime` ago; their key ids."""
        files = self._files()
        removed = []
        for older, newer in itertools.pairwise(files):
            if time.time() - newer.stat().st_mtime > token_lifetime.total_seconds():
                removed.append(older.stem.split("-", 1)[1])
                older.unlink()
                self._loaded.pop(older.name, None)
        return removed
