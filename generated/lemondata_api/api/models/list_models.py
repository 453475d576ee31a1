from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.model_list import ModelList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    category: str | Unset = UNSET,
    recommended_for: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    tag: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["category"] = category

    params["recommended_for"] = recommended_for

    params["provider"] = provider

    params["tag"] = tag

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/models",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ModelList | None:
    if response.status_code == 200:
        response_200 = ModelList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorResponse.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ModelList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    recommended_for: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    tag: str | Unset = UNSET,
) -> Response[ErrorResponse | ModelList]:
    """List models

     The live catalog: the service, not a list in a client, is the authority
    on which models exist. `category=video` keeps video models;
    `recommended_for=video` sorts them by the latest 24-hour success-rate
    snapshot (models with `status: insufficient_samples` come last).

    Args:
        category (str | Unset):
        recommended_for (str | Unset):
        provider (str | Unset):
        tag (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelList]
    """

    kwargs = _get_kwargs(
        category=category,
        recommended_for=recommended_for,
        provider=provider,
        tag=tag,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    recommended_for: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    tag: str | Unset = UNSET,
) -> ErrorResponse | ModelList | None:
    """List models

     The live catalog: the service, not a list in a client, is the authority
    on which models exist. `category=video` keeps video models;
    `recommended_for=video` sorts them by the latest 24-hour success-rate
    snapshot (models with `status: insufficient_samples` come last).

    Args:
        category (str | Unset):
        recommended_for (str | Unset):
        provider (str | Unset):
        tag (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelList
    """

    return sync_detailed(
        client=client,
        category=category,
        recommended_for=recommended_for,
        provider=provider,
        tag=tag,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    recommended_for: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    tag: str | Unset = UNSET,
) -> Response[ErrorResponse | ModelList]:
    """List models

     The live catalog: the service, not a list in a client, is the authority
    on which models exist. `category=video` keeps video models;
    `recommended_for=video` sorts them by the latest 24-hour success-rate
    snapshot (models with `status: insufficient_samples` come last).

    Args:
        category (str | Unset):
        recommended_for (str | Unset):
        provider (str | Unset):
        tag (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ModelList]
    """

    kwargs = _get_kwargs(
        category=category,
        recommended_for=recommended_for,
        provider=provider,
        tag=tag,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    category: str | Unset = UNSET,
    recommended_for: str | Unset = UNSET,
    provider: str | Unset = UNSET,
    tag: str | Unset = UNSET,
) -> ErrorResponse | ModelList | None:
    """List models

     The live catalog: the service, not a list in a client, is the authority
    on which models exist. `category=video` keeps video models;
    `recommended_for=video` sorts them by the latest 24-hour success-rate
    snapshot (models with `status: insufficient_samples` come last).

    Args:
        category (str | Unset):
        recommended_for (str | Unset):
        provider (str | Unset):
        tag (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ModelList
    """

    return (
        await asyncio_detailed(
            client=client,
            category=category,
            recommended_for=recommended_for,
            provider=provider,
            tag=tag,
        )
    ).parsed
