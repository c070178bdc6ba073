"""Everyone the demo adds, as the development OpenID provider knows them: they sign in there
by their email address, which the provider vouches for."""

from __future__ import annotations

import json

from devstack.demo_data import PARTNERSHIPS, PersonSeed
from devstack.demo_programme_data import COUNTY_OFFICERS, EAST_KENT_STAFF


def demo_people() -> list[PersonSeed]:
    """Each person once, in the order the demo adds them."""
    seen: dict[str, PersonSeed] = {}
    for person in (
        *(p for partnership in PARTNERSHIPS for p in partnership.people),
        *EAST_KENT_STAFF,
        *COUNTY_OFFICERS,
    ):
        seen.setdefault(person.email.lower(), person)
    return list(seen.values())


def provider_users() -> list[str]:
    """`--user-claims` values for oidc-provider-mock: subject = email, verified."""
    return [
        json.dumps(
            {
                "sub": p.email.lower(),
                "email": p.email.lower(),
                "email_verified": True,
                "name": p.name,
            }
        )
        for p in demo_people()
    ]
