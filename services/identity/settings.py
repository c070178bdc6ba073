"""Configuration of the identity service, read from environment variables."""

from pathlib import Path

from pydantic import Field

from eventkit.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: str = "identity"
    http_port: int = 8005
    identity_keys_dir: Path = Field(
        Path("identity-keys"),
        description="Folder of the ES256 signing keys (PEM, one per file; the newest signs)",
    )
    identity_clients_file: Path = Field(
        Path("identity-clients.json"),
        description="The registered clients: council systems, services and the web front end",
    )
    membership_url: str = Field("http://127.0.0.1:8001", description="Where people's roles are")
    oidc_issuer: str = Field(
        "", description="The county's OpenID provider (its issuer URL); empty: no sign-in"
    )
    oidc_metadata_url: str = Field(
        "",
        description="Where this service reads the provider's metadata, when that is not at the "
        "issuer's own address (a container network); default: the issuer's well-known address",
    )
    oidc_client_id: str = Field("", description="The web front end's client id at the provider")
    access_token_minutes: float = Field(
        10, gt=0, le=60, description="How long an access token lives"
    )
    refresh_token_hours: float = Field(
        12, gt=0, le=24, description="Longest a browser session goes before signing in again"
    )
