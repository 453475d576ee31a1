"""The httpx clients an AsyncVideoClient sends through: one for the API, one for the file host.

A caller's `http_client` (for a proxy, a custom transport, mTLS, event hooks) carries the
API's requests but is never changed: the base URL and the origin-bound key live on a client
of ours whose transport hands each built request to the caller's `send`. Two clients with
different keys can share one httpx client, and it keeps its own auth, base URL and hooks for
its other uses. Its default headers and timeouts apply. The client's `proxy` goes to both httpx
clients the SDK makes (without one, httpx reads HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).
"""

from __future__ import annotations

from typing import Any, cast

import httpx

from ._config import USER_AGENT, BearerAuth, api_timeout
from ._constants import MAX_CONNECTIONS

POOL = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)


class _AsyncThrough(httpx.AsyncBaseTransport):
    """Sends each request with the caller's httpx client, which stays open when we close."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The caller's client sends; its hooks run; the body streams through."""
        response = await self._client.send(request, stream=True)
        stream = cast("httpx.AsyncByteStream", response.stream)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=stream, extensions=response.extensions
        )

    async def aclose(self) -> None:
        """Leave the caller's client open: it is theirs."""


def async_api_http(
    given: httpx.AsyncClient | None,
    *,
    key: str,
    base_url: httpx.URL,
    timeout: float,
    proxy: httpx.Proxy | None = None,
) -> httpx.AsyncClient:
    """The httpx client of the API's requests, sending through `given` when there is one, else via `proxy`."""
    headers = httpx.Headers(given.headers if given is not None else None)
    if headers.get("User-Agent", "python-httpx/").startswith("python-httpx/"):
        headers["User-Agent"] = USER_AGENT
    return httpx.AsyncClient(
        transport=_AsyncThrough(given) if given is not None else None,
        limits=POOL,
        base_url=base_url,
        auth=BearerAuth(key, base_url=base_url),
        headers=headers,
        timeout=given.timeout if given is not None else api_timeout(timeout),
        proxy=proxy if given is None else None,
    )


def async_file_http(timeout: float, proxy: httpx.Proxy | None = None) -> httpx.AsyncClient:
    """The file host's httpx client: redirects followed, no key, our User-Agent, the client's `proxy`."""
    options: dict[str, Any] = {"follow_redirects": True, "headers": {"User-Agent": USER_AGENT}}
    return httpx.AsyncClient(timeout=api_timeout(timeout), proxy=proxy, **options)
