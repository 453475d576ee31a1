"""AsyncAPIClient: the request primitive AsyncVideoClient is built on, usable for any operation.

`request(method, path)` sends any request and returns its JSON; `call(operation, ...)` takes
any generated operation module (`lemondata_api.api.<tag>.<operation>`) and returns its parsed
model. Both carry the client's key (to the API's origin only), base URL, request budget,
retries and typed errors, and every method of AsyncVideoClient goes through `_send`:
GET, DELETE and the other idempotent methods are retried on transient failures (connection,
timeout, 429, 500/502/503/504); a POST only when it provably never left (refused
connection, pool timeout) or was refused with 429.

`__init__` is longer than 40 lines: one line per option, each checked and stored where it is
read, with nothing to factor out.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import httpx

from . import _async_transports, _error_map
from . import _synchronization as _sync
from ._body import check_json
from ._config import mask_key, resolve_api_key, resolve_base_url, resolve_proxy, setup_logging
from ._constants import DEFAULT_CATALOG_TTL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_CONNECTIONS
from ._ratelimit import Budget, budget_of
from ._retry import log_retry, retry_delay, should_retry

if TYPE_CHECKING:
    from ._live_catalog import CatalogCache
    from ._priors import PriorsOption

# Methods that may be sent twice with the effect of once (RFC 9110 section 9.2.2).
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})


class AsyncAPIClient:
    """Key, base URL, connection pools, budget and retries; the video methods are a subclass's.

    The key comes from `api_key` or LEMONDATA_API_KEY, the base URL from `base_url` or
    LEMONDATA_BASE_URL. A given `http_client` sends the API's requests with its own
    transport, default headers, timeouts and hooks; it is not changed (several clients may
    share it) and is left open on close. `file_http_client` fetches results from the file
    host and never carries the key: a caller who gives a proxied `http_client` gives a proxied
    `file_http_client` too, or downloads go direct. `proxy` (an http(s) or socks5 URL) is the
    simpler way: the API's requests and the downloads both go through it. `rate_limit`
    (requests per minute, or a RequestBudget or RedisBudget shared by several clients) paces
    every request to the API, retries and polls included; a budget with a `feedback()` method is
    told what every answer says of the service's budget.
    `allow_unknown_models` and `catalog_ttl` (how long the live model catalog is kept; 0
    turns live checks off) are for the video methods of the subclasses. `duration_priors`
    (True: in memory; a path or a DurationPriors, which may keep them in a file; False: off)
    learns how long each model's tasks take so that `wait` polls less (`_priors`).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        allow_unknown_models: bool = False,
        http_client: httpx.AsyncClient | None = None,
        file_http_client: httpx.AsyncClient | None = None,
        rate_limit: float | Budget | None = None,
        catalog_ttl: float = DEFAULT_CATALOG_TTL,
        proxy: str | httpx.URL | httpx.Proxy | None = None,
        duration_priors: PriorsOption = True,
    ) -> None:
        setup_logging()  # LEMONDATA_LOG=info|debug: the SDK's logs on stderr
        key = resolve_api_key(api_key)
        proxied = resolve_proxy(proxy, clients_given=http_client is not None or file_http_client is not None)
        if max_retries < 0:
            msg = f"max_retries must be 0 or more, not {max_retries}"
            raise ValueError(msg)
        self.base_url = resolve_base_url(base_url)
        self.max_retries = max_retries
        self.allow_unknown_models = allow_unknown_models
        self.catalog_ttl = catalog_ttl
        self._catalog: CatalogCache | None = None
        self._catalog_lock = _sync.async_lock()
        self._secret = key
        self._masked = mask_key(key)
        self._budget = budget_of(rate_limit)
        # The budget told of every answer, if it listens; priors and feedback load here, not on import.
        from ._priors import priors_of  # noqa: PLC0415
        from ._rate_feedback import feedback_of  # noqa: PLC0415

        self._feedback = feedback_of(self._budget)
        self._http = _async_transports.async_api_http(
            http_client, key=key, base_url=self.base_url, timeout=timeout, proxy=proxied
        )
        self._owns_files = file_http_client is None
        self._files = file_http_client or _async_transports.async_file_http(timeout, proxied)
        self._sleep: Callable[[float], Awaitable[None]] = _sync.async_sleep
        self._rng = random.Random()
        self.duration_priors = priors_of(duration_priors)
        self._warned: set[str] = set()
        self._in_flight = _sync.async_semaphore(MAX_CONNECTIONS)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key={self._masked!r})"

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Send `method path` (relative to the base URL) and return the answer's decoded JSON.

        `params` go in the query string, `json` is the body. None for an empty answer. Raises
        the APIError of an error status, APIConnectionError, UnexpectedResponseError for a
        success that is not JSON, and InvalidFieldError (nothing sent) for a body JSON cannot carry.
        """
        if json is not None:
            check_json(json if isinstance(json, Mapping) else {"json": json})
        response = await self._send(method, path, params=params, json=json)
        return _error_map.json_of(response, secret=self._secret)

    async def call(self, operation: ModuleType, /, *args: Any, **kwargs: Any) -> Any:
        """Send a generated operation (a `lemondata_api.api.<tag>.<name>` module); return its parsed model.

        `args` and `kwargs` are the operation's own arguments (path parameters, `body=`, query
        parameters), as its `sync_detailed` takes them without `client`. An answer whose status
        the operation does not document gives its decoded JSON. Errors as for `request`.
        """
        built = operation._get_kwargs(*args, **kwargs)  # the generated request builder
        response = await self._send(
            built["method"], built["url"], params=built.get("params"), json=built.get("json")
        )
        return _error_map.parsed(operation, response, secret=self._secret)

    async def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retries: int | None = None,
    ) -> httpx.Response:
        """One request, paced and retried; the 2xx answer, or the error of the last attempt."""
        method = method.upper()
        limit = self.max_retries if retries is None else retries
        for attempt in range(limit + 1):
            if self._budget is not None:
                await self._budget.aacquire()
            try:
                async with self._in_flight:
                    response = await self._http.request(method, url, params=params, json=json)
            except httpx.HTTPError as exc:
                error = _error_map.failure(exc, secret=self._secret)
            else:
                if self._feedback is not None:
                    self._feedback(response)
                if response.is_success:
                    return response
                error = _error_map.failure(response, secret=self._secret)
            if attempt >= limit or not should_retry(error, idempotent=method in IDEMPOTENT_METHODS):
                raise error
            delay = retry_delay(attempt + 1, retry_after=getattr(error, "retry_after", None), rng=self._rng)
            log_retry(method, url, error, retry=attempt + 1, retries=limit, delay=delay)
            await self._sleep(delay)
        msg = "unreachable: the retry loop always returns or raises"
        raise AssertionError(msg)

    async def aclose(self) -> None:
        """Close the connection pools this client opened."""
        await self._http.aclose()
        if self._owns_files:
            await self._files.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
