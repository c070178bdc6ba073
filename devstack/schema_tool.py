"""JSON Schemas of our events and AsyncAPI documents of our services, kept in the repo, and the
check CI runs so that no version of an event changes in a way that breaks its readers.

    python -m devstack.schema_tool generate   writes contracts/schemas/<type>.json and
                                                docs/asyncapi/<service>.json
    python -m devstack.schema_tool check      fails on a breaking change or a file out of date
    python -m devstack.schema_tool check --baseline DIR
                                                also compares with the schemas of another checkout
                                                (the target branch's), so a breaking change that
                                                was generated and committed is still caught

Within a version (`.v1`) a change must be additive. Breaking: an event type removed, a property
removed, a property's type changed (`$ref`s and enums resolved: a removed enum value is breaking,
an added one is not), a property newly required, the topic or the key changed. A new version
(`.v2`) is a new type and a new file. Everything here is pure except `generate`, `check` and
`main`, which read and write the files; the AsyncAPI documents are read from each service's own
`/asyncapi.json` route, so the committed document is exactly what the service serves.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from contracts.envelope import IntegrationEvent
from contracts.registry import EVENT_TYPES

Schema = dict[str, Any]
T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = ROOT / "contracts" / "schemas"
ASYNCAPI_DIR = ROOT / "docs" / "asyncapi"
SERVICES_DIR = ROOT / "services"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DOCUMENTED_BROKER = "localhost:9092"
"""The broker named in the AsyncAPI documents, whatever the environment says."""

GENERATE_HINT = "run `python -m devstack.schema_tool generate`"
BREAKING_HINT = (
    "within a version changes must be additive and optional: publish a new version "
    "(e.g. .v2) of the event instead"
)

# Keywords that say what a value may be (beyond its type); a change to one is a type change.
_CONSTRAINTS = (
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
)


# --- generating ---------------------------------------------------------------------------------


def key_field(cls: type[IntegrationEvent]) -> str | None:
    """The field whose value is the message key (the aggregate id), found by asking the event."""
    probe = cls.model_construct(None, **{name: f"<{name}>" for name in cls.model_fields})
    key = probe.aggregate_id()
    return next((name for name in cls.model_fields if key == f"<{name}>"), None)


def event_schema(cls: type[IntegrationEvent]) -> Schema:
    """The JSON Schema of one event type's data, with its topic and key."""
    schema = cls.model_json_schema()
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["title"] = cls.type
    schema["x-topic"] = cls.topic.name
    field = key_field(cls)
    schema["x-key"] = (
        f"{field}: the message key and CloudEvents subject"
        if field
        else "the aggregate id: the message key and CloudEvents subject"
    )
    return schema


def event_schemas(
    event_types: Mapping[str, type[IntegrationEvent]] = EVENT_TYPES,
) -> dict[str, Schema]:
    return {name: event_schema(cls) for name, cls in sorted(event_types.items())}


def render(document: Mapping[str, Any]) -> str:
    """Stable text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


OFF_THE_BUS = ("identity", "web")
"""Components with a composition root that publish and consume no events."""


def service_names(services_dir: Path = SERVICES_DIR) -> list[str]:
    """Every service on the bus (a composition root, `services/<name>/bootstrap.py`)."""
    found = (p.parent.name for p in services_dir.glob("*/bootstrap.py"))
    return sorted(name for name in found if name not in OFF_THE_BUS)


def asyncapi_document(service: str) -> Schema:
    """What the service serves at `/asyncapi.json`, asked in-process without starting the
    service: no lifespan, so no broker or database is needed."""
    from eventkit.settings import ServiceSettings

    bootstrap = importlib.import_module(f"services.{service}.bootstrap")
    settings_class = next(
        (
            cls
            for cls in _subclasses(ServiceSettings)
            if cls.__module__.startswith(f"services.{service}.")
            and cls.model_fields["service_name"].default == service
        ),
        ServiceSettings,
    )
    settings = settings_class(
        service_name=service,
        kafka_bootstrap_servers=DOCUMENTED_BROKER,
        log_level="WARNING",
        _env_file=None,
    )
    return asyncio.run(_get_json(bootstrap.build(settings), "/asyncapi.json"))


def _subclasses(cls: type[T]) -> Iterator[type[T]]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


async def _get_json(app: Any, path: str) -> Schema:
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        response = await client.get(path)
    response.raise_for_status()
    document: Schema = response.json()
    return document


def asyncapi_documents(services: Sequence[str]) -> dict[str, Schema]:
    return {service: asyncapi_document(service) for service in services}


# --- comparing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One difference between the committed files and what the code generates."""

    subject: str
    message: str
    breaking: bool

    def __str__(self) -> str:
        if self.breaking:
            return f"BREAKING {self.subject}: {self.message}"
        return f"out of date: {self.subject}: {self.message}; {GENERATE_HINT}"


class _Resolver:
    """Follows local `$ref`s (`#/$defs/Name`) within one schema document."""

    def __init__(self, root: Schema) -> None:
        self.root = root

    def resolve(
        self, node: Schema, seen: frozenset[str] = frozenset()
    ) -> tuple[Schema, frozenset[str]]:
        while "$ref" in node:
            ref = node["$ref"]
            if ref in seen:  # a recursive model: compared once is enough
                return {}, seen
            seen = seen | {ref}
            target: Any = self.root
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        if len(node.get("allOf", ())) == 1:
            node = {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
            return self.resolve(node, seen)
        return node, seen

    def alternatives(
        self, node: Schema, seen: frozenset[str]
    ) -> Iterator[tuple[Schema, frozenset[str]]]:
        """The plain schemas a value may match: `anyOf`/`oneOf` and type lists flattened."""
        node, seen = self.resolve(node, seen)
        choices = node.get("anyOf") or node.get("oneOf")
        if choices:
            for choice in choices:
                yield from self.alternatives(choice, seen)
        elif isinstance(node.get("type"), list):
            for single in node["type"]:
                yield {**node, "type": single}, seen
        else:
            yield node, seen


def _kind(node: Schema) -> str:
    """A short name of what a plain schema accepts: `string(format=date)`, `enum<string>`…"""
    if "enum" in node:
        return f"enum<{node.get('type', 'any')}>"
    if "const" in node:
        return f"const {json.dumps(node['const'])}"
    kind = str(node.get("type", "any"))
    constraints = [f"{k}={node[k]}" for k in _CONSTRAINTS if k in node]
    return f"{kind}({', '.join(constraints)})" if constraints else kind


def _where(path: str) -> str:
    return f"property '{path}'" if path else "the event"


def _compare_values(
    old: _Resolver,
    new: _Resolver,
    old_node: Schema,
    new_node: Schema,
    path: str,
    seen: tuple[frozenset[str], frozenset[str]],
) -> list[str]:
    old_alts = {_kind(n): (n, s) for n, s in old.alternatives(old_node, seen[0])}
    new_alts = {_kind(n): (n, s) for n, s in new.alternatives(new_node, seen[1])}
    if set(old_alts) != set(new_alts):
        before, after = " | ".join(sorted(old_alts)), " | ".join(sorted(new_alts))
        return [f"{_where(path)}: type changed from {before} to {after}"]
    problems: list[str] = []
    for kind, (old_alt, old_seen) in old_alts.items():
        new_alt, new_seen = new_alts[kind]
        if "enum" in old_alt:
            removed = [v for v in old_alt["enum"] if v not in new_alt["enum"]]
            if removed:
                values = ", ".join(json.dumps(v) for v in removed)
                problems.append(f"{_where(path)}: enum value(s) removed: {values}")
        elif kind.startswith("array"):
            problems += _compare_values(
                old,
                new,
                old_alt.get("items", {}),
                new_alt.get("items", {}),
                f"{path}[]",
                (old_seen, new_seen),
            )
        elif kind.startswith("object"):
            problems += _compare_objects(old, new, old_alt, new_alt, path, (old_seen, new_seen))
    return problems


def _compare_objects(
    old: _Resolver,
    new: _Resolver,
    old_node: Schema,
    new_node: Schema,
    path: str,
    seen: tuple[frozenset[str], frozenset[str]],
) -> list[str]:
    problems: list[str] = []
    old_props: Schema = old_node.get("properties", {})
    new_props: Schema = new_node.get("properties", {})
    prefix = f"{path}." if path else ""
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{_where(prefix + name)} removed")
        else:
            problems += _compare_values(old, new, old_prop, new_props[name], prefix + name, seen)
    old_required = set(old_node.get("required", ()))
    for name in new_node.get("required", ()):
        if name not in old_required:
            problems.append(f"{_where(prefix + name)} newly required")
    old_extra, new_extra = (
        old_node.get("additionalProperties"),
        new_node.get("additionalProperties"),
    )
    if isinstance(old_extra, dict) and isinstance(new_extra, dict):  # a dict[str, X]
        problems += _compare_values(old, new, old_extra, new_extra, f"{prefix}*", seen)
    return problems


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What in `new` breaks readers of `old`, one sentence each; empty if only additive."""
    problems = [
        f"{keyword} changed from {old.get(keyword)!r} to {new.get(keyword)!r}"
        for keyword in ("x-topic", "x-key")
        if old.get(keyword) != new.get(keyword)
    ]
    empty = frozenset[str]()
    return problems + _compare_values(_Resolver(old), _Resolver(new), old, new, "", (empty, empty))


def compare(committed: Mapping[str, Schema], fresh: Mapping[str, Schema]) -> list[Problem]:
    """Problems of the committed event schemas against freshly generated ones, by event type."""
    problems: list[Problem] = []
    for event_type in sorted(committed.keys() | fresh.keys()):
        if event_type not in fresh:
            problems.append(Problem(event_type, "event type removed", breaking=True))
        elif event_type not in committed:
            problems.append(Problem(event_type, "new event type, not written yet", breaking=False))
        else:
            breaking = breaking_changes(committed[event_type], fresh[event_type])
            problems += [Problem(event_type, message, breaking=True) for message in breaking]
            if not breaking and committed[event_type] != fresh[event_type]:
                problems.append(Problem(event_type, "additive change not written yet", False))
    return problems


def compare_documents(
    committed: Mapping[str, Schema], fresh: Mapping[str, Schema], folder: str
) -> list[Problem]:
    """Generated documents (AsyncAPI) must match the committed ones exactly."""
    problems: list[Problem] = []
    for name in sorted(committed.keys() | fresh.keys()):
        if name not in fresh:
            message = "no such service any more"
        elif name not in committed:
            message = "new service, not written yet"
        elif committed[name] != fresh[name]:
            message = "differs from what the service serves"
        else:
            continue
        problems.append(Problem(f"{folder}/{name}.json", message, breaking=False))
    return problems


# --- files and commands -------------------------------------------------------------------------


def read_documents(folder: Path) -> dict[str, Schema]:
    return {
        p.name.removesuffix(".json"): json.loads(p.read_text())
        for p in sorted(folder.glob("*.json"))
    }


def _write_documents(folder: Path, documents: Mapping[str, Schema], *, prune: bool = True) -> int:
    """Write what changed, remove what is gone (with `prune`); return how many files changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for stale in folder.glob("*.json") if prune else ():
        if stale.name.removesuffix(".json") not in documents:
            stale.unlink()
            changed += 1
    for name, document in documents.items():
        path = folder / f"{name}.json"
        text = render(document)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            changed += 1
    return changed


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def check(
    schemas_dir: Path = SCHEMAS_DIR,
    asyncapi_dir: Path = ASYNCAPI_DIR,
    *,
    baseline: Path | None = None,
    services: Sequence[str] | None = None,
) -> list[Problem]:
    """Every problem of the committed files (and against `baseline`, breaking ones only)."""
    fresh = event_schemas()
    problems = compare(read_documents(schemas_dir), fresh)
    if baseline is not None:
        problems += [
            p for p in compare(read_documents(baseline), fresh) if p.breaking and p not in problems
        ]
    documents = asyncapi_documents(service_names() if services is None else services)
    problems += compare_documents(read_documents(asyncapi_dir), documents, _relative(asyncapi_dir))
    return problems


def generate(
    schemas_dir: Path = SCHEMAS_DIR,
    asyncapi_dir: Path = ASYNCAPI_DIR,
    *,
    allow_breaking: bool = False,
    services: Sequence[str] | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Write the schemas and AsyncAPI documents (only those of `services`, if given, leaving
    the others alone); refuse a breaking change unless allowed."""
    fresh = event_schemas()
    breaking = [p for p in compare(read_documents(schemas_dir), fresh) if p.breaking]
    if breaking and not allow_breaking:
        for problem in breaking:
            print(problem, file=sys.stderr)
        print(f"nothing written: {BREAKING_HINT}", file=sys.stderr)
        return 1
    changed = _write_documents(schemas_dir, fresh)
    documents = asyncapi_documents(service_names() if services is None else services)
    changed += _write_documents(asyncapi_dir, documents, prune=services is None)
    print(
        f"{len(fresh)} event schemas in {_relative(schemas_dir)}, {len(documents)} AsyncAPI "
        f"documents in {_relative(asyncapi_dir)}: {changed} file(s) changed",
        file=out,
    )
    return 0


def _generate_command(args: argparse.Namespace) -> int:
    return generate(allow_breaking=args.allow_breaking)


def _check_command(args: argparse.Namespace) -> int:
    problems = check(baseline=args.baseline)
    for problem in problems:
        print(problem, file=sys.stderr)
    if any(p.breaking for p in problems):
        print(BREAKING_HINT, file=sys.stderr)
    if problems:
        print(f"contracts: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("contracts: schemas and AsyncAPI documents are up to date, no breaking change")
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`generate` and `check`, for this module's own command line and for `partnerships`."""
    make = commands.add_parser("generate", help="write the event schemas and AsyncAPI documents")
    make.add_argument(
        "--allow-breaking",
        action="store_true",
        help="write even a breaking change (CI still compares with the target branch)",
    )
    make.set_defaults(func=_generate_command)
    verify = commands.add_parser(
        "check", help="fail on a breaking change or a committed file out of date"
    )
    verify.add_argument(
        "--baseline",
        type=Path,
        metavar="DIR",
        help="a folder of committed schemas to compare with too (e.g. the target branch's)",
    )
    verify.set_defaults(func=_check_command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.schema_tool",
        description="Event schemas and AsyncAPI documents: generate them, or check them in CI.",
    )
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    return command(args)


if __name__ == "__main__":
    sys.exit(main())
