"""Bearer headers for a role, signed by the test session's token issuer."""

from collections.abc import Iterable

from eventkit.auth import Role, mint_token
from support.issuer import signing_key


def bearer(
    role: Role,
    *,
    partnerships: Iterable[str] = (),
    schools: Iterable[str] = (),
    person_id: str | None = None,
    subject: str | None = None,
) -> dict[str, str]:
    """The subject is the person's id where there is one (each person is their own caller)."""
    token = mint_token(
        signing_key(),
        subject=subject or person_id or f"tester-{role.value}",
        role=role,
        partnerships=partnerships,
        schools=schools,
        person_id=person_id,
    )
    return {"Authorization": f"Bearer {token}"}
