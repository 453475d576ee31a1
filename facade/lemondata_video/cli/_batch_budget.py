"""The request budget of a batch: local to the process, or with --redis shared by every batch and worker.

Workers on several machines, and batches in several directories, spend one account's requests
per minute. With `--redis URL` they book their slots in one Redis key derived from the API key
(a hash, never the key itself), so every process using that key shares `--rpm` and no other
account's batches are slowed. Redis is asked once before anything is sent: a batch does not start
when it cannot be reached.
"""

from __future__ import annotations

import argparse
import hashlib
from typing import Final

from .._ratelimit import Budget, RequestBudget
from ._exits import USAGE, CLIError

KEY_PREFIX: Final = "lemondata-video:budget:"


def budget_key(api_key: str) -> str:
    """The Redis key of an API key's shared budget."""
    return KEY_PREFIX + hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:16]


def batch_budget(args: argparse.Namespace, api_key: str) -> Budget:
    """`--rpm` requests a minute: in this process, or across every process given the same --redis."""
    if args.redis is None:
        return RequestBudget(args.rpm)
    try:
        from .._redis_budget import RedisBudget  # noqa: PLC0415 - the `redis` extra

        budget = RedisBudget(args.rpm, url=args.redis, key=budget_key(api_key))
    except ImportError as exc:
        msg = f"--redis: {exc}"
        raise CLIError(msg, code=USAGE) from exc
    budget.ping()
    return budget


async def close_budget(budget: Budget) -> None:
    """Close a shared budget's connections to Redis (a local one has none)."""
    aclose = getattr(budget, "aclose", None)
    if aclose is not None:
        await aclose()
        budget.close()  # type: ignore[attr-defined]  # a RedisBudget: its sync client too
