"""Shared helpers for the client tests: a fake clock, task payloads, and one driver per client flavour.

`Driver` runs the same call on VideoClient or AsyncVideoClient, so behaviour tests are
written once and run for both (`driver` fixture, ids `sync` and `async`). `redis_url` and
`postgres_url` are a real redis-server and PostgreSQL on loopback (tests/services.py): the ones
scripts/test started for the run, or ones this session starts and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lemondata_video import AsyncVideoClient, Task, VideoClient

sys.path.insert(0, str(Path(__file__).parent))
import journals
import services  # tests/services.py, which scripts/test also runs as a script

KEY = "sk-test-secret-0123456789abcdef"
BASE = "https://api.lemondata.cc"
CREATE_URL = f"{BASE}/v1/videos/generations"


def task_url(task_id: str) -> str:
    return f"{BASE}/v1/tasks/{task_id}"


def task_json(task_id: str = "video_abc", status: str = "processing", **extra: Any) -> dict[str, Any]:
    """A status payload as GET /v1/tasks/{id} returns it."""
    return {"id": task_id, "status": status, "poll_url": f"/v1/tasks/{task_id}", **extra}


def created_json(task_id: str = "video_abc") -> dict[str, Any]:
    return {"task_id": task_id, "poll_url": f"/v1/tasks/{task_id}", "status": "pending", "model": "sora-2"}


class FakeClock:
    """Simulated time: `sleep` records the delay and moves `now` forward."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


class Driver:
    """Calls a client method the same way for both flavours; `sleeps` are the request-retry sleeps."""

    def __init__(self, flavour: str, **kwargs: Any) -> None:
        self.flavour = flavour
        self.retry_clock = FakeClock()
        kwargs.setdefault("api_key", KEY)
        if flavour == "sync":
            self.client: Any = VideoClient(**kwargs)
            self.client._sleep = self.retry_clock.sleep
        else:
            self.client = AsyncVideoClient(**kwargs)
            self.client._sleep = self.retry_clock.asleep

    @property
    def sleeps(self) -> list[float]:
        return self.retry_clock.sleeps

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if self.flavour == "async":
            return asyncio.run(result)
        return result

    def wait(self, task: Task | str, clock: FakeClock, **kwargs: Any) -> Task:
        sleep: Callable[[float], Any] = clock.sleep if self.flavour == "sync" else clock.asleep
        return self("wait", task, clock=clock, sleep=sleep, **kwargs)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.flavour == "sync":
            self.client.close()
        else:
            asyncio.run(self.client.aclose())


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own key or base URL."""
    monkeypatch.delenv("LEMONDATA_API_KEY", raising=False)
    monkeypatch.delenv("LEMONDATA_BASE_URL", raising=False)


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def driver(flavour: str) -> Iterator[Driver]:
    drv = Driver(flavour)
    yield drv
    drv.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 (scripts/test's, or one started for this session)."""
    given = os.environ.get(services.REDIS_ENV)
    if given:
        yield given
        return
    directory = tmp_path_factory.mktemp("redis")
    try:
        yield services.start_redis(directory)
    finally:
        services.stop_redis(directory)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL on 127.0.0.1 (scripts/test's, or one started for this session)."""
    given = os.environ.get(services.POSTGRES_ENV)
    if given:
        yield given
        return
    directory = tmp_path_factory.mktemp("postgres")
    try:
        yield services.start_postgres(directory)
    finally:
        services.stop_postgres(directory)


@contextlib.contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL at `server`, dropped afterwards; yields its URL."""
    import psycopg

    name = f"batch_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as db:
            db.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def postgres_journal(postgres_url: str) -> Iterator[journals.PostgresJournal]:
    """A PostgreSQL journal in a database of its own."""
    with fresh_database(postgres_url) as url:
        yield journals.PostgresJournal(url)


@pytest.fixture(params=["sqlite", "postgres"])
def journal_backend(request: pytest.FixtureRequest) -> Iterator[journals.SqliteJournal]:
    """Each journal of `batch` in turn: SQLite in --out-dir, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield journals.SqliteJournal()
        return
    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        yield journals.PostgresJournal(url)
