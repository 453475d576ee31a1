"""Counters that let tests prove what the emulator saw: tasks, requests per route, faults, downloads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    """What the emulator has done since it started (or since ``reset()``).

    ``requests`` is keyed by method and path template (``"GET /v1/tasks/{task_id}"``), ``faults``
    by fault kind, ``downloads`` and ``bytes_served`` by file name (``"video_ab12.mp4"``,
    ``"blob-1048576"``). A download counts once its whole response body has been sent.
    ``refused_links`` counts, by file name, the requests refused for an expired or forged link.
    """

    tasks_created: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    downloads: Counter[str] = field(default_factory=Counter)
    bytes_served: Counter[str] = field(default_factory=Counter)
    refused_links: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        """Set every counter back to zero."""
        self.tasks_created = 0
        for counter in (self.requests, self.faults, self.downloads, self.bytes_served, self.refused_links):
            counter.clear()
