"""Shared pieces of the reliability tests: the sample MP4 the emulator serves, a recognisable key."""

from __future__ import annotations

from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
SAMPLE_MP4: Final = (ROOT / "facade" / "lemondata_video" / "emulator" / "assets" / "sample.mp4").read_bytes()
# A key no real response or path contains by accident, so any leak of it is found by a plain search.
SECRET_KEY: Final = "sk-LEAKCANARY-7f3a9c1e5b2d4680aa11"
