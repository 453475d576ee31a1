"""Request overhead: the façade's ``create`` + ``get`` against raw httpx sending the same two requests.

The emulator runs in its own process (no rate limit, real clock); a worker process per
flavour (sync, async) times rounds of ``pairs`` create+get pairs, alternating façade and raw
rounds so load drift hits both. Figures are medians over rounds of the wall time per pair,
with the client's CPU per pair alongside. Requests go one at a time, so each pair includes
the emulator's own time, as it would a real user's.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from lemondata_video import AsyncVideoClient, VideoClient

from ._common import Figure, cpu_seconds, median, run_worker
from .emulator_proc import EmulatorProcess

TARGET = 1.10
PROMPT = "a lemon, rolling"
MODEL = "sora-2"
Timed = Callable[[], Any]


def timed_rounds(facade: Timed, raw: Timed, *, rounds: int) -> dict[str, list[float]]:
    """Alternate façade and raw rounds (after one warm-up of each); wall and CPU seconds per round."""
    facade()
    raw()
    out: dict[str, list[float]] = {"facade": [], "raw": [], "facade_cpu": [], "raw_cpu": []}
    for index in range(rounds):
        order = [("facade", facade), ("raw", raw)]
        for name, body in order if index % 2 == 0 else order[::-1]:
            cpu, start = cpu_seconds(), time.perf_counter()
            body()
            out[name].append(time.perf_counter() - start)
            out[f"{name}_cpu"].append(cpu_seconds() - cpu)
    return out


def sync_worker(opts: dict[str, Any]) -> dict[str, list[float]]:
    pairs = int(opts["pairs"])
    headers = {"Authorization": f"Bearer {opts['api_key']}"}
    with (
        VideoClient(api_key=opts["api_key"], base_url=opts["base_url"]) as client,
        httpx.Client(base_url=opts["base_url"], headers=headers) as http,
    ):

        def facade() -> None:
            for _ in range(pairs):
                client.get(client.create(PROMPT, model=MODEL))

        def raw() -> None:
            for _ in range(pairs):
                created = http.post("/v1/videos/generations", json={"prompt": PROMPT, "model": MODEL})
                http.get(created.json()["poll_url"]).json()

        return timed_rounds(facade, raw, rounds=int(opts["rounds"]))


def async_worker(opts: dict[str, Any]) -> dict[str, list[float]]:
    pairs = int(opts["pairs"])
    headers = {"Authorization": f"Bearer {opts['api_key']}"}
    loop = asyncio.new_event_loop()
    client = AsyncVideoClient(api_key=opts["api_key"], base_url=opts["base_url"])
    http = httpx.AsyncClient(base_url=opts["base_url"], headers=headers)

    async def facade() -> None:
        for _ in range(pairs):
            await client.get(await client.create(PROMPT, model=MODEL))

    async def raw() -> None:
        for _ in range(pairs):
            created = await http.post("/v1/videos/generations", json={"prompt": PROMPT, "model": MODEL})
            (await http.get(created.json()["poll_url"])).json()

    try:
        return timed_rounds(
            lambda: loop.run_until_complete(facade()),
            lambda: loop.run_until_complete(raw()),
            rounds=int(opts["rounds"]),
        )
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(http.aclose())
        loop.close()


def run(*, pairs: int, rounds: int) -> list[Figure]:
    figures = []
    with EmulatorProcess() as emu:
        opts = {"base_url": emu.base_url, "api_key": emu.api_keys[0], "pairs": pairs, "rounds": rounds}
        for flavour in ("sync", "async"):
            out = run_worker("overhead", flavour, json.dumps(opts))
            cpu = median(out["facade_cpu"]) / pairs * 1e6
            raw_cpu = median(out["raw_cpu"]) / pairs * 1e6
            figures.append(
                Figure(
                    key=f"overhead.{flavour}",
                    label=f"facade create+get ({flavour})",
                    value=median(out["facade"]) / pairs * 1e6,
                    baseline=median(out["raw"]) / pairs * 1e6,
                    baseline_label="raw httpx",
                    unit="us/pair",
                    target=TARGET,
                    note=(
                        f"median of {rounds} rounds of {pairs} pairs; client CPU {cpu:.0f} vs "
                        f"{raw_cpu:.0f} us/pair ({cpu / raw_cpu:.2f}x)"
                    ),
                )
            )
    return figures


if __name__ == "__main__":
    worker = sync_worker if sys.argv[1] == "sync" else async_worker
    print(json.dumps(worker(json.loads(sys.argv[2]))))
