"""The Keycloak realm docker-compose imports: the web front end as a confidential client that
must use PKCE (S256), and the demo's people, each signing in with their email address and the
password `demo` (for trying the platform only: a county's own realm has its own people).

`python -m devstack.keycloak_realm` prints it; `deploy/keycloak/partnerships-realm.json` is its
output, and a test keeps the two the same.
"""

from __future__ import annotations

import json
from typing import Any

from devstack.demo_people import demo_people

REALM = "partnerships"
WEB_URL = "http://localhost:8000"


def realm() -> dict[str, Any]:
    return {
        "realm": REALM,
        "displayName": "School partnerships (demo)",
        "enabled": True,
        "sslRequired": "external",
        "loginWithEmailAllowed": True,
        "registrationAllowed": False,
        "clients": [
            {
                "clientId": "web",
                "name": "School partnerships: web front end",
                "enabled": True,
                "publicClient": False,
                "clientAuthenticatorType": "client-secret",
                "secret": "change-me-oidc",
                "standardFlowEnabled": True,
                "implicitFlowEnabled": False,
                "directAccessGrantsEnabled": False,
                "serviceAccountsEnabled": False,
                "redirectUris": [f"{WEB_URL}/signed-in"],
                "webOrigins": [WEB_URL],
                "attributes": {
                    "pkce.code.challenge.method": "S256",
                    "post.logout.redirect.uris": f"{WEB_URL}/signed-out",
                },
            }
        ],
        "users": [
            {
                "username": person.email.lower(),
                "email": person.email.lower(),
                "emailVerified": True,
                "enabled": True,
                "firstName": person.name.rsplit(" ", 1)[0],
                "lastName": person.name.rsplit(" ", 1)[-1],
                "credentials": [{"type": "password", "value": "demo", "temporary": False}],
            }
            for person in demo_people()
        ],
    }


def render() -> str:
    return json.dumps(realm(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
