"""The model catalogue, read from the spec's matrix: lookup, suggestions and the /v1/models payloads.

Every key outside ``x-emulator`` is one the service documents. ``x-emulator`` holds what only the
emulator knows from the matrix (family, fixed durations, notes, revisions, reference limits,
cancellable, tags, the inputs each operation needs), for tests and tools that want them.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, Final

from lemondata_api.model_matrix import MODELS, REQUIRED_INPUTS, ModelEntry

from . import _errors as e

MODEL_CREATED: Final = 1_706_000_000
UPDATED_AT: Final = "2024-01-23T08:53:20.000Z"  # MODEL_CREATED as an ISO time
VIDEO_CATEGORY: Final = "video"
REQUEST_ENDPOINT: Final = "/v1/videos/generations"
PRICING_UNIT: Final = "per_request"
EXTENSION_KEY: Final = "x-emulator"
NO_SAMPLES: Final = "insufficient_samples"
MAX_SUGGESTIONS: Final = 3

BY_ID: Final[dict[str, ModelEntry]] = {entry["id"]: entry for entry in MODELS}


def find_model(model_id: str, *, status: int = 400) -> ModelEntry:
    """The matrix entry of ``model_id``.

    Raises:
        ApiError: ``model_not_found``; on a create (400) with ``param``, ``did_you_mean``,
            ``suggestions`` and ``hint``, on a lookup (404) with the message, type and code only.
    """
    entry = BY_ID.get(model_id)
    if entry is not None:
        return entry
    message = e.MSG_MODEL_NOT_FOUND.format(model=model_id)
    if status == 404:
        raise e.ApiError(404, message, code=e.CODE_MODEL_NOT_FOUND)
    close = difflib.get_close_matches(model_id, list(BY_ID), n=MAX_SUGGESTIONS, cutoff=0.4)
    raise e.ApiError(
        400,
        message,
        code=e.CODE_MODEL_NOT_FOUND,
        param="model",
        did_you_mean=close[0] if close else None,
        suggestions=[{"id": name} for name in close] or None,
        hint=e.HINT_DID_YOU_MEAN.format(model=close[0]) if close else e.HINT_MODEL_NOT_FOUND,
    )


def models_doing(operation: str) -> list[str]:
    """Ids of the models that accept ``operation``, in matrix order."""
    return [entry["id"] for entry in MODELS if operation in entry["operations"]]


def owner(entry: ModelEntry) -> str:
    """``owned_by``: the provider in lower case, as the service writes it (``openai``)."""
    return entry["provider"].lower()


def tags(entry: ModelEntry) -> list[str]:
    """The emulator's tags of a model, which ``tag=`` filters on: its category and its family."""
    return [VIDEO_CATEGORY, entry["family"].lower()]


def matches(entry: ModelEntry, params: Mapping[str, str]) -> bool:
    """Whether a model passes the ``category``, ``provider`` and ``tag`` query filters."""
    category, provider, tag = params.get("category"), params.get("provider"), params.get("tag")
    return (
        category in (None, VIDEO_CATEGORY)
        and (provider is None or provider.lower() == owner(entry))
        and (tag is None or tag.lower() in tags(entry))
    )


def _extension(entry: ModelEntry) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "provider": entry["provider"],
        "family": entry["family"],
        "durations": list(entry["durations"]) if entry["durations"] else None,
        "notes": entry["notes"] or None,
        "revisions": list(entry["revisions"]),
        "reference_limits": entry["reference_limits"],
        "cancellable": entry["cancellable"],
        "audio_default": entry["audio_default"],
        "default": entry["default"],
        "tags": tags(entry),
        "required_inputs": {
            op: [list(group) for group in REQUIRED_INPUTS.get(op, ())] for op in entry["operations"]
        },
    }
    return {key: value for key, value in facts.items() if value is not None}


def model_payload(entry: ModelEntry) -> dict[str, Any]:
    """One model as an item of ``GET /v1/models`` describes it."""
    operations = list(entry["operations"])
    return {
        "id": entry["id"],
        "object": "model",
        "created": MODEL_CREATED,
        "owned_by": owner(entry),
        "lemondata": {
            "category": VIDEO_CATEGORY,
            "pricing_unit": PRICING_UNIT,
            "capability_flags": {op.replace("-", "_"): True for op in operations},
            "supported_operations": operations,
            "public_contract_summary": {
                "public_operations": operations,
                "request_endpoint": REQUEST_ENDPOINT,
            },
            "agent_preferences": {"recommended_for": [VIDEO_CATEGORY] if entry["default"] else []},
        },
        EXTENSION_KEY: _extension(entry),
    }


def _ranked() -> list[ModelEntry]:
    """``recommended_for=video`` order: no success-rate history here, so the default model first."""
    return sorted(MODELS, key=lambda entry: not entry["default"])


def model_detail(entry: ModelEntry) -> dict[str, Any]:
    """``GET /v1/models/{model}``: the list item plus ``public_contract`` and scene preferences."""
    body = model_payload(entry)
    details = body["lemondata"]
    details["public_contract"] = {
        "operations": {
            op: {"required": [group[0] for group in REQUIRED_INPUTS.get(op, ())]}
            for op in entry["operations"]
        }
    }
    details["agent_preferences"] = {
        **details["agent_preferences"],
        VIDEO_CATEGORY: {
            "preferred_rank": _ranked().index(entry) + 1,
            "sample_count_24h": 0,
            "status": NO_SAMPLES,
            "updated_at": UPDATED_AT,
        },
    }
    return body


def list_payload(params: Mapping[str, str]) -> dict[str, Any]:
    """The ``GET /v1/models`` list, filtered by ``category``, ``provider`` and ``tag``.

    ``recommended_for=video`` puts the default model first and keeps matrix order after it: the
    emulator has no success-rate history to sort by.
    """
    entries = _ranked() if params.get("recommended_for") == VIDEO_CATEGORY else list(MODELS)
    data = [model_payload(entry) for entry in entries if matches(entry, params)]
    return {"object": "list", "data": data}
