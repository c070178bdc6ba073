"""`partnerships schools import FILE`: send a GIAS establishment CSV to the membership service.

The file is read here and sent in pieces of `--chunk-rows` rows, each with the header, to
`POST /schools/import` with a progress bar; the reports are added up and every rejected row is
printed with its line in the whole file. Importing the same file again changes nothing.

The bearer token is `--token`, else $PARTNERSHIPS_TOKEN, else a county officer's token signed
as `partnerships token` signs one (with the identity service's key in $IDENTITY_KEYS_DIR, else
the local stack's).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

import httpx
from tqdm import tqdm

from devstack.ops_cli import local_keys
from devstack.stack import read_stack_info
from eventkit.auth import Role, mint_token
from services.membership.adapters.gias import detect_encoding

TOKEN_VARIABLE = "PARTNERSHIPS_TOKEN"
DEFAULT_URL = "http://127.0.0.1:8001"
DEFAULT_CHUNK_ROWS = 1000
REQUEST_TIMEOUT_SECONDS = 300.0
READ_BLOCK_BYTES = 1 << 20


class ImportFailed(RuntimeError):
    """The service refused a piece of the file, or could not be reached."""


@dataclass
class ImportTotals:
    registered: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: dict[str, Any]) -> None:
        self.registered += int(report["registered"])
        self.updated += int(report["updated"])
        self.unchanged += int(report["unchanged"])
        self.rejected.extend(report["rejected"])

    def summary(self) -> str:
        return (
            f"{self.registered} registered, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected"
        )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `schools import FILE` to the `partnerships` command."""
    schools = subparsers.add_parser("schools", help="schools of the membership service")
    commands = schools.add_subparsers(dest="schools_command", required=True, metavar="COMMAND")
    load = commands.add_parser(
        "import",
        help="import schools from a GIAS establishment CSV (edubasealldata*.csv)",
        description="Register new schools and update changed ones from a GIAS establishment "
        "CSV. Exit status 1 when any row was rejected.",
    )
    load.add_argument(
        "file", type=Path, help="the CSV downloaded from Get Information about Schools"
    )
    load.add_argument(
        "--url",
        help=f"the membership service (default: the running stack's, else {DEFAULT_URL})",
    )
    load.add_argument(
        "--token",
        help=f"bearer token of a county officer (default: ${TOKEN_VARIABLE}, else one signed "
        "with the stack's identity key)",
    )
    load.add_argument(
        "--chunk-rows",
        type=_positive,
        default=DEFAULT_CHUNK_ROWS,
        help=f"rows sent per request (default {DEFAULT_CHUNK_ROWS})",
    )
    load.set_defaults(func=_import_command)


def _import_command(args: argparse.Namespace) -> int:
    totals = import_file(
        args.file,
        url=args.url or _stack_url(),
        token=args.token or os.environ.get(TOKEN_VARIABLE) or _stack_token(),
        chunk_rows=args.chunk_rows,
    )
    print(f"{args.file}: {totals.summary()}")
    for row in totals.rejected:
        urn = f" (URN {row['urn']})" if row.get("urn") else ""
        print(f"  line {row['line']}{urn}: {row['error']}")
    return 1 if totals.rejected else 0


def import_file(
    path: Path, *, url: str, token: str, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> ImportTotals:
    """Send the file in pieces to POST /schools/import; the reports added up."""
    encoding, lines = _survey(path)
    totals = ImportTotals()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "text/csv; charset=utf-8",
    }
    with (
        path.open(encoding=encoding, newline="") as file,
        httpx.Client(base_url=url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS) as http,
        tqdm(total=max(lines - 1, 0), unit="row", desc="importing", file=sys.stderr) as bar,
    ):
        records = _records(file)
        header = next(records, None)
        if header is None:
            raise ImportFailed(f"{path} is empty")
        done = len(header)
        for first_line, line_after, chunk in _chunks(records, len(header) + 1, chunk_rows):
            body = "".join(header) + "".join("".join(record) for record in chunk)
            totals.add(_send(http, url, body, first_line))
            bar.update(line_after - 1 - done)
            done = line_after - 1
    if done == len(header):
        raise ImportFailed(f"{path} has a header but no rows of schools")
    return totals


def _send(http: httpx.Client, url: str, body: str, first_line: int) -> dict[str, Any]:
    try:
        response = http.post(
            "/schools/import", params={"first_line": first_line}, content=body.encode()
        )
    except httpx.TransportError as exc:
        raise ImportFailed(
            f"cannot reach the membership service at {url} ({exc}); is the stack up "
            "(`partnerships stack up`)?"
        ) from None
    if response.status_code != httpx.codes.OK:
        raise ImportFailed(
            f"the service refused the rows from line {first_line} "
            f"({response.status_code}): {_detail(response)}"
        )
    report: dict[str, Any] = response.json()
    return report


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json()["detail"])
    except (ValueError, KeyError, TypeError):
        return response.text[:500]


def _survey(path: Path) -> tuple[str, int]:
    """The file's encoding and how many lines it has, in one pass over its bytes."""
    lines = 0
    last = b""

    def blocks() -> Iterator[bytes]:
        nonlocal lines, last
        with path.open("rb") as file:
            while block := file.read(READ_BLOCK_BYTES):
                lines += block.count(b"\n")
                last = block
                yield block

    encoding = detect_encoding(blocks())
    if last and not last.endswith(b"\n"):
        lines += 1
    return encoding, lines


def _records(file: TextIO) -> Iterator[list[str]]:
    """The physical lines of each CSV record, exactly as written (a quoted field may hold a
    line break, so a record can span lines)."""
    pending: list[str] = []

    def lines() -> Iterator[str]:
        for line in file:
            pending.append(line)
            yield line

    for _ in csv.reader(lines()):
        record = pending.copy()
        pending.clear()
        yield record


def _chunks(
    records: Iterable[list[str]], first_line: int, size: int
) -> Iterator[tuple[int, int, list[list[str]]]]:
    """Groups of `size` records, each with the line its first record starts on and the line
    after its last. Blank lines are left out where a group would start with them (the service
    skips the others, counting their lines)."""
    chunk: list[list[str]] = []
    start = line = first_line
    for record in records:
        if not chunk:
            start = line
        line += len(record)
        if not chunk and not "".join(record).strip():
            continue
        chunk.append(record)
        if len(chunk) == size:
            yield start, line, chunk
            chunk = []
    if chunk:
        yield start, line, chunk


def _stack_url() -> str:
    info = read_stack_info() or {}
    service = info.get("services", {}).get("membership", {})
    return str(service.get("url") or DEFAULT_URL)


def _stack_token() -> str:
    """A county officer's token signed with the identity service's key, as local tools do."""
    keys = local_keys()
    if not keys.published():
        raise ImportFailed(
            f"no token: pass --token, set ${TOKEN_VARIABLE}, or start the stack "
            "(`partnerships stack up`) so its identity service's key can sign one"
        )
    return mint_token(
        keys.active(),
        subject="partnerships-cli",
        role=Role.COUNTY_OFFICER,
        ttl=timedelta(hours=1),
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
