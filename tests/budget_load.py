"""One process of the shared-budget fleet test: 2 clients polling one task until a deadline.

`python tests/budget_load.py CONFIG_JSON` runs two clients (sync ones in threads, or async ones
on one event loop), each with its own budget: a RedisBudget on the shared key, or a local
RequestBudget of the whole rate (what 8 processes that do not know about each other do), told of
every answer's 429 and X-RateLimit headers or not (`deaf`). Every
request's send time is taken by an httpx request hook; the process prints one JSON line: the
send times and how many answers were 429.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from typing import Any

import httpx
from lemondata_video import AsyncVideoClient, RateLimitError, RedisBudget, RequestBudget, VideoClient
from lemondata_video._ratelimit import Budget

CLIENTS = 2


class Deaf:
    """A local RequestBudget that is not told of the answers (no `feedback`): the budget before 429s
    and X-RateLimit headers slowed it down, or one of a user's own that only paces."""

    def __init__(self, per_minute: float) -> None:
        self._budget = RequestBudget(per_minute)

    def acquire(self) -> None:
        self._budget.acquire()

    async def aacquire(self) -> None:
        await self._budget.aacquire()


def budget(config: dict[str, Any]) -> Budget:
    if config["redis_url"]:
        return RedisBudget(config["per_minute"], url=config["redis_url"], key=config["key"])
    if config["deaf"]:
        return Deaf(config["per_minute"])
    return RequestBudget(config["per_minute"])


def run_sync(config: dict[str, Any], sent: list[float], limited: list[int]) -> None:
    http = httpx.Client(event_hooks={"request": [lambda _: sent.append(time.time())]})
    client = VideoClient(
        api_key=config["api_key"], base_url=config["base_url"], max_retries=0,
        rate_limit=budget(config), http_client=http,
    )  # fmt: skip
    time.sleep(max(0.0, config["start_at"] - time.time()))
    while time.time() < config["end_at"]:
        try:
            client.get(config["task_id"])
        except RateLimitError:
            limited.append(1)
    client.close()
    http.close()


async def run_async(config: dict[str, Any], sent: list[float], limited: list[int]) -> None:
    async def hook(_: httpx.Request) -> None:
        sent.append(time.time())

    limit = budget(config)
    async with (
        httpx.AsyncClient(event_hooks={"request": [hook]}) as http,
        AsyncVideoClient(
            api_key=config["api_key"], base_url=config["base_url"], max_retries=0,
            rate_limit=limit, http_client=http,
        ) as client,
    ):  # fmt: skip
        await asyncio.sleep(max(0.0, config["start_at"] - time.time()))
        while time.time() < config["end_at"]:
            try:
                await client.get(config["task_id"])
            except RateLimitError:
                limited.append(1)
    if isinstance(limit, RedisBudget):
        await limit.aclose()


def main(config: dict[str, Any]) -> None:
    sent: list[float] = []
    limited: list[int] = []
    if config["flavour"] == "sync":
        threads = [threading.Thread(target=run_sync, args=(config, sent, limited)) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:

        async def both() -> None:
            await asyncio.gather(*(run_async(config, sent, limited) for _ in range(CLIENTS)))

        asyncio.run(both())
    print(json.dumps({"sent": sent, "limited": len(limited)}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
