"""A real OpenID provider for tests (oidc-provider-mock, in a thread), and a person's ID token
from it, got the way a browser would: the sign-in form posted, the code exchanged."""

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # it imports Authlib modules Authlib calls deprecated
    from oidc_provider_mock import run_server_in_thread

WEB_CLIENT = "web"
REDIRECT = "http://127.0.0.1/signed-in"


@contextmanager
def running_provider() -> Iterator[str]:
    """The provider's issuer URL; add people with `add_person`."""
    with run_server_in_thread(port=0) as server:
        yield f"http://127.0.0.1:{server.server_port}"


def add_person(issuer: str, subject: str, **claims: Any) -> None:
    response = httpx.put(f"{issuer}/users/{subject}", json=claims)
    response.raise_for_status()


def id_token(issuer: str, subject: str, client_id: str = WEB_CLIENT) -> str:
    with httpx.Client() as http:
        config = http.get(f"{issuer}/.well-known/openid-configuration").json()
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT,
            "scope": "openid email profile",
            "state": "s",
            "nonce": "n",
        }
        signed_in = http.post(config["authorization_endpoint"], params=query, data={"sub": subject})
        found = re.search(r"[?&]code=([^&]+)", signed_in.headers["location"])
        assert found, signed_in.headers["location"]
        tokens = http.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": found.group(1),
                "redirect_uri": REDIRECT,
                "client_id": client_id,
                "client_secret": "any",
            },
        )
        tokens.raise_for_status()
        return str(tokens.json()["id_token"])
