"""Episode definitions: publishing (API and the ``contracts/episodes/`` loader), reading, and
compiling a definition's codes into matchers for the episode engine.

Published (code, version) pairs are immutable: publishing the same content again is a no-op,
other content under a published pair is refused (a change is a new version).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from service.definitions import repository
from service.definitions.codes import CodeSet, normalize_code
from service.definitions.models import EpisodeDefinition
from service.definitions.schemas import EpisodeDefinition as EpisodeDefinitionOut
from service.definitions.schemas import EpisodeDefinitionSpec, InpatientStayAnchorSpec, TriggerSpec
from service.kit import changes
from service.kit.canonical import canonical_sha256
from service.kit.changes import Actor
from service.kit.clock import utcnow
from service.kit.errors import Conflict, NotFound
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.settings import project_dir

# ---------------------------------------------------------------------------------------------
# Reading


async def get_published(session: AsyncSession, *, code: str, version: int) -> EpisodeDefinition | None:
    return await repository.get(session, code=code, version=version)


async def get(session: AsyncSession, *, code: str, version: int) -> EpisodeDefinition:
    found = await repository.get(session, code=code, version=version)
    if found is None:
        raise NotFound(f"episode definition {code} version {version} is not published")
    return found


async def list_published(
    session: AsyncSession, *, code: str | None, limit: int, cursor: str | None
) -> tuple[Sequence[EpisodeDefinition], str | None]:
    return await paginate(
        session, repository.list_query(code=code), key=EpisodeDefinition.id, limit=limit, cursor=cursor
    )


@lru_cache(maxsize=256)
def _parse(content_json: str) -> EpisodeDefinitionSpec:
    return EpisodeDefinitionSpec.model_validate_json(content_json)


def spec_of(definition: EpisodeDefinition) -> EpisodeDefinitionSpec:
    """The validated spec of a published definition (parsed once per content, then cached)."""
    return _parse(json.dumps(definition.content, sort_keys=True))


def to_schema(definition: EpisodeDefinition) -> EpisodeDefinitionOut:
    return EpisodeDefinitionOut(
        **spec_of(definition).model_dump(),
        id=definition.id,
        content_sha256=definition.content_sha256,
        published_at=definition.published_at,
    )


# ---------------------------------------------------------------------------------------------
# Compiling codes: the one place the episode engine gets its matchers from


@dataclass(frozen=True, slots=True)
class CompiledTrigger:
    claim_types: frozenset[str]
    hcpcs: CodeSet
    diagnoses: CodeSet
    rendering_npi_in_arrangement: bool
    min_age: int


@dataclass(frozen=True, slots=True)
class CompiledRiskFactor:
    id: str
    drgs: frozenset[str]
    diagnoses: CodeSet | None  # None: every stay of the DRGs


@dataclass(frozen=True, slots=True)
class CompiledAnchor:
    """An inpatient stay anchor: which stays open an episode, and how they are priced."""

    drgs: frozenset[str]
    # ICD-10-PCS prefixes (normalised), one of which some procedure of the stay must start with;
    # empty: the DRG alone decides.
    procedure_prefixes: tuple[str, ...]
    by_operating_physician: bool
    min_age: int
    risk_factors: tuple[CompiledRiskFactor, ...]
    excluded_drgs: frozenset[str]

    def risk_factor_of(self, drg: str, diagnoses: str) -> str:
        """The first risk factor whose DRGs hold ``drg`` and whose diagnoses, if it lists any,
        match one of the stay's (``diagnoses`` as stored: ``|S72001A|W19XXXA|``)."""
        codes = [code for code in diagnoses.split("|") if code]
        for factor in self.risk_factors:
            if drg in factor.drgs and (factor.diagnoses is None or factor.diagnoses.matches_any(codes)):
                return factor.id
        # Unreachable for a validated definition: every anchor DRG has a factor without diagnoses.
        raise ValueError(f"MS-DRG {drg} has no risk factor")


@dataclass(frozen=True, slots=True)
class CompiledDefinition:
    # Exactly one of the two: a visit trigger, or an inpatient stay anchor.
    trigger: CompiledTrigger | None
    anchor: CompiledAnchor | None
    included_claim_types: frozenset[str]
    # Principal diagnoses whose lines are left out of spending (empty: nothing excluded).
    excluded_principal: CodeSet
    episode_length_days: int

    @property
    def min_age(self) -> int:
        source = self.trigger if self.trigger is not None else self.anchor
        assert source is not None
        return source.min_age


@lru_cache(maxsize=256)
def _compile_trigger(trigger_json: str) -> CompiledTrigger:
    trigger = TriggerSpec.model_validate_json(trigger_json)
    return CompiledTrigger(
        claim_types=frozenset(t.value for t in trigger.claim_types),
        hcpcs=CodeSet.hcpcs(trigger.hcpcs),
        diagnoses=CodeSet.icd10_prefixes(trigger.diagnosis_prefixes),
        rendering_npi_in_arrangement=trigger.rendering_npi_in_arrangement,
        min_age=trigger.min_age,
    )


def compile_trigger(trigger: TriggerSpec) -> CompiledTrigger:
    """The trigger's code lists compiled into sets (once per distinct trigger, then cached)."""
    return _compile_trigger(trigger.model_dump_json())


@lru_cache(maxsize=256)
def _compile_anchor(anchor_json: str) -> CompiledAnchor:
    anchor = InpatientStayAnchorSpec.model_validate_json(anchor_json)
    return CompiledAnchor(
        drgs=frozenset(anchor.drgs),
        procedure_prefixes=tuple(sorted({normalize_code(p) for p in anchor.procedure_prefixes})),
        by_operating_physician=anchor.attribution == "operating_physician",
        min_age=anchor.min_age,
        risk_factors=tuple(
            CompiledRiskFactor(
                id=factor.id,
                drgs=frozenset(factor.drgs),
                diagnoses=CodeSet.icd10_prefixes(factor.diagnosis_prefixes)
                if factor.diagnosis_prefixes
                else None,
            )
            for factor in anchor.risk_factors
        ),
        excluded_drgs=frozenset(anchor.excluded_drgs),
    )


def compile_definition(spec: EpisodeDefinitionSpec) -> CompiledDefinition:
    return CompiledDefinition(
        trigger=None if spec.trigger is None else compile_trigger(spec.trigger),
        anchor=None if spec.anchor is None else _compile_anchor(spec.anchor.model_dump_json()),
        included_claim_types=frozenset(t.value for t in spec.included_claim_types),
        excluded_principal=CodeSet.icd10_prefixes(spec.excluded_principal_diagnosis_prefixes),
        episode_length_days=spec.episode_length_days,
    )


# ---------------------------------------------------------------------------------------------
# Publishing


# The fields of the definition format's first edition. A field added later is optional, and is
# left out of the hash while absent, so that every definition published before it keeps its hash.
FIRST_EDITION_FIELDS = frozenset(
    {
        "code",
        "version",
        "name",
        "description",
        "approach",
        "episode_length_days",
        "trigger",
        "included_claim_types",
        "excluded_principal_diagnosis_prefixes",
        "outlier_cap_multiple",
        "risk_adjustment",
        "quality_measures",
    }
)


def content_sha256(spec: EpisodeDefinitionSpec) -> str:
    """SHA-256 of the canonical JSON of a spec (:mod:`service.kit.canonical`; nulls kept, except
    for an absent field added to the format after its first edition)."""
    content = {
        name: value
        for name, value in spec.model_dump(mode="python").items()
        if value is not None or name in FIRST_EDITION_FIELDS
    }
    return canonical_sha256(content, omit_none=False)


@dataclass(frozen=True, slots=True)
class PublishResult:
    definition: EpisodeDefinition
    created: bool


class ChangedPublishedDefinition(Conflict):
    """Other content under an already published (code, version)."""


async def publish(
    session: AsyncSession, *, actor: Actor, spec: EpisodeDefinitionSpec, source: str = "api"
) -> PublishResult:
    """Publish ``spec``; the same content again is a no-op (``created`` False)."""
    digest = content_sha256(spec)
    existing = await repository.get(session, code=spec.code, version=spec.version)
    if existing is None:
        row = EpisodeDefinition(
            id=new_id("def"),
            code=spec.code,
            version=spec.version,
            approach=spec.approach,
            name=spec.name,
            content=spec.model_dump(mode="json"),
            content_sha256=digest,
            published_at=utcnow(),
        )
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
        except IntegrityError:
            # Published concurrently by someone else: compare with theirs below.
            existing = await repository.get(session, code=spec.code, version=spec.version)
            if existing is None:
                raise
        else:
            changes.record(
                session,
                actor=actor,
                action="episode_definition.published",
                resource_type="episode_definition",
                resource_id=row.id,
                details={
                    "code": spec.code,
                    "version": spec.version,
                    "content_sha256": digest,
                    "source": source,
                },
            )
            return PublishResult(row, created=True)
    if existing.content_sha256 != digest:
        raise ChangedPublishedDefinition(
            f"{spec.code} version {spec.version} is already published with other content; published "
            "definitions are immutable: publish the change as a new version",
            code=spec.code,
            version=spec.version,
            published_sha256=existing.content_sha256,
            content_sha256=digest,
        )
    return PublishResult(existing, created=False)


# ---------------------------------------------------------------------------------------------
# The contracts/episodes/ folder


def contracts_dir() -> Path:
    return project_dir("contracts") / "episodes"


class DefinitionFileError(Exception):
    """A definition file that cannot be loaded; the message names the file and what is wrong."""


def format_location(loc: Sequence[int | str]) -> str:
    """``("trigger", "diagnosis_prefixes", 2)`` -> ``trigger.diagnosis_prefixes[2]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def read_definition_file(path: Path) -> EpisodeDefinitionSpec:
    """Parse and validate one YAML file; DefinitionFileError lists every problem in it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DefinitionFileError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DefinitionFileError(f"{path}: expected a mapping of the fields of an episode definition")
    try:
        spec = EpisodeDefinitionSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{format_location(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise DefinitionFileError(f"{path}: invalid episode definition: {problems}") from exc
    expected = f"{spec.code.lower()}.v{spec.version}.yaml"
    if path.name != expected:
        raise DefinitionFileError(
            f"{path}: declares {spec.code} version {spec.version}, so the file must be named {expected}"
        )
    return spec


@dataclass(frozen=True, slots=True)
class LoadedFile:
    path: Path
    code: str
    version: int
    outcome: str  # "published" or "unchanged"


async def load_directory(
    session: AsyncSession, *, actor: Actor, directory: Path | None = None
) -> list[LoadedFile]:
    """Publish every ``*.yaml`` of ``directory`` (default ``contracts/episodes/``) in one
    transaction. Idempotent; any invalid or changed file fails the whole load, naming the file."""
    directory = directory or contracts_dir()
    if not directory.is_dir():
        raise DefinitionFileError(f"{directory}: no such directory")
    misnamed = sorted(p.name for p in directory.glob("*.yml"))
    if misnamed:
        # The loader reads *.yaml only; a .yml file would silently never be published.
        raise DefinitionFileError(f"{directory}: rename {', '.join(misnamed)} to .yaml")
    loaded: list[LoadedFile] = []
    for path in sorted(directory.glob("*.yaml")):
        spec = read_definition_file(path)
        try:
            result = await publish(session, actor=actor, spec=spec, source=f"file:{path.name}")
        except ChangedPublishedDefinition as exc:
            raise DefinitionFileError(
                f"{path}: {spec.code} version {spec.version} is already published with other content "
                f"(published sha256 {exc.extra['published_sha256']}, file sha256 {exc.extra['content_sha256']}); "
                "published definitions are never overwritten: give the change a new version in a new file"
            ) from exc
        loaded.append(
            LoadedFile(path, spec.code, spec.version, "published" if result.created else "unchanged")
        )
    return loaded


# ---------------------------------------------------------------------------------------------
# The JSON Schema of the file format (committed as contracts/schema/episode-definition.schema.json)

SCHEMA_ID = "https://cara-service.org/schema/episode-definition.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema a definition file (as parsed YAML) must satisfy."""
    schema = EpisodeDefinitionSpec.model_json_schema(mode="validation")
    for name in ("trigger", "anchor"):
        # In a file an anchor is absent or an object, never null: the schema says so.
        field = schema["properties"][name]
        (field["$ref"],) = (option["$ref"] for option in field.pop("anyOf") if "$ref" in option)
        del field["default"]
    # Exactly one anchor, the visit trigger or another kind (EpisodeDefinitionSpec._one_anchor).
    schema["oneOf"] = [{"required": ["trigger"]}, {"required": ["anchor"]}]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def render_json_schema() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
