"""The model matrix of the spec, and the request checks run before anything is sent."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from lemondata_api import model_matrix
from lemondata_api.models import ReferenceRole, VideoGenerationRequest

from . import _inputs
from ._exceptions import CapabilityError, InvalidFieldError, UnknownModelError

# Request fields the spec knows, from the generated request model.
KNOWN_FIELDS = frozenset(f.name for f in attrs.fields(VideoGenerationRequest)) - {"additional_properties"}
URL_FIELDS = ("image_url", "start_image", "end_image", "video_url")
INTEGER_FIELDS = ("duration", "fps")
STRING_FIELDS = ("aspect_ratio", "resolution", "negative_prompt", "user")
# What each explicit operation needs among the inputs.
REQUIRED_INPUTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "image-to-video": (("image", "image_url"),),
    "start-end-to-video": (("start_image",), ("end_image",)),
    "reference-to-video": (("reference_images",),),
    "video-to-video": (("video_url",),),
    "video-extension": (("video_url",),),
}


@attrs.frozen
class ModelInfo:
    """One model of the capability matrix."""

    id: str
    provider: str
    family: str
    operations: tuple[str, ...]
    capabilities: tuple[str, ...]
    durations: tuple[int, ...] | None
    notes: str
    default: bool
    audio_default: bool
    cancellable: bool


MODELS: dict[str, ModelInfo] = {m["id"]: ModelInfo(**m) for m in model_matrix.MODELS}


def get_model(model_id: str) -> ModelInfo | None:
    """The matrix entry of `model_id`, or None when the matrix does not list it."""
    return MODELS.get(model_id)


def list_models(*, operation: str | None = None, provider: str | None = None) -> list[ModelInfo]:
    """Models of the matrix, optionally only those doing `operation` or from `provider`."""
    if operation is not None:
        _check_operation(operation)
    return [
        m
        for m in MODELS.values()
        if (operation is None or operation in m.operations)
        and (provider is None or provider.lower() in (m.provider.lower(), m.family.lower()))
    ]


def infer_operation(fields: Mapping[str, Any]) -> str:
    """The operation the service infers from the inputs when none is given."""
    if fields.get("start_image") and fields.get("end_image"):
        return "start-end-to-video"
    if fields.get("reference_images"):
        return "reference-to-video"
    if fields.get("video_url"):
        return "video-to-video"
    if fields.get("image") or fields.get("image_url") or fields.get("start_image"):
        return "image-to-video"
    return "text-to-video"


def build_request(
    prompt: object,
    *,
    model: str,
    operation: str | None,
    fields: Mapping[str, Any],
    allow_unknown_model: bool = False,
) -> dict[str, Any]:
    """Check a create request and return its JSON body; raise RequestValidationError if invalid."""
    if not isinstance(prompt, str) or not prompt.strip():
        msg = f"prompt must be a non-empty string, not {prompt!r}"
        raise InvalidFieldError(msg, param="prompt")
    body = _normalise_fields(fields)
    info = _check_model(model, allow_unknown_model=allow_unknown_model)
    inferred = operation is None
    op = infer_operation(body) if operation is None else _check_operation(operation)
    if not inferred:
        _check_required_inputs(op, body)
    if info is not None:
        _check_capability(info, op, inferred=inferred)
        _check_duration(info, body.get("duration"))
    return {"model": model, "prompt": prompt, "operation": op, **body}


def _normalise_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    body = dict(fields)
    if "outputAudio" in body:
        body.setdefault("output_audio", body.pop("outputAudio"))
    for name in body:
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, sorted(KNOWN_FIELDS), n=1, cutoff=0.8)
            if close:
                msg = f"unknown field {name!r}; did you mean {close[0]!r}?"
                raise InvalidFieldError(msg, param=name)
    _inline_files(body)
    _check_values(body)
    return body


def _inline_files(body: dict[str, Any]) -> None:
    """Turn local image paths into data URLs (a path given as image_url becomes `image`)."""
    if isinstance(body.get("image_url"), Path):
        if "image" in body:
            msg = "pass either image or image_url, not both"
            raise InvalidFieldError(msg, param="image")
        body["image"] = body.pop("image_url")
    for name in ("image", "start_image", "end_image"):
        if isinstance(body.get(name), Path):
            body[name] = _inputs.image_file_to_data_url(name, body[name])
    refs = body.get("reference_images")
    if isinstance(refs, list | tuple):
        body["reference_images"] = [
            _inputs.image_file_to_data_url("reference_images", r) if isinstance(r, Path) else r for r in refs
        ]


def _check_values(body: Mapping[str, Any]) -> None:
    for name, (low, high) in model_matrix.FIELD_RANGES.items():
        if name in body:
            _inputs.check_number(name, body[name], low, high, integer=name in INTEGER_FIELDS)
    if "image" in body and "image_url" in body:
        msg = "pass either image or image_url, not both"
        raise InvalidFieldError(msg, param="image")
    if "image" in body:
        _inputs.check_data_url("image", body["image"])
    for name in URL_FIELDS:
        if name in body:
            if name in ("start_image", "end_image") and str(body[name]).startswith("data:"):
                _inputs.check_data_url(name, body[name])
            else:
                _inputs.check_http_url(name, body[name])
    _check_reference_images(body)
    _check_simple_types(body)


def _check_reference_images(body: Mapping[str, Any]) -> None:
    if "reference_images" not in body:
        return
    refs = body["reference_images"]
    if not isinstance(refs, list | tuple) or not refs:
        msg = f"reference_images must be a non-empty list of image URLs, not {refs!r}"
        raise InvalidFieldError(msg, param="reference_images")
    limit = model_matrix.MAX_REFERENCE_IMAGES
    if len(refs) > limit:
        msg = f"reference_images takes at most {limit} images, not {len(refs)}"
        raise InvalidFieldError(msg, param="reference_images")
    for ref in refs:
        _inputs.check_image_ref("reference_images", ref)


def _check_simple_types(body: Mapping[str, Any]) -> None:
    for name in STRING_FIELDS:
        if name in body and not isinstance(body[name], str):
            msg = f"{name} must be a string, not {body[name]!r}"
            raise InvalidFieldError(msg, param=name)
    if "seed" in body and (isinstance(body["seed"], bool) or not isinstance(body["seed"], int)):
        msg = f"seed must be an integer, not {body['seed']!r}"
        raise InvalidFieldError(msg, param="seed")
    if "output_audio" in body and not isinstance(body["output_audio"], bool):
        msg = f"output_audio must be true or false, not {body['output_audio']!r}"
        raise InvalidFieldError(msg, param="output_audio")
    roles = [r.value for r in ReferenceRole]
    if "reference_role" in body and body["reference_role"] not in roles:
        msg = f"reference_role must be one of {', '.join(roles)}, not {body['reference_role']!r}"
        raise InvalidFieldError(msg, param="reference_role")


def _check_model(model: object, *, allow_unknown_model: bool) -> ModelInfo | None:
    if not isinstance(model, str) or not model:
        msg = f"model must be a non-empty string, not {model!r}"
        raise InvalidFieldError(msg, param="model")
    info = MODELS.get(model)
    if info is not None or allow_unknown_model:
        return info
    close = difflib.get_close_matches(model, list(MODELS), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    msg = (
        f"unknown model {model!r}{hint} Pass allow_unknown_model=True to send a model "
        "that is not in the matrix; client.models() lists the known ones."
    )
    raise UnknownModelError(msg, model=model, did_you_mean=close[0] if close else None)


def _check_operation(operation: object) -> str:
    if operation in model_matrix.OPERATIONS:
        return str(operation)
    msg = f"operation must be one of {', '.join(model_matrix.OPERATIONS)}; not {operation!r}"
    raise InvalidFieldError(msg, param="operation")


def _check_required_inputs(operation: str, body: Mapping[str, Any]) -> None:
    for alternatives in REQUIRED_INPUTS.get(operation, ()):
        if not any(body.get(name) for name in alternatives):
            names = " or ".join(alternatives)
            msg = f"operation {operation} needs {names}"
            raise InvalidFieldError(msg, param=alternatives[0])


def _check_capability(info: ModelInfo, operation: str, *, inferred: bool) -> None:
    if operation in info.operations:
        return
    how = " (inferred from the inputs)" if inferred else ""
    able = ", ".join(m.id for m in MODELS.values() if operation in m.operations) or "none"
    msg = (
        f"model {info.id!r} cannot do {operation}{how}; it does {', '.join(info.operations)}. "
        f"Models that do {operation}: {able}"
    )
    raise CapabilityError(msg, param="operation")


def _check_duration(info: ModelInfo, duration: object) -> None:
    if info.durations is None or duration is None or duration in info.durations:
        return
    allowed = " or ".join(str(d) for d in info.durations)
    msg = f"model {info.id!r} makes {allowed} s videos only; duration {duration!r} is not possible"
    raise InvalidFieldError(msg, param="duration")
