from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.published_episode_definition import PublishedEpisodeDefinition
from ...types import Response


def _get_kwargs(
    code: str,
    version: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/episode-definitions/{code}/{version}".format(
            code=quote(str(code), safe=""),
            version=quote(str(version), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | PublishedEpisodeDefinition | None:
    if response.status_code == 200:
        response_200 = PublishedEpisodeDefinition.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ProblemDetails | PublishedEpisodeDefinition]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    version: int,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | PublishedEpisodeDefinition]:
    """One published episode definition

     **Roles: ops, aco, provider.** A published definition never changes, so its `ETag` never does
    either.

    Args:
        code (str): Definition code, e.g. `FALLS-PREV`.
        version (int): Definition version, e.g. `1`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | PublishedEpisodeDefinition]
    """

    kwargs = _get_kwargs(
        code=code,
        version=version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    version: int,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | PublishedEpisodeDefinition | None:
    """One published episode definition

     **Roles: ops, aco, provider.** A published definition never changes, so its `ETag` never does
    either.

    Args:
        code (str): Definition code, e.g. `FALLS-PREV`.
        version (int): Definition version, e.g. `1`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | PublishedEpisodeDefinition
    """

    return sync_detailed(
        code=code,
        version=version,
        client=client,
    ).parsed


async def asyncio_detailed(
    code: str,
    version: int,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | PublishedEpisodeDefinition]:
    """One published episode definition

     **Roles: ops, aco, provider.** A published definition never changes, so its `ETag` never does
    either.

    Args:
        code (str): Definition code, e.g. `FALLS-PREV`.
        version (int): Definition version, e.g. `1`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | PublishedEpisodeDefinition]
    """

    kwargs = _get_kwargs(
        code=code,
        version=version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    version: int,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | PublishedEpisodeDefinition | None:
    """One published episode definition

     **Roles: ops, aco, provider.** A published definition never changes, so its `ETag` never does
    either.

    Args:
        code (str): Definition code, e.g. `FALLS-PREV`.
        version (int): Definition version, e.g. `1`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | PublishedEpisodeDefinition
    """

    return (
        await asyncio_detailed(
            code=code,
            version=version,
            client=client,
        )
    ).parsed
