"""The token endpoint (RFC 6749 form posts), the public keys and the server's metadata."""

import base64
import binascii
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field

from eventkit.auth import Role, jwks
from eventkit.errors import Invalid, Unauthorized
from services.identity.domain.clients import Client
from services.identity.service_layer import tokens
from services.identity.service_layer.tokens import Grant
from services.identity.settings import IdentitySettings

router = APIRouter(tags=["tokens"])

CLIENT_CREDENTIALS = "client_credentials"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
REFRESH_TOKEN = "refresh_token"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"


class TokenForm(BaseModel):
    grant_type: Literal[
        "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange", "refresh_token"
    ]
    client_id: str | None = Field(None, max_length=64, description="Or HTTP Basic")
    client_secret: str | None = Field(None, max_length=200, description="Or HTTP Basic")
    subject_token: str | None = Field(
        None, max_length=8192, description="Token exchange: the provider's ID token"
    )
    subject_token_type: str | None = Field(None, max_length=100)
    refresh_token: str | None = Field(None, max_length=4096)
    acting_as: Role | None = Field(None, description="A person's: the way to act (a role)")


def _client(request: Request, form: TokenForm) -> Client:
    client_id, secret = form.client_id, form.client_secret
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, secret = (
                base64.b64decode(header[6:], validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized("invalid_client: the Basic credentials are not readable") from None
    if not client_id or not secret:
        raise Unauthorized("invalid_client: give client_id and client_secret (or HTTP Basic)")
    return tokens.authenticate(request.app.state.clients, client_id, secret)


@router.post("/token", summary="Access tokens for clients and for people signing in")
async def token(request: Request, form: Annotated[TokenForm, Form()]) -> Grant:
    settings: IdentitySettings = request.app.state.settings
    state = request.app.state
    client = _client(request, form)
    ttl = timedelta(minutes=settings.access_token_minutes)
    if form.grant_type == CLIENT_CREDENTIALS:
        return tokens.for_client(state.keys, client, ttl)
    if form.grant_type == TOKEN_EXCHANGE:
        if not form.subject_token or form.subject_token_type != ID_TOKEN_TYPE:
            raise Invalid(f"invalid_request: give subject_token, an ID token ({ID_TOKEN_TYPE})")
        if state.provider is None:
            raise Invalid("invalid_request: this platform has no identity provider configured")
        return await tokens.sign_in(
            state.keys,
            state.provider,
            state.directory,
            client,
            form.subject_token,
            form.acting_as,
            secret=settings.link_secret,
            ttl=ttl,
            session=timedelta(hours=settings.refresh_token_hours),
        )
    if not form.refresh_token:
        raise Invalid("invalid_request: give refresh_token")
    return await tokens.refresh(
        state.keys,
        state.directory,
        client,
        form.refresh_token,
        form.acting_as,
        secret=settings.link_secret,
        ttl=ttl,
    )


@router.get("/.well-known/jwks.json", summary="The public keys access tokens verify with")
async def public_keys(request: Request) -> dict[str, Any]:
    return jwks(request.app.state.keys.published())


@router.get(
    "/.well-known/oauth-authorization-server", summary="Where the token endpoint and keys are"
)
async def metadata(request: Request) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {
        "issuer": base,
        "token_endpoint": f"{base}/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "grant_types_supported": [CLIENT_CREDENTIALS, TOKEN_EXCHANGE, REFRESH_TOKEN],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }
