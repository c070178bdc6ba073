"""The web front end's settings: every service's, and its own (environment variables)."""

from pydantic import Field

from eventkit.settings import ServiceSettings


class WebSettings(ServiceSettings):
    service_name: str = "web"
    http_port: int = 8000
    county_name: str = Field("Your county", description="Named in every page's header")
    membership_url: str = Field("http://127.0.0.1:8001", description="The membership API")
    events_url: str = Field("http://127.0.0.1:8002", description="The events API")
    notifications_url: str = Field("http://127.0.0.1:8003", description="The notifications API")
    reporting_url: str = Field("http://127.0.0.1:8004", description="The reporting API")
    api_timeout_seconds: float = Field(
        10, gt=0, description="Longest the pages wait for a service's answer"
    )
    identity_url: str = Field("http://127.0.0.1:8005", description="The platform's token issuer")
    web_client_id: str = Field("web", description="The web front end's client id there")
    web_client_secret: str = Field("", description="... and its secret")
    oidc_issuer: str = Field("", description="The county's OpenID provider; empty: no sign-in")
    oidc_metadata_url: str = Field(
        "", description="Its metadata, when not at the issuer's well-known address"
    )
    oidc_client_id: str = Field("web", description="The web front end's client id there")
    oidc_client_secret: str = Field("", description="... and its secret")
    session_recheck_seconds: float = Field(
        60,
        gt=0,
        description="How often a session's roles are checked again: it ends within this long "
        "of the person's roles ending",
    )
    session_hours: float = Field(
        12, gt=0, le=24, description="Longest a browser session lasts without signing in again"
    )
