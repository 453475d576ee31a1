"""RedisBudget: one account's request budget shared by every client that reaches one Redis server.

Each `RequestBudget` believes it owns the account's requests per minute, so 8 worker processes
with one each draw 429s together. `RedisBudget` keeps the same schedule (the generic cell rate
algorithm of `_ratelimit.py`: book the next free slot, then wait for it) in one Redis key, booked
by one Lua script, which Redis runs atomically on its own clock: any number of clients in any
number of processes and hosts pass `rate_limit=` a budget on the same key and together send at
most `per_minute` requests a minute, evenly spaced, in the order they booked.

When Redis cannot be reached, booking raises `BudgetUnavailableError` (an `APIConnectionError`;
the request is not sent), unless the budget was built with `fallback_per_minute`: it then paces
this process alone at that rate (choose the budget divided by the number of processes) and asks
Redis again after `RETRY_SECONDS`. redis-py is imported on construction (the `redis` extra).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit, urlunsplit

from ._exceptions import BudgetUnavailableError
from ._ratelimit import DEFAULT_BURST, RequestBudget

if TYPE_CHECKING:
    import redis
    import redis.asyncio

DEFAULT_URL: Final = "redis://127.0.0.1:6379/0"
DEFAULT_KEY: Final = "lemondata-video:budget"
# Seconds a connect or a booking may take before Redis counts as unreachable.
DEFAULT_REDIS_TIMEOUT: Final = 2.0
# While Redis is down, a budget with a fallback asks it again this often (not on every request).
RETRY_SECONDS: Final = 5.0
MICROSECONDS: Final = 1_000_000
logger = logging.getLogger("lemondata_video")

# KEYS[1]: the theoretical arrival time (microseconds of Redis's clock); ARGV: interval, tolerance.
# Returns how many microseconds the caller waits for its slot. The key expires once it is idle.
GCRA_SCRIPT: Final = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
local due = math.max(tat, now)
local send_at = math.max(now, due - tolerance)
local next_tat = due + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX',
    math.floor((next_tat - now) / 1000) + 1000)
return send_at - now
"""


def _import_redis() -> Any:
    try:
        import redis  # noqa: PLC0415 - an optional extra, needed only by this class
        import redis.asyncio  # noqa: PLC0415
    except ImportError as exc:
        msg = "RedisBudget needs redis-py: pip install 'lemondata-video[redis]'"
        raise ImportError(msg) from exc
    return redis


def masked_url(url: str) -> str:
    """`url` with any password replaced by `***`, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisBudget:
    """At most `per_minute` requests a minute across every client on `key` of the Redis at `url`.

    Args:
        per_minute, burst: as for `RequestBudget` (every user of one key should pass the same).
        url: the Redis server (`redis://[:password@]host:port/db`, `rediss://` for TLS).
        key: the Redis key holding the schedule: one per API key whose budget is shared.
        fallback_per_minute: pace this process locally at this rate while Redis is unreachable,
            instead of raising `BudgetUnavailableError`.
        timeout: seconds a connect or a booking may take.
        client, async_client: redis-py clients to use instead of ones made from `url`.

    Raises:
        ValueError: for a rate or burst `RequestBudget` refuses. ImportError: without redis-py.
    """

    def __init__(
        self,
        per_minute: float,
        *,
        url: str = DEFAULT_URL,
        key: str = DEFAULT_KEY,
        burst: int = DEFAULT_BURST,
        fallback_per_minute: float | None = None,
        timeout: float = DEFAULT_REDIS_TIMEOUT,
        client: redis.Redis | None = None,
        async_client: redis.asyncio.Redis | None = None,
        sleep: Callable[[float], None] = time.sleep,
        asleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        local = RequestBudget(per_minute, burst=burst)  # validates both, as a local budget would
        self.per_minute, self.interval = local.per_minute, local.interval
        self.fallback = (
            None if fallback_per_minute is None else RequestBudget(fallback_per_minute, burst=burst)
        )
        self.url, self.key, self.reserved = url, key, 0
        self._args = (round(self.interval * MICROSECONDS), round((burst - 1) * self.interval * MICROSECONDS))
        self._redis = _import_redis()
        options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        self._client = client or self._redis.Redis.from_url(url, **options)
        self._script = self._client.register_script(GCRA_SCRIPT)
        self._options, self._given_async = options, async_client
        # The event loop of the asyncio client and its script: a client is bound to the loop it was
        # made in, so another loop (a second `asyncio.run`) gets a client of its own.
        self._async: tuple[asyncio.AbstractEventLoop, Any, Any] | None = None
        self._sleep, self._asleep = sleep, asleep
        self._lock = threading.Lock()
        self._down_until = 0.0

    def __repr__(self) -> str:
        return f"RedisBudget(per_minute={self.per_minute:g}, url={masked_url(self.url)!r}, key={self.key!r})"

    def reserve(self) -> float:
        """Book the next free slot in Redis and return the seconds to wait for it."""
        if self._use_fallback():
            return self._fallback_reserve()
        try:
            waited = self._script(keys=[self.key], args=self._args)
        except (self._redis.ConnectionError, self._redis.TimeoutError) as exc:
            return self._unreachable(exc)
        return self._booked(waited)

    async def areserve(self) -> float:
        """`reserve()` through redis-py's asyncio client: the event loop runs on while Redis answers."""
        if self._use_fallback():
            return self._fallback_reserve()
        script = self._async_script()
        try:
            waited = await script(keys=[self.key], args=self._args)
        except (self._redis.ConnectionError, self._redis.TimeoutError) as exc:
            return self._unreachable(exc)
        return self._booked(waited)

    def acquire(self) -> None:
        """Wait (with the sync sleep) until this caller may send one request."""
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)

    async def aacquire(self) -> None:
        """Wait (with the async sleep) until this caller may send one request."""
        delay = await self.areserve()
        if delay > 0:
            await self._asleep(delay)

    def ping(self) -> None:
        """Check that Redis answers; BudgetUnavailableError (even with a fallback) if it does not."""
        try:
            self._client.ping()
        except (self._redis.ConnectionError, self._redis.TimeoutError) as exc:
            raise BudgetUnavailableError(self._unreachable_message(exc)) from exc

    def close(self) -> None:
        """Close the sync connection pool (a client passed in is closed too: it was handed over)."""
        self._client.close()

    async def aclose(self) -> None:
        """Close the asyncio client, if the running event loop made it."""
        if self._async is not None and self._async[0] is asyncio.get_running_loop():
            client, self._async = self._async[1], None
            await client.aclose()

    def _async_script(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            client = self._given_async or self._redis.asyncio.Redis.from_url(self.url, **self._options)
            self._async = (loop, client, client.register_script(GCRA_SCRIPT))
        return self._async[2]

    def _booked(self, waited_us: Any) -> float:
        with self._lock:
            self.reserved += 1
            self._down_until = 0.0
        return max(0.0, int(waited_us) / MICROSECONDS)

    def _use_fallback(self) -> bool:
        return self.fallback is not None and time.monotonic() < self._down_until

    def _fallback_reserve(self) -> float:
        assert self.fallback is not None  # _use_fallback and _unreachable checked it
        with self._lock:
            self.reserved += 1
        return self.fallback.reserve()

    def _unreachable(self, exc: Exception) -> float:
        if self.fallback is None:
            msg = (
                f"{self._unreachable_message(exc)}; nothing was sent. "
                "Start Redis, or build the budget with fallback_per_minute= to pace this process alone"
            )
            raise BudgetUnavailableError(msg) from exc
        if self._down_until == 0.0:
            logger.warning(
                "%s; pacing this process alone at %g requests/minute",
                self._unreachable_message(exc), self.fallback.per_minute,
            )  # fmt: skip
        self._down_until = time.monotonic() + RETRY_SECONDS
        return self._fallback_reserve()

    def _unreachable_message(self, exc: Exception) -> str:
        reason = str(exc).rstrip(".") or type(exc).__name__
        where = f"Redis at {masked_url(self.url)} (key {self.key!r})"
        return f"cannot reach {where} for the shared request budget ({reason})"
