"""Create-request validation and operation inference, mirroring the service's 400 answers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

from lemondata_api.model_matrix import DEFAULT_MODEL, FIELD_RANGES, MAX_REFERENCE_IMAGES, OPERATIONS

from . import _errors as e
from ._catalog import find_model, models_doing

STRING_FIELDS: Final = (
    "model", "prompt", "operation", "image_url", "image", "aspect_ratio", "resolution",
    "negative_prompt", "start_image", "end_image", "reference_role", "video_url", "user",
)  # fmt: skip
INTEGER_FIELDS: Final = ("duration", "fps", "seed")
NUMBER_FIELDS: Final = ("cfg_scale", "motion_strength")
BOOLEAN_FIELDS: Final = ("output_audio", "outputAudio")
URI_FIELDS: Final = ("image_url", "start_image", "end_image", "video_url")
REFERENCE_ROLES: Final = ("asset", "style")
URI_PATTERN: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
REQUIRED_INPUTS: Final[dict[str, tuple[str, ...]]] = {
    "start-end-to-video": ("start_image", "end_image"),
    "reference-to-video": ("reference_images",),
    "video-to-video": ("video_url",),
    "video-extension": ("video_url",),
}


@dataclass(frozen=True)
class CreateRequest:
    """What the task store needs from a valid create request."""

    model: str
    operation: str
    duration: int | None
    resolution: str | None
    aspect_ratio: str | None


def infer_operation(body: dict[str, Any]) -> str:
    """The operation the service assumes when the request names none."""
    if "image" in body or "image_url" in body:
        return "image-to-video"
    if "start_image" in body and "end_image" in body:
        return "start-end-to-video"
    if body.get("reference_images"):
        return "reference-to-video"
    if "video_url" in body:
        return "video-to-video"
    return "text-to-video"


def validate_create(body: object) -> CreateRequest:
    """Check a decoded create body field by field, then against the model matrix.

    Raises:
        ApiError: 400 with the offending ``param``, or ``model_not_found``.
    """
    if not isinstance(body, dict):
        raise e.invalid(e.MSG_BODY_NOT_OBJECT, param=None, code="invalid_json")
    _check_types(body)
    _check_values(body)
    model_id = body.get("model", DEFAULT_MODEL)
    entry = find_model(model_id)
    operation = body.get("operation") or infer_operation(body)
    if operation not in entry["operations"]:
        others = ", ".join(models_doing(operation)) or "none"
        message = e.MSG_UNSUPPORTED_OPERATION.format(
            model=model_id, operation=operation, supported=", ".join(entry["operations"]), others=others
        )
        raise e.invalid(message, param="operation", code="unsupported_operation")
    _check_inputs(body, operation)
    duration = body.get("duration")
    fixed = entry["durations"]
    if fixed and duration is not None and int(duration) not in fixed:
        allowed = "/".join(str(value) for value in fixed)
        message = e.MSG_UNSUPPORTED_DURATION.format(model=model_id, allowed=allowed, value=duration)
        raise e.invalid(message, param="duration", code="unsupported_duration")
    if duration is None and fixed:
        duration = fixed[0]
    return CreateRequest(
        model=model_id,
        operation=operation,
        duration=None if duration is None else int(duration),
        resolution=body.get("resolution"),
        aspect_ratio=body.get("aspect_ratio"),
    )


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _wrong_type(param: str, expected: str, value: object) -> e.ApiError:
    message = e.MSG_WRONG_TYPE.format(param=param, expected=expected, actual=_type_name(value))
    return e.invalid(message, param=param, code="invalid_type")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_types(body: dict[str, Any]) -> None:
    for name in STRING_FIELDS:
        if name in body and not isinstance(body[name], str):
            raise _wrong_type(name, "a string", body[name])
    for name in INTEGER_FIELDS:
        value = body.get(name, 0)
        if not (_is_number(value) and float(value).is_integer()):
            raise _wrong_type(name, "an integer", value)
    for name in NUMBER_FIELDS:
        if name in body and not _is_number(body[name]):
            raise _wrong_type(name, "a number", body[name])
    for name in BOOLEAN_FIELDS:
        if name in body and not isinstance(body[name], bool):
            raise _wrong_type(name, "a boolean", body[name])
    references = body.get("reference_images", [])
    if not isinstance(references, list) or not all(isinstance(item, str) for item in references):
        raise _wrong_type("reference_images", "an array of strings", references)


def _check_values(body: dict[str, Any]) -> None:
    if "prompt" not in body:
        raise e.invalid(
            e.MSG_MISSING_FIELD.format(param="prompt"), param="prompt", code="missing_required_parameter"
        )
    for name in ("prompt", "model"):
        if name in body and not body[name].strip():
            raise e.invalid(e.MSG_EMPTY_FIELD.format(param=name), param=name)
    for name, (low, high) in FIELD_RANGES.items():
        value = body.get(name)
        if value is None:
            continue
        if high is None and low is not None and value < low:
            raise e.invalid(e.MSG_BELOW_MINIMUM.format(param=name, low=low, value=value), param=name)
        if low is not None and high is not None and not low <= value <= high:
            message = e.MSG_OUT_OF_RANGE.format(param=name, low=low, high=high, value=value)
            raise e.invalid(message, param=name)
    _check_enum(body, "operation", OPERATIONS)
    _check_enum(body, "reference_role", REFERENCE_ROLES)
    if "image" in body and not body["image"].startswith("data:"):
        raise e.invalid(e.MSG_NOT_DATA_URL, param="image")
    for name in URI_FIELDS:
        if name in body and not URI_PATTERN.match(body[name]):
            raise e.invalid(e.MSG_NOT_URI.format(param=name, value=body[name]), param=name)
    references = body.get("reference_images", [])
    if len(references) > MAX_REFERENCE_IMAGES:
        message = e.MSG_TOO_MANY_REFERENCES.format(limit=MAX_REFERENCE_IMAGES, count=len(references))
        raise e.invalid(message, param="reference_images")
    if any(not item for item in references):
        raise e.invalid(e.MSG_EMPTY_FIELD.format(param="reference_images"), param="reference_images")


def _check_enum(body: dict[str, Any], name: str, allowed: tuple[str, ...]) -> None:
    if name in body and body[name] not in allowed:
        message = e.MSG_BAD_ENUM.format(param=name, allowed=", ".join(allowed), value=body[name])
        raise e.invalid(message, param=name)


def _check_inputs(body: dict[str, Any], operation: str) -> None:
    if operation == "image-to-video" and "image" not in body and "image_url" not in body:
        message = e.MSG_MISSING_INPUT.format(operation=operation, param="image_url")
        raise e.invalid(message, param="image_url", code="missing_required_parameter")
    for param in REQUIRED_INPUTS.get(operation, ()):
        if not body.get(param):
            message = e.MSG_MISSING_INPUT.format(operation=operation, param=param)
            raise e.invalid(message, param=param, code="missing_required_parameter")
