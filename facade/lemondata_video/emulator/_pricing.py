"""The pricing routes in the spec's shapes, with emulated prices: every video model costs the same.

The prices are made up (``EMULATED_PER_REQUEST_USD``); nothing is billed. The filters
(``model``, ``provider``, ``tag``) work as on the service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from lemondata_api.model_matrix import ModelEntry

from ._catalog import UPDATED_AT, matches, owner

EMULATED_PER_REQUEST_USD: Final = 0.2
CURRENCY: Final = "USD"


def _prices() -> dict[str, Any]:
    return {
        "input_per_1m": None,
        "output_per_1m": None,
        "per_request": EMULATED_PER_REQUEST_USD,
        "is_lock_price": False,
        "currency": CURRENCY,
    }


def model_pricing(entry: ModelEntry) -> dict[str, Any]:
    """``GET /v1/models/{model}/pricing``."""
    return {"model": entry["id"], "provider": owner(entry), "pricing": _prices()}


def pricing_list(params: Mapping[str, str], models: Iterable[ModelEntry]) -> dict[str, Any]:
    """``GET /v1/pricing``, filtered by ``model``, ``provider`` and ``tag``."""
    model = params.get("model")
    entries = [
        entry for entry in models if (model is None or entry["id"] == model) and matches(entry, params)
    ]
    return {
        "object": "pricing",
        "updated_at": UPDATED_AT,
        "currency": CURRENCY,
        "data": [model_pricing(entry) for entry in entries],
    }
