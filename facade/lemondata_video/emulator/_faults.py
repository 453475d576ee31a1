"""Fault injection: which failure a request gets, drawn per route from seeded probabilities."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields
from typing import Final

from ._operations import API_ROUTES

CREATE_ROUTE: Final = "POST /v1/videos/generations"
FILE_ROUTES: Final = ("GET /files/{name}", "GET /blob/{size}")

SERVER_ERROR: Final = "server_error"
BAD_GATEWAY: Final = "bad_gateway"
UNAVAILABLE: Final = "unavailable"
UPSTREAM_ERROR: Final = "upstream_error"
NO_CHANNEL: Final = "no_channel"
TIMEOUT: Final = "timeout"
RATE_LIMIT_STORM: Final = "rate_limit_storm"
DROP_BEFORE: Final = "drop_before"
DROP_AFTER_CREATE: Final = "drop_after_create"
MALFORMED_JSON: Final = "malformed_json"
TRUNCATED_DOWNLOAD: Final = "truncated_download"
LATENCY: Final = "latency"

# Faults answered with an error status before the request is handled.
ERROR_KINDS: Final = (SERVER_ERROR, BAD_GATEWAY, UNAVAILABLE, UPSTREAM_ERROR, NO_CHANNEL, TIMEOUT)
# Drawn in this order from one uniform number, so at most one of them hits a request.
EXCLUSIVE_KINDS: Final = (
    DROP_BEFORE, SERVER_ERROR, BAD_GATEWAY, UNAVAILABLE, UPSTREAM_ERROR, NO_CHANNEL, TIMEOUT,
    RATE_LIMIT_STORM, MALFORMED_JSON, DROP_AFTER_CREATE, TRUNCATED_DOWNLOAD,
)  # fmt: skip
FILE_KINDS: Final = frozenset(
    {DROP_BEFORE, SERVER_ERROR, BAD_GATEWAY, UNAVAILABLE, RATE_LIMIT_STORM, TRUNCATED_DOWNLOAD}
)


@dataclass(frozen=True)
class Faults:
    """Probabilities (0 to 1) of each fault per request on ``routes`` (``None``: every route).

    Error answers, in the documented envelope: ``server_error`` (500 ``server_error``),
    ``upstream_error`` (502 ``upstream_error`` with ``upstream``), ``unavailable`` (503
    ``all_channels_failed``, ``retryable: true``, ``Retry-After``), ``no_channel`` (503
    ``all_channels_failed``, ``retryable: false``), ``timeout`` (504 ``timeout_error``) and
    ``rate_limit_storm`` (429 ``rate_limit_exceeded``); ``bad_gateway`` is a proxy's HTML 502 page.

    The exclusive faults' probabilities must add up to at most 1; ``latency`` is drawn on its own
    and delays the request by ``latency_seconds`` of real time. A ``rate_limit_storm`` answers the
    next ``storm_length`` requests with 429. After ``max_faults`` injections the rule goes quiet.
    """

    server_error: float = 0.0
    bad_gateway: float = 0.0
    unavailable: float = 0.0
    upstream_error: float = 0.0
    no_channel: float = 0.0
    timeout: float = 0.0
    rate_limit_storm: float = 0.0
    drop_before: float = 0.0
    drop_after_create: float = 0.0
    malformed_json: float = 0.0
    truncated_download: float = 0.0
    latency: float = 0.0
    latency_seconds: float = 0.5
    storm_length: int = 3
    retry_after: int = 1
    routes: Collection[str] | None = None
    max_faults: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        total = sum(getattr(self, kind) for kind in EXCLUSIVE_KINDS)
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in (*EXCLUSIVE_KINDS, LATENCY) and not 0.0 <= value <= 1.0:
                msg = f"Faults.{item.name} is a probability between 0 and 1, got {value}"
                raise ValueError(msg)
        if total > 1.0 + 1e-9:
            msg = f"the exclusive fault probabilities add up to {total}; keep the sum at or below 1"
            raise ValueError(msg)
        unknown = set(self.routes or ()) - {*API_ROUTES, *FILE_ROUTES}
        if unknown:
            msg = f"unknown routes {sorted(unknown)}; use some of {[*API_ROUTES, *FILE_ROUTES]}"
            raise ValueError(msg)


@dataclass(frozen=True)
class Decision:
    """What happens to one request: an exclusive fault kind or none, and a delay in seconds."""

    kind: str | None = None
    delay: float = 0.0
    retry_after: int = 1


NO_FAULT: Final = Decision()


@dataclass
class _Rule:
    faults: Faults
    rng: random.Random = field(init=False)
    injected: int = 0
    storm_left: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.faults.seed)

    def exhausted(self) -> bool:
        limit = self.faults.max_faults
        return limit is not None and self.injected >= limit

    def draw(self, route: str) -> Decision:
        faults = self.faults
        delay = 0.0
        if faults.latency and self.rng.random() < faults.latency:
            delay = faults.latency_seconds
        if self.storm_left > 0:
            self.storm_left -= 1
            self.injected += 1
            return Decision(RATE_LIMIT_STORM, delay, faults.retry_after)
        roll, edge = self.rng.random(), 0.0
        for kind in EXCLUSIVE_KINDS:
            if not _applies(kind, route):
                continue
            edge += getattr(faults, kind)
            if roll < edge:
                self.injected += 1
                if kind == RATE_LIMIT_STORM:
                    self.storm_left = faults.storm_length - 1
                return Decision(kind, delay, faults.retry_after)
        return Decision(None, delay, faults.retry_after)


def _applies(kind: str, route: str) -> bool:
    if route in FILE_ROUTES:
        return kind in FILE_KINDS
    if kind == DROP_AFTER_CREATE:
        return route == CREATE_ROUTE
    return kind != TRUNCATED_DOWNLOAD


class FaultInjector:
    """The active fault rules; the first rule that covers a route decides for it."""

    def __init__(self, faults: Faults | Sequence[Faults] | None = None) -> None:
        self._rules: list[_Rule] = []
        self.set(faults)

    def set(self, faults: Faults | Sequence[Faults] | None) -> None:
        """Replace every rule (``None`` turns faults off)."""
        items = [] if faults is None else [faults] if isinstance(faults, Faults) else list(faults)
        self._rules = [_Rule(item) for item in items]

    def decide(self, route: str) -> Decision:
        """Draw the fault, if any, for one request on ``route``."""
        for rule in self._rules:
            covered = rule.faults.routes is None or route in rule.faults.routes
            if covered and not rule.exhausted():
                return rule.draw(route)
        return NO_FAULT
