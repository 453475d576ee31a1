"""A local, stateful stand-in for the LemonData video API, for tests, demos and benchmarks.

    with Emulator(clock=ManualClock()) as emu:
        ...  # point a client at emu.base_url with emu.api_key; move time with emu.clock.advance()

The emulator shares the OpenAPI contract with the client, not its code: models and limits come
from ``lemondata_api.model_matrix``. It needs the ``emulator`` extra (starlette, uvicorn).
"""

from __future__ import annotations

from ._clock import Clock, ManualClock, RealClock
from ._faults import Faults
from ._main import serve
from ._server import Emulator
from ._stats import Stats

__all__ = [
    "Clock",
    "Emulator",
    "Faults",
    "ManualClock",
    "RealClock",
    "Stats",
    "serve",
]
