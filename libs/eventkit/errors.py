"""Domain errors every service raises; the HTTP layer turns each into a 4xx with its message."""


class DomainError(Exception):
    status_code = 400


class Unauthorized(DomainError):
    """The credentials given do not (or no longer) let the caller in."""

    status_code = 401


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a stale version, a wrong status)."""

    status_code = 409


class Invalid(DomainError):
    """The request is well-formed but its content cannot be accepted."""

    status_code = 422
