"""Reaching a request's TCP connection from the app, to close it without an answer.

Uvicorn answers 500 when an app fails before starting its response, so a dropped connection
cannot be faked by raising. Instead the server runs a protocol subclass that records each
connection's transport by (server, client) address, which the ASGI scope also carries; the app
looks the transport up and aborts it.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from starlette.types import Receive, Scope
from uvicorn.protocols.http.h11_impl import H11Protocol

Address = tuple[Any, ...]
DISCONNECT_WAIT_SECONDS: Final = 1.0


class ConnectionRegistry:
    """Open transports by (server address, client address)."""

    def __init__(self) -> None:
        self._transports: dict[tuple[Address, Address], asyncio.Transport] = {}

    def add(self, transport: asyncio.Transport) -> None:
        """Record a new connection."""
        key = (tuple(transport.get_extra_info("sockname")), tuple(transport.get_extra_info("peername")))
        self._transports[key] = transport

    def discard(self, transport: asyncio.Transport) -> None:
        """Forget a closed connection."""
        key = (tuple(transport.get_extra_info("sockname")), tuple(transport.get_extra_info("peername")))
        if self._transports.get(key) is transport:
            del self._transports[key]

    def find(self, scope: Scope) -> asyncio.Transport | None:
        """The transport of the request in ``scope``."""
        server, client = scope.get("server"), scope.get("client")
        if server is None or client is None:
            return None
        return self._transports.get((tuple(server), tuple(client)))

    async def drop(self, scope: Scope, receive: Receive) -> None:
        """Reset the request's connection and wait until the server has noticed."""
        transport = self.find(scope)
        if transport is None:
            msg = "no transport recorded for this request; is the server using tracking_protocol()?"
            raise RuntimeError(msg)
        transport.abort()
        try:
            async with asyncio.timeout(DISCONNECT_WAIT_SECONDS):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:  # the server will still see the closed transport; nothing to answer
            pass


def tracking_protocol(registry: ConnectionRegistry) -> type[H11Protocol]:
    """An h11 protocol class that records its connections in ``registry``."""

    class TrackingH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            if isinstance(transport, asyncio.Transport):
                registry.add(transport)

        def connection_lost(self, exc: Exception | None) -> None:
            registry.discard(self.transport)
            super().connection_lost(exc)

    return TrackingH11Protocol
