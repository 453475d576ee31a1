"""The model catalogue, the spec's matrix or a given /v1/models answer: lookup, suggestions, payloads.

`Catalog.from_answer` takes a ``GET /v1/models`` answer (as a test or ``--catalog FILE`` gives
it), so the emulator can play "the service added a model yesterday" or "removed one": its
models and their ``supported_operations`` replace the matrix, with the matrix's facts
(durations, cancellable, limits) kept for the ids it shares.

Every key outside ``x-emulator`` is one the service documents. ``x-emulator`` holds what only the
emulator knows from the matrix (family, fixed durations, notes, revisions, reference limits,
cancellable, tags, the inputs each operation needs), for tests and tools that want them.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from lemondata_api.model_matrix import MODELS, OPERATION_LABELS, REQUIRED_INPUTS, ModelEntry

from . import _errors as e

MODEL_CREATED: Final = 1_706_000_000
UPDATED_AT: Final = "2024-01-23T08:53:20.000Z"  # MODEL_CREATED as an ISO time
VIDEO_CATEGORY: Final = "video"
REQUEST_ENDPOINT: Final = "/v1/videos/generations"
PRICING_UNIT: Final = "per_request"
EXTENSION_KEY: Final = "x-emulator"
NO_SAMPLES: Final = "insufficient_samples"
MAX_SUGGESTIONS: Final = 3

CatalogSource = Mapping[str, Any] | str | os.PathLike[str]


@dataclass(frozen=True)
class Catalog:
    """The models the emulator serves and validates creates against."""

    entries: tuple[ModelEntry, ...]
    by_id: dict[str, ModelEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {entry["id"]: entry for entry in self.entries})

    @classmethod
    def from_answer(cls, source: CatalogSource) -> Catalog:
        """The video models of a ``/v1/models`` answer (a dict, or a path to its JSON file)."""
        answer = source if isinstance(source, Mapping) else json.loads(Path(source).read_text("utf-8"))
        items = answer.get("data") if isinstance(answer, Mapping) else None
        if not isinstance(items, Sequence):
            msg = f"a catalog is a GET /v1/models answer with a 'data' list, not {str(answer)[:60]!r}"
            raise ValueError(msg)
        found = (_entry_of(item) for item in items if isinstance(item, Mapping))
        return cls(tuple(entry for entry in found if entry is not None))

    def find(self, model_id: str, *, status: int = 400) -> ModelEntry:
        """The entry of ``model_id``.

        Raises:
            ApiError: ``model_not_found``; on a create (400) with ``param``, ``did_you_mean``,
                ``suggestions`` and ``hint``, on a lookup (404) with the message, type and code only.
        """
        entry = self.by_id.get(model_id)
        if entry is not None:
            return entry
        return _not_found(model_id, list(self.by_id), status)

    def doing(self, operation: str) -> list[str]:
        """Ids of the models that accept ``operation``, in catalog order."""
        return [entry["id"] for entry in self.entries if operation in entry["operations"]]

    def ranked(self) -> list[ModelEntry]:
        """``recommended_for=video`` order: no success-rate history here, so the default model first."""
        return sorted(self.entries, key=lambda entry: not entry["default"])

    def listing(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The ``GET /v1/models`` list, filtered by ``category``, ``provider`` and ``tag``.

        ``recommended_for=video`` puts the default model first and keeps catalog order after it:
        the emulator has no success-rate history to sort by.
        """
        entries = self.ranked() if params.get("recommended_for") == VIDEO_CATEGORY else self.entries
        data = [model_payload(entry) for entry in entries if matches(entry, params)]
        return {"object": "list", "data": data}

    def detail(self, entry: ModelEntry) -> dict[str, Any]:
        """``GET /v1/models/{model}``: the list item plus ``public_contract`` and scene preferences."""
        return model_detail(entry, rank=self.ranked().index(entry) + 1)


def _entry_of(item: Mapping[str, Any]) -> ModelEntry | None:
    """A catalog item as a matrix entry; the matrix's facts are kept for an id it lists."""
    ident, raw = item.get("id"), item.get("lemondata")
    details: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    if not isinstance(ident, str) or details.get("category") not in (None, VIDEO_CATEGORY):
        return None
    summary = details.get("public_contract_summary") or {}
    listed = details.get("supported_operations") or summary.get("public_operations") or ()
    operations = tuple(op for op in listed if op in OPERATION_LABELS)
    labels = tuple(OPERATION_LABELS[op] for op in operations)
    known = SNAPSHOT.by_id.get(ident)
    if known is not None:
        return {**known, "operations": operations, "capabilities": labels}
    owned_by = item.get("owned_by")
    return ModelEntry(
        id=ident, provider=owned_by if isinstance(owned_by, str) else "", family="", operations=operations,
        capabilities=labels, durations=None, notes="", default=False, audio_default=False,
        cancellable=False, revisions=("live",), reference_limits=None, kept=False,
    )  # fmt: skip


def _not_found(model_id: str, ids: list[str], status: int) -> ModelEntry:
    message = e.MSG_MODEL_NOT_FOUND.format(model=model_id)
    if status == 404:
        raise e.ApiError(404, message, code=e.CODE_MODEL_NOT_FOUND)
    close = difflib.get_close_matches(model_id, ids, n=MAX_SUGGESTIONS, cutoff=0.4)
    raise e.ApiError(
        400,
        message,
        code=e.CODE_MODEL_NOT_FOUND,
        param="model",
        did_you_mean=close[0] if close else None,
        suggestions=[{"id": name} for name in close] or None,
        hint=e.HINT_DID_YOU_MEAN.format(model=close[0]) if close else e.HINT_MODEL_NOT_FOUND,
    )


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


def model_detail(entry: ModelEntry, *, rank: int) -> dict[str, Any]:
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
            "preferred_rank": rank,
            "sample_count_24h": 0,
            "status": NO_SAMPLES,
            "updated_at": UPDATED_AT,
        },
    }
    return body


SNAPSHOT: Final = Catalog(MODELS)
