"""A webhook catcher: an HTTP endpoint that keeps every request POSTed to it, as a council
system's receiver would get it.

Run it as `python -m devstack.webhookcatcher --host 127.0.0.1 --port 8026 --dir DIR`: each
request is written to DIR as `<UTC timestamp>-<n>.json` (`path`, `headers`, `body`), atomically.
`read_deliveries(DIR)` reads them back, oldest first; the demo verifies their signatures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response


def app_saving_to(directory: Path) -> FastAPI:
    app = FastAPI(title="Webhook catcher", docs_url=None, redoc_url=None, openapi_url=None)
    numbers = itertools.count(1)

    @app.post("/{path:path}")
    async def catch(path: str, request: Request) -> Response:
        record = {
            "path": f"/{path}",
            "headers": dict(request.headers),
            "body": (await request.body()).decode("utf-8", "replace"),
        }
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        target = directory / f"{stamp}-{next(numbers):06d}.json"
        tmp = directory / f".{target.name}.tmp"
        tmp.write_text(json.dumps(record, indent=2))
        os.replace(tmp, target)
        return Response(status_code=204)

    return app


def read_deliveries(directory: Path | str) -> list[dict[str, Any]]:
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8026)
    parser.add_argument("--dir", type=Path, required=True, help="folder for the .json files")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    uvicorn.run(app_saving_to(args.dir), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
