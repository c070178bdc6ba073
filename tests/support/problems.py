"""What an error answer looks like: RFC 9457 problem details, as every service sends them."""

from http import HTTPStatus

from eventkit.problems import problem_type


def problem(status: int, detail: str) -> dict[str, object]:
    """The whole body of an error answer with this status and detail (a 422 from a handler
    names no field: its `errors` list is empty)."""
    body: dict[str, object] = {
        "type": problem_type(status),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if status == 422:
        body["errors"] = []
    return body
