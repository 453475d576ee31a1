"""The `lemonvideo` command line: generate, inspect, cancel and download videos, and run batches.

Heavy imports (httpx, the clients, the emulator, sqlite) happen inside the commands that need
them, so `lemonvideo --help` and `lemonvideo models` start quickly.
"""

from __future__ import annotations

from ._main import main

__all__ = ["main"]
