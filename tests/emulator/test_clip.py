"""What a task's video shows: the clip of a request, the render cap, the default frame rates, the text."""

from __future__ import annotations

import pytest
from lemondata_video.emulator._clip import (
    MAX_PIXEL_FRAMES,
    MAX_SIDE,
    MIN_SHORT_SIDE,
    Clip,
    clip_for,
    default_fps,
    fit,
    picture_fields,
)
from lemondata_video.emulator._frames import HEADER, MAX_PROMPT_LINES, NOTE, rows, wrap
from lemondata_video.emulator._state import Task
from PIL import ImageFont

FONT = ImageFont.load_default(size=20)


def task(**fields: object) -> Task:
    """A completed-looking task with the given fields over sora-2 720p defaults."""
    base: dict[str, object] = {
        "id": "video_abc", "owner": "sk", "model": "sora-2", "operation": "text-to-video",
        "created": 0.0, "queue_seconds": 0.0, "run_seconds": 0.0, "will_fail": False,
        "reports_progress": True, "duration": None, "width": 1280, "height": 720,
    }  # fmt: skip
    return Task(**{**base, **fields})  # type: ignore[arg-type]


class TestFit:
    """Width x height x frames stays under the cap: size first, then frame rate, then duration."""

    def test_a_request_under_the_cap_is_rendered_as_asked(self) -> None:
        """1080p for 10 s at 30 fps is the cap itself."""
        assert fit(1920, 1080, 30, 10, MAX_PIXEL_FRAMES) == (1920, 1080, 30, 300)

    def test_4k_is_rendered_smaller_with_its_aspect_ratio_frame_rate_and_duration(self) -> None:
        width, height, fps, frames = fit(3840, 2160, 30, 5, MAX_PIXEL_FRAMES)
        assert (fps, frames) == (30, 150)
        assert width * height * frames <= MAX_PIXEL_FRAMES
        assert width < 3840 and abs(width / height - 16 / 9) < 0.01
        assert width % 2 == 0 and height % 2 == 0

    def test_below_the_smallest_size_the_frame_rate_drops_then_the_duration(self) -> None:
        """A long request: the short side stops at MIN_SHORT_SIDE, then fps falls, then frames."""
        width, height, fps, frames = fit(1280, 720, 30, 100_000, MAX_PIXEL_FRAMES)
        assert height == MIN_SHORT_SIDE and width == 160
        assert fps == 1 and frames == MAX_PIXEL_FRAMES // (160 * 90)

    def test_fps_drops_before_the_duration(self) -> None:
        width, height, fps, frames = fit(1280, 720, 120, 3000, MAX_PIXEL_FRAMES)
        assert (width, height) == (160, 90)
        assert fps == MAX_PIXEL_FRAMES // (160 * 90 * 3000) and frames == fps * 3000

    def test_sides_are_even_and_at_most_max_side(self) -> None:
        """An odd side is rounded down; a 1:21 4K frame is scaled to MAX_SIDE."""
        assert fit(855, 481, 24, 1, MAX_PIXEL_FRAMES)[:2] == (854, 480)
        width, height, _, _ = fit(2160, 45360, 24, 1, MAX_PIXEL_FRAMES)
        assert height <= MAX_SIDE and width % 2 == 0


class TestClip:
    """The clip of a task: reported values, defaults, and notes of what the render changed."""

    def test_duration_and_fps_default_from_the_task_and_the_model(self) -> None:
        clip = clip_for(task(prompt="a cat"))
        assert clip == Clip("sora-2", "a cat", (1280, 720, 30, 5), 1280, 720, 30, 150)
        assert clip.notes == () and clip.title_frames == 30

    def test_the_request_fps_and_duration_win(self) -> None:
        clip = clip_for(task(model="veo3", fps=12, duration=2))
        assert (clip.fps, clip.frames, clip.title_frames) == (12, 24, 12)

    def test_a_capped_clip_says_what_it_changed(self) -> None:
        clip = clip_for(task(width=3840, height=2160), cap=1000 * 1000 * 150)
        assert clip.notes == (
            f"rendered at {clip.width}x{clip.height}, not 3840x2160",
            f"emulator limits: 150,000,000 pixels x frames, sides even and <= {MAX_SIDE}",
        )

    def test_every_change_is_named(self) -> None:
        clip = clip_for(task(duration=100_000))
        assert (
            clip.notes[0]
            == f"rendered at 160x90, not 1280x720, at 1 fps, not 30, for {clip.frames:g} s, not 100000 s"
        )

    @pytest.mark.parametrize(
        ("model", "fps"),
        [
            ("sora-2", 30),
            ("kling-v2.6-std", 30),
            ("hailuo-2.3", 25),
            ("wan-2.6", 16),
            ("veo3", 24),
            ("x", 24),
        ],
    )
    def test_default_fps_by_model_family(self, model: str, fps: int) -> None:
        assert default_fps(model) == fps

    @pytest.mark.parametrize(
        ("body", "fields"),
        [
            ({"prompt": "a cat", "fps": 12}, ("a cat", 12)),
            ({"prompt": "a cat", "fps": 24.0}, ("a cat", 24)),
            ({"fps": True}, ("", None)),
            ({}, ("", None)),
            ([], ("", None)),
        ],
    )
    def test_picture_fields_of_a_create_body(self, body: object, fields: tuple[str, int | None]) -> None:
        assert picture_fields(body) == fields


class TestText:
    """The lines each frame shows."""

    def test_rows_show_model_size_notes_task_and_prompt_in_that_order(self) -> None:
        clip = clip_for(task(width=3840, height=2160, prompt="a lemon"), cap=10**8)
        lines = rows(clip, "video_abc", FONT, 2000)
        assert [text for text, _ in lines] == [
            "LemonData emulator · sora-2",
            "3840x2160 · 30 fps · 5 s",
            *clip.notes,
            "task video_abc",
            "a lemon",
        ]
        assert [colour for text, colour in lines if text in clip.notes] == [NOTE, NOTE]
        assert ("task video_abc", HEADER) in lines

    def test_frames_after_the_first_second_do_not_show_the_task_id(self) -> None:
        lines = [text for text, _ in rows(clip_for(task(prompt="a cat")), None, FONT, 2000)]
        assert lines == ["LemonData emulator · sora-2", "1280x720 · 30 fps · 5 s", "a cat"]

    def test_a_long_prompt_is_cut_to_its_first_lines(self) -> None:
        lines = rows(clip_for(task(prompt="lemon " * 500)), None, FONT, 300)
        prompt = [text for text, _ in lines[2:]]
        assert len(prompt) == MAX_PROMPT_LINES and prompt[-1].endswith(" …")

    def test_wrap_breaks_words_longer_than_a_line(self) -> None:
        lines = wrap("a " + "x" * 80 + " b", FONT, 200)
        assert "".join(lines).replace(" ", "") == "a" + "x" * 80 + "b"
        assert all(FONT.getlength(line) <= 200 for line in lines)
