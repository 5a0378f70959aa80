"""Episode definitions: the shipped files, the loader, the JSON Schema and the HTTP API."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.bootstrap import run_with_session
from service.cli import main as cara
from service.definitions import service as definitions_service
from service.definitions.schemas import EXAMPLE
from service.definitions.service import (
    DefinitionFileError,
    LoadedFile,
    contracts_dir,
    load_directory,
    render_json_schema,
)
from service.kit.changes import CLI_ACTOR
from service.settings import Settings
from tests.support.factories import Api, World, expect

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "contracts" / "episodes"


def _code() -> str:
    return f"TEST-{secrets.token_hex(4).upper()}"


def _definition(code: str | None = None, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data["code"] = code or _code()
    data.update(changes)
    return data


def _load(settings: Settings, directory: Path | None = None) -> list[LoadedFile]:
    async def work(session: Any) -> list[LoadedFile]:
        return await load_directory(session, actor=CLI_ACTOR, directory=directory)

    return run_with_session(settings, work)


def _write(directory: Path, data: dict[str, Any], comment: str = "") -> Path:
    path = directory / f"{data['code'].lower()}.v{data['version']}.yaml"
    path.write_text(comment + yaml.safe_dump(data, sort_keys=False))
    return path


# --- the shipped files ---------------------------------------------------------------------------


def test_shipped_files_load_idempotently_and_are_served(migrated: Settings, ops: Api) -> None:
    assert contracts_dir() == SHIPPED
    first = _load(migrated)
    assert [(f.code, f.version) for f in first] == [("FALLS-PREV", 1), ("LEJR", 1)]
    assert {f.outcome for f in first} <= {"published", "unchanged"}  # another test may have loaded them
    second = _load(migrated)
    assert [f.outcome for f in second] == ["unchanged", "unchanged"]

    falls = expect(ops.get("/v1/episode-definitions/FALLS-PREV/1"), 200)
    assert falls["approach"] == "max_flex" and falls["episode_length_days"] == 90
    assert falls["trigger"]["claim_types"] == ["carrier", "outpatient"]
    assert {"99202-99205", "99211-99215", "97161-97163", "97165-97167"} <= set(falls["trigger"]["hcpcs"])
    assert falls["trigger"]["diagnosis_prefixes"] == ["Z91.81", "R29.6", "R26", "W00-W19"]
    assert falls["trigger"]["min_age"] == 65 and falls["trigger"]["rendering_npi_in_arrangement"] is True
    assert falls["included_claim_types"] == ["inpatient", "outpatient", "carrier", "snf", "hha", "dme"]
    assert falls["outlier_cap_multiple"] == "3.0" and falls["risk_adjustment"] == "hcc"
    assert [(m["id"], m["higher_is_better"]) for m in falls["quality_measures"]] == [
        ("Q155", True),
        ("Q318", True),
        ("Q484", False),
    ]


def test_the_shipped_falls_definition_compiles_to_the_intended_codes() -> None:
    spec = definitions_service.read_definition_file(SHIPPED / "falls-prev.v1.yaml")
    trigger = definitions_service.compile_trigger(spec.trigger)
    assert trigger.hcpcs.codes == {
        *(f"9920{n}" for n in range(2, 6)),
        *(f"9921{n}" for n in range(1, 6)),
        "99341",
        "99342",
        "99344",
        "99345",
        "99347",
        "99348",
        "99349",
        "99350",
        "97161",
        "97162",
        "97163",
        "97165",
        "97166",
        "97167",
    }
    for code in ("Z9181", "R296", "R260", "R2689", "W00XXXA", "W19XXXA"):
        assert trigger.diagnoses.matches(code), code
    for code in ("Z9182", "R29", "R27", "W20XXXA", "V00"):
        assert not trigger.diagnoses.matches(code), code


def test_committed_json_schema_is_current() -> None:
    committed = (ROOT / "contracts" / "schema" / "episode-definition.schema.json").read_text()
    assert committed == render_json_schema(), (
        "contracts/schema/episode-definition.schema.json is stale: run "
        "`cara definitions schema > contracts/schema/episode-definition.schema.json`"
    )
    schema = json.loads(committed)
    assert schema["additionalProperties"] is False
    assert {"code", "version", "outlier_cap_multiple"} <= set(schema["required"])
    assert schema["oneOf"] == [{"required": ["trigger"]}, {"required": ["anchor"]}]


def test_shipped_files_satisfy_the_exported_json_schema() -> None:
    import jsonschema

    schema = json.loads((ROOT / "contracts" / "schema" / "episode-definition.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for path in SHIPPED.glob("*.yaml"):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == [], path
    broken = _definition(episode_lenght_days=90)
    broken["trigger"]["hcpcs"] = ["99202-99215-99216"]
    messages = sorted(e.message for e in validator.iter_errors(broken))
    assert len(messages) == 2 and "does not match" in messages[0] and "episode_lenght_days" in messages[1]


# --- the loader ----------------------------------------------------------------------------------


def test_a_changed_published_file_is_refused_and_nothing_is_overwritten(
    migrated: Settings, ops: Api, tmp_path: Path
) -> None:
    data = _definition()
    path = _write(tmp_path, data)
    assert [f.outcome for f in _load(migrated, tmp_path)] == ["published"]
    # A comment and a different spelling of the same decimal are not a change.
    _write(tmp_path, {**data, "outlier_cap_multiple": "3.00"}, comment="# reviewed\n")
    assert [f.outcome for f in _load(migrated, tmp_path)] == ["unchanged"]

    _write(tmp_path, {**data, "episode_length_days": 60})
    with pytest.raises(DefinitionFileError) as caught:
        _load(migrated, tmp_path)
    message = str(caught.value)
    assert str(path) in message and f"{data['code']} version 1 is already published" in message
    assert "new version" in message
    stored = expect(ops.get(f"/v1/episode-definitions/{data['code']}/1"), 200)
    assert stored["episode_length_days"] == 90


def test_one_bad_file_loads_nothing(migrated: Settings, ops: Api, tmp_path: Path) -> None:
    good, bad = _definition(), _definition()
    bad["trigger"]["diagnosis_prefixes"] = ["Z91.81", "R29.6", "W99.Q"]
    _write(tmp_path, good)
    bad_path = _write(tmp_path, bad)
    with pytest.raises(DefinitionFileError) as caught:
        _load(migrated, tmp_path)
    assert str(caught.value) == (
        f"{bad_path}: invalid episode definition: "
        "trigger.diagnosis_prefixes[2]: W99.Q is not an ICD-10-CM code or category"
    )
    expect(ops.get(f"/v1/episode-definitions/{good['code']}/1"), 404)


def test_file_name_must_match_code_and_version(migrated: Settings, tmp_path: Path) -> None:
    data = _definition()
    (tmp_path / "something.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(DefinitionFileError, match=rf"must be named {data['code'].lower()}\.v1\.yaml"):
        _load(migrated, tmp_path)
    (tmp_path / "something.yaml").write_text("- not\n- a mapping\n")
    with pytest.raises(DefinitionFileError, match="expected a mapping"):
        _load(migrated, tmp_path)
    (tmp_path / "something.yaml").unlink()
    (tmp_path / "other.yml").write_text(yaml.safe_dump(data))
    with pytest.raises(DefinitionFileError, match=r"rename other\.yml to \.yaml"):
        _load(migrated, tmp_path)


def test_cli_load_reports_each_file_and_fails_on_a_changed_one(
    migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _definition()
    _write(tmp_path, data)
    assert cara(["definitions", "load", "--dir", str(tmp_path)], settings=migrated) == 0
    assert (
        capsys.readouterr().out == f"{data['code']} version 1: published ({data['code'].lower()}.v1.yaml)\n"
    )
    assert cara(["definitions", "load", "--dir", str(tmp_path)], settings=migrated) == 0
    assert "unchanged" in capsys.readouterr().out
    _write(tmp_path, {**data, "name": "Renamed"})
    assert cara(["definitions", "load", "--dir", str(tmp_path)], settings=migrated) == 1
    err = capsys.readouterr().err
    assert err.startswith("cara: episode definitions not loaded: ") and "never overwritten" in err


def test_serve_loads_definitions_at_start_and_refuses_to_start_on_a_changed_one(
    migrated: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(app))
    data = _definition()
    _write(tmp_path, data)
    monkeypatch.setattr(definitions_service, "contracts_dir", lambda: tmp_path)
    settings = migrated.model_copy(update={"load_definitions_on_start": True})
    assert cara(["serve", "--port", "0"], settings=settings) == 0 and len(served) == 1
    assert [f.outcome for f in _load(migrated, tmp_path)] == ["unchanged"]  # it was published

    _write(tmp_path, {**data, "episode_length_days": 30})
    assert cara(["serve", "--port", "0"], settings=settings) == 1 and len(served) == 1  # not started
    off = migrated.model_copy(update={"load_definitions_on_start": False})
    assert cara(["serve", "--port", "0"], settings=off) == 0 and len(served) == 2


# --- the HTTP API ---------------------------------------------------------------------------------


def test_publish_with_each_role(world: World, ops: Api) -> None:
    data = _definition()
    created = expect(ops.post("/v1/episode-definitions", json=data), 201)
    assert created["code"] == data["code"] and created["version"] == 1 and created["id"].startswith("def_")
    assert len(created["content_sha256"]) == 64 and created["outlier_cap_multiple"] == "3.0"

    again = ops.post("/v1/episode-definitions", json=data)
    assert expect(again, 200) == created

    changed = {**data, "episode_length_days": 60}
    problem = expect(ops.post("/v1/episode-definitions", json=changed), 409)
    assert "immutable" in problem["detail"] and problem["published_sha256"] == created["content_sha256"]
    assert expect(ops.get(f"/v1/episode-definitions/{data['code']}/1"), 200)["episode_length_days"] == 90

    expect(ops.post("/v1/episode-definitions", json={**changed, "version": 2}), 201)

    for api in (world.aco, world.provider):
        problem = expect(api.post("/v1/episode-definitions", json=_definition()), 403)
        assert "ops" in problem["detail"]
    expect(world.anonymous.post("/v1/episode-definitions", json=_definition()), 401)


def test_publish_names_the_bad_code(ops: Api) -> None:
    data = _definition()
    data["trigger"]["diagnosis_prefixes"][2] = "W99.Q"
    data["trigger"]["hcpcs"][0] = "99205-99202"
    problem = expect(ops.post("/v1/episode-definitions", json=data), 422)
    errors = {e["location"]: e["message"] for e in problem["errors"]}
    assert errors == {
        "body.trigger.hcpcs.0": "99205-99202 is not ordered: 99205 comes after 99202",
        "body.trigger.diagnosis_prefixes.2": "W99.Q is not an ICD-10-CM code or category",
    }
    expect(ops.get(f"/v1/episode-definitions/{data['code']}/1"), 404)


def test_every_role_reads_definitions_and_lists_page(world: World, ops: Api) -> None:
    code = _code()
    for version in (1, 2, 3):
        expect(ops.post("/v1/episode-definitions", json=_definition(code, version=version)), 201)
    for api in (ops, world.aco, world.provider):
        one = api.get(f"/v1/episode-definitions/{code}/2")
        assert expect(one, 200)["version"] == 2 and one.headers["ETag"]
        page = expect(api.get("/v1/episode-definitions", params={"code": code, "limit": 2}), 200)
        assert [d["version"] for d in page["items"]] == [1, 2] and page["next_cursor"]
        rest = expect(
            api.get("/v1/episode-definitions", params={"code": code, "cursor": page["next_cursor"]}), 200
        )
        assert [d["version"] for d in rest["items"]] == [3] and rest["next_cursor"] is None
    expect(world.anonymous.get("/v1/episode-definitions"), 401)
    expect(world.aco.get(f"/v1/episode-definitions/{code}/9"), 404)


def test_publishing_is_audited(ops: Api) -> None:
    created = expect(ops.post("/v1/episode-definitions", json=_definition()), 201)
    events = expect(ops.get("/v1/audit-events", params={"resource_id": created["id"]}), 200)["items"]
    assert [e["action"] for e in events] == ["episode_definition.published"]
    assert events[0]["details"]["content_sha256"] == created["content_sha256"]
    expect(ops.post("/v1/episode-definitions", json=_definition(created["code"])), 200)
    events = expect(ops.get("/v1/audit-events", params={"resource_id": created["id"]}), 200)["items"]
    assert len(events) == 1  # a no-op is not a change


def test_shipped_folder_has_only_loadable_files() -> None:
    for path in SHIPPED.iterdir():
        assert path.suffix == ".yaml", f"{path} would be ignored by the loader"
        definitions_service.read_definition_file(path)


@pytest.mark.skipif(
    os.environ.get("CARA_TEST_DB", "sqlite") != "postgresql",
    reason="concurrent writers need PostgreSQL (SQLite serialises transactions up front)",
)
def test_concurrent_publishers_of_one_new_version_agree(migrated: Settings) -> None:
    from service.bootstrap import bootstrap
    from service.definitions.schemas import EpisodeDefinitionSpec
    from service.definitions.service import ChangedPublishedDefinition, PublishResult, publish
    from service.kit.db import Database

    bootstrap()
    same = EpisodeDefinitionSpec.model_validate(_definition())

    async def race(second: EpisodeDefinitionSpec) -> tuple[PublishResult, PublishResult | Exception]:
        database = Database(migrated.database_url, 2)
        try:
            async with database.sessionmaker() as a, database.sessionmaker() as b:
                first = await publish(a, actor=CLI_ACTOR, spec=same)
                # b's insert waits on a's uncommitted row, then finds it committed.
                pending = asyncio.create_task(publish(b, actor=CLI_ACTOR, spec=second))
                await asyncio.sleep(0.2)
                assert not pending.done()
                await a.commit()
                try:
                    result: PublishResult | Exception = await pending
                except ChangedPublishedDefinition as exc:
                    result = exc
                await b.commit()
                return first, result
        finally:
            await database.dispose()

    first, second = asyncio.run(race(same))
    assert first.created and isinstance(second, PublishResult) and not second.created
    assert second.definition.id == first.definition.id

    same = EpisodeDefinitionSpec.model_validate(_definition())
    other = same.model_copy(update={"episode_length_days": 30})
    first, refused = asyncio.run(race(other))
    assert first.created and isinstance(refused, ChangedPublishedDefinition)
