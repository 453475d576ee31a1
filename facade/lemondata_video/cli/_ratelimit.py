"""The batch's requests-per-minute budget, applied in the async client's httpx transport.

Every API request the client sends (creates, polls, cancels and its own retries) waits for a
slot of one shared `RequestBudget` before it goes out. Downloads go to the file host through a
different client and do not spend the API budget.
"""

from __future__ import annotations

import httpx

from .._ratelimit import RequestBudget


class BudgetTransport(httpx.AsyncBaseTransport):
    """An httpx transport that waits for a slot of `budget` before each request."""

    def __init__(self, budget: RequestBudget, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.budget = budget
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for the budget, then send."""
        await self.budget.aacquire()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()
