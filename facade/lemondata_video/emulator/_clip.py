"""What a task's video shows and at what size: the request's picture, fitted under the render cap.

A ``Clip`` holds everything that changes the pixels of a task's video except its task id (which only
its first second shows), so identical requests share one clip and one render. Above
``MAX_PIXEL_FRAMES`` (pixels per frame x frames) the clip is rendered smaller, then at a lower
frame rate, then shorter, and its ``notes`` say so; the frames and the file's comment show them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from ._catalog import SNAPSHOT
from ._render import DEFAULT_DURATION
from ._state import Task

MAX_PIXEL_FRAMES: Final = 1920 * 1080 * 30 * 10  # 1080p for 10 s at 30 fps
MAX_SIDE: Final = 4096
MIN_SHORT_SIDE: Final = 90
DEFAULT_FPS: Final = 24
# Frame rates the providers' files usually have, by model family; others get DEFAULT_FPS.
FAMILY_FPS: Final = {"Sora": 30, "Kling": 30, "Hailuo": 25, "Wan": 16}


@dataclass(frozen=True)
class Clip:
    """One picture to render: the task's model, prompt and reported size, and the size rendered."""

    model: str
    prompt: str
    requested: tuple[int, int, int, int]  # width, height, fps, duration as the task reports them
    width: int
    height: int
    fps: int
    frames: int
    cap: int = MAX_PIXEL_FRAMES

    @property
    def title_frames(self) -> int:
        """The frames of the first second: rendered per task, they show its id."""
        return min(self.frames, self.fps)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the render changed from the request, empty when it follows it exactly."""
        width, height, fps, duration = self.requested
        notes = []
        if (self.width, self.height) != (width, height):
            notes.append(f"rendered at {self.width}x{self.height}, not {width}x{height}")
        if self.fps != fps:
            notes.append(f"at {self.fps} fps, not {fps}")
        if self.frames != self.fps * duration:
            notes.append(f"for {self.frames / self.fps:g} s, not {duration} s")
        if notes:
            limits = f"emulator limits: {self.cap:,} pixels x frames, sides even and <= {MAX_SIDE}"
            return (", ".join(notes), limits)
        return ()


def picture_fields(body: object) -> tuple[str, int | None]:
    """The ``prompt`` and ``fps`` of a create body that passed validation (empty and None if absent)."""
    fields = body if isinstance(body, dict) else {}
    prompt, fps = fields.get("prompt"), fields.get("fps")
    rate = int(fps) if isinstance(fps, int | float) and not isinstance(fps, bool) else None
    return (prompt if isinstance(prompt, str) else ""), rate


def default_fps(model: str) -> int:
    """The frame rate of a model's files when the request gives no ``fps``."""
    entry = SNAPSHOT.by_id.get(model)
    return FAMILY_FPS.get(entry["family"], DEFAULT_FPS) if entry else DEFAULT_FPS


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def fit(width: int, height: int, fps: int, duration: int, cap: int) -> tuple[int, int, int, int]:
    """Width, height, fps and frame count to render so that width x height x frames <= ``cap``.

    The size shrinks first (keeping the aspect ratio, not below MIN_SHORT_SIDE), then the frame
    rate, then the duration; sides are even (H.264 4:2:0) and at most MAX_SIDE.
    """
    scale = min(1.0, math.sqrt(cap / (width * height * fps * duration)))
    scale = max(scale, min(1.0, MIN_SHORT_SIDE / min(width, height)))
    scale = min(scale, MAX_SIDE / max(width, height))
    shown_width, shown_height = _even(width * scale), _even(height * scale)
    pixels = shown_width * shown_height
    if pixels * fps * duration > cap:
        fps = max(1, cap // (pixels * duration))
    frames = max(1, min(fps * duration, cap // pixels))
    return shown_width, shown_height, fps, frames


def clip_for(task: Task, *, cap: int = MAX_PIXEL_FRAMES) -> Clip:
    """The clip of a completed task, from what its answer reports and its request's prompt and fps."""
    duration = task.duration or DEFAULT_DURATION
    fps = task.fps or default_fps(task.model)
    width, height, shown_fps, frames = fit(task.width, task.height, fps, duration, cap)
    return Clip(
        model=task.model,
        prompt=task.prompt,
        requested=(task.width, task.height, fps, duration),
        width=width,
        height=height,
        fps=shown_fps,
        frames=frames,
        cap=cap,
    )
