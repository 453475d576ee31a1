"""The README's quick-start examples run as written against the emulator and leave an MP4.

Each Python block of "## Quick start (library)" runs in its own interpreter, concurrently
(the sync and async examples each wait for their first poll, about 25 s of real time), with
LEMONDATA_API_KEY and LEMONDATA_BASE_URL naming a running emulator and LEMONDATA_OUT a file
in a temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
from lemondata_video.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
RUN_LIMIT = 120


def quick_start_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start (library)", 1)[1].split("\n## ", 1)[0]
    return [part.split("```", 1)[0] for part in section.split("```python\n")[1:]]


def test_the_section_has_the_sync_async_and_options_examples() -> None:
    blocks = quick_start_blocks()
    assert len(blocks) == 4
    assert "VideoClient()" in blocks[0]
    assert "AsyncVideoClient()" in blocks[1]
    assert "rate_limit=budget" in blocks[2]
    assert "client.call(list_pricing" in blocks[3]
    assert "client.request(" in blocks[3]


def test_every_example_runs_and_the_video_examples_save_the_served_mp4(tmp_path: Path) -> None:
    with Emulator(task_seconds=5.0, queue_seconds=0.0) as emu:
        runs = []
        for index, block in enumerate(quick_start_blocks()):
            env = {
                **os.environ,
                "LEMONDATA_API_KEY": emu.api_key,
                "LEMONDATA_BASE_URL": emu.base_url,
                "LEMONDATA_OUT": str(tmp_path / f"example-{index}.mp4"),
            }
            process = subprocess.Popen(
                [sys.executable, "-c", block],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            runs.append(process)
        results = [(process.wait(timeout=RUN_LIMIT), *process.communicate()) for process in runs]
        created = emu.stats.tasks_created
        names = [name for name in emu.stats.downloads if name != "sample.mp4"]
        served = {httpx.get(f"{emu.file_host_url}/files/{name}").content for name in names}
    for code, _, stderr in results:
        assert code == 0, stderr
    assert created == 2
    for index in (0, 1):
        saved = tmp_path / f"example-{index}.mp4"
        assert saved.read_bytes() in served
        assert str(saved) in results[index][1]
    assert results[0][1].split()[1] == "completed"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["example-0.mp4", "example-1.mp4"]


def test_the_layout_section_names_every_module_of_the_facade() -> None:
    readme = (ROOT / "README.md").read_text()
    layout = readme.split("## Layout and how to change the API", 1)[1].split("\n## ", 1)[0]
    modules = sorted(p.name for p in (ROOT / "facade" / "lemondata_video").glob("*.py"))
    assert [name for name in modules if name not in layout] == []
    scripts = sorted(p.name for p in (ROOT / "scripts").iterdir() if p.is_file() and "." not in p.name)
    assert [name for name in scripts if name not in layout] == []
