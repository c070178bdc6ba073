"""Bearer headers for a role, signed with the app's own settings."""

from collections.abc import Iterable

from eventkit.auth import Role, mint_token
from eventkit.settings import ServiceSettings


def bearer(
    settings: ServiceSettings,
    role: Role,
    *,
    partnerships: Iterable[str] = (),
    schools: Iterable[str] = (),
    person_id: str | None = None,
    subject: str = "tester",
) -> dict[str, str]:
    token = mint_token(
        settings,
        subject=subject,
        role=role,
        partnerships=partnerships,
        schools=schools,
        person_id=person_id,
    )
    return {"Authorization": f"Bearer {token}"}
