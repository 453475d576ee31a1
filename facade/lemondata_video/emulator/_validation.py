"""Create-request validation and operation inference, mirroring the service's 400 answers.

What is checked comes from the spec through `lemondata_api.model_matrix`: the fields and
their JSON types, formats, ranges, list limits and enums, the camelCase aliases, the
operation inference rules and the inputs each operation requires. Nothing here is a copy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

from lemondata_api import model_matrix as mm

from . import _errors as e
from ._catalog import SNAPSHOT, Catalog

URI_PATTERN: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
JSON_TYPES: Final[dict[str, str]] = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array of strings",
}


@dataclass(frozen=True)
class CreateRequest:
    """What the task store needs from a valid create request."""

    model: str
    operation: str
    duration: int | None
    resolution: str | None
    aspect_ratio: str | None


def canonical(body: dict[str, Any]) -> dict[str, Any]:
    """The body with the documented camelCase aliases under their snake_case names."""
    out = dict(body)
    for alias, name in mm.FIELD_ALIASES.items():
        if alias in out:
            if name in out:
                message = e.MSG_ALIAS_TWICE.format(param=name, alias=alias)
                raise e.invalid(message, param=name)
            out[name] = out.pop(alias)
    return out


def infer_operation(body: dict[str, Any]) -> str:
    """The operation the service assumes when the request names none (the spec's rules)."""
    return mm.infer_operation(canonical(body))


def validate_create(raw: object, catalog: Catalog = SNAPSHOT) -> CreateRequest:
    """Check a decoded create body field by field, then against the model matrix.

    Raises:
        ApiError: 400 with the offending ``param``, or ``model_not_found``.
    """
    if not isinstance(raw, dict):
        raise e.invalid(e.MSG_BODY_NOT_OBJECT, param=None)
    body = canonical(raw)
    _check_types(body)
    _check_values(body)
    clash = mm.clashing_fields(body)
    if clash is not None:
        raise e.invalid(e.MSG_EXCLUSIVE.format(fields="', '".join(clash)), param=clash[0])
    model_id = body.get("model", mm.DEFAULT_MODEL)
    entry = catalog.find(model_id)
    operation = body.get("operation") or mm.infer_operation(body)
    if operation not in entry["operations"]:
        others = ", ".join(catalog.doing(operation)) or "none"
        message = e.MSG_UNSUPPORTED_OPERATION.format(
            model=model_id, operation=operation, supported=", ".join(entry["operations"]), others=others
        )
        raise e.invalid(message, param="operation")
    missing = mm.missing_inputs(operation, body)
    if missing is not None:
        message = e.MSG_MISSING_INPUT.format(operation=operation, param="' or '".join(missing))
        raise e.invalid(message, param=missing[0])
    _check_model_limits(entry, body)
    duration = _check_duration(entry, body.get("duration"))
    return CreateRequest(
        model=model_id,
        operation=operation,
        duration=duration,
        resolution=body.get("resolution"),
        aspect_ratio=body.get("aspect_ratio"),
    )


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _has_type(value: object, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return _is_number(value) and float(value).is_integer()  # type: ignore[arg-type]
    if kind == "number":
        return _is_number(value)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check_types(body: dict[str, Any]) -> None:
    for name, kind in mm.FIELD_TYPES.items():
        if name in body and not _has_type(body[name], kind):
            message = e.MSG_WRONG_TYPE.format(
                param=name, expected=JSON_TYPES[kind], actual=_type_name(body[name])
            )
            raise e.invalid(message, param=name)


def _check_values(body: dict[str, Any]) -> None:
    for name in ("prompt", "model", "task_id"):
        if name in body and not body[name].strip():
            raise e.invalid(e.MSG_EMPTY_FIELD.format(param=name), param=name)
    for name, (low, high) in mm.FIELD_RANGES.items():
        value = body.get(name)
        if value is None:
            continue
        if high is None and low is not None and value < low:
            raise e.invalid(e.MSG_BELOW_MINIMUM.format(param=name, low=low, value=value), param=name)
        if low is not None and high is not None and not low <= value <= high:
            message = e.MSG_OUT_OF_RANGE.format(param=name, low=low, high=high, value=value)
            raise e.invalid(message, param=name)
    _check_enums_and_urls(body)
    for name, limit in mm.LIST_LIMITS.items():
        _check_count(name, body.get(name, []), limit)
    if any(not item for item in body.get("reference_images", [])):
        raise e.invalid(e.MSG_EMPTY_FIELD.format(param="reference_images"), param="reference_images")


def _check_enums_and_urls(body: dict[str, Any]) -> None:
    for name, allowed in mm.ENUM_FIELDS.items():
        if name in body and body[name] not in allowed:
            message = e.MSG_BAD_ENUM.format(param=name, allowed=", ".join(allowed), value=body[name])
            raise e.invalid(message, param=name)
    for name in mm.DATA_URL_ONLY_FIELDS:
        if name in body and not body[name].startswith("data:"):
            raise e.invalid(e.MSG_NOT_DATA_URL, param=name)
    for name in mm.URI_FIELDS:
        if name in body and not URI_PATTERN.match(body[name]):
            raise e.invalid(e.MSG_NOT_URI.format(param=name, value=body[name]), param=name)
    for name in mm.URI_LIST_FIELDS:
        for item in body.get(name, []):
            if not URI_PATTERN.match(item):
                raise e.invalid(e.MSG_NOT_URI.format(param=name, value=item), param=name)


def _check_count(name: str, items: list[Any], limit: int) -> None:
    if len(items) > limit:
        message = e.MSG_TOO_MANY_ITEMS.format(param=name, limit=limit, count=len(items))
        raise e.invalid(message, param=name)


def _check_model_limits(entry: mm.ModelEntry, body: dict[str, Any]) -> None:
    for name, limit in (entry["reference_limits"] or {}).items():
        _check_count(name, body.get(name, []), limit)


def _check_duration(entry: mm.ModelEntry, duration: Any) -> int | None:
    fixed = entry["durations"]
    if fixed and duration is not None and int(duration) not in fixed:
        allowed = "/".join(str(value) for value in fixed)
        message = e.MSG_UNSUPPORTED_DURATION.format(model=entry["id"], allowed=allowed, value=duration)
        raise e.invalid(message, param="duration")
    if duration is None and fixed:
        return fixed[0]
    return None if duration is None else int(duration)
