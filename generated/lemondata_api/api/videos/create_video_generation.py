from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.video_generation_created import VideoGenerationCreated
from ...models.video_generation_request import VideoGenerationRequest
from ...types import Response


def _get_kwargs(
    *,
    body: VideoGenerationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/videos/generations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | VideoGenerationCreated | None:
    if response.status_code == 200:
        response_200 = VideoGenerationCreated.from_dict(response.json())

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
) -> Response[ErrorResponse | VideoGenerationCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VideoGenerationRequest,
) -> Response[ErrorResponse | VideoGenerationCreated]:
    """Create a video generation task

     Submits a generation and returns at once with a task id and the
    `poll_url` to follow. Creating a task may reserve or pre-deduct its
    estimated cost; settlement happens after a terminal success (the task
    then carries `billing_transaction_id`), and a failed create or a failed
    task releases the pending amount. The request is not idempotent:
    retrying a create whose outcome is unknown may create a second, paid
    task.

    The operation is inferred from the inputs when `operation` is absent
    (the rules are in `x-lemondata-request-rules`); an explicit value is
    recommended. Prefer public https URLs to inline base64, and do not mix
    inline and remote inputs in one request.

    Args:
        body (VideoGenerationRequest): A video generation request. Which fields a model honours
            depends on the
            model; the service adds fields over time, so more properties may be
            sent. The camelCase aliases in `x-lemondata-aliases` are accepted too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | VideoGenerationCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: VideoGenerationRequest,
) -> ErrorResponse | VideoGenerationCreated | None:
    """Create a video generation task

     Submits a generation and returns at once with a task id and the
    `poll_url` to follow. Creating a task may reserve or pre-deduct its
    estimated cost; settlement happens after a terminal success (the task
    then carries `billing_transaction_id`), and a failed create or a failed
    task releases the pending amount. The request is not idempotent:
    retrying a create whose outcome is unknown may create a second, paid
    task.

    The operation is inferred from the inputs when `operation` is absent
    (the rules are in `x-lemondata-request-rules`); an explicit value is
    recommended. Prefer public https URLs to inline base64, and do not mix
    inline and remote inputs in one request.

    Args:
        body (VideoGenerationRequest): A video generation request. Which fields a model honours
            depends on the
            model; the service adds fields over time, so more properties may be
            sent. The camelCase aliases in `x-lemondata-aliases` are accepted too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | VideoGenerationCreated
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VideoGenerationRequest,
) -> Response[ErrorResponse | VideoGenerationCreated]:
    """Create a video generation task

     Submits a generation and returns at once with a task id and the
    `poll_url` to follow. Creating a task may reserve or pre-deduct its
    estimated cost; settlement happens after a terminal success (the task
    then carries `billing_transaction_id`), and a failed create or a failed
    task releases the pending amount. The request is not idempotent:
    retrying a create whose outcome is unknown may create a second, paid
    task.

    The operation is inferred from the inputs when `operation` is absent
    (the rules are in `x-lemondata-request-rules`); an explicit value is
    recommended. Prefer public https URLs to inline base64, and do not mix
    inline and remote inputs in one request.

    Args:
        body (VideoGenerationRequest): A video generation request. Which fields a model honours
            depends on the
            model; the service adds fields over time, so more properties may be
            sent. The camelCase aliases in `x-lemondata-aliases` are accepted too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | VideoGenerationCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: VideoGenerationRequest,
) -> ErrorResponse | VideoGenerationCreated | None:
    """Create a video generation task

     Submits a generation and returns at once with a task id and the
    `poll_url` to follow. Creating a task may reserve or pre-deduct its
    estimated cost; settlement happens after a terminal success (the task
    then carries `billing_transaction_id`), and a failed create or a failed
    task releases the pending amount. The request is not idempotent:
    retrying a create whose outcome is unknown may create a second, paid
    task.

    The operation is inferred from the inputs when `operation` is absent
    (the rules are in `x-lemondata-request-rules`); an explicit value is
    recommended. Prefer public https URLs to inline base64, and do not mix
    inline and remote inputs in one request.

    Args:
        body (VideoGenerationRequest): A video generation request. Which fields a model honours
            depends on the
            model; the service adds fields over time, so more properties may be
            sent. The camelCase aliases in `x-lemondata-aliases` are accepted too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | VideoGenerationCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
