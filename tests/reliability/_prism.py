"""Run Prism (the pinned @stoplight/prism-cli) as a subprocess and collect the violations it reports.

Prism prints one `Violation: <request|response> <message>` line per contract breach
and also sends them back in an `sl-violations` response header; both are collected,
so a breach is seen whether or not the client looks at headers.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Final

import httpx

ROOT: Final = Path(__file__).resolve().parents[2]
PRISM: Final = ROOT / "scripts" / "node_modules" / ".bin" / "prism"
SPEC: Final = ROOT / "openapi" / "openapi.yaml"
STARTUP_TIMEOUT: Final = 60.0
STOP_TIMEOUT: Final = 10.0
_ANSI: Final = re.compile(r"\x1b\[[0-9;]*m")
_VIOLATION: Final = re.compile(r"Violation: (.*)$")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Prism:
    """A running Prism process: its URL, its log lines, and the violations seen so far."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process, self.url = process, url
        self.lines: list[str] = []
        self.header_violations: list[dict[str, object]] = []
        self.listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = _ANSI.sub("", raw.rstrip("\n"))
            self.lines.append(line)
            if "Prism is listening on" in line:
                self.listening.set()

    @property
    def log_violations(self) -> list[str]:
        """Every `Violation:` line Prism printed."""
        return [m.group(1) for line in self.lines if (m := _VIOLATION.search(line))]

    @property
    def violations(self) -> list[str]:
        """Log violations plus those of `sl-violations` headers, as text."""
        shown = [json.dumps(v, sort_keys=True) for v in self.header_violations]
        return [*self.log_violations, *shown]

    def record(self, response: httpx.Response) -> None:
        """httpx response hook: keep the `sl-violations` header of an answer."""
        header = response.headers.get("sl-violations")
        if header:
            found = json.loads(header)
            where = f"{response.request.method} {response.request.url.path}"
            for item in found if isinstance(found, list) else [found]:
                self.header_violations.append({**item, "request": where})

    def http_client(self, *, on_request: object = None, **options: object) -> httpx.Client:
        """An httpx client whose answers are checked for `sl-violations` (and `on_request` hook)."""
        hooks: dict[str, list[object]] = {"response": [self.record]}
        if on_request is not None:
            hooks["request"] = [on_request]
        return httpx.Client(event_hooks=hooks, **options)  # type: ignore[arg-type]

    def wait_listening(self) -> None:
        """Block until Prism accepts connections; RuntimeError with its log if it dies or stalls."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.listening.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = "\n".join(self.lines[-30:])
                msg = f"prism did not start (exit {self.process.returncode}):\n{log}"
                raise RuntimeError(msg)

    def stop(self) -> None:
        """Terminate the process (this one only) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        self._reader.join(STOP_TIMEOUT)


@contextmanager
def prism(*args: str) -> Iterator[Prism]:
    """Run `prism <args> --port <free> --host 127.0.0.1` until the block ends."""
    port = free_port()
    command = [str(PRISM), *args, "--port", str(port), "--host", "127.0.0.1"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    server = Prism(process, f"http://127.0.0.1:{port}")
    try:
        server.wait_listening()
        yield server
    finally:
        server.stop()


def mock() -> AbstractContextManager[Prism]:
    """`prism mock openapi/openapi.yaml`: static examples of our spec, requests validated."""
    return prism("mock", str(SPEC))


def proxy(upstream: str) -> AbstractContextManager[Prism]:
    """`prism proxy openapi/openapi.yaml <upstream> --errors`: every exchange checked against the spec."""
    return prism("proxy", str(SPEC), upstream, "--errors")
