"""Every error an HTTP API answers, as RFC 9457 problem details (`application/problem+json`).

One shape from every service: `type` (a URI naming the kind of problem), `title` (the same for
every problem of that type), `status`, `detail` (this occurrence, in words) and, for input that
failed validation, `errors`: each field's location and message. The OpenAPI document of every
operation lists the 4xx answers it can give with these schemas.
"""

from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:school-partnerships:problem:"

KINDS: Mapping[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    503: "unavailable",
}

ANSWERED_BY_EVERY_OPERATION = (401, 403, 404, 409, 422)
"""What any authenticated operation may answer: no or a bad token, not yours, not there, not now,
not acceptable. Operations with a body also answer 400 (it is not JSON) and 413 (too large)."""


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where: body, path, query or header, then the field")
    msg: str
    type: str = Field(description="A short code for the kind of error, e.g. `missing`")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="A URI naming the kind of problem")
    title: str = Field(description="The same for every problem of this type")
    status: int
    detail: str = Field(description="This occurrence, in words")


class ValidationProblem(Problem):
    """The request's input cannot be accepted: each field's error is listed where the input
    failed validation (empty where the content as a whole cannot be accepted)."""

    errors: list[FieldError]


def problem_type(status: int) -> str:
    return TYPE_PREFIX + KINDS.get(status, "error")


def problem(
    status: int,
    detail: str,
    *,
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": problem_type(status),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None or status == 422:
        body["errors"] = [e.model_dump() for e in errors or ()]
    return JSONResponse(
        jsonable_encoder(body), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Pydantic's errors without the input they refused (never echoed back)."""
    return [
        FieldError(
            loc=[p if isinstance(p, int) else str(p)[:64] for p in e["loc"]],
            msg=str(e["msg"])[:500],
            type=str(e["type"]),
        )
        for e in errors
    ]


def document_problems(app: FastAPI) -> None:
    """Make the app's OpenAPI document list, for every operation, the problems it can answer."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in (FieldError, Problem, ValidationProblem):
            schemas[model.__name__] = model.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                _document_operation(operation)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _document_operation(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    codes = list(ANSWERED_BY_EVERY_OPERATION)
    if "requestBody" in operation:
        codes += [400, 413]
    if "operations" in operation.get("tags", ()):  # health, readiness, lag: no caller's input
        codes = []
    for code in codes:
        schema = "ValidationProblem" if code == 422 else "Problem"
        responses[str(code)] = {
            "description": HTTPStatus(code).phrase,
            "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
