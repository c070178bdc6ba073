"""Configuration shared by every service, read from environment variables."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Every variable can be set in the environment (upper case) or in a `.env` file."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    service_name: str = Field(
        "service", description="Name used in logs, CloudEvents source and group ids"
    )
    kafka_bootstrap_servers: str = Field("localhost:9092", description="Kafka bootstrap servers")
    mongodb_uri: str = Field(
        "mongodb://localhost:27017/?directConnection=true", description="MongoDB connection URI"
    )
    mongodb_database: str = Field("", description="Database name; defaults to the service name")
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    auth_jwks_url: str = Field(
        "", description="The identity service's public keys (JWKS), which bearer tokens verify with"
    )
    link_secret: str = Field(
        "change-me-local-development-only-secret",
        description="Key this service signs its own links with (calendar feeds, unsubscribe)",
    )
    auth_max_token_hours: float = Field(
        24, gt=0, description="Longest an API token may live (from its iat to its exp)"
    )
    log_format: str = Field("auto", description="json, console, or auto (console on a terminal)")
    log_level: str = "INFO"
    relay_batch_size: int = 500
    relay_poll_seconds: float = 0.5
    consumer_max_attempts: int = 4
    consumer_backoff_seconds: float = 0.2
    consumer_batch_size: int = Field(
        500, ge=1, description="Most events a consumer applies in one transaction"
    )
    consumer_batch_wait_ms: int = Field(
        100, ge=1, description="Longest a quiet consumer waits before it looks again"
    )
    public_base_url: str = ""
    consumer_group_suffix: str = Field(
        "",
        description="Appended, after a dot, to consumer names (group ids and inbox entries): a "
        "second copy of a service with its own database can then run beside the first",
    )

    def consumer_name(self, name: str) -> str:
        return f"{name}.{self.consumer_group_suffix}" if self.consumer_group_suffix else name

    @property
    def database_name(self) -> str:
        return self.mongodb_database or self.service_name
