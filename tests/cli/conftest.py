"""Helpers for the CLI tests: run `python -m lemondata_video.cli` as a real process, check MP4s."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from lemondata_video.emulator import Emulator, RealClock

ROOT = Path(__file__).resolve().parents[2]
ANSI = "\x1b["


@dataclass
class Result:
    """A finished CLI run."""

    code: int
    stdout: str
    stderr: str


def cli_env(emu: Emulator | None = None, **extra: str) -> dict[str, str]:
    """The environment of a CLI process: the repo on PYTHONPATH, the emulator's URL and key if given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEMONDATA_") and k != "NO_COLOR"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "facade"), str(ROOT / "generated")])
    if emu is not None:
        env["LEMONDATA_API_KEY"] = emu.api_key
        env["LEMONDATA_BASE_URL"] = emu.base_url
    env.update(extra)
    return env


def command(*args: str) -> list[str]:
    """The argv that runs the CLI through its real entry point."""
    return [sys.executable, "-m", "lemondata_video.cli", *args]


def run(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> Result:
    """Run the CLI to completion with stdin, stdout and stderr not terminals."""
    done = subprocess.run(
        command(*args),
        env=dict(env) if env is not None else cli_env(),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def mp4_boxes(path: Path) -> list[str]:
    """The top-level box types of an MP4 file; raises if the boxes do not tile the file exactly."""
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset < len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        assert size >= 8, f"bad box size {size} at {offset}"
        boxes.append(kind.decode("ascii"))
        offset += size
    assert offset == len(data), "boxes overrun the file"
    return boxes


def assert_playable_mp4(path: Path) -> None:
    """The file is an MP4: a file type box first, a movie box with its header and a track, media data."""
    boxes = mp4_boxes(path)
    assert boxes[0] == "ftyp"
    assert {"moov", "mdat"} <= set(boxes)
    data = path.read_bytes()
    moov = data.index(b"moov") - 4
    (moov_size,) = struct.unpack(">I", data[moov : moov + 4])
    assert b"mvhd" in data[moov : moov + moov_size]
    assert b"trak" in data[moov : moov + moov_size]


def fast_emulator(**options: object) -> Emulator:
    """An emulator on real time sped up 20x: a default task takes well under a second."""
    options.setdefault("clock", RealClock(20.0))
    options.setdefault("task_seconds", 6.0)
    options.setdefault("queue_seconds", 1.0)
    return Emulator(**options)  # type: ignore[arg-type]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A running fast emulator in the test process; CLI processes reach it through the environment."""
    with fast_emulator() as emulator:
        yield emulator


@pytest.fixture
def env(emu: Emulator) -> dict[str, str]:
    """The environment that points a CLI process at `emu`."""
    return cli_env(emu)
