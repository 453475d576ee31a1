"""`python -m lemondata_video.cli ...`: the same as the `lemonvideo` console script."""

from __future__ import annotations

from . import main

raise SystemExit(main())
