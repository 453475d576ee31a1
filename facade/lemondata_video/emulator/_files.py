"""The file host: a second origin without auth, serving task results and blobs with Range support.

Its own errors (403 for an expired or forged link, see `_links`; 404, 416) are plain text, as a CDN
sends them; injected faults use the API's envelope.
`file_host_app` is longer than 40 lines: its route handlers are closures over the shared context,
as in `build_api_app`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import _errors as e
from ._context import Context, enter
from ._links import LINK_REFUSED_STATUS
from ._ranges import SAMPLE_NAME, Source, UnsatisfiableRangeError, parse_range
from ._state import COMPLETED

MAX_BLOB_SIZE: Final = 1 << 40
VIDEO_SUFFIX: Final = ".mp4"


class BodyResponse(Response):
    """Streams a byte span of a Source; with ``truncate`` it sends half and drops the connection."""

    def __init__(
        self, *, ctx: Context, source: Source, span: tuple[int, int], name: str, status: int, truncate: bool
    ) -> None:
        super().__init__(status_code=status, media_type="video/mp4" if name.endswith(VIDEO_SUFFIX) else None)
        start, stop = span
        self.ctx, self.source, self.span, self.name, self.truncate = ctx, source, span, name, truncate
        self.headers["Content-Length"] = str(stop - start)
        self.headers["Accept-Ranges"] = "bytes"
        if not self.media_type:
            self.headers["Content-Type"] = "application/octet-stream"
        if status == 206:
            self.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{source.size}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        start, stop = self.span
        if self.truncate:
            stop = start + (stop - start) // 2
        # Counted before the bytes go out: a client holding the whole body may read the stats at once.
        length, sent = stop - start, 0
        whole = not self.truncate
        if whole and length == 0:
            self.ctx.stats.downloads[self.name] += 1
        for chunk in self.source.chunks(start, stop):
            sent += len(chunk)
            self.ctx.stats.bytes_served[self.name] += len(chunk)
            if whole and sent == length:
                self.ctx.stats.downloads[self.name] += 1
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if self.truncate:
            await self.ctx.connections.drop(scope, receive)
            return
        await send({"type": "http.response.body", "body": b""})


async def _serve(
    request: Request, ctx: Context, route: str, name: str, load: Callable[[], Awaitable[Source]]
) -> Response:
    decision = await enter(request, ctx, route)
    if isinstance(decision, Response):
        return decision
    source = await load()  # after the faults: a request answered by one makes no video
    try:
        span = parse_range(request.headers.get("range"), source.size)
    except UnsatisfiableRangeError:
        message = e.MSG_RANGE_NOT_SATISFIABLE.format(range=request.headers.get("range"), size=source.size)
        return PlainTextResponse(
            message, status_code=416, headers={"Content-Range": f"bytes */{source.size}"}
        )
    status = 200 if span is None else 206
    truncate = decision == "truncated_download"
    return BodyResponse(
        ctx=ctx, source=source, span=span or (0, source.size), name=name, status=status, truncate=truncate
    )


def _not_found(name: str) -> Response:
    """A file host's 404: plain text, as from a CDN; the API's envelope and codes are not its own."""
    return PlainTextResponse(e.MSG_FILE_NOT_FOUND.format(name=name), status_code=404)


def file_host_app(ctx: Context) -> Starlette:
    """The file-host ASGI app over the emulator's shared context."""
    sample = Source(len(ctx.sample), ctx.sample)

    async def the_sample() -> Source:
        return sample

    async def files(request: Request) -> Response:
        name = request.path_params["name"]
        task_id = name.removesuffix(VIDEO_SUFFIX)
        now = ctx.clock.now()
        refusal = None if name == SAMPLE_NAME else ctx.links.refusal(name, request.query_params, now)
        if refusal is not None:
            ctx.stats.requests["GET /files/{name}"] += 1
            ctx.stats.refused_links[name] += 1
            return PlainTextResponse(refusal, status_code=LINK_REFUSED_STATUS)
        task = ctx.store.get(task_id)
        known = name == SAMPLE_NAME or (task is not None and task.status_at(now) == COMPLETED)
        if not (known and name.endswith(VIDEO_SUFFIX)):
            ctx.stats.requests["GET /files/{name}"] += 1
            return _not_found(name)
        videos = ctx.videos
        if task is None or videos is None or name == SAMPLE_NAME:
            return await _serve(request, ctx, "GET /files/{name}", name, the_sample)

        async def rendered() -> Source:
            data = await videos.file_for(task)
            return Source(len(data), data)

        return await _serve(request, ctx, "GET /files/{name}", name, rendered)

    async def blob(request: Request) -> Response:
        size = request.path_params["size"]
        if size > MAX_BLOB_SIZE:
            ctx.stats.requests["GET /blob/{size}"] += 1
            return _not_found(f"blob-{size}")

        async def blob_source() -> Source:
            return Source(size)

        return await _serve(request, ctx, "GET /blob/{size}", f"blob-{size}", blob_source)

    routes = [
        Route("/files/{name}", files, methods=["GET"]),
        Route("/blob/{size:int}", blob, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers=ctx.exception_handlers())
    app.router.redirect_slashes = False
    return app
