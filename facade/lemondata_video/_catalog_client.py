# Generated from _async_catalog_client.py by scripts/unasync: do not edit; edit the source, then run it.
"""CatalogClient: the model checks of a create, by the spec's snapshot or the live catalog.

The snapshot decides without a request whenever it accepts; when it refuses, the service's
catalog (`GET /v1/models?category=video`, fetched once for concurrent callers and kept for
`catalog_ttl` seconds) decides (`_live_catalog`). Written once, as async code:
scripts/unasync derives the sync twin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._api_client import APIClient
from ._constants import CATALOG_FAILURE_TTL
from ._error_map import checked
from ._exceptions import CapabilityError, LemonDataError, UnknownModelError

if TYPE_CHECKING:
    from ._capabilities import ModelInfo


class CatalogClient(APIClient):
    """APIClient with the model matrix: `models()` and the checks `create` runs first."""

    def models(
        self, *, operation: str | None = None, provider: str | None = None, live: bool = False
    ) -> list[ModelInfo]:
        """Models of the spec's snapshot (no request), or with `live` the service's catalog.

        The live catalog (`GET /v1/models?category=video`, kept for `catalog_ttl` seconds)
        carries the snapshot's notes where the ids match. Raises the API's error when it
        cannot be fetched.
        """
        from . import _capabilities  # noqa: PLC0415

        catalog = None
        if live:
            catalog, error = self._live_models(force=True)
            if catalog is None:
                raise error  # type: ignore[misc]
        return _capabilities.list_models(operation=operation, provider=provider, models=catalog)

    def _checked_request(
        self, prompt: str | None, *, model: str, operation: str | None, fields: dict[str, Any], allow: bool
    ) -> dict[str, Any]:
        """The create body, checked against a fresh cached live catalog, else the snapshot; when
        the snapshot refuses, the live catalog is fetched and decides (`_live_catalog`)."""
        from . import _capabilities, _live_catalog  # noqa: PLC0415

        args: dict[str, Any] = {
            "model": model,
            "operation": operation,
            "fields": fields,
            "allow_unknown_model": allow,
        }
        fresh = self._catalog.current() if self._catalog is not None and self.catalog_ttl > 0 else None
        if fresh is not None:  # the service's word, already at hand: no request either way
            return _capabilities.build_request(prompt, **args, live=fresh)
        try:
            return _capabilities.build_request(prompt, **args)
        except (UnknownModelError, CapabilityError) as refusal:
            if self.catalog_ttl <= 0:
                raise
            catalog, error = self._live_models()
            if catalog is None:
                raise _live_catalog.unreachable(refusal, error) from None  # type: ignore[arg-type]
        return _capabilities.build_request(prompt, **args, live=catalog)

    def _live_models(
        self, *, force: bool = False
    ) -> tuple[dict[str, ModelInfo] | None, LemonDataError | None]:
        """The cached live catalog, fetched once for concurrent callers; (None, error) when it failed."""
        from lemondata_api.api.models import list_models  # noqa: PLC0415
        from lemondata_api.models import ModelList  # noqa: PLC0415

        from ._live_catalog import (  # noqa: PLC0415
            CATALOG_CATEGORY,
            CatalogCache,
            log_catalog,
            log_catalog_failure,
        )

        with self._catalog_lock:
            if self._catalog is None:
                self._catalog = CatalogCache(ttl=max(self.catalog_ttl, 0.0), failure_ttl=CATALOG_FAILURE_TTL)
            cache = self._catalog
            found = cache.current()
            if found is not None:
                return found, None
            error = None if force else cache.recent_error()
            if error is not None:
                return None, error
            built = list_models._get_kwargs(category=CATALOG_CATEGORY)
            refresh = cache.models is not None  # the last one expired: this fetch refreshes it
            try:
                response = self._send(built["method"], built["url"], params=built.get("params"))
                payload = checked(response, expect=ModelList, secret=self._secret)
            except LemonDataError as exc:
                log_catalog_failure(exc, retry_in=cache.failure_ttl)
                return None, cache.fail(exc)
            models = cache.store(payload)
            log_catalog(models, ttl=cache.ttl, refresh=refresh)
            return models, None
