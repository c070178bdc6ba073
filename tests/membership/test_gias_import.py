"""Importing schools from a GIAS establishment CSV over real HTTP, into the real database."""

import argparse
import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from devstack import gias_cli, stack
from eventkit.auth import Role, mint_token
from eventkit.outbox import COLLECTION as OUTBOX
from services.membership.service_layer import school_import
from support import issuer
from support.issuer import signing_key

SAMPLE = Path(__file__).parent.parent / "fixtures" / "gias_sample.csv"
CSV = {"Content-Type": "text/csv"}
REGISTERED = "membership.school_registered.v1"
UPDATED = "membership.school_updated.v1"
GOOD_ROWS = 13


@pytest.fixture
async def outbox(membership: Any) -> AsyncIterator[Any]:
    """The membership service's outbox collection, read directly from its database."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(membership.settings.mongodb_uri)
    try:
        yield client[membership.settings.database_name][OUTBOX]
    finally:
        await client.close()


async def post_csv(membership: Any, body: bytes, **params: Any) -> Any:
    return await membership.http.post(
        "/schools/import",
        content=body,
        params=params,
        headers={**membership.officer, **CSV},
    )


async def school(membership: Any, urn: str) -> Any:
    return await membership.http.get(f"/schools/{urn}", headers=membership.officer)


async def test_a_bad_row_is_reported_and_the_rest_imported(membership: Any, outbox: Any) -> None:
    response = await post_csv(membership, SAMPLE.read_bytes())

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["registered"], report["updated"], report["unchanged"]) == (GOOD_ROWS, 0, 0)
    rejected = {row["line"]: row for row in report["rejected"]}
    assert sorted(rejected) == [13, 15, 17]
    assert rejected[13]["urn"] == "ABC123"
    assert "is not a DfE URN" in rejected[13]["error"]
    assert rejected[15]["urn"] == "139999"
    assert "PhaseOfEducation (name) is 'Tertiary'" in rejected[15]["error"]
    assert rejected[17]["urn"] == "137456"
    assert rejected[17]["error"].startswith("NumberOfPupils (pupils):")

    kings = (await school(membership, "110815")).json()
    assert kings["details"] == {
        "name": "King’s Ely",
        "phase": "all_through",
        "sector": "independent",
        "establishment_type": "Other independent school",
        "la_code": "873",
        "la_name": "Cambridgeshire",
        "pupils": 1123,
        "fsm_share": None,
        "open": True,
    }
    springfield = (await school(membership, "124621")).json()["details"]
    assert (springfield["name"], springfield["la_code"], springfield["fsm_share"]) == (
        "Springfield Junior School",
        "935",
        0.284,
    )
    assert (await school(membership, "110612")).json()["details"]["open"] is False
    for bad in ("139999", "137456"):
        assert (await school(membership, bad)).status_code == 404
    assert await outbox.count_documents({"type": REGISTERED}) == GOOD_ROWS


async def test_reimport_changes_only_what_changed(membership: Any, outbox: Any) -> None:
    data = SAMPLE.read_bytes()
    assert (await post_csv(membership, data)).status_code == 200
    events_after_first = await outbox.count_documents({})

    again = (await post_csv(membership, data)).json()
    assert (again["registered"], again["updated"], again["unchanged"]) == (0, 0, GOOD_ROWS)
    assert len(again["rejected"]) == 3
    assert await outbox.count_documents({}) == events_after_first

    changed = data.replace(b",421,214,207,28.4,", b",430,214,207,27.9,")
    assert changed != data
    report = (await post_csv(membership, changed)).json()
    assert (report["registered"], report["updated"], report["unchanged"]) == (
        0,
        1,
        GOOD_ROWS - 1,
    )
    assert await outbox.count_documents({}) == events_after_first + 1
    assert await outbox.count_documents({"type": UPDATED, "key": b"124621"}) == 1
    springfield = (await school(membership, "124621")).json()
    assert (springfield["details"]["pupils"], springfield["details"]["fsm_share"]) == (430, 0.279)
    assert springfield["version"] == 2


async def test_only_county_officers_may_import(membership: Any) -> None:
    for role, scope in (
        (Role.SCHOOL_LEAD, {"schools": ["110815"]}),
        (Role.PARTNERSHIP_COORDINATOR, {"partnerships": ["p1"]}),
    ):
        response = await membership.http.post(
            "/schools/import",
            content=SAMPLE.read_bytes(),
            headers={**membership.as_(role, **scope), **CSV},
        )
        assert response.status_code == 403, response.text
        assert "county officer" in response.json()["detail"]
    assert (await school(membership, "110815")).status_code == 404
    unsigned = await membership.http.post("/schools/import", content=b"URN\n1", headers=CSV)
    assert unsigned.status_code == 401


async def test_a_file_that_is_not_a_gias_csv_is_refused(membership: Any) -> None:
    text = SAMPLE.read_bytes().decode("cp1252")
    without = text.replace("NumberOfPupils", "Pupils").replace("PercentageFSM", "FSM")
    response = await post_csv(membership, without.encode())
    assert response.status_code == 422
    assert "'NumberOfPupils'" in response.json()["detail"]
    assert "'PercentageFSM'" in response.json()["detail"]

    empty = await post_csv(membership, b"")
    assert empty.status_code == 422
    assert "empty" in empty.json()["detail"]

    form = await membership.http.post(
        "/schools/import", content=SAMPLE.read_bytes(), headers=membership.officer
    )
    assert form.status_code == 415
    assert "text/csv" in form.json()["detail"]
    assert (await school(membership, "110815")).status_code == 404


async def test_a_urn_twice_in_one_file_is_rejected_the_second_time(
    membership: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(school_import, "BATCH_SIZE", 2)  # the service runs in this process
    lines = SAMPLE.read_bytes().decode("cp1252").splitlines(keepends=True)
    body = "".join([lines[0], lines[1], lines[2], lines[3], lines[1].replace("1123", "1200")])
    report = (await post_csv(membership, body.encode(), first_line=50)).json()
    assert report["registered"] == 3
    assert report["rejected"] == [
        {"line": 53, "urn": "110815", "error": "URN 110815 is already on line 50"}
    ]
    assert (await school(membership, "110815")).json()["details"]["pupils"] == 1123
    assert (await school(membership, "143752")).status_code == 200


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="partnerships")
    gias_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


async def test_the_cli_imports_a_file_in_pieces(
    membership: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    token = mint_token(signing_key(), subject="officer", role=Role.COUNTY_OFFICER)
    argv = ("schools", "import", str(SAMPLE), "--url", membership.url, "--token", token)

    code = await asyncio.to_thread(run_cli, *argv, "--chunk-rows", "4")

    out = capsys.readouterr().out
    assert code == 1  # some rows were rejected
    assert f"{GOOD_ROWS} registered, 0 updated, 0 unchanged, 3 rejected" in out
    # rows 13, 15 and 17 arrived in the third and fourth pieces: still the file's own lines
    assert "line 13 (URN ABC123): URN 'ABC123' is not a DfE URN" in out
    assert "line 15 (URN 139999): PhaseOfEducation (name) is 'Tertiary'" in out
    assert "line 17 (URN 137456): NumberOfPupils (pupils)" in out
    assert (await school(membership, "115418")).json()["details"]["name"] == "New Hall School"

    await asyncio.to_thread(run_cli, *argv)
    assert f"0 registered, 0 updated, {GOOD_ROWS} unchanged, 3 rejected" in capsys.readouterr().out


async def test_the_cli_says_why_the_service_refused_a_file(membership: Any, tmp_path: Path) -> None:
    token = mint_token(signing_key(), subject="officer", role=Role.COUNTY_OFFICER)
    bad = tmp_path / "not-gias.csv"
    bad.write_text("URN,Name\n123456,Somewhere\n")
    with pytest.raises(gias_cli.ImportFailed, match=r"\(422\): .*missing column.*'LA \(code\)'"):
        await asyncio.to_thread(gias_cli.import_file, bad, url=membership.url, token=token)


async def test_the_cli_signs_its_own_token_with_the_stack_identity_key(
    membership: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("PARTNERSHIPS_TOKEN", "IDENTITY_KEYS_DIR"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("STACK_HOME", str(tmp_path))
    argv = ("schools", "import", str(SAMPLE), "--url", membership.url)
    with pytest.raises(gias_cli.ImportFailed, match="no token"):
        await asyncio.to_thread(run_cli, *argv)

    shutil.copytree(os.environ[issuer.KEYS_DIR_VARIABLE], stack.keys_dir(tmp_path))
    assert await asyncio.to_thread(run_cli, *argv) == 1
    assert (await school(membership, "110815")).status_code == 200
