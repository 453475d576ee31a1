"""AsyncTaskClient: the single-request task operations (create, get, cancel) over the generated client.

Written once, as async code: scripts/unasync derives the sync twin (`_task_client.py`).
AsyncVideoClient builds the workflows (wait, generate, download) on these. Requests go
through AsyncAPIClient's `_send` (key, budget, retries, typed errors); the generated
operations and models are imported inside the methods, on first use (see `_async_client`).
"""

from __future__ import annotations

from typing import Any

from ._async_catalog_client import AsyncCatalogClient
from ._body import check_json, fingerprint
from ._error_map import Model, create_failure
from ._exceptions import LemonDataError
from ._task import Task
from ._task_routes import create_route, downloadable, poll_request, route_for, task_answer, task_id_of


class AsyncTaskClient(AsyncCatalogClient):
    """Create, get and cancel one task: each validates, calls a generated operation, maps the result."""

    async def create(
        self,
        prompt: str | None,
        *,
        model: str = "sora-2",
        operation: str | None = None,
        allow_unknown_model: bool | None = None,
        **fields: Any,
    ) -> Task:
        """Validate and submit a generation; return the new task (status `pending`).

        Raises RequestValidationError before any request; TaskMayExistError when the
        request was sent and its outcome is unknown (it is never resent then).
        """
        allow = self.allow_unknown_models if allow_unknown_model is None else allow_unknown_model
        body = await self._checked_request(
            prompt, model=model, operation=operation, fields=fields, allow=allow
        )
        check_json(body)
        from lemondata_api.models import VideoGenerationCreated  # noqa: PLC0415

        method, url = create_route()
        try:
            response = await self._send(method, url, json=body)
            payload = task_answer(response, VideoGenerationCreated, secret=self._secret)
        except LemonDataError as exc:
            raise create_failure(exc, fingerprint=fingerprint(body)) from exc
        return Task.from_payload(payload)

    async def get(self, task: Task | str) -> Task:
        """The task's current state; follows `task.poll_url` when it is on the API's origin."""
        return await self._poll(task, retries=self.max_retries)

    async def cancel(self, task: Task | str) -> Task:
        """Cancel a task that has not started running; ConflictError when it cannot be cancelled."""
        from lemondata_api.api.tasks import cancel_task  # noqa: PLC0415
        from lemondata_api.models import VideoTask  # noqa: PLC0415

        ident = task_id_of(task)
        payload = await self._task_call(cancel_task._get_kwargs(ident), VideoTask)
        return Task.from_payload(payload, task_id=ident)

    async def _poll(self, task: Task | str, *, retries: int) -> Task:
        from lemondata_api.models import VideoTask  # noqa: PLC0415

        route = route_for(task, base_url=self.base_url, warned=self._warned)
        response = await self._send(*poll_request(route), retries=retries)
        return Task.from_payload(task_answer(response, VideoTask, secret=self._secret), task_id=route.task_id)

    async def _task_call(
        self, built: dict[str, Any], expect: type[Model], *, retries: int | None = None
    ) -> dict[str, Any]:
        """Send a request a generated operation built; its JSON, checked to be `expect` naming a task id."""
        response = await self._send(built["method"], built["url"], json=built.get("json"), retries=retries)
        return task_answer(response, expect, secret=self._secret)

    async def _completed(self, task: Task | str) -> Task:
        return downloadable(task if isinstance(task, Task) and task.videos else await self.get(task))
