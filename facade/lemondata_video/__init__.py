"""lemondata_video: the Python SDK for the LemonData video generation API."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
