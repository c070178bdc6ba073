"""Composition root of the identity service: the platform's token issuer.

It owns the signing keys and no business data: people and their roles are membership's, and
who a person is comes from the county's OpenID provider.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from eventkit import problems
from eventkit.http import http_app
from services.identity.adapters.key_files import KeyFiles
from services.identity.adapters.membership import MembershipDirectory
from services.identity.adapters.provider import OpenIdProvider
from services.identity.domain.clients import ClientRegistry
from services.identity.entrypoints import tokens
from services.identity.settings import IdentitySettings


def load_clients(settings: IdentitySettings) -> ClientRegistry:
    path = settings.identity_clients_file
    return (
        ClientRegistry.model_validate_json(path.read_text()) if path.is_file() else ClientRegistry()
    )


def build(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()
    keys = KeyFiles(settings.identity_keys_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        keys.active()
        async with (
            httpx.AsyncClient(base_url=settings.membership_url, timeout=10) as members,
            httpx.AsyncClient(timeout=10) as outside,
        ):
            app.state.directory = MembershipDirectory(members, keys)
            app.state.provider = (
                OpenIdProvider(
                    outside,
                    settings.oidc_issuer,
                    settings.oidc_client_id,
                    settings.oidc_metadata_url,
                )
                if settings.oidc_issuer
                else None
            )
            yield

    app = http_app(
        settings,
        title="school partnerships: identity",
        description="Issues the platform's access tokens (ES256) and publishes their public keys. "
        "Council systems and services use client credentials; the web front end exchanges a "
        "person's ID token from the county's OpenID provider.",
        lifespan=lifespan,
    )
    app.state.keys = keys
    app.state.clients = load_clients(settings)
    app.include_router(tokens.router)

    @app.get("/ready", tags=["operations"], summary="The signing key is readable")
    async def ready() -> dict[str, str]:
        return {"status": "ready", "signing_key": keys.active().kid}

    problems.document_problems(app)
    return app
