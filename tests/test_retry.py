"""The retry rules: what is retried, how long to wait, how Retry-After is read."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest
from lemondata_video import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    LemonDataError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from lemondata_video._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from lemondata_video._retry import parse_retry_after, retry_delay, should_retry


def _caused(error: LemonDataError, cause: BaseException) -> LemonDataError:
    error.__cause__ = cause
    return error


def _status(
    cls: type[ServerError] | type[RateLimitError] | type[BadRequestError], code: int
) -> LemonDataError:
    return cls("x", status_code=code)


class TestShouldRetry:
    """GET/DELETE retry transient failures; a create only what provably created nothing."""

    @pytest.mark.parametrize("code", [500, 502, 503, 504])
    def test_idempotent_retries_listed_5xx(self, code: int) -> None:
        assert should_retry(_status(ServerError, code), idempotent=True)

    @pytest.mark.parametrize("code", [499, 501, 520])
    def test_idempotent_does_not_retry_other_5xx(self, code: int) -> None:
        assert not should_retry(_status(ServerError, code), idempotent=True)

    def test_idempotent_retries_connection_errors_and_timeouts(self) -> None:
        assert should_retry(APIConnectionError("reset"), idempotent=True)
        assert should_retry(APITimeoutError("slow"), idempotent=True)

    def test_client_errors_are_never_retried(self) -> None:
        for error in (_status(BadRequestError, 400), NotFoundError("x", status_code=404)):
            assert not should_retry(error, idempotent=True)
            assert not should_retry(error, idempotent=False)

    def test_unexpected_response_is_not_retried_by_requests(self) -> None:
        assert not should_retry(UnexpectedResponseError("x", status_code=200), idempotent=True)

    def test_rate_limit_retried_for_both(self) -> None:
        assert should_retry(_status(RateLimitError, 429), idempotent=True)
        assert should_retry(_status(RateLimitError, 429), idempotent=False)

    def test_rate_limit_beyond_max_retry_after_is_not_slept_through(self) -> None:
        error = RateLimitError("x", status_code=429, retry_after=MAX_RETRY_AFTER + 1)
        assert not should_retry(error, idempotent=True)

    @pytest.mark.parametrize(
        "cause",
        [httpx.ConnectError("refused"), httpx.ConnectTimeout("no answer"), httpx.PoolTimeout("pool full")],
        ids=["refused", "connect", "pool"],
    )
    def test_create_retried_when_never_connected(self, cause: httpx.HTTPError) -> None:
        assert should_retry(_caused(APIConnectionError("x"), cause), idempotent=False)

    @pytest.mark.parametrize(
        "cause",
        [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), httpx.ReadError("reset")],
        ids=["read-timeout", "protocol", "read"],
    )
    def test_create_not_retried_once_sent(self, cause: httpx.HTTPError) -> None:
        assert not should_retry(_caused(APIConnectionError("x"), cause), idempotent=False)

    def test_create_not_retried_after_5xx(self) -> None:
        assert not should_retry(_status(ServerError, 503), idempotent=False)


class TestRetryDelay:
    """Exponential backoff with full jitter; Retry-After wins."""

    def test_full_jitter_stays_under_the_exponential_ceiling(self) -> None:
        rng = random.Random(1)
        for attempt in range(1, 12):
            ceiling = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2 ** (attempt - 1))
            delays = [retry_delay(attempt, rng=rng) for _ in range(200)]
            assert all(0 <= d <= ceiling for d in delays)
            assert max(delays) > ceiling * 0.8

    def test_seeded_jitter_is_reproducible(self) -> None:
        first = [retry_delay(3, rng=random.Random(7)) for _ in range(3)]
        assert first == [retry_delay(3, rng=random.Random(7)) for _ in range(3)]

    def test_retry_after_is_used_as_is(self) -> None:
        assert retry_delay(1, retry_after=12.5) == 12.5

    def test_retry_after_is_capped(self) -> None:
        assert retry_delay(1, retry_after=10 * MAX_RETRY_AFTER) == MAX_RETRY_AFTER


class TestParseRetryAfter:
    """Seconds or an HTTP date; anything else is ignored."""

    @pytest.mark.parametrize(("value", "seconds"), [("30", 30.0), (" 2.5 ", 2.5), (7, 7.0), ("0", 0.0)])
    def test_seconds(self, value: str | int, seconds: float) -> None:
        assert parse_retry_after(value, now=0) == seconds

    def test_http_date(self) -> None:
        date = email.utils.formatdate(1_700_000_045, usegmt=True)
        assert parse_retry_after(date, now=1_700_000_000) == 45.0

    def test_http_date_in_the_past_is_zero(self) -> None:
        date = email.utils.formatdate(1_700_000_000, usegmt=True)
        assert parse_retry_after(date, now=1_700_000_100) == 0.0

    @pytest.mark.parametrize(
        "value", [None, "", "soon", "-5", "nan", True, "Mon, 99 Foo 2024", [1], {"s": 1}]
    )
    def test_unreadable(self, value: object) -> None:
        assert parse_retry_after(value, now=0) is None
