"""`proxy=` on both clients: the API's requests and the downloads go through it; bad values are refused.

The proxy is real: a small forwarding HTTP proxy on loopback (below) that records each request it
forwarded, in front of the emulator's two origins.
"""

from __future__ import annotations

import http.client
import importlib.util
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from lemondata_video import AsyncVideoClient, RequestValidationError, TaskStatus, VideoClient
from lemondata_video.emulator import Emulator, ManualClock

sys.path.insert(0, str(Path(__file__).parent))
from emulated import Flavour, sample_bytes

KEY = "sk-proxy-test-0123456789abcdef"
# Hop-by-hop headers (RFC 9110 section 7.6.1) a proxy does not forward; the length is set anew.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
     "transfer-encoding", "upgrade", "content-length"}
)  # fmt: skip


class _Forward(BaseHTTPRequestHandler):
    """Forwards an absolute-form request (`GET http://host:port/path HTTP/1.1`) and relays the answer."""

    protocol_version = "HTTP/1.1"
    server: ForwardingProxy

    def _forward(self) -> None:
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        self.server.seen.append((self.command, self.path, headers))
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_DELETE(self) -> None:
        self._forward()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class ForwardingProxy(ThreadingHTTPServer):
    """A forwarding HTTP proxy on 127.0.0.1; `seen` holds (method, absolute URL, headers) of each request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self, origin: str) -> list[str]:
        """`METHOD path` of each forwarded request to `origin`, in order."""
        return [f"{method} {urlsplit(url).path}" for method, url, _ in self.seen if url.startswith(origin)]


@pytest.fixture
def proxy() -> Iterator[ForwardingProxy]:
    server = ForwardingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock(), videos="sample", link_ttl=60) as emulator:
        yield emulator


class TestThroughTheProxy:
    """Every request of a client given `proxy=`, to the API and to the file host, goes through it."""

    def test_create_poll_and_download(
        self, flavour: str, emu: Emulator, proxy: ForwardingProxy, tmp_path: Path
    ) -> None:
        client = Flavour(flavour, emu, proxy=proxy.url)
        try:
            task = client("create", "a cat", model="sora-2")
            emu.clock.advance(60)
            done = client("get", task.id)
            saved = client("download", done, tmp_path)
        finally:
            client.close()
        assert len(proxy.seen) == sum(emu.stats.requests.values())  # every request the emulator saw
        assert done.status is TaskStatus.COMPLETED
        assert saved.read_bytes() == sample_bytes(emu)
        assert proxy.paths(emu.base_url) == ["POST /v1/videos/generations", f"GET /v1/tasks/{task.id}"]
        assert proxy.paths(emu.file_host_url) == [f"GET /files/{task.id}.mp4"]
        # The key went to the API through the proxy, and never to the file host.
        auth = [headers.get("Authorization") for _, url, headers in proxy.seen]
        assert auth == [f"Bearer {emu.api_key}", f"Bearer {emu.api_key}", None]

    def test_generate_out_and_a_renewed_link(
        self, flavour: str, emu: Emulator, proxy: ForwardingProxy, tmp_path: Path
    ) -> None:
        client = Flavour(flavour, emu, proxy=proxy.url)
        try:
            task = client("create", "a cat", model="sora-2")
            emu.clock.advance(60)
            done = client("get", task)
            emu.clock.advance(60)  # its link expires: the download fetches the task again
            saved = client("download", done, tmp_path)
            made = client("generate", "a dog", model="sora-2", out=tmp_path / "dog.mp4")
        finally:
            client.close()
        assert len(proxy.seen) == sum(emu.stats.requests.values())
        assert emu.stats.refused_links[f"{task.id}.mp4"] == 1
        assert proxy.paths(emu.file_host_url) == [f"GET /files/{task.id}.mp4"] * 2 + [
            f"GET /files/{made.id}.mp4"
        ]
        assert proxy.paths(emu.base_url).count(f"GET /v1/tasks/{task.id}") == 2
        assert saved.read_bytes() == made.path.read_bytes() == sample_bytes(emu)


@pytest.fixture(params=[VideoClient, AsyncVideoClient], ids=["sync", "async"])
def client_class(request: pytest.FixtureRequest) -> type[VideoClient] | type[AsyncVideoClient]:
    return request.param  # type: ignore[no-any-return]


class TestRefused:
    """A proxy value that cannot work is refused when the client is made, saying why."""

    @pytest.mark.parametrize(
        ("proxy", "message"),
        [
            ("ftp://proxy.internal:21", "'ftp://proxy.internal:21'"),
            ("proxy.internal:3128", "'proxy.internal:3128'"),
            ("http://", "'http://'"),
            ("ftp://me:hunter2@proxy.internal:21", "'ftp://me:***@proxy.internal:21'"),
        ],
    )
    def test_not_an_http_or_socks_url(self, client_class: Any, proxy: str, message: str) -> None:
        with pytest.raises(RequestValidationError) as raised:
            client_class(api_key=KEY, proxy=proxy)
        assert str(raised.value) == (
            f"proxy must be an http://, https://, socks5:// or socks5h:// URL with a host, not {message}"
        )
        assert raised.value.param == "proxy"
        assert "hunter2" not in repr(raised.value)

    def test_not_a_string(self, client_class: Any) -> None:
        with pytest.raises(RequestValidationError) as raised:
            client_class(api_key=KEY, proxy=3128)
        assert str(raised.value) == "proxy must be a URL such as 'http://proxy.internal:3128', not int"

    def test_not_a_valid_url(self, client_class: Any) -> None:
        with pytest.raises(RequestValidationError) as raised:
            client_class(api_key=KEY, proxy="http://proxy.internal:port")
        assert str(raised.value) == "proxy is not a valid URL (Invalid port: 'port')"

    def test_socks_without_socksio(self, client_class: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        find_spec = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util, "find_spec", lambda name: None if name == "socksio" else find_spec(name)
        )
        with pytest.raises(RequestValidationError) as raised:
            client_class(api_key=KEY, proxy="socks5://proxy.internal:1080")
        assert str(raised.value) == (
            "the SOCKS proxy 'socks5://proxy.internal:1080' needs the socksio package: "
            "pip install 'httpx[socks]'"
        )

    @pytest.mark.parametrize("given", ["http_client", "file_http_client"])
    def test_beside_a_given_http_client(self, flavour: str, given: str) -> None:
        mine: Any = httpx.Client() if flavour == "sync" else httpx.AsyncClient()
        cls = VideoClient if flavour == "sync" else AsyncVideoClient
        with pytest.raises(RequestValidationError) as raised:
            cls(api_key=KEY, proxy="http://proxy.internal:3128", **{given: mine})
        assert str(raised.value) == (
            "proxy= is for the httpx clients the SDK makes; a given http_client or file_http_client "
            "sends as it was made: give it the proxy (httpx.Client(proxy=...)), or drop it"
        )
        assert not mine.is_closed
