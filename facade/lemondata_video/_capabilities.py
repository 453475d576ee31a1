"""The model matrix of the spec, and the request checks run before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lemondata_api import model_matrix

from . import _inputs
from ._exceptions import CapabilityError, InvalidFieldError, UnknownModelError

# Request fields the spec knows, from the generated request model.
KNOWN_FIELDS = frozenset(model_matrix.REQUEST_FIELDS)
# Arguments of build_request (and create) themselves, never fields.
RESERVED_FIELDS = frozenset({"model", "prompt", "operation"})
# Similarity above which an unknown field name is taken for a typo of a known one.
FIELD_TYPO_CUTOFF = 0.8
MODEL_TYPO_CUTOFF = 0.6
# What each explicit operation needs among the inputs.
REQUIRED_INPUTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "image-to-video": (("image", "image_url"),),
    "start-end-to-video": (("start_image",), ("end_image",)),
    "reference-to-video": (("reference_images",),),
    "video-to-video": (("video_url",),),
    "video-extension": (("video_url",),),
}


@dataclass(frozen=True, slots=True)
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
    """Check a create request and return its JSON body; nothing is sent.

    The body holds `model`, `prompt`, `operation` (inferred from the inputs when
    None, as the service would) and the given `fields`, with `outputAudio` renamed
    `output_audio` and local image paths inlined as data URLs. Fields the spec does
    not know are passed through, unless their name looks like a typo of a known one.
    With `allow_unknown_model`, a model missing from the matrix is sent without
    capability and duration checks; field values are still checked.

    Raises InvalidFieldError, UnknownModelError or CapabilityError (all
    RequestValidationError, a ValueError) naming the bad value and the fix.
    """
    if not isinstance(prompt, str) or not prompt.strip():
        msg = f"prompt must be a non-empty string, not {prompt!r}"
        raise InvalidFieldError(msg, param="prompt")
    info = _check_model(model, allow_unknown_model=allow_unknown_model)
    body = _normalise_fields(fields)
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
    for name in RESERVED_FIELDS & body.keys():
        msg = f"{name} is an argument of its own, not a field; pass {name}=... to create()"
        raise InvalidFieldError(msg, param=name)
    if "outputAudio" in body:
        if "output_audio" in body:
            msg = "pass either output_audio or its alias outputAudio, not both"
            raise InvalidFieldError(msg, param="output_audio")
        body["output_audio"] = body.pop("outputAudio")
    for name in body:
        _check_field_name(name)
    _inputs.inline_files(body)
    _inputs.check_fields(body)
    return body


def _check_field_name(name: str) -> None:
    """Unknown fields are sent as given (the service adds fields), unless they look like a typo."""
    if name in KNOWN_FIELDS:
        return
    import difflib  # noqa: PLC0415  (a did-you-mean is rare; difflib costs 2 ms to import)

    close = difflib.get_close_matches(name, sorted(KNOWN_FIELDS), n=1, cutoff=FIELD_TYPO_CUTOFF)
    if close:
        msg = f"unknown field {name!r}; did you mean {close[0]!r}?"
        raise InvalidFieldError(msg, param=name)


def _check_model(model: object, *, allow_unknown_model: bool) -> ModelInfo | None:
    if not isinstance(model, str) or not model:
        msg = f"model must be a non-empty string, not {model!r}"
        raise InvalidFieldError(msg, param="model")
    info = MODELS.get(model)
    if info is not None or allow_unknown_model:
        return info
    import difflib  # noqa: PLC0415  (a did-you-mean is rare; difflib costs 2 ms to import)

    close = difflib.get_close_matches(model, list(MODELS), n=1, cutoff=MODEL_TYPO_CUTOFF)
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
            msg = (
                f"operation {operation} needs {names}; pass it, or leave operation out "
                "to have it inferred from the inputs"
            )
            raise InvalidFieldError(msg, param=alternatives[0])


def _check_capability(info: ModelInfo, operation: str, *, inferred: bool) -> None:
    if operation in info.operations:
        return
    how = " (inferred from the inputs)" if inferred else ""
    able = ", ".join(m.id for m in MODELS.values() if operation in m.operations)
    others = f"Models that do {operation}: {able}" if able else f"No model of the matrix does {operation}"
    msg = f"model {info.id!r} cannot do {operation}{how}; it does {', '.join(info.operations)}. {others}"
    raise CapabilityError(msg, param="operation")


def _check_duration(info: ModelInfo, duration: object) -> None:
    if info.durations is None or duration is None or duration in info.durations:
        return
    allowed = " or ".join(str(d) for d in info.durations)
    msg = f"model {info.id!r} makes {allowed} s videos only; duration {duration!r} is not possible"
    raise InvalidFieldError(msg, param="duration")
