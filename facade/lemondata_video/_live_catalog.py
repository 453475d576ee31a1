"""The service's live model catalog, consulted when the spec's snapshot would refuse a create.

The snapshot (`x-lemondata-models`, generated into `lemondata_api.model_matrix`) decides
without a request whenever it accepts. When it would refuse (an unknown model, or an
operation it says the model lacks) the client asks `GET /v1/models?category=video` once,
keeps the answer for `catalog_ttl` seconds and lets it decide: the service, not a list
frozen at release time, is the authority on which models exist. Both clients use this
module; only the fetch itself is theirs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ._capabilities import MODELS, ModelInfo
from ._config import logger
from ._exceptions import CapabilityError, LemonDataError, RequestValidationError, UnknownModelError

CATALOG_CATEGORY = "video"


@dataclass(slots=True)
class CatalogCache:
    """The last catalog answer (or failure) and when it came; `ttl` 0 turns live checks off."""

    ttl: float
    failure_ttl: float
    clock: Callable[[], float] = time.monotonic
    models: dict[str, ModelInfo] | None = None
    error: LemonDataError | None = None
    _at: float = field(default=-math.inf)

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def current(self) -> dict[str, ModelInfo] | None:
        """The cached catalog while it is fresh."""
        if self.models is not None and self.clock() - self._at < self.ttl:
            return self.models
        return None

    def recent_error(self) -> LemonDataError | None:
        """The last fetch's error while it is recent: refusals say so without asking again."""
        if self.error is not None and self.clock() - self._at < self.failure_ttl:
            return self.error
        return None

    def store(self, payload: Mapping[str, Any]) -> dict[str, ModelInfo]:
        self.models, self.error, self._at = models_from_payload(payload), None, self.clock()
        return self.models

    def fail(self, error: LemonDataError) -> LemonDataError:
        self.models, self.error, self._at = None, error, self.clock()
        return error


def models_from_payload(payload: Mapping[str, Any]) -> dict[str, ModelInfo]:
    """The video models of a `/v1/models` answer, with the snapshot's notes merged in by id."""
    found: dict[str, ModelInfo] = {}
    for item in payload.get("data") or ():
        info = _model_info(item) if isinstance(item, Mapping) else None
        if info is not None:
            found[info.id] = info
    return found


def _model_info(item: Mapping[str, Any]) -> ModelInfo | None:
    ident = item.get("id")
    raw = item.get("lemondata")
    details: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    category = details.get("category")
    if not isinstance(ident, str) or not ident or category not in (None, CATALOG_CATEGORY):
        return None
    summary = details.get("public_contract_summary") or {}
    operations = details.get("supported_operations") or summary.get("public_operations") or ()
    ops = tuple(op for op in operations if isinstance(op, str))
    known = MODELS.get(ident)
    if known is not None:
        return replace(known, operations=ops)
    owned_by = item.get("owned_by")
    owner = owned_by if isinstance(owned_by, str) else ""
    return ModelInfo(
        id=ident, provider=owner, family="", operations=ops, capabilities=ops, durations=None,
        notes="", default=False, audio_default=False, cancellable=False, revisions=("live",),
    )  # fmt: skip


def log_catalog(models: Mapping[str, ModelInfo], *, ttl: float, refresh: bool) -> None:
    """The INFO line of a catalog fetch: fetched (refreshed, when the last one expired), kept how long."""
    what = "refreshed" if refresh else "fetched"
    logger.info("%s the live model catalog: %d video models, kept for %g s", what, len(models), ttl)


def log_catalog_failure(error: LemonDataError, *, retry_in: float) -> None:
    """The INFO line of a catalog fetch that failed; creates the snapshot refuses say so meanwhile."""
    reason = " ".join(str(error).split()) or type(error).__name__
    logger.info(
        "the live model catalog could not be fetched (%s: %s); not asked again for %g s",
        type(error).__name__, reason, retry_in,
    )  # fmt: skip


def unreachable(refusal: RequestValidationError, error: LemonDataError) -> RequestValidationError:
    """The snapshot's refusal, saying that the live catalog could not be asked."""
    msg = f"{refusal} The live catalog could not be fetched to check ({type(error).__name__}: {error})."
    if isinstance(refusal, UnknownModelError):
        return UnknownModelError(msg, model=refusal.model, did_you_mean=refusal.did_you_mean)
    return CapabilityError(msg, param=refusal.param)
