"""``python -m lemondata_video.emulator --port 8787``: serve the emulator in the foreground."""

from __future__ import annotations

from ._main import main

raise SystemExit(main())
