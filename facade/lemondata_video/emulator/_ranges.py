"""Byte sources and HTTP Range handling for the file host: one real MP4 and synthetic blobs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Final

CHUNK_SIZE: Final = 64 * 1024
_PATTERN: Final = bytes(range(256)) * (CHUNK_SIZE // 256 + 1)
RANGE_PATTERN: Final = re.compile(r"^bytes=(\d*)-(\d*)$")
SAMPLE_NAME: Final = "sample.mp4"


def sample_mp4() -> bytes:
    """The bundled 2-second 160x90 H.264 clip every completed task points at."""
    return resources.files(__name__.rpartition(".")[0]).joinpath("assets", SAMPLE_NAME).read_bytes()


class UnsatisfiableRangeError(Exception):
    """A Range header that selects no byte of the file."""


@dataclass(frozen=True)
class Source:
    """Content of a known size, read in chunks: ``data`` when held in memory, else the byte pattern."""

    size: int
    data: bytes | None = None

    def chunks(self, start: int, stop: int) -> Iterator[bytes]:
        """Bytes ``start``..``stop - 1`` in chunks of at most CHUNK_SIZE; a blob's byte i is ``i % 256``."""
        position = start
        while position < stop:
            length = min(CHUNK_SIZE, stop - position)
            if self.data is not None:
                yield self.data[position : position + length]
            else:
                offset = position % 256
                yield _PATTERN[offset : offset + length]
            position += length


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The half-open byte span a single-range header asks for, or None to send everything.

    Multi-range and malformed headers are ignored (RFC 9110 allows serving the whole file).

    Raises:
        UnsatisfiableRangeError: the range starts past the end, or asks for the last 0 bytes.
    """
    match = RANGE_PATTERN.match((header or "").strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRangeError
        return max(0, size - suffix), size
    start = int(first)
    stop = size if not last else min(size, int(last) + 1)
    if start >= size or stop <= start:
        raise UnsatisfiableRangeError
    return start, stop
