"""scripts/unasync: the sync modules are generated from the async sources, and the check catches drift."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "facade" / "lemondata_video"
PAIRS = {
    "_async_api_client.py": "_api_client.py",
    "_async_catalog_client.py": "_catalog_client.py",
    "_async_client.py": "_client.py",
    "_async_download.py": "_download.py",
    "_async_task_client.py": "_task_client.py",
    "_async_transports.py": "_transports.py",
}


def unasync(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "unasync"), *args],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the script, the package and the ruff settings, to edit freely."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "unasync", tmp_path / "scripts" / "unasync")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        PACKAGE, tmp_path / "facade" / "lemondata_video", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def test_the_sync_modules_match_their_sources() -> None:
    done = unasync(ROOT, "--check")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{len(PAIRS)} sync modules match their async sources\n"


@pytest.mark.parametrize(("source", "target"), PAIRS.items())
def test_each_sync_module_opens_by_naming_its_source(source: str, target: str) -> None:
    first = (PACKAGE / target).read_text(encoding="utf-8").splitlines()[0]
    assert (
        first == f"# Generated from {source} by scripts/unasync: do not edit; edit the source, then run it."
    )


def test_a_one_line_edit_of_an_async_source_fails_the_check_naming_the_file(copy: Path) -> None:
    source = copy / "facade" / "lemondata_video" / "_async_client.py"
    text = source.read_text(encoding="utf-8")
    edited = text.replace(
        '        """Save every output video into `directory` (default: the current directory), '
        'as `download` does."""',
        '        """The task, now."""',
    )
    assert edited != text
    source.write_text(edited, encoding="utf-8")
    done = unasync(copy, "--check")
    assert done.returncode == 1
    assert done.stderr == (
        "scripts/unasync --check: facade/lemondata_video/_client.py "
        "differs from what its async source gives\n"
        "run scripts/unasync to rewrite it\n"
    )
    rewritten = unasync(copy)
    assert rewritten.stdout == "wrote facade/lemondata_video/_client.py from _async_client.py\n"
    assert '        """The task, now."""' in (copy / "facade" / "lemondata_video" / "_client.py").read_text()
    assert unasync(copy, "--check").returncode == 0


def test_a_hand_edit_of_a_sync_module_fails_the_check(copy: Path) -> None:
    target = copy / "facade" / "lemondata_video" / "_download.py"
    target.write_text(target.read_text(encoding="utf-8") + "# a local fix\n", encoding="utf-8")
    done = unasync(copy, "--check")
    assert done.returncode == 1
    assert "facade/lemondata_video/_download.py differs" in done.stderr


def test_a_sync_program_never_imports_asyncio() -> None:
    """request, call, get and download on VideoClient leave asyncio unloaded."""
    program = (
        "import sys, tempfile, httpx\n"
        "from lemondata_video import VideoClient\n"
        "from lemondata_api.api.pricing import list_pricing\n"
        "task = {'id': 'video_1', 'status': 'completed', 'video_url': 'https://files.test/v.mp4'}\n"
        "def answer(request):\n"
        "    if request.url.host == 'files.test':\n"
        "        return httpx.Response(200, stream=httpx.ByteStream(b'....ftyp'))\n"
        "    if request.url.path == '/v1/pricing':\n"
        "        return httpx.Response(200, json={'object': 'pricing', 'data': []})\n"
        "    return httpx.Response(200, json=task)\n"
        "class Answer(httpx.BaseTransport):\n"
        "    def handle_request(self, request):\n"
        "        return answer(request)\n"
        "mock = Answer()\n"
        "with VideoClient(api_key='sk-test', http_client=httpx.Client(transport=mock),\n"
        "                 file_http_client=httpx.Client(transport=mock)) as client:\n"
        "    client.request('GET', '/v1/pricing')\n"
        "    client.call(list_pricing)\n"
        "    client.download(client.get('video_1'), tempfile.mkdtemp() + '/v.mp4')\n"
        "print('asyncio' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"
