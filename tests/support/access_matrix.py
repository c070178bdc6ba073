"""The machinery of the access matrix (tests/api/test_access_matrix.py).

Every operation of a service, read from its OpenAPI document; each id it takes (path, query,
body) has a kind (`partnership`, `person`, `booking`...). A request is made twice: with the
other partnership's ids of the kinds under test, and with ids of the same shape that do not
exist; the rest of the ids are the caller's own. `judge` compares the two answers.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
"""`{kind}` in a body template or a path: filled with an id of that kind."""


@dataclass(frozen=True)
class Raw:
    """A request body that is not JSON (a CSV upload)."""

    content: str
    media_type: str


@dataclass(frozen=True)
class Operation:
    """One operation with one choice of id kinds for its path and one body template."""

    service: str
    method: str
    path: str
    path_kinds: tuple[tuple[str, str], ...]
    """(parameter, kind) of each id in the path."""
    fixed: tuple[tuple[str, str], ...]
    """(parameter, value) of path parameters that are not ids (an enumerated stage)."""
    query_kinds: tuple[tuple[str, str], ...]
    headers: tuple[str, ...]
    """Required header parameters (an idempotency key): a fresh value each call."""
    body: Any

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def searches(self) -> bool:
        """A list or search: its only ids are filters, so any caller may get an answer."""
        return not self.path_kinds and not _placeholders(self.body) and bool(self.query_kinds)

    def kinds(self) -> set[str]:
        found = {kind for _, kind in self.path_kinds} | _placeholders(self.body)
        return found | {kind for _, kind in self.query_kinds}


@dataclass(frozen=True)
class Sent:
    """What was asked and what came back."""

    request: str
    response: httpx.Response

    @property
    def status(self) -> int:
        return self.response.status_code

    def json(self) -> Any:
        try:
            return self.response.json()
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.response.content.decode("utf-8", "replace")


def operations(
    service: str,
    document: Mapping[str, Any],
    *,
    path_kinds: Mapping[str, Sequence[str] | Mapping[str, Sequence[str]]],
    query_kinds: Mapping[str, str],
    bodies: Mapping[str, Sequence[Any]],
    body_kinds: Mapping[str, str],
    skip_tags: Iterable[str] = ("operations",),
) -> list[Operation]:
    """Every operation of the document but those tagged `skip_tags`, once for each choice of
    id kinds of its path parameters and each body template (from `bodies`, keyed
    "METHOD /path"; otherwise derived from the schema: required fields, ids by `body_kinds`)."""
    skipped = set(skip_tags)
    found: list[Operation] = []
    for path, item in document["paths"].items():
        for method, spec in item.items():
            if set(spec.get("tags", ())) & skipped:
                continue
            name = f"{method.upper()} {path}"
            params = spec.get("parameters", [])
            in_path = [p for p in params if p["in"] == "path"]
            enums = {
                p["name"]: [str(v) for v in _resolve(document, p.get("schema", {})).get("enum", [])]
                for p in in_path
            }
            queries = tuple(
                (p["name"], query_kinds[p["name"]])
                for p in params
                if p["in"] == "query" and p["name"] in query_kinds
            )
            headers = tuple(p["name"] for p in params if p["in"] == "header" and p.get("required"))
            templates = _bodies(document, spec, name, bodies, body_kinds)
            # every value of each enumerated path parameter (a stage, the kind of a record)
            for values in itertools.product(
                *[[(n, v) for v in vs] for n, vs in enums.items() if vs]
            ):
                fixed = dict(values)
                choices = [
                    [
                        (p["name"], kind)
                        for kind in _kinds_of(service, name, p["name"], path_kinds, fixed)
                    ]
                    for p in in_path
                    if p["name"] not in fixed
                ]
                for kinds, body in itertools.product(itertools.product(*choices), templates):
                    found.append(
                        Operation(
                            service,
                            method.upper(),
                            path,
                            tuple(kinds),
                            tuple(fixed.items()),
                            queries,
                            headers,
                            body,
                        )
                    )
    return found


def _kinds_of(
    service: str,
    name: str,
    param: str,
    path_kinds: Mapping[str, Sequence[str] | Mapping[str, Sequence[str]]],
    fixed: Mapping[str, str],
) -> Sequence[str]:
    """The kinds of id a path parameter takes; where they depend on an enumerated parameter
    (`/history/{kind}/{record_id}`), those for its value."""
    kinds = path_kinds.get(param)
    if isinstance(kinds, Mapping):
        kinds = next((kinds[v] for v in fixed.values() if v in kinds), None)
    if not kinds:
        raise LookupError(f"{service} {name}: give path parameter {param} ({fixed}) a kind")
    return kinds


def variants(operation: Operation, private: set[str]) -> list[frozenset[str]]:
    """The kinds to give foreign ids in each check of the operation: all of them at once; and
    where there are several, each private kind alone (the caller's own ids for the rest), so a
    stranger's id inside the caller's own resource is tried too. Kinds whose existence is public
    (a school's URN) are not tried alone: any caller may name any school."""
    kinds = operation.kinds()
    if not kinds:
        return [frozenset()]
    found = [frozenset(kinds)]
    if len(kinds) > 1:
        found += [frozenset({k}) for k in sorted(kinds) if k in private]
    return found


def missing_like(value: str) -> str:
    """An id of the same shape (length, digits or not, a day) that nothing has."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"19{secrets.randbelow(90) + 10}-01-01"
    if value.isdigit():
        return "1" + "".join(secrets.choice(string.digits) for _ in value[1:])
    alphabet = (
        string.hexdigits[:16]
        if all(c in string.hexdigits for c in value)
        else (string.ascii_letters + string.digits)
    )
    return "".join(secrets.choice(alphabet) for _ in value)


async def send(
    http: httpx.AsyncClient,
    operation: Operation,
    values: Mapping[str, str],
    headers: Mapping[str, str],
    *,
    with_query: bool = True,
) -> Sent:
    """Make the request with these ids, as the holder of `headers`."""
    path = operation.path
    for param, kind in operation.path_kinds:
        path = path.replace("{" + param + "}", values[kind])
    for param, value in operation.fixed:
        path = path.replace("{" + param + "}", value)
    query = {p: values[k] for p, k in operation.query_kinds} if with_query else {}
    extra = {name: f"matrix-{secrets.token_hex(8)}" for name in operation.headers}
    content: str | None = None
    body = fill(operation.body, values)
    if isinstance(body, Raw):
        content, extra["Content-Type"] = body.content, body.media_type
        body = None
    for _ in range(5):  # a write that raced another (409, Retry-After: 0) is tried again
        response = await http.request(
            operation.method,
            path,
            params=query,
            json=body,
            content=content,
            headers={**headers, **extra},
        )
        if response.status_code != 409 or response.headers.get("Retry-After") != "0":
            break
    asked = f"{operation.method} {path} {json.dumps(query)} {json.dumps(body)} {content or ''}"
    return Sent(asked, response)


def fill(template: Any, values: Mapping[str, str]) -> Any:
    if isinstance(template, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    if isinstance(template, Raw):
        return Raw(fill(template.content, values), template.media_type)
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    return template


def judge(
    operation: Operation,
    foreign_kinds: frozenset[str],
    foreign: Sent,
    missing: Sent,
    *,
    ids_sent: Iterable[str],
    markers: Mapping[str, str],
    public_kinds: set[str],
) -> list[str]:
    """What is wrong with the answer to a foreign id, compared with the answer to one that does
    not exist (empty: nothing). `markers` maps each secret of the other side to what it is."""
    if foreign.status == missing.status == 422 and (foreign.json() or {}).get("errors"):
        return [f"not exercised: the request is invalid ({foreign.json().get('detail')})"]
    problems = []
    for sent, which in ((foreign, "foreign"), (missing, "missing")):
        if sent.status >= 500:
            problems.append(f"server error {sent.status} for {which} ids")
        shown = [
            label
            for marker, label in markers.items()
            if marker in sent.text and marker not in sent.request
        ]
        if shown:
            problems.append(f"shows {', '.join(shown)} (ids {which})")
    if operation.searches or not foreign_kinds:
        return problems  # a list: it may answer anyone, as long as it shows nothing foreign
    public = foreign_kinds <= public_kinds
    if 200 <= foreign.status < 300 and not (public and operation.method == "GET"):
        problems.append(
            f"answered {foreign.status} to the other partnership's {_names(foreign_kinds)}"
        )
    if public:
        return problems  # a URN, a published case study: that it exists is no secret
    if foreign.status != missing.status:
        problems.append(
            f"{foreign.status} for the other partnership's {_names(foreign_kinds)}, "
            f"{missing.status} for ids that do not exist"
        )
    elif _detail(foreign, ids_sent) != _detail(missing, ids_sent):
        problems.append(
            f"says {_detail(foreign, ids_sent)!r} for the other partnership's "
            f"{_names(foreign_kinds)}, {_detail(missing, ids_sent)!r} for ids that do not exist"
        )
    return problems


def _names(kinds: Iterable[str]) -> str:
    return " and ".join(sorted(kinds)).replace("_", " ")


def _detail(sent: Sent, ids: Iterable[str]) -> str:
    """The problem's detail with every id sent written as <id>."""
    detail = str((sent.json() or {}).get("detail", "")) if isinstance(sent.json(), dict) else ""
    for value in sorted(set(ids), key=len, reverse=True):
        detail = detail.replace(value, "<id>")
    return detail


def _placeholders(template: Any) -> set[str]:
    if isinstance(template, str):
        return set(PLACEHOLDER.findall(template))
    if isinstance(template, Raw):
        return _placeholders(template.content)
    if isinstance(template, list):
        return set().union(*(_placeholders(v) for v in template)) if template else set()
    if isinstance(template, dict):
        return _placeholders(list(template.values()))
    return set()


def _resolve(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _bodies(
    document: Mapping[str, Any],
    spec: Mapping[str, Any],
    name: str,
    bodies: Mapping[str, Sequence[Any]],
    body_kinds: Mapping[str, str],
) -> Sequence[Any]:
    if name in bodies:
        return bodies[name]
    request = spec.get("requestBody")
    if not request or not request.get("required"):
        return [None]
    media, content = next(iter(request["content"].items()))
    if media != "application/json":
        raise LookupError(f"{name}: give a {media} body in the body table")
    return [derived(document, content.get("schema", {}), body_kinds)]


def derived(
    document: Mapping[str, Any], schema: Mapping[str, Any], kinds: Mapping[str, str], key: str = ""
) -> Any:
    """The smallest body the schema allows: required fields only, ids as `{kind}` by name."""
    schema = _resolve(document, schema)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return derived(document, options[0], kinds, key) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            field: derived(document, properties[field], kinds, field)
            for field in schema.get("required", [])
        }
    if kind == "array":
        count = schema.get("minItems", 0)
        return [derived(document, schema.get("items", {}), kinds, key) for _ in range(count)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if key in kinds:
        return "{" + kinds[key] + "}"
    if schema.get("format") == "date":
        return date.today().isoformat()
    if schema.get("format") == "date-time":
        return (datetime.now(UTC) + timedelta(days=7)).isoformat()
    return "Matrix " + "x" * max(0, schema.get("minLength", 1) - 7)
