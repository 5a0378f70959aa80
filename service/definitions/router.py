from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from service.access.auth import AnyPrincipal, OpsPrincipal
from service.definitions import service
from service.definitions.schemas import EpisodeDefinition, EpisodeDefinitionSpec
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.etag import make_etag
from service.kit.pagination import CursorParam, LimitParam, Page

router = APIRouter(prefix="/v1", tags=["episode definitions"])

CodePath = Annotated[str, Path(max_length=40, description="Definition code, e.g. `FALLS-PREV`.")]
VersionPath = Annotated[int, Path(ge=1, le=10_000, description="Definition version, e.g. `1`.")]

_UNCHANGED: dict[int | str, dict[str, Any]] = {
    200: {
        "model": EpisodeDefinition,
        "description": "The same content was already published under this (code, version): nothing changed.",
    }
}


@router.get(
    "/episode-definitions",
    summary="The published episode definitions",
    description="**Roles: ops, aco, provider.** Every published (code, version), in publication "
    "order, with the fields of docs/method.md section 1 (`trigger.hcpcs`, `episode_length_days`, ...).",
    responses=problem_responses(401, 422),
)
async def list_episode_definitions(
    principal: AnyPrincipal,
    session: SessionDep,
    code: Annotated[str | None, Query(max_length=40, description="Only versions of this code.")] = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[EpisodeDefinition]:
    rows, next_cursor = await service.list_published(session, code=code, limit=limit, cursor=cursor)
    return Page(items=[service.to_schema(row) for row in rows], next_cursor=next_cursor)


@router.get(
    "/episode-definitions/{code}/{version}",
    summary="One published episode definition",
    description="**Roles: ops, aco, provider.** A published definition never changes, so its "
    "`ETag` never does either.",
    responses=problem_responses(401, 404, 422),
)
async def get_episode_definition(
    code: CodePath, version: VersionPath, principal: AnyPrincipal, session: SessionDep, response: Response
) -> EpisodeDefinition:
    row = await service.get(session, code=code, version=version)
    response.headers["ETag"] = make_etag(row.id, 1)
    return service.to_schema(row)


@router.post(
    "/episode-definitions",
    status_code=status.HTTP_201_CREATED,
    summary="Publish an episode definition",
    description="**Role: ops.** The body is a definition file's content as JSON (the format of "
    "`contracts/schema/episode-definition.schema.json`). Every code is validated: ICD-10-CM "
    "prefixes and ranges against the code set, HCPCS codes and ranges by shape and order. "
    "Published versions are immutable: the same content again is a no-op answered 200; other "
    "content under a published (code, version) is a 409 (publish it as a new version).",
    responses={**_UNCHANGED, **problem_responses(401, 403, 409, 422)},
)
async def publish_episode_definition(
    spec: EpisodeDefinitionSpec, principal: OpsPrincipal, session: SessionDep, response: Response
) -> EpisodeDefinition:
    result = await service.publish(session, actor=principal.actor, spec=spec)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    response.headers["ETag"] = make_etag(result.definition.id, 1)
    response.headers["Location"] = f"/v1/episode-definitions/{spec.code}/{spec.version}"
    return service.to_schema(result.definition)
