"""The public surface: `__all__` is sorted, complete, and every name in it resolves."""

from __future__ import annotations

import importlib
import pkgutil

import lemondata_video

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
    for module_name in ("_exceptions", "_task", "_client", "_async_client"):
        module = importlib.import_module(f"lemondata_video.{module_name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__ and not name.startswith("_"):
                assert name in exported, f"{module_name}.{name} is not exported"
    assert "ModelInfo" in exported


def test_names_with_a_leading_underscore_are_not_exported() -> None:
    assert [n for n in lemondata_video.__all__ if n.startswith("_") and n != "__version__"] == []


def test_version() -> None:
    assert lemondata_video.__version__ == "0.1.0"
