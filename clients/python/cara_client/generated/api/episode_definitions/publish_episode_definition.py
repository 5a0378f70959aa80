from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.episode_definition import EpisodeDefinition
from ...models.problem_details import ProblemDetails
from ...models.published_episode_definition import PublishedEpisodeDefinition
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EpisodeDefinition,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/episode-definitions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | PublishedEpisodeDefinition | None:
    if response.status_code == 200:
        response_200 = PublishedEpisodeDefinition.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = PublishedEpisodeDefinition.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

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
    *,
    client: AuthenticatedClient,
    body: EpisodeDefinition,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | PublishedEpisodeDefinition]:
    """Publish an episode definition

     **Role: ops.** The body is a definition file's content as JSON (the format of
    `contracts/schema/episode-definition.schema.json`). Every code is validated: ICD-10-CM prefixes and
    ranges against the code set, HCPCS codes and ranges by shape and order. Published versions are
    immutable: the same content again is a no-op answered 200; other content under a published (code,
    version) is a 409 (publish it as a new version).

    Args:
        idempotency_key (str | Unset):
        body (EpisodeDefinition): An episode definition: the content of one YAML file under
            `contracts/episodes/`. Example: {'approach': 'max_flex', 'code': 'FALLS-PREV',
            'description': "A 90-day episode opened by a specialist's evaluation of a beneficiary at
            risk of falling.", 'episode_length_days': 90, 'excluded_principal_diagnosis_prefixes': [],
            'included_claim_types': ['inpatient', 'outpatient', 'carrier', 'snf', 'hha', 'dme'],
            'name': 'Falls prevention', 'outlier_cap_multiple': '3.0', 'quality_measures':
            [{'higher_is_better': True, 'id': 'Q155', 'name': 'Falls: plan of care'},
            {'higher_is_better': True, 'id': 'Q318', 'name': 'Falls: screening for future fall risk'},
            {'higher_is_better': False, 'id': 'Q484', 'name': 'Risk-standardized acute unplanned
            admissions for patients with multiple chronic conditions'}], 'risk_adjustment': 'hcc',
            'trigger': {'claim_types': ['carrier', 'outpatient'], 'diagnosis_prefixes': ['Z91.81',
            'R29.6', 'R26', 'W00-W19'], 'hcpcs': ['99202-99205', '99211-99215', '97161-97163',
            '97165-97167'], 'min_age': 65, 'rendering_npi_in_arrangement': True}, 'version': 1}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | PublishedEpisodeDefinition]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EpisodeDefinition,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | PublishedEpisodeDefinition | None:
    """Publish an episode definition

     **Role: ops.** The body is a definition file's content as JSON (the format of
    `contracts/schema/episode-definition.schema.json`). Every code is validated: ICD-10-CM prefixes and
    ranges against the code set, HCPCS codes and ranges by shape and order. Published versions are
    immutable: the same content again is a no-op answered 200; other content under a published (code,
    version) is a 409 (publish it as a new version).

    Args:
        idempotency_key (str | Unset):
        body (EpisodeDefinition): An episode definition: the content of one YAML file under
            `contracts/episodes/`. Example: {'approach': 'max_flex', 'code': 'FALLS-PREV',
            'description': "A 90-day episode opened by a specialist's evaluation of a beneficiary at
            risk of falling.", 'episode_length_days': 90, 'excluded_principal_diagnosis_prefixes': [],
            'included_claim_types': ['inpatient', 'outpatient', 'carrier', 'snf', 'hha', 'dme'],
            'name': 'Falls prevention', 'outlier_cap_multiple': '3.0', 'quality_measures':
            [{'higher_is_better': True, 'id': 'Q155', 'name': 'Falls: plan of care'},
            {'higher_is_better': True, 'id': 'Q318', 'name': 'Falls: screening for future fall risk'},
            {'higher_is_better': False, 'id': 'Q484', 'name': 'Risk-standardized acute unplanned
            admissions for patients with multiple chronic conditions'}], 'risk_adjustment': 'hcc',
            'trigger': {'claim_types': ['carrier', 'outpatient'], 'diagnosis_prefixes': ['Z91.81',
            'R29.6', 'R26', 'W00-W19'], 'hcpcs': ['99202-99205', '99211-99215', '97161-97163',
            '97165-97167'], 'min_age': 65, 'rendering_npi_in_arrangement': True}, 'version': 1}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | PublishedEpisodeDefinition
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EpisodeDefinition,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | PublishedEpisodeDefinition]:
    """Publish an episode definition

     **Role: ops.** The body is a definition file's content as JSON (the format of
    `contracts/schema/episode-definition.schema.json`). Every code is validated: ICD-10-CM prefixes and
    ranges against the code set, HCPCS codes and ranges by shape and order. Published versions are
    immutable: the same content again is a no-op answered 200; other content under a published (code,
    version) is a 409 (publish it as a new version).

    Args:
        idempotency_key (str | Unset):
        body (EpisodeDefinition): An episode definition: the content of one YAML file under
            `contracts/episodes/`. Example: {'approach': 'max_flex', 'code': 'FALLS-PREV',
            'description': "A 90-day episode opened by a specialist's evaluation of a beneficiary at
            risk of falling.", 'episode_length_days': 90, 'excluded_principal_diagnosis_prefixes': [],
            'included_claim_types': ['inpatient', 'outpatient', 'carrier', 'snf', 'hha', 'dme'],
            'name': 'Falls prevention', 'outlier_cap_multiple': '3.0', 'quality_measures':
            [{'higher_is_better': True, 'id': 'Q155', 'name': 'Falls: plan of care'},
            {'higher_is_better': True, 'id': 'Q318', 'name': 'Falls: screening for future fall risk'},
            {'higher_is_better': False, 'id': 'Q484', 'name': 'Risk-standardized acute unplanned
            admissions for patients with multiple chronic conditions'}], 'risk_adjustment': 'hcc',
            'trigger': {'claim_types': ['carrier', 'outpatient'], 'diagnosis_prefixes': ['Z91.81',
            'R29.6', 'R26', 'W00-W19'], 'hcpcs': ['99202-99205', '99211-99215', '97161-97163',
            '97165-97167'], 'min_age': 65, 'rendering_npi_in_arrangement': True}, 'version': 1}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | PublishedEpisodeDefinition]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EpisodeDefinition,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | PublishedEpisodeDefinition | None:
    """Publish an episode definition

     **Role: ops.** The body is a definition file's content as JSON (the format of
    `contracts/schema/episode-definition.schema.json`). Every code is validated: ICD-10-CM prefixes and
    ranges against the code set, HCPCS codes and ranges by shape and order. Published versions are
    immutable: the same content again is a no-op answered 200; other content under a published (code,
    version) is a 409 (publish it as a new version).

    Args:
        idempotency_key (str | Unset):
        body (EpisodeDefinition): An episode definition: the content of one YAML file under
            `contracts/episodes/`. Example: {'approach': 'max_flex', 'code': 'FALLS-PREV',
            'description': "A 90-day episode opened by a specialist's evaluation of a beneficiary at
            risk of falling.", 'episode_length_days': 90, 'excluded_principal_diagnosis_prefixes': [],
            'included_claim_types': ['inpatient', 'outpatient', 'carrier', 'snf', 'hha', 'dme'],
            'name': 'Falls prevention', 'outlier_cap_multiple': '3.0', 'quality_measures':
            [{'higher_is_better': True, 'id': 'Q155', 'name': 'Falls: plan of care'},
            {'higher_is_better': True, 'id': 'Q318', 'name': 'Falls: screening for future fall risk'},
            {'higher_is_better': False, 'id': 'Q484', 'name': 'Risk-standardized acute unplanned
            admissions for patients with multiple chronic conditions'}], 'risk_adjustment': 'hcc',
            'trigger': {'claim_types': ['carrier', 'outpatient'], 'diagnosis_prefixes': ['Z91.81',
            'R29.6', 'R26', 'W00-W19'], 'hcpcs': ['99202-99205', '99211-99215', '97161-97163',
            '97165-97167'], 'min_age': 65, 'rendering_npi_in_arrangement': True}, 'version': 1}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | PublishedEpisodeDefinition
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
