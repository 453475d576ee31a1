"""H.264 MP4 files with PyAV: a clip is encoded once; each task's file re-encodes only its first second.

Every second starts with an IDR frame (``keyint`` = fps, no B-frames), so a task's file is its own
first second (with its id on screen) followed by the clip's packets, encoded once from the start
of second two, muxed into a fast-start MP4. Both encoders run with the same settings, so their SPS/PPS match
(checked). x264 is deterministic, so a file made again after leaving the cache is the same bytes.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import av
from av.container import OutputContainer
from av.video.stream import VideoStream

from ._clip import Clip
from ._frames import EMULATOR_LABEL, PIXEL_FORMAT, Painter

CODEC: Final = "libx264"
PROMPT_IN_TITLE: Final = 200


@dataclass(frozen=True)
class StoredPacket:
    """One encoded frame kept between renders."""

    data: bytes
    pts: int
    dts: int
    keyframe: bool


@dataclass(frozen=True)
class Encoded:
    """A clip's encoder headers and its packets after the first second."""

    extradata: bytes
    packets: tuple[StoredPacket, ...]

    @property
    def nbytes(self) -> int:
        """The memory it holds, roughly: its packets' bytes."""
        return len(self.extradata) + sum(len(packet.data) for packet in self.packets)


def _stream(container: OutputContainer, clip: Clip) -> VideoStream:
    keyint = clip.fps
    params = f"keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes=0"
    options = {"preset": "ultrafast", "x264-params": params}
    stream = container.add_stream(CODEC, rate=clip.fps, options=options)
    stream.width, stream.height, stream.pix_fmt = clip.width, clip.height, PIXEL_FORMAT
    return stream


def _packets(stream: VideoStream, clip: Clip, task_id: str | None, frames: range) -> Iterator[av.Packet[Any]]:
    """Encode ``frames`` (with ``task_id`` on them if given) and flush the encoder; the first is an IDR."""
    painter = Painter(clip, task_id)
    for index in frames:
        frame = painter.frame(index)
        frame.pts = index
        yield from stream.encode(frame)
    yield from stream.encode(None)


def encode_clip(clip: Clip) -> Encoded:
    """Encode the frames every task file of ``clip`` shares: all but the first second, once."""
    shared = range(clip.title_frames, clip.frames)
    if not shared:
        return Encoded(b"", ())
    with av.open(io.BytesIO(), "w", format="mp4") as container:
        stream = _stream(container, clip)
        packets = tuple(
            StoredPacket(bytes(packet), int(packet.pts or 0), int(packet.dts or 0), packet.is_keyframe)
            for packet in _packets(stream, clip, None, shared)
        )
        extradata = bytes(stream.codec_context.extradata or b"")
    return Encoded(extradata, packets)


def describe(clip: Clip, task_id: str) -> str:
    """The file's comment: what it is, and what the render changed, if anything."""
    width, height, fps, duration = clip.requested
    text = f"{EMULATOR_LABEL}: task {task_id}, {clip.model}, {width}x{height}, {fps} fps, {duration} s"
    return "; ".join([text, *clip.notes])


def task_file(clip: Clip, encoded: Encoded, task_id: str) -> bytes:
    """The MP4 of one task: its first second encoded now with its id, then the clip's shared packets.

    Raises:
        RuntimeError: the two encoders disagree on their headers (a change of settings broke the splice).
    """
    with tempfile.TemporaryDirectory(prefix="lemondata-emulator-") as folder:
        path = Path(folder) / "video.mp4"  # fast start rewrites the file, so it needs a real path
        with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
            container.metadata["title"] = clip.prompt[:PROMPT_IN_TITLE]
            container.metadata["comment"] = describe(clip, task_id)
            stream = _stream(container, clip)
            for packet in _packets(stream, clip, task_id, range(clip.title_frames)):
                container.mux(packet)
            if encoded.packets and bytes(stream.codec_context.extradata or b"") != encoded.extradata:
                msg = f"the encoder headers of task {task_id} differ from its clip's; cannot splice"
                raise RuntimeError(msg)
            time_base = Fraction(1, clip.fps)
            for stored in encoded.packets:
                packet = av.Packet(stored.data)
                packet.pts, packet.dts, packet.time_base = stored.pts, stored.dts, time_base
                packet.is_keyframe = stored.keyframe
                packet.stream = stream
                container.mux(packet)
        return path.read_bytes()
