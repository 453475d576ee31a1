"""The httpx clients a VideoClient sends through: one for the API, one for the file host.

A caller's `http_client` (for a proxy, a custom transport, mTLS, event hooks) carries the
API's requests but is never changed: the base URL, the origin-bound key and the response
hook live on a client of ours whose transport hands each built request to the caller's
`send`. Two VideoClients with different keys can share one httpx client, and it keeps its
own auth, base URL and hooks for its other uses. Its default headers and timeouts apply.
"""

from __future__ import annotations

from typing import Any, cast

import httpx

from . import _transport
from ._config import USER_AGENT, BearerAuth, api_timeout
from ._constants import MAX_CONNECTIONS

POOL = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)


class _Through(httpx.BaseTransport):
    """Sends each request with the caller's httpx.Client, which stays open when we close."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The caller's client sends; its response hooks run; the body streams through."""
        response = self._client.send(request, stream=True)
        stream = cast("httpx.SyncByteStream", response.stream)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=stream, extensions=response.extensions
        )

    def close(self) -> None:
        """Leave the caller's client open: it is theirs."""


class _AsyncThrough(httpx.AsyncBaseTransport):
    """The async twin of `_Through`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The caller's client sends; its response hooks run; the body streams through."""
        response = await self._client.send(request, stream=True)
        stream = cast("httpx.AsyncByteStream", response.stream)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=stream, extensions=response.extensions
        )

    async def aclose(self) -> None:
        """Leave the caller's client open: it is theirs."""


def _options(
    given: httpx.Client | httpx.AsyncClient | None, *, key: str, base_url: httpx.URL, timeout: float
) -> dict[str, Any]:
    headers = httpx.Headers(given.headers if given is not None else None)
    if headers.get("User-Agent", "python-httpx/").startswith("python-httpx/"):
        headers["User-Agent"] = USER_AGENT
    return {
        "base_url": base_url,
        "auth": BearerAuth(key, base_url=base_url),
        "headers": headers,
        "timeout": given.timeout if given is not None else api_timeout(timeout),
    }


def api_client(given: httpx.Client | None, *, key: str, base_url: httpx.URL, timeout: float) -> httpx.Client:
    """The client of the API's requests, sending through `given` when there is one."""
    return httpx.Client(
        transport=_Through(given) if given is not None else None,
        limits=POOL,
        event_hooks={"response": [_transport.capture_response]},
        **_options(given, key=key, base_url=base_url, timeout=timeout),
    )


def async_api_client(
    given: httpx.AsyncClient | None, *, key: str, base_url: httpx.URL, timeout: float
) -> httpx.AsyncClient:
    """The async client of the API's requests, sending through `given` when there is one."""
    return httpx.AsyncClient(
        transport=_AsyncThrough(given) if given is not None else None,
        limits=POOL,
        event_hooks={"response": [_transport.acapture_response]},
        **_options(given, key=key, base_url=base_url, timeout=timeout),
    )


def file_options(timeout: float) -> dict[str, Any]:
    """Options of the file host's client: redirects followed, no key, our User-Agent."""
    return {"timeout": api_timeout(timeout), "follow_redirects": True, "headers": {"User-Agent": USER_AGENT}}
