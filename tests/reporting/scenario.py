"""Building partnerships through the real membership API, for the reporting tests."""

import secrets
from typing import Any

import httpx

from contracts.vocabulary import Phase, Sector


def fresh_urn() -> str:
    """A random 7-digit URN: every test's events share one topic, so URNs must not repeat."""
    return str(1_000_000 + secrets.randbelow(9_000_000))


def ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


class MembershipClient:
    """The membership calls the tests need, as a county officer unless told otherwise."""

    def __init__(self, http: httpx.AsyncClient, officer: dict[str, str]) -> None:
        self.http = http
        self.officer = officer

    async def partnership(self, name: str, headers: dict[str, str] | None = None) -> str:
        body = {"name": name, "kind": "formal_partnership", "area": ["873"]}
        created = ok(
            await self.http.post("/partnerships", json=body, headers=headers or self.officer)
        )
        return str(created["id"])

    async def school(self, name: str, sector: Sector, phase: Phase) -> dict[str, Any]:
        body = {
            "urn": fresh_urn(),
            "name": name,
            "sector": sector,
            "phase": phase,
            "la_code": "873",
        }
        return dict(ok(await self.http.post("/schools", json=body, headers=self.officer)))

    async def join(self, pid: str, urn: str, role: str = "member") -> None:
        body = {"urn": urn, "role": role}
        ok(await self.http.post(f"/partnerships/{pid}/members", json=body, headers=self.officer))

    async def invite(self, pid: str, urn: str) -> None:
        body = {"urn": urn, "role": "member"}
        ok(
            await self.http.post(
                f"/partnerships/{pid}/invitations", json=body, headers=self.officer
            )
        )

    async def act(self, pid: str, urn: str, action: str) -> None:
        """suspend, reinstate, leave or accept."""
        ok(
            await self.http.post(
                f"/partnerships/{pid}/members/{urn}/{action}", headers=self.officer
            )
        )
