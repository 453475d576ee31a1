"""Where a task is polled, and what an answer about a task must hold.

`route_for` follows a task's `poll_url` when it is relative or on the API's origin (never
sending the key elsewhere), by the generated operation when the URL is one of the two task
routes, else as a plain GET of that URL.

`create_route` is where the generated create operation sends a create. The body goes out as
the façade checked it: the generated request model's round trip (`from_dict` then `to_dict`)
gives back the same JSON for every body `_capabilities.build_request` returns, so it is not
made per create (tests/contract/test_fast_paths.py holds the two to each other).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Final, Literal
from urllib.parse import unquote

import httpx

from ._config import logger, origin
from ._error_map import Model, checked, unexpected
from ._exceptions import InvalidFieldError, LemonDataError
from ._task import Task, TaskStatus

_CANONICAL: Final = re.compile(r"/v1/tasks/([^/?#]+)")
_LEGACY: Final = re.compile(r"/v1/videos/generations/([^/?#]+)")
# The usual poll_url, relative with a plain id: routed without parsing a URL (every poll does this).
_PLAIN_CANONICAL: Final = re.compile(r"/v1/tasks/([A-Za-z0-9._~-]+)")


@dataclass(frozen=True, slots=True)
class Route:
    """Where to poll a task: the generated `get_task` or legacy op by id, or an exact `url`."""

    kind: Literal["task", "legacy", "url"]
    task_id: str
    url: str = ""


@cache
def create_route() -> tuple[str, str]:
    """The method and URL of the generated create operation (built once, with an empty request model)."""
    from lemondata_api.api.videos import create_video_generation  # noqa: PLC0415
    from lemondata_api.models import VideoGenerationRequest  # noqa: PLC0415

    built = create_video_generation._get_kwargs(body=VideoGenerationRequest())
    return built["method"], built["url"]


def task_id_of(task: Task | str) -> str:
    """The id of a Task or a bare id; InvalidFieldError for an empty one."""
    ident = task.id if isinstance(task, Task) else task
    if not isinstance(ident, str) or not ident.strip():
        msg = f"a task or a non-empty task id is needed, not {task!r}"
        raise InvalidFieldError(msg, param="task")
    return ident


def route_for(task: Task | str, *, base_url: httpx.URL, warned: set[str]) -> Route:
    """Follow `task.poll_url` when it is relative or on the API's origin; never send the key elsewhere."""
    ident = task_id_of(task)
    poll_url = task.poll_url if isinstance(task, Task) else None
    if not poll_url:
        return Route("task", ident)
    plain = _PLAIN_CANONICAL.fullmatch(poll_url)
    if plain:
        return Route("task", plain.group(1))
    try:
        url = httpx.URL(poll_url)
    except httpx.InvalidURL:
        url = None
    if url is None or (url.is_absolute_url and origin(url) != origin(base_url)):
        if ident not in warned:
            warned.add(ident)
            logger.warning(
                "task %s: poll_url %r is not on the API's origin %s; polling /v1/tasks/%s there instead",
                ident,
                poll_url,
                base_url,
                ident,
            )
        return Route("task", ident)
    path = url.path
    prefix = base_url.path.rstrip("/")
    if url.is_absolute_url and prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    if not url.query and not url.fragment:
        for kind, pattern in (("task", _CANONICAL), ("legacy", _LEGACY)):
            match = pattern.fullmatch(path)
            if match:
                return Route(kind, unquote(match.group(1)))  # type: ignore[arg-type]
    return Route("url", ident, poll_url)


def poll_request(route: Route) -> tuple[str, str]:
    """The method and URL of a poll: the generated operation's for a task route, else a GET of `route.url`."""
    if route.kind == "url":
        return "GET", route.url
    built = _poll_operations()[route.kind]._get_kwargs(route.task_id)
    return built["method"], built["url"]


@cache
def _poll_operations() -> dict[str, ModuleType]:
    from lemondata_api.api.tasks import get_task, get_video_generation_legacy  # noqa: PLC0415

    return {"task": get_task, "legacy": get_video_generation_legacy}


def task_answer(response: httpx.Response, expect: type[Model], *, secret: str) -> dict[str, Any]:
    """The JSON of a successful answer about a task: checked to be `expect`, naming a task id."""
    return task_body(response, checked(response, expect=expect, secret=secret), secret=secret)


def task_body(response: httpx.Response, body: dict[str, Any], *, secret: str) -> dict[str, Any]:
    """`body` when it names a task id; UnexpectedResponseError otherwise."""
    for name in ("id", "task_id"):
        if isinstance(body.get(name), str) and body[name]:
            return body
    raise unexpected(response, "its body names no task id", secret)


def downloadable(task: Task) -> Task:
    """`task` when it completed with a video; LemonDataError saying how to wait for it otherwise."""
    if task.status is not TaskStatus.COMPLETED or not task.videos:
        msg = (
            f"task {task.id} has no video to download: it is {task.raw_status}"
            + (f" ({task.error})" if task.error else "")
            + f". Wait for it with client.wait({task.id!r})"
        )
        raise LemonDataError(msg)
    return task
