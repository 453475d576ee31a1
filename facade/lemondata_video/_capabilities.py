"""The model matrix of the spec, and the request checks run before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from lemondata_api import model_matrix

from . import _inputs
from ._exceptions import CapabilityError, InvalidFieldError, UnknownModelError

# Request fields the spec documents, with their documented camelCase aliases.
KNOWN_FIELDS = frozenset(model_matrix.REQUEST_FIELDS) | frozenset(model_matrix.FIELD_ALIASES)
# Arguments of build_request (and create) themselves, never fields.
RESERVED_FIELDS = frozenset({"model", "prompt", "operation"})
# Similarity above which an unknown field name is taken for a typo of a known one.
FIELD_TYPO_CUTOFF = 0.8
MODEL_TYPO_CUTOFF = 0.6
# Every input an inference rule of the spec reads.
INFERENCE_INPUTS = frozenset(
    name for _, groups in model_matrix.INFERENCE for group in groups for name in group
)


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
    revisions: tuple[str, ...] = ()
    reference_limits: dict[str, int] | None = None
    kept: bool = False


MODELS: dict[str, ModelInfo] = {m["id"]: ModelInfo(**m) for m in model_matrix.MODELS}


def list_models(
    *,
    operation: str | None = None,
    provider: str | None = None,
    models: Mapping[str, ModelInfo] | None = None,
) -> list[ModelInfo]:
    """Models of the matrix (or of `models`), optionally only those doing `operation` or from `provider`."""
    if operation is not None:
        _check_operation(operation)
    return [
        m
        for m in (MODELS if models is None else models).values()
        if (operation is None or operation in m.operations)
        and (provider is None or provider.lower() in (m.provider.lower(), m.family.lower()))
    ]


def infer_operation(fields: Mapping[str, Any]) -> str:
    """The operation the service infers from the inputs when none is given (the spec's rules).

    The rules read only the inputs they name: a request giving none of them (any text-to-video
    request) means what an empty one means, found once rather than by walking every rule.
    """
    if fields.keys().isdisjoint(INFERENCE_INPUTS):
        return _inferred_from_nothing()
    return model_matrix.infer_operation(fields)


@cache
def _inferred_from_nothing() -> str:
    return model_matrix.infer_operation({})


def build_request(
    prompt: object,
    *,
    model: str,
    operation: str | None,
    fields: Mapping[str, Any],
    allow_unknown_model: bool = False,
    live: Mapping[str, ModelInfo] | None = None,
) -> dict[str, Any]:
    """Check a create request and return its JSON body; nothing is sent.

    The body holds `model`, `prompt` (left out when None), `operation` (inferred
    from the inputs when None, as the service would, by the spec's rules) and the
    given `fields`, with the documented camelCase aliases (`outputAudio`,
    `referenceImages`, `referenceImageType`) renamed to their snake_case fields
    and local image paths inlined as data URLs. Fields the spec does not know are
    passed through, unless their name looks like a typo of a documented one.
    With `allow_unknown_model`, a model missing from the matrix is sent without
    capability and duration checks; field values are still checked. `live`, the
    service's catalog (`_live_catalog`), decides in place of the spec's snapshot.

    Raises InvalidFieldError, UnknownModelError or CapabilityError (all
    RequestValidationError, a ValueError) naming the bad value and the fix.
    """
    if prompt is not None and (not isinstance(prompt, str) or not prompt.strip()):
        msg = f"prompt must be a non-empty string, not {prompt!r}"
        raise InvalidFieldError(msg, param="prompt")
    info = _check_model(model, allow_unknown_model=allow_unknown_model, live=live)
    body = _normalise_fields(fields)
    inferred = operation is None
    head: dict[str, Any] = {"model": model} if prompt is None else {"model": model, "prompt": prompt}
    op = infer_operation(body | head) if operation is None else _check_operation(operation)
    if info is not None:
        _check_capability(info, op, inferred=inferred, models=MODELS if live is None else live)
    _check_required_inputs(op, body | head, inferred=inferred)
    if info is not None:
        _check_duration(info, body.get("duration"))
        _check_reference_limits(info, body)
    return {**head, "operation": op, **body}


def _normalise_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    body = dict(fields)
    for name in RESERVED_FIELDS & body.keys():
        msg = f"{name} is an argument of its own, not a field; pass {name}=... to create()"
        raise InvalidFieldError(msg, param=name)
    for alias, name in model_matrix.FIELD_ALIASES.items():
        if alias not in body:
            continue
        if name in body:
            msg = f"pass either {name} or its alias {alias}, not both"
            raise InvalidFieldError(msg, param=name)
        body[name] = body.pop(alias)
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


def _check_model(
    model: object, *, allow_unknown_model: bool, live: Mapping[str, ModelInfo] | None
) -> ModelInfo | None:
    if not isinstance(model, str) or not model:
        msg = f"model must be a non-empty string, not {model!r}"
        raise InvalidFieldError(msg, param="model")
    models = MODELS if live is None else live
    info = models.get(model)
    if info is not None or allow_unknown_model:
        return info
    import difflib  # noqa: PLC0415  (a did-you-mean is rare; difflib costs 2 ms to import)

    close = difflib.get_close_matches(model, list(models), n=1, cutoff=MODEL_TYPO_CUTOFF)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    if live is None:
        fix = (
            "Pass allow_unknown_model=True to send a model that is not in the matrix; "
            "client.models() lists the known ones."
        )
    else:
        fix = (
            "The service's live catalog does not list it; client.models(live=True) lists what it "
            "offers. Pass allow_unknown_model=True to send it anyway."
        )
    msg = f"unknown model {model!r}{hint} {fix}"
    raise UnknownModelError(msg, model=model, did_you_mean=close[0] if close else None)


def _check_operation(operation: object) -> str:
    if operation in model_matrix.OPERATIONS:
        return str(operation)
    msg = f"operation must be one of {', '.join(model_matrix.OPERATIONS)}; not {operation!r}"
    raise InvalidFieldError(msg, param="operation")


def _check_required_inputs(operation: str, body: Mapping[str, Any], *, inferred: bool) -> None:
    missing = model_matrix.missing_inputs(operation, body)
    if missing is None:
        return
    names = " or ".join(missing)
    if inferred:
        msg = f"operation {operation} (inferred from the inputs) needs {names}; pass it"
    else:
        msg = (
            f"operation {operation} needs {names}; pass it, or leave operation out "
            "to have it inferred from the inputs"
        )
    raise InvalidFieldError(msg, param=missing[0])


def _check_capability(
    info: ModelInfo, operation: str, *, inferred: bool, models: Mapping[str, ModelInfo]
) -> None:
    if operation in info.operations:
        return
    how = " (inferred from the inputs)" if inferred else ""
    where = "the matrix" if models is MODELS else "the live catalog"
    able = ", ".join(m.id for m in models.values() if operation in m.operations)
    others = f"Models that do {operation}: {able}" if able else f"No model of {where} does {operation}"
    if models is not MODELS:
        others += " (the service's live catalog)" if able else ""
    msg = f"model {info.id!r} cannot do {operation}{how}; it does {', '.join(info.operations)}. {others}"
    raise CapabilityError(msg, param="operation")


def _check_reference_limits(info: ModelInfo, body: Mapping[str, Any]) -> None:
    for name, limit in (info.reference_limits or {}).items():
        value = body.get(name)
        if isinstance(value, list | tuple) and len(value) > limit:
            msg = f"model {info.id!r} takes at most {limit} {name}, not {len(value)}"
            raise InvalidFieldError(msg, param=name)


def _check_duration(info: ModelInfo, duration: object) -> None:
    if info.durations is None or duration is None or duration in info.durations:
        return
    allowed = " or ".join(str(d) for d in info.durations)
    msg = f"model {info.id!r} makes {allowed} s videos only; duration {duration!r} is not possible"
    raise InvalidFieldError(msg, param="duration")
