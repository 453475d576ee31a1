"""When a failed request is retried, and how long to wait before the next attempt.

Pure functions, so the loops in the clients stay short and the rules are tested
alone. GET and DELETE are retried on connection errors, timeouts, 429 and
500/502/503/504. A create is retried only when it provably created nothing: the
connection was never made (refused, connect timeout, or no pooled connection became free in
time), or the answer was 429. An answer whose error body says `retryable: false` is never
retried; `retryable: true` only widens the rule where resending is safe anyway: a GET or
DELETE that got another 5xx (such as 501 or 520). It never makes a create resent.
"""

from __future__ import annotations

import email.utils
import math
import random
from typing import Final

import httpx

from ._config import logger
from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from ._exceptions import APIConnectionError, APIError, LemonDataError, RateLimitError, ServerError

RETRYABLE_STATUSES: Final = frozenset({500, 502, 503, 504})
# Transport failures that happen before a byte of the request is sent. A PoolTimeout is raised
# while the request still waits for a connection of the pool (many concurrent calls).
NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def was_not_sent(error: BaseException) -> bool:
    """True when `error` (or its cause) proves the request never reached the service."""
    return isinstance(error, NOT_SENT) or isinstance(error.__cause__, NOT_SENT)


def should_retry(error: LemonDataError, *, idempotent: bool) -> bool:
    """Whether a request that failed with `error` may be sent again.

    `idempotent` is True for GET and DELETE; a create (False) is retried only
    after a 429 or a connection that was never made. The service's `retryable: false`
    overrides every rule.
    """
    if isinstance(error, APIError) and error.retryable is False:
        return False
    if isinstance(error, RateLimitError):
        return error.retry_after is None or error.retry_after <= MAX_RETRY_AFTER
    if not idempotent:
        return was_not_sent(error)
    if isinstance(error, APIConnectionError):
        return True
    if not isinstance(error, ServerError):
        return False
    return error.status_code in RETRYABLE_STATUSES or error.retryable is True


def retry_delay(attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number `attempt` (1 for the first retry).

    The service's Retry-After wins when given (up to MAX_RETRY_AFTER); otherwise
    exponential backoff with full jitter, capped at MAX_RETRY_DELAY.
    """
    if retry_after is not None:
        return min(max(retry_after, 0.0), MAX_RETRY_AFTER)
    ceiling = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2 ** max(attempt - 1, 0))
    return (rng or random).uniform(0.0, ceiling)


def log_retry(
    method: str, url: str, error: LemonDataError, *, retry: int, retries: int, delay: float
) -> None:
    """One INFO line per retry: the request, why (a 429's Retry-After, or the error) and the delay."""
    retry_after = getattr(error, "retry_after", None)
    if isinstance(error, RateLimitError) and retry_after is not None:
        logger.info(
            "%s %s: rate limited (429); waiting %.1f s as Retry-After asks, then retry %d of %d",
            method, url, delay, retry, retries,
        )  # fmt: skip
        return
    reason = " ".join(str(error).split()) or type(error).__name__
    logger.info(
        "%s %s failed (%s: %s); retry %d of %d in %.1f s",
        method, url, type(error).__name__, reason, retry, retries, delay,
    )  # fmt: skip


def parse_retry_after(value: object, *, now: float) -> float | None:
    """Seconds from a Retry-After value: a number of seconds or an HTTP date.

    `now` is the current Unix time (for the date form). None when absent or unreadable.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an integer no float holds: as unreadable as "1e999"
            return None
    else:
        try:
            seconds = float(value.strip())
        except ValueError:
            return _seconds_until(value, now=now)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _seconds_until(date: str, *, now: float) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - now, 0.0)
