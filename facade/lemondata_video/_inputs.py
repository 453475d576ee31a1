"""Checks of the request's input values: URLs, data URLs, local image files, numbers, simple types.

Which fields exist, their JSON types, ranges, URL formats and list limits come from
the spec (`lemondata_api.model_matrix`). A `pathlib.Path` given as `image`,
`image_url`, `start_image`, `end_image` or an item of `reference_images` is read here
and sent inline as a data URL; a path given as `image_url` is sent as `image`,
because the service takes inline images only there.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lemondata_api import model_matrix

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
# Frames ("a URL or compatible image input") may also be given inline as data URLs.
FRAME_FIELDS = ("start_image", "end_image")
# Fields whose values are checked by their own rules below, not by their JSON type alone.
SPECIAL_FIELDS = frozenset(
    {"model", "prompt", "operation", "reference_images"}
    | set(model_matrix.URI_FIELDS)
    | set(model_matrix.URI_LIST_FIELDS)
    | set(model_matrix.DATA_URL_ONLY_FIELDS)
    | set(model_matrix.FIELD_RANGES)
    | set(model_matrix.ENUM_FIELDS)
)
LONGEST_SHOWN_VALUE = 60


def inline_files(body: dict[str, Any]) -> None:
    """Turn local image paths of `body` into data URLs, in place; a path as image_url becomes `image`."""
    if isinstance(body.get("image_url"), Path):
        if "image" in body:
            msg = "pass either image or image_url, not both"
            raise InvalidFieldError(msg, param="image")
        body["image"] = body.pop("image_url")
    for name in ("image", *FRAME_FIELDS):
        if isinstance(body.get(name), Path):
            body[name] = image_file_to_data_url(name, body[name])
    refs = body.get("reference_images")
    if isinstance(refs, list | tuple):
        body["reference_images"] = [
            image_file_to_data_url("reference_images", r) if isinstance(r, Path) else r for r in refs
        ]


def check_fields(body: Mapping[str, Any]) -> None:
    """Raise InvalidFieldError for the first known field of `body` with a bad value."""
    for name, (low, high) in model_matrix.FIELD_RANGES.items():
        if name in body:
            integer = model_matrix.FIELD_TYPES[name] == "integer"
            check_number(name, body[name], low, high, integer=integer)
    clash = model_matrix.clashing_fields(body)
    if clash is not None:
        msg = (
            f"pass either {clash[0]} or {clash[1]}, not both"
            if len(clash) == 2
            else f"pass only one of {', '.join(clash)}"
        )
        raise InvalidFieldError(msg, param=clash[0])
    for name in model_matrix.DATA_URL_ONLY_FIELDS:
        if name in body:
            check_data_url(name, body[name])
    for name in model_matrix.URI_FIELDS:
        if name in FRAME_FIELDS and name in body:
            check_image_ref(name, body[name])
        elif name in body:
            check_http_url(name, body[name])
    for name in model_matrix.URI_LIST_FIELDS:
        if name in body:
            _check_url_list(name, body[name])
    _check_reference_images(body)
    _check_simple_types(body)


def check_http_url(field: str, value: object) -> str:
    """Return `value` if it is an http(s) URL with a host."""
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.hostname:
            return value
    msg = f"{field} must be an http(s) URL with a host, not {_show(value)}"
    raise InvalidFieldError(msg, param=field)


def check_data_url(field: str, value: object) -> str:
    """Return `value` if it is a base64 image data URL with a payload."""
    if isinstance(value, str) and value.startswith("data:image/"):
        _, sep, payload = value.partition(";base64,")
        if sep and payload:
            return value
    msg = f"{field} must be a data URL (data:image/...;base64,...), not {_show(value)}"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        msg += "; pass a web address as image_url instead"
    raise InvalidFieldError(msg, param=field)


def check_image_ref(field: str, value: object) -> str:
    """An image given by http(s) URL or data URL (frames and reference images accept both)."""
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
        with path.open("rb") as file:
            # One byte more than the limit tells a file at the limit from a larger one.
            data = file.read(MAX_INLINE_IMAGE_BYTES + 1)
    except OSError as exc:
        msg = f"{field}: cannot read {str(path)!r} ({exc.strerror or exc})"
        raise InvalidFieldError(msg, param=field) from exc
    if len(data) > MAX_INLINE_IMAGE_BYTES:
        msg = f"{field}: {str(path)!r} is larger than the {MAX_INLINE_IMAGE_BYTES} bytes allowed inline"
        raise InvalidFieldError(msg, param=field)
    mime, magics = kind
    if not data.startswith(magics) or (mime == "image/webp" and data[8:12] != b"WEBP"):
        msg = f"{field}: {str(path)!r} does not contain {mime} data"
        raise InvalidFieldError(msg, param=field)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def check_number(field: str, value: object, low: float | None, high: float | None, *, integer: bool) -> None:
    """Raise unless `value` is a number (an int when `integer`) within [low, high]; bools are not numbers."""
    is_number = isinstance(value, int) if integer else isinstance(value, int | float)
    if is_number and not isinstance(value, bool):
        number = float(value)  # type: ignore[arg-type]
        if (low is None or number >= low) and (high is None or number <= high):
            return
    kind = "an integer" if integer else "a number"
    if high is None:
        bounds = f" of at least {low:g}" if low is not None else ""
    else:
        bounds = f" from {low:g} to {high:g}"
    msg = f"{field} must be {kind}{bounds}, not {_show(value)}"
    raise InvalidFieldError(msg, param=field)


def _check_reference_images(body: Mapping[str, Any]) -> None:
    if "reference_images" not in body:
        return
    refs = body["reference_images"]
    if not isinstance(refs, list | tuple) or not refs:
        msg = f"reference_images must be a non-empty list of image URLs, not {_show(refs)}"
        raise InvalidFieldError(msg, param="reference_images")
    limit = model_matrix.LIST_LIMITS["reference_images"]
    if len(refs) > limit:
        msg = f"reference_images takes at most {limit} images, not {len(refs)}"
        raise InvalidFieldError(msg, param="reference_images")
    for ref in refs:
        check_image_ref("reference_images", ref)


def _check_url_list(name: str, value: object) -> None:
    if not isinstance(value, list | tuple) or not value:
        msg = f"{name} must be a non-empty list of http(s) URLs, not {_show(value)}"
        raise InvalidFieldError(msg, param=name)
    for item in value:
        check_http_url(name, item)


def _check_simple_types(body: Mapping[str, Any]) -> None:
    """Strings, booleans and integers (seed, extend_at) by their JSON type in the spec; enums by value."""
    for name, kind in model_matrix.FIELD_TYPES.items():
        if name not in body or name in SPECIAL_FIELDS:
            continue
        value = body[name]
        if kind == "string" and not isinstance(value, str):
            msg = f"{name} must be a string, not {_show(value)}"
            raise InvalidFieldError(msg, param=name)
        if kind == "boolean" and not isinstance(value, bool):
            msg = f"{name} must be true or false, not {_show(value)}"
            raise InvalidFieldError(msg, param=name)
        if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            msg = f"{name} must be an integer, not {_show(value)}"
            raise InvalidFieldError(msg, param=name)
    for name, allowed in model_matrix.ENUM_FIELDS.items():
        if name in body and name != "operation" and body[name] not in allowed:
            msg = f"{name} must be one of {', '.join(allowed)}, not {_show(body[name])}"
            raise InvalidFieldError(msg, param=name)


def _show(value: object) -> str:
    """The repr of a user's value, cut short: a data URL can be megabytes long."""
    text = repr(value)
    return text if len(text) <= LONGEST_SHOWN_VALUE else text[: LONGEST_SHOWN_VALUE - 3] + "..."
