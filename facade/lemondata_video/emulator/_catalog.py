"""The model catalogue, read from the spec's matrix: lookup, suggestions and the /v1/models payloads."""

from __future__ import annotations

import difflib
from typing import Any, Final

from lemondata_api.model_matrix import MODELS, OPERATIONS, ModelEntry

from ._errors import MSG_MODEL_NOT_FOUND, ApiError

MODEL_CREATED: Final = 1_706_000_000
VIDEO_CATEGORY: Final = "video"
MAX_SUGGESTIONS: Final = 3

BY_ID: Final[dict[str, ModelEntry]] = {entry["id"]: entry for entry in MODELS}


def find_model(model_id: str, *, status: int = 400) -> ModelEntry:
    """The matrix entry of ``model_id``.

    Raises:
        ApiError: ``model_not_found`` with ``did_you_mean`` and ``suggestions`` when unknown.
    """
    entry = BY_ID.get(model_id)
    if entry is not None:
        return entry
    close = difflib.get_close_matches(model_id, list(BY_ID), n=MAX_SUGGESTIONS, cutoff=0.4)
    raise ApiError(
        status,
        MSG_MODEL_NOT_FOUND.format(model=model_id),
        code="model_not_found",
        param="model",
        did_you_mean=close[0] if close else None,
        suggestions=[{"id": name} for name in close],
    )


def models_doing(operation: str) -> list[str]:
    """Ids of the models that accept ``operation``, in matrix order."""
    return [entry["id"] for entry in MODELS if operation in entry["operations"]]


def model_payload(entry: ModelEntry) -> dict[str, Any]:
    """One model as ``GET /v1/models/{model}`` describes it."""
    flags: dict[str, Any] = {op.replace("-", "_"): op in entry["operations"] for op in OPERATIONS}
    flags["cancel"] = entry["cancellable"]
    flags["audio_default"] = entry["audio_default"]
    return {
        "id": entry["id"],
        "object": "model",
        "created": MODEL_CREATED,
        "owned_by": entry["provider"].lower(),
        "lemondata": {
            "category": VIDEO_CATEGORY,
            "supported_operations": list(entry["operations"]),
            "capability_flags": flags,
            "provider": entry["provider"],
            "family": entry["family"],
            "capabilities": list(entry["capabilities"]),
            "durations": list(entry["durations"]) if entry["durations"] else None,
            "notes": entry["notes"],
        },
    }


def list_payload(category: str | None, recommended_for: str | None) -> dict[str, Any]:
    """The ``GET /v1/models`` list; every model here is a video model.

    ``recommended_for=video`` puts the default model first and keeps matrix order after it: the
    emulator has no success-rate history to sort by.
    """
    entries = list(MODELS) if category in (None, VIDEO_CATEGORY) else []
    if recommended_for == VIDEO_CATEGORY:
        entries.sort(key=lambda entry: not entry["default"])
    return {"object": "list", "data": [model_payload(entry) for entry in entries]}
