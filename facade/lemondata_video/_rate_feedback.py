"""What the service's answers say about its rate budget, read once per response for a budget that listens.

A budget may have an optional `feedback(signal)` method (the `Budget` protocol does not require
it: a user's budget with only `acquire`/`aacquire` keeps working). The client then reports every
answer it gets (2xx or error) as a `RateSignal`: whether it was a 429, its `Retry-After`, and the
`X-RateLimit-Remaining` and `X-RateLimit-Reset` headers the service sends on some revisions
(`openapi/openapi.yaml`, components/headers). Reset is a Unix time on the service's clock; it is
read against the answer's own `Date` header when there is one (so the client's clock may be
wrong, or, in the emulator, scaled), else against the client's clock. `Backoff` is the rate a
budget keeps after 429s: lowered by each, recovering gradually.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ._retry import parse_retry_after

if TYPE_CHECKING:
    import httpx

REMAINING_HEADER: Final = "x-ratelimit-remaining"
RESET_HEADER: Final = "x-ratelimit-reset"
RETRY_AFTER_HEADER: Final = "retry-after"
DATE_HEADER: Final = "date"
RATE_LIMITED_STATUS: Final = 429
# A Reset below this is seconds from now, not a Unix time (some services send the delta).
RELATIVE_RESET_BELOW: Final = 100_000_000
# A reset further away than this is a clock disagreement, not a one-minute window: ignored.
MAX_RESET_SECONDS: Final = 120.0
# After a 429 the rate drops to this fraction (compounding to at most MIN_RATE_FACTOR) and
# climbs back linearly to the full rate over RECOVERY_SECONDS.
BACKOFF_FACTOR: Final = 0.5
MIN_RATE_FACTOR: Final = 0.125
RECOVERY_SECONDS: Final = 60.0


@dataclass(frozen=True, slots=True)
class RateSignal:
    """One answer's news about the rate budget: a 429 or not, and the seconds the headers gave.

    `retry_after` (a 429's Retry-After) and `reset_after` (until the service's window resets)
    are seconds from when the answer arrived; each field is None when the answer did not say.
    """

    limited: bool
    retry_after: float | None = None
    remaining: int | None = None
    reset_after: float | None = None


def rate_signal(status: int, headers: Mapping[str, str], *, now: float) -> RateSignal | None:
    """The signal of one answer (`now`: the client's Unix time); None when it says nothing of the budget."""
    limited = status == RATE_LIMITED_STATUS
    remaining = _count(headers.get(REMAINING_HEADER))
    if not limited and remaining is None:
        return None
    retry_after = parse_retry_after(headers.get(RETRY_AFTER_HEADER), now=now) if limited else None
    reset = headers.get(RESET_HEADER)
    reset_after = None if reset is None else _reset_after(reset, headers.get(DATE_HEADER), now=now)
    return RateSignal(limited, retry_after, remaining, reset_after)


def feedback_of(budget: object) -> Callable[[httpx.Response], None] | None:
    """A callable reporting each answer to `budget.feedback`, or None for a budget without one."""
    take = getattr(budget, "feedback", None)
    if not callable(take):
        return None

    def report(response: httpx.Response) -> None:
        signal = rate_signal(response.status_code, response.headers, now=time.time())
        if signal is not None:
            take(signal)

    return report


def _count(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _reset_after(reset: str, date: str | None, *, now: float) -> float | None:
    try:
        at = float(reset.strip())
    except ValueError:
        return None
    if not math.isfinite(at) or at < 0:
        return None
    if at < RELATIVE_RESET_BELOW:
        seconds = at
    else:
        server_now = _date_seconds(date)
        seconds = at - (now if server_now is None else server_now)
    return max(seconds, 0.0) if seconds <= MAX_RESET_SECONDS else None


# The last Date read and its seconds: the header changes once a second, parsing it costs more.
_last_date: list[tuple[str, float | None]] = [("", None)]


def _date_seconds(date: str | None) -> float | None:
    if date is None:
        return None
    seen, seconds = _last_date[0]
    if date == seen:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        when = None
    seconds = None if when is None or when.tzinfo is None else when.timestamp()
    _last_date[0] = (date, seconds)
    return seconds


class Backoff:
    """The fraction of its rate a budget uses: lowered by `slow()` on a 429, recovering linearly."""

    def __init__(self) -> None:
        self._low = 1.0
        self._since = -math.inf

    def factor(self, now: float) -> float:
        """The fraction in use at `now` (1.0 once recovered)."""
        if self._low >= 1.0:
            return 1.0
        recovered = self._low + (1.0 - self._low) * (now - self._since) / RECOVERY_SECONDS
        if recovered >= 1.0:
            self._low = 1.0
            return 1.0
        return recovered

    def slow(self, now: float) -> None:
        """A 429 at `now`: the rate drops by BACKOFF_FACTOR from where it is, down to MIN_RATE_FACTOR."""
        self._low = max(MIN_RATE_FACTOR, self.factor(now) * BACKOFF_FACTOR)
        self._since = now
