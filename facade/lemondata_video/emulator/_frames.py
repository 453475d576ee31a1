"""The frames of a clip, drawn with Pillow's bundled font: the request as text, a rolling lemon, a counter.

Each frame shows the model, the size, frame rate and duration the task reports, the prompt, any
note of the render cap, and a lemon rolling to and fro above a progress bar with the frame number
and its time. Frames of the first second also show the task id.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

import av
from PIL import Image, ImageDraw, ImageFont

from ._clip import Clip

BACKGROUND: Final = (24, 28, 40)
HEADER: Final = (255, 214, 10)
TEXT: Final = (236, 236, 236)
NOTE: Final = (255, 140, 60)
LEMON: Final = (250, 222, 40)
TRACK: Final = (70, 76, 96)
EMULATOR_LABEL: Final = "LemonData emulator"
ROWS_PER_SHORT_SIDE: Final = 24
MIN_FONT_PX: Final = 8
MAX_PROMPT_LINES: Final = 6
MAX_PROMPT_CHARS: Final = 2000
PIXEL_FORMAT: Final = "yuv420p"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Colour = tuple[int, int, int]
# PyAV's stubs leave from_image untyped; this is its signature.
from_image: Callable[[Image.Image], av.VideoFrame] = av.VideoFrame.from_image


def wrap(text: str, font: Font, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, broken at spaces and inside words too long for a line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and font.getlength(line + char) > width:
                lines.append(line)
                line = ""
            line += char
    return [*lines, line] if line else lines


def rows(clip: Clip, task_id: str | None, font: Font, width: float) -> list[tuple[str, Colour]]:
    """The lines of text a frame shows, top to bottom, with their colours; the notes come early."""
    shown_width, shown_height, fps, duration = clip.requested
    lines: list[tuple[str, Colour]] = [
        (f"{EMULATOR_LABEL} · {clip.model}", HEADER),
        (f"{shown_width}x{shown_height} · {fps} fps · {duration} s", TEXT),
    ]
    lines += [(line, NOTE) for note in clip.notes for line in wrap(note, font, width)]
    if task_id:
        lines += [(line, HEADER) for line in wrap(f"task {task_id}", font, width)]
    prompt = wrap(clip.prompt[:MAX_PROMPT_CHARS] or "(no prompt)", font, width)
    if len(prompt) > MAX_PROMPT_LINES:
        prompt = [*prompt[: MAX_PROMPT_LINES - 1], prompt[MAX_PROMPT_LINES - 1] + " …"]
    return lines + [(line, TEXT) for line in prompt]


class Painter:
    """Draws the frames of one clip: the text once, then per frame only the strip that moves."""

    def __init__(self, clip: Clip, task_id: str | None) -> None:
        self.clip = clip
        self.unit = unit = max(MIN_FONT_PX, min(clip.width, clip.height) // ROWS_PER_SHORT_SIDE)
        self.font = ImageFont.load_default(size=unit)
        self.margin = unit
        self.radius = max(3, unit)
        self.track_y = clip.height - 2 * self.margin - 2 * unit
        self.background = background = self._background(task_id)
        # The moving parts (lemon, bar, counter) lie below strip_top; the rest is converted once.
        self.strip_top = max(0, self.track_y - 2 * self.radius - unit) // 2 * 2
        self.strip = background.crop((0, self.strip_top, clip.width, clip.height))
        still = from_image(background).reformat(format=PIXEL_FORMAT)
        self.still = [(bytes(plane), plane.line_size) for plane in still.planes]

    def _background(self, task_id: str | None) -> Image.Image:
        clip, unit, margin = self.clip, self.unit, self.margin
        image = Image.new("RGB", (clip.width, clip.height), BACKGROUND)
        draw = ImageDraw.Draw(image)
        y, step, bottom = margin, round(unit * 1.3), self.track_y - 2 * self.radius - unit
        for text, colour in rows(clip, task_id, self.font, clip.width - 2 * margin):
            if y + unit > bottom:  # what does not fit above the lemon's track is left out
                break
            draw.text((margin, y), text, font=self.font, fill=colour)
            y += step
        return image

    def frame(self, index: int) -> av.VideoFrame:
        """Frame ``index`` (0-based) in YUV 4:2:0: the lemon and the counter follow the frame number."""
        strip = self._draw(self.strip.copy(), index)
        moving = from_image(strip).reformat(format=PIXEL_FORMAT)
        frame = av.VideoFrame(self.clip.width, self.clip.height, PIXEL_FORMAT)
        for number, (plane, (still, line_size)) in enumerate(zip(frame.planes, self.still, strict=True)):
            top = self.strip_top if number == 0 else self.strip_top // 2
            part = moving.planes[number]
            if plane.line_size != line_size or part.line_size != line_size:
                whole = self._draw(self.background.copy(), index)  # unlike layouts: convert it all
                return from_image(whole).reformat(format=PIXEL_FORMAT)
            plane.update(still[: top * line_size] + bytes(part))
        return frame

    def _draw(self, strip: Image.Image, index: int) -> Image.Image:
        """Draw the moving parts of frame ``index`` on the strip (coordinates of the whole frame)."""
        clip, unit, margin, radius = self.clip, self.unit, self.margin, self.radius
        draw = ImageDraw.Draw(strip)
        top = self.strip_top if strip.height < clip.height else 0
        track_y = self.track_y - top
        draw.line((margin, track_y, clip.width - margin, track_y), fill=TRACK, width=max(1, unit // 6))
        travel = max(1, clip.width - 2 * margin - 2 * radius)
        cycle = max(1, 2 * clip.fps)  # one way per second, then back
        phase = (index % cycle) / cycle
        x = margin + radius + travel * (1 - abs(1 - 2 * phase))
        y = track_y - radius
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=LEMON)
        angle = x / radius  # the spot turns as a rolling wheel would
        spot_x, spot_y = x + 0.6 * radius * math.cos(angle), y + 0.6 * radius * math.sin(angle)
        dot = max(1, radius // 4)
        draw.ellipse((spot_x - dot, spot_y - dot, spot_x + dot, spot_y + dot), fill=BACKGROUND)
        bar_y = clip.height - top - margin - unit // 2
        done = margin + (clip.width - 2 * margin) * (index + 1) / clip.frames
        draw.rectangle((margin, bar_y, done, bar_y + max(1, unit // 3)), fill=HEADER)
        counter = f"frame {index + 1}/{clip.frames} · {index / clip.fps:.2f} s"
        draw.text((margin, bar_y - round(unit * 1.4)), counter, font=self.font, fill=TEXT)
        return strip
