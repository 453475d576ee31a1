"""The public surface: `__all__` is sorted, complete, and every name in it resolves."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import lemondata_video
import pytest

PUBLIC_MODULES = [
    m.name for m in pkgutil.iter_modules(lemondata_video.__path__) if m.name.startswith("_") and not m.ispkg
]


def test_all_is_sorted() -> None:
    assert lemondata_video.__all__ == sorted(lemondata_video.__all__)


def test_all_names_resolve() -> None:
    for name in lemondata_video.__all__:
        assert getattr(lemondata_video, name) is not None, name


def test_every_public_name_is_exported() -> None:
    """Public classes defined by the private modules are re-exported (helpers stay private)."""
    exported = set(lemondata_video.__all__)
    for module_name in ("_exceptions", "_task", "_client", "_async_client", "_ratelimit", "_priors"):
        module = importlib.import_module(f"lemondata_video.{module_name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__ and not name.startswith("_"):
                assert name in exported, f"{module_name}.{name} is not exported"
    assert "ModelInfo" in exported


def test_names_with_a_leading_underscore_are_not_exported() -> None:
    assert [n for n in lemondata_video.__all__ if n.startswith("_") and n != "__version__"] == []


def test_version() -> None:
    assert lemondata_video.__version__ == "0.1.0"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError) as info:
        lemondata_video.VideoCliant  # type: ignore[attr-defined]  # noqa: B018
    assert str(info.value) == "module 'lemondata_video' has no attribute 'VideoCliant'"


def test_dir_lists_every_exported_name() -> None:
    assert set(lemondata_video.__all__) <= set(dir(lemondata_video))


def test_lazy_names_are_the_classes_of_their_modules() -> None:
    from lemondata_video._async_client import AsyncVideoClient
    from lemondata_video._capabilities import ModelInfo
    from lemondata_video._client import VideoClient

    assert (lemondata_video.VideoClient, lemondata_video.AsyncVideoClient, lemondata_video.ModelInfo) == (
        VideoClient,
        AsyncVideoClient,
        ModelInfo,
    )


def loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running `statement`."""
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_importing_the_sync_client_loads_neither_asyncio_nor_the_generated_operations() -> None:
    """What a sync program pays at import (benchmarks/imports.py times it)."""
    loaded = loaded_after("from lemondata_video import VideoClient")
    assert "httpx" in loaded
    assert {"asyncio", "attrs", "lemondata_api", "lemondata_video._download"} & loaded == set()


def test_the_first_request_loads_the_generated_client() -> None:
    statement = (
        "import httpx\n"
        "from lemondata_video import VideoClient\n"
        "handler = lambda r: httpx.Response(200, json={'id': 'video_1', 'status': 'processing'})\n"
        "VideoClient(api_key='sk-test', http_client=httpx.Client(transport=httpx.MockTransport(handler)))"
        ".get('video_1')"
    )
    loaded = loaded_after(statement)
    assert {"lemondata_api.api.tasks.get_task", "lemondata_api.models.video_task"} <= loaded
    assert "asyncio" not in loaded
