"""Every error is RFC 9457 problem details, and every operation's OpenAPI says which it answers."""

from typing import Any

import httpx
import pytest

from eventkit import problems
from support.membership import Membership

pytestmark = pytest.mark.integration

PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def problem_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == problems.MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["type"].startswith(problems.TYPE_PREFIX)
    return body


async def test_each_kind_of_error_answers_problem_details(membership: Membership) -> None:
    unauthenticated = await membership.http.get("/partnerships")
    body = problem_of(unauthenticated, 401)
    assert body["title"] == "Unauthorized" and body["detail"] == "missing bearer token"
    assert unauthenticated.headers["www-authenticate"] == "Bearer"

    missing = problem_of(
        await membership.http.get("/partnerships/nope", headers=membership.officer), 404
    )
    assert missing["type"] == problems.TYPE_PREFIX + "not-found"

    wrong_method = await membership.http.delete("/schools", headers=membership.officer)
    problem_of(wrong_method, 405)

    invalid = problem_of(
        await membership.http.post(
            "/partnerships", json={"name": "", "kind": "party"}, headers=membership.officer
        ),
        422,
    )
    assert invalid["type"] == problems.TYPE_PREFIX + "invalid"
    fields = {tuple(e["loc"]) for e in invalid["errors"]}
    assert {("body", "name"), ("body", "kind")} <= fields
    assert all({"loc", "msg", "type"} == set(e) for e in invalid["errors"])


async def test_every_operation_documents_the_problems_it_can_answer(
    membership: Membership,
) -> None:
    spec = (await membership.http.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    assert {"Problem", "ValidationProblem", "FieldError"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    operations = [
        (path, method, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if path not in ("/health", "/ready", "/lag", "/asyncapi.json")
    ]
    assert len(operations) > 10
    for path, method, operation in operations:
        for code in ("401", "403", "404", "409", "422"):
            content = operation["responses"][code]["content"]
            expected = "ValidationProblem" if code == "422" else "Problem"
            assert content == {
                problems.MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{expected}"}}
            }, (path, method, code)
