"""A throwaway redis-server and PostgreSQL on loopback ports, for the shared-budget and journal tests.

`scripts/test` starts both for the whole run (`python tests/services.py start DIR` prints the
`export` lines, `stop DIR` ends them) and the tests read LEMONDATA_TEST_REDIS_URL and
LEMONDATA_TEST_POSTGRES_URL; a targeted `pytest` run without them starts its own (the session
fixtures in tests/conftest.py) and stops them at the end. Both keep their data in DIR and listen on
127.0.0.1 only. PostgreSQL refuses to run as root, so as root its programs run as `postgres`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Final

REDIS_ENV: Final = "LEMONDATA_TEST_REDIS_URL"
POSTGRES_ENV: Final = "LEMONDATA_TEST_POSTGRES_URL"
STARTUP_SECONDS: Final = 30.0
MISSING: Final = (
    "{what} is not installed; scripts/test installs it (apt-get update && apt-get install -y "
    "redis-server postgresql), or install it yourself"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    msg = f"{what} did not accept connections on 127.0.0.1:{port} within {STARTUP_SECONDS:.0f} s"
    raise RuntimeError(msg)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(MISSING.format(what=f"PostgreSQL ({name})"))
    return found[-1]


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def start_redis(directory: Path) -> str:
    """Start redis-server (no persistence) on a free loopback port; returns its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(MISSING.format(what="redis-server"))
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    argv += ["--dir", str(directory), "--pidfile", str(directory / "redis.pid"), "--daemonize", "yes"]
    argv += ["--logfile", str(directory / "redis.log")]
    subprocess.run(argv, check=True)
    _wait_for_port(port, "redis-server")
    return f"redis://127.0.0.1:{port}/0"


def start_postgres(directory: Path) -> str:
    """initdb a cluster and start it on a free loopback port; returns its URL.

    The cluster lives in a folder of its own that `postgres` owns (the test's own folders are
    private to root); `directory`/cluster names it, for `stop`.
    """
    directory.mkdir(parents=True, exist_ok=True)
    cluster = Path(tempfile.mkdtemp(prefix="lemonvideo-pg-"))
    (directory / "cluster").write_text(str(cluster))
    if os.geteuid() == 0:
        shutil.chown(cluster, "postgres")
    data = cluster / "pgdata"
    initdb = [_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run(_as_postgres(initdb), check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    # fsync off: the tests kill clients, never this server, and a cluster of throwaway data need not sync.
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {cluster} -c fsync=off -c max_connections=200"
    start = [_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(cluster / "postgres.log")]
    subprocess.run(_as_postgres([*start, "-w", "start"]), check=True, stdout=subprocess.DEVNULL)
    _wait_for_port(port, "PostgreSQL")
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop_redis(directory: Path) -> None:
    """Stop the redis-server `start_redis(directory)` started, if it runs."""
    pidfile = directory / "redis.pid"
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)


def stop_postgres(directory: Path) -> None:
    """Stop the cluster `start_postgres(directory)` started, if it runs, and delete it."""
    named = directory / "cluster"
    if named.exists():
        cluster = Path(named.read_text())
        if (cluster / "pgdata" / "postmaster.pid").exists():
            argv = [_pg_bin("pg_ctl"), "-D", str(cluster / "pgdata"), "-m", "fast", "-w", "stop"]
            subprocess.run(_as_postgres(argv), check=False, stdout=subprocess.DEVNULL)
        shutil.rmtree(cluster, ignore_errors=True)
        named.unlink()


def stop(directory: Path) -> None:
    """Stop whatever `start_all(directory)` started (either may be missing)."""
    stop_redis(directory / "redis")
    stop_postgres(directory / "postgres")


def start_all(directory: Path) -> dict[str, str]:
    """Start both; the environment that points the tests at them."""
    return {
        REDIS_ENV: start_redis(directory / "redis"),
        POSTGRES_ENV: start_postgres(directory / "postgres"),
    }


def main(argv: list[str]) -> int:
    """`start DIR` (prints `export` lines for the shell) or `stop DIR`."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python tests/services.py start|stop DIR", file=sys.stderr)
        return 2
    directory = Path(argv[1])
    if argv[0] == "stop":
        stop(directory)
        return 0
    try:
        env = start_all(directory)
    except BaseException:
        stop(directory)
        raise
    for name, value in env.items():
        print(f"export {name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
