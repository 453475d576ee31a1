"""Download throughput and memory: the façade's download against a raw httpx stream to disk.

Each download runs in a fresh worker process (``python -m benchmarks.download <how> <url> <file>``)
so its peak RSS is its own; the growth is the peak during the download minus the peak before
it (imports and client set up). The emulator's file host serves ``/blob/<size>`` from a
separate process. The two ways alternate, the file is deleted after each run, and the figures
are medians; ``os.sync()`` runs before each. Both write the bytes *to disk*: the façade
fsyncs the file before publishing it, and the baseline fsyncs its file at the end too.
Without that fsync the baseline only fills the page cache, and whether the kernel happens to
write back during the run decides the ratio: 0.70x in two runs and 0.99x in one, all on
2026-11-25 with the same code, before the baseline was made to fsync.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import httpx
from lemondata_video._download import download_file

from ._common import Figure, median, peak_rss_mb, run_worker
from .emulator_proc import EmulatorProcess

FULL_SIZE = 500 * 1024 * 1024
CHUNK = 256 * 1024
THROUGHPUT_TARGET = 0.9
RSS_GROWTH_TARGET_MB = 50.0


def facade_download(url: str, dest: Path) -> None:
    """The public path: a VideoClient downloading a task whose video is the blob."""
    with httpx.Client() as client:
        download_file(client, url, dest)


def raw_download(url: str, dest: Path) -> None:
    """What a careful user writes with httpx alone: stream the body to a file, then to disk."""
    with httpx.Client() as client, client.stream("GET", url) as response, dest.open("wb") as out:
        response.raise_for_status()
        for chunk in response.iter_bytes(CHUNK):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def worker(how: str, url: str, dest: Path) -> dict[str, float]:
    before = peak_rss_mb()
    start = time.perf_counter()
    (facade_download if how == "facade" else raw_download)(url, dest)
    elapsed = time.perf_counter() - start
    size = dest.stat().st_size
    return {"seconds": elapsed, "bytes": size, "rss_growth_mb": peak_rss_mb() - before}


def run(*, size: int, repetitions: int, workdir: str) -> list[Figure]:
    results: dict[str, list[dict[str, float]]] = {"facade": [], "raw": []}
    with EmulatorProcess() as emu:
        url = f"{emu.file_host_url}/blob/{size}"
        for _ in range(repetitions):
            for how in ("raw", "facade"):
                dest = Path(workdir) / f"bench-download-{how}.bin"
                os.sync()  # no dirty pages of an earlier run to write back during this one
                try:
                    result = run_worker("download", how, url, str(dest))
                finally:
                    dest.unlink(missing_ok=True)
                if result["bytes"] != size:
                    msg = f"{how} download wrote {result['bytes']} bytes, not {size}"
                    raise RuntimeError(msg)
                results[how].append(result)
    mb = size / (1024 * 1024)
    ours = median([mb / r["seconds"] for r in results["facade"]])
    theirs = median([mb / r["seconds"] for r in results["raw"]])
    growth = median([r["rss_growth_mb"] for r in results["facade"]])
    raw_growth = median([r["rss_growth_mb"] for r in results["raw"]])
    note = f"{mb:.0f} MB, median of {repetitions}"
    return [
        Figure(
            key="download.throughput",
            label="facade download",
            value=ours,
            baseline=theirs,
            baseline_label="raw httpx stream + fsync",
            unit="MB/s",
            target=THROUGHPUT_TARGET,
            higher_is_better=True,
            note=note,
        ),
        Figure(
            key="download.rss",
            label="facade peak RSS growth",
            value=growth,
            baseline=None,
            unit="MB",
            target=RSS_GROWTH_TARGET_MB,
            note=f"{note}; raw httpx grows {raw_growth:.1f} MB",
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1], sys.argv[2], Path(sys.argv[3]))))
