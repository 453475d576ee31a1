"""Both clients against a running emulator, for the download-refresh and proxy tests.

`Flavour` runs the same public calls through VideoClient or AsyncVideoClient (one event loop
for the async client's life). On a ManualClock emulator, `generate` and `wait` sleep by
moving the emulator's clock: an hour of polling takes no real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from lemondata_video import AsyncVideoClient, Task, VideoClient
from lemondata_video.emulator import Emulator, ManualClock


class Flavour:
    """The sync or async client of `emu`, called the same way."""

    def __init__(self, name: str, emu: Emulator, **options: Any) -> None:
        self.name, self.emu = name, emu
        self._files = options.get("file_http_client")  # the test's own: closed with this client
        kwargs = {"api_key": emu.api_key, "base_url": emu.base_url, **options}
        if name == "sync":
            self.client: Any = VideoClient(**kwargs)
        else:
            self.loop = asyncio.new_event_loop()
            self.client = self.loop.run_until_complete(_make(kwargs))
        if isinstance(emu.clock, ManualClock):
            self._emulated_waits(emu.clock)

    def _emulated_waits(self, clock: ManualClock) -> None:
        wait = self.client.wait

        def sleep(seconds: float) -> None:
            clock.advance(seconds)

        async def asleep(seconds: float) -> None:
            clock.advance(seconds)

        def emulated(task: Task | str, **kwargs: Any) -> Any:
            return wait(task, clock=clock.now, sleep=sleep if self.name == "sync" else asleep, **kwargs)

        self.client.wait = emulated

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        return result if self.name == "sync" else self.loop.run_until_complete(result)

    def http(self, **options: Any) -> httpx.Client | httpx.AsyncClient:
        """An httpx client of this flavour for a Flavour's file_http_client= (which closes it).

        `on_request` are request hooks, plain functions for both flavours.
        """
        hooks: list[Callable[[httpx.Request], None]] = options.pop("on_request", [])
        if self.name == "sync":
            return httpx.Client(event_hooks={"request": hooks}, **options)

        async def run_hooks(request: httpx.Request) -> None:
            for hook in hooks:
                hook(request)

        return httpx.AsyncClient(event_hooks={"request": [run_hooks]}, **options)

    def close(self) -> None:
        if self.name == "sync":
            self.client.close()
            if self._files is not None:
                self._files.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            if self._files is not None:
                self.loop.run_until_complete(self._files.aclose())
            self.loop.close()


async def _make(kwargs: dict[str, Any]) -> AsyncVideoClient:
    return AsyncVideoClient(**kwargs)


def sample_bytes(emu: Emulator) -> bytes:
    """The clip every task of a `videos="sample"` emulator serves, as its file host sends it."""
    return httpx.get(f"{emu.file_host_url}/files/sample.mp4").content
