"""Checks of single request values: URLs, data URLs, local image files, numbers."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import urlsplit

from ._constants import MAX_INLINE_IMAGE_BYTES
from ._exceptions import InvalidFieldError

# Image types the service accepts inline, by extension, with their magic bytes.
IMAGE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
}


def check_http_url(field: str, value: object) -> str:
    """Return `value` if it is an http(s) URL with a host."""
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.hostname:
            return value
    msg = f"{field} must be an http(s) URL with a host, not {_show(value)}"
    raise InvalidFieldError(msg, param=field)


def check_data_url(field: str, value: object) -> str:
    """Return `value` if it is a base64 image data URL."""
    if isinstance(value, str) and value.startswith("data:image/") and ";base64," in value:
        return value
    msg = f"{field} must be a data URL (data:image/...;base64,...), not {_show(value)}"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        msg += "; pass a web address as image_url instead"
    raise InvalidFieldError(msg, param=field)


def check_image_ref(field: str, value: object) -> str:
    """An image given by http(s) URL or data URL (reference images accept both)."""
    if isinstance(value, str) and value.startswith("data:"):
        return check_data_url(field, value)
    return check_http_url(field, value)


def image_file_to_data_url(field: str, path: Path) -> str:
    """Read a local image and return it as a data URL with its MIME type."""
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(IMAGE_TYPES))
        msg = f"{field}: {str(path)!r} is not a supported image file (use one of {known})"
        raise InvalidFieldError(msg, param=field)
    try:
        size = path.stat().st_size
        if size > MAX_INLINE_IMAGE_BYTES:
            limit = MAX_INLINE_IMAGE_BYTES
            msg = f"{field}: {str(path)!r} is {size} bytes; inline images are limited to {limit}"
            raise InvalidFieldError(msg, param=field)
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{field}: cannot read {str(path)!r} ({exc.strerror or exc})"
        raise InvalidFieldError(msg, param=field) from exc
    mime, magics = kind
    if not data.startswith(magics) or (mime == "image/webp" and data[8:12] != b"WEBP"):
        msg = f"{field}: {str(path)!r} does not contain {mime} data"
        raise InvalidFieldError(msg, param=field)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def check_number(field: str, value: object, low: float | None, high: float | None, *, integer: bool) -> None:
    """Raise unless `value` is a number (an int when `integer`) within [low, high]."""
    is_number = isinstance(value, int) if integer else isinstance(value, int | float)
    if is_number and not isinstance(value, bool):
        number = float(value)  # type: ignore[arg-type]
        if (low is None or number >= low) and (high is None or number <= high):
            return
    kind = "an integer" if integer else "a number"
    if high is None:
        bounds = f"of at least {low:g}" if low is not None else ""
    else:
        bounds = f"from {low:g} to {high:g}"
    msg = f"{field} must be {kind} {bounds}, not {_show(value)}".replace("  ", " ")
    raise InvalidFieldError(msg, param=field)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
