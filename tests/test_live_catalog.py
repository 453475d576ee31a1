"""The live catalog decides where the spec's snapshot would refuse: both clients against the emulator.

The emulator serves a catalog that differs from the snapshot: a model added yesterday
(`acme-video-1`), one removed (`kling-3.0-motion-control` is not listed), and a known model
with an operation the snapshot lacks (`sora-2` reference-to-video). Request counts come from
the emulator's own stats.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lemondata_api.model_matrix import MODELS
from lemondata_video import (
    APIError,
    AsyncVideoClient,
    BadRequestError,
    CapabilityError,
    UnknownModelError,
    VideoClient,
)
from lemondata_video.emulator import Emulator, Faults, ManualClock

CATALOG_ROUTE = "GET /v1/models"
CREATE_ROUTE = "POST /v1/videos/generations"
NEW = "acme-video-1"
REMOVED = "kling-3.0-motion-control"
URL = "https://example.com/in.png"


def catalog() -> dict[str, Any]:
    """A /v1/models answer: the snapshot's models less one, plus a new one; sora-2 does references."""
    data: list[dict[str, Any]] = []
    for entry in MODELS:
        if entry["id"] == REMOVED:
            continue
        operations = list(entry["operations"])
        if entry["id"] == "sora-2":
            operations.append("reference-to-video")
        data.append(
            {
                "id": entry["id"],
                "object": "model",
                "owned_by": entry["provider"].lower(),
                "lemondata": {"category": "video", "supported_operations": operations},
            }
        )
    new = {"category": "video", "supported_operations": ["text-to-video", "motion-control"]}
    data.append({"id": NEW, "object": "model", "owned_by": "acme", "lemondata": new})
    data.append({"id": "gpt-5.4", "object": "model", "owned_by": "openai", "lemondata": {"category": "chat"}})
    return {"object": "list", "data": data}


class Flavour:
    """Runs the same calls through VideoClient or AsyncVideoClient (one event loop for the client's life)."""

    def __init__(self, name: str, emu: Emulator, **options: Any) -> None:
        self.name = name
        kwargs = {"api_key": emu.api_key, "base_url": emu.base_url, "max_retries": 1, **options}
        if name == "sync":
            self.client: Any = VideoClient(**kwargs)
        else:
            self.loop = asyncio.new_event_loop()
            self.client = self.loop.run_until_complete(self._make(kwargs))
        self.client._sleep = self._no_sleep if name == "sync" else self._ano_sleep

    @staticmethod
    async def _make(kwargs: dict[str, Any]) -> AsyncVideoClient:
        return AsyncVideoClient(**kwargs)

    @staticmethod
    def _no_sleep(_: float) -> None:
        return None

    @staticmethod
    async def _ano_sleep(_: float) -> None:
        return None

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        return result if self.name == "sync" else self.loop.run_until_complete(result)

    def close(self) -> None:
        if self.name == "sync":
            self.client.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock(), catalog=catalog()) as emulator:
        yield emulator


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest, emu: Emulator) -> Iterator[Flavour]:
    emu.stats.reset()
    emu.set_faults()
    made = Flavour(request.param, emu)
    yield made
    made.close()


def counts(emu: Emulator) -> tuple[int, int]:
    return emu.stats.requests[CATALOG_ROUTE], emu.stats.requests[CREATE_ROUTE]


class TestLiveCatalog:
    """Where the snapshot accepts nothing extra is sent; where it refuses, the catalog decides once."""

    def test_a_new_model_is_sent_after_one_catalog_request(self, flavour: Flavour, emu: Emulator) -> None:
        task = flavour("create", "a lemon", model=NEW)
        assert task.model == NEW
        assert counts(emu) == (1, 1)
        assert emu.stats.tasks_created == 1

    def test_a_second_create_within_the_ttl_asks_nothing_more(self, flavour: Flavour, emu: Emulator) -> None:
        flavour("create", "a lemon", model=NEW)
        flavour("create", "a lime", model=NEW, operation="motion-control", image_url=URL, video_url=URL)
        assert counts(emu) == (1, 2)

    def test_a_create_the_snapshot_accepts_asks_nothing(self, flavour: Flavour, emu: Emulator) -> None:
        flavour("create", "a lemon", model="sora-2")
        assert counts(emu) == (0, 1)

    def test_an_operation_the_snapshot_lacks_is_sent_when_the_catalog_has_it(
        self, flavour: Flavour, emu: Emulator
    ) -> None:
        task = flavour("create", "a lemon", model="sora-2", reference_images=[URL])
        assert task.model == "sora-2"
        assert counts(emu) == (1, 1)
        assert emu.ctx.store.get(task.id).operation == "reference-to-video"  # type: ignore[union-attr]

    def test_a_removed_model_is_refused_with_the_live_did_you_mean(
        self, flavour: Flavour, emu: Emulator
    ) -> None:
        """Once the catalog is at hand it decides: the removed id is refused before any create."""
        flavour("create", "a lemon", model=NEW)
        with pytest.raises(UnknownModelError) as info:
            flavour("create", "a dance", model=REMOVED, image_url=URL, video_url=URL)
        assert str(info.value) == (
            f"unknown model {REMOVED!r}; did you mean 'kling-v3.0-pro'? The service's live catalog "
            "does not list it; client.models(live=True) lists what it offers. "
            "Pass allow_unknown_model=True to send it anyway."
        )
        assert info.value.did_you_mean == "kling-v3.0-pro"
        assert counts(emu) == (1, 1)

    def test_without_a_catalog_at_hand_the_service_refuses_a_removed_model(
        self, flavour: Flavour, emu: Emulator
    ) -> None:
        """The snapshot accepts it, so it is sent; the service's 400 names its own did-you-mean."""
        with pytest.raises(BadRequestError) as info:
            flavour("create", "a dance", model=REMOVED, image_url=URL, video_url=URL)
        assert info.value.code == "model_not_found"
        assert info.value.did_you_mean == "kling-v3.0-pro"
        assert counts(emu) == (0, 1)

    def test_a_capability_the_catalog_also_lacks_names_what_it_offers(
        self, flavour: Flavour, emu: Emulator
    ) -> None:
        with pytest.raises(CapabilityError) as info:
            flavour("create", "a lemon", model="hailuo-2.3-fast", operation="motion-control", image_url=URL)
        assert str(info.value) == (
            "model 'hailuo-2.3-fast' cannot do motion-control; it does image-to-video. "
            f"Models that do motion-control: {NEW} (the service's live catalog)"
        )
        assert counts(emu) == (1, 0)

    def test_an_unreachable_catalog_says_so_and_allow_unknown_model_still_sends(
        self, flavour: Flavour, emu: Emulator
    ) -> None:
        emu.set_faults(Faults(server_error=1.0, routes=[CATALOG_ROUTE]))
        with pytest.raises(UnknownModelError) as info:
            flavour("create", "a lemon", model=NEW)
        assert str(info.value) == (
            f"unknown model {NEW!r}; did you mean 'luma-video-api'? Pass allow_unknown_model=True to send "
            "a model that is not in the matrix; client.models() lists the known ones. The live catalog "
            "could not be fetched to check (ServerError: 500: Internal server error.)."
        )
        assert counts(emu) == (2, 0)  # the first try and its one retry (max_retries=1)
        task = flavour("create", "a lemon", model=NEW, allow_unknown_model=True)
        assert task.model == NEW
        assert counts(emu) == (2, 1)

    def test_live_checks_off_refuse_from_the_snapshot_alone(self, emu: Emulator) -> None:
        emu.stats.reset()
        emu.set_faults()
        off = Flavour("sync", emu, catalog_ttl=0)
        with pytest.raises(UnknownModelError):
            off("create", "a lemon", model=NEW)
        off.close()
        assert counts(emu) == (0, 0)

    def test_concurrent_creates_share_one_fetch(self, emu: Emulator) -> None:
        emu.stats.reset()
        emu.set_faults()

        async def main() -> list[str]:
            async with AsyncVideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
                tasks = await asyncio.gather(*(client.create("a lemon", model=NEW) for _ in range(20)))
            return [task.id for task in tasks]

        assert len(set(asyncio.run(main()))) == 20
        assert counts(emu) == (1, 20)

    def test_models_live_lists_the_service_catalog(self, flavour: Flavour, emu: Emulator) -> None:
        """Video models only, the new one included and the removed one not; snapshot notes merged in."""
        models = {m.id: m for m in flavour("models", live=True)}
        assert NEW in models and REMOVED not in models and "gpt-5.4" not in models
        assert models[NEW].operations == ("text-to-video", "motion-control")
        assert models["sora-2"].notes == "API default"
        assert models["sora-2"].operations == ("text-to-video", "image-to-video", "reference-to-video")
        assert [m.id for m in flavour("models", live=True, operation="motion-control")] == [NEW]
        assert counts(emu) == (1, 0)

    def test_models_live_raises_the_api_error_when_unreachable(self, flavour: Flavour, emu: Emulator) -> None:
        emu.set_faults(Faults(server_error=1.0, routes=[CATALOG_ROUTE]))
        with pytest.raises(APIError) as info:
            flavour("models", live=True)
        assert info.value.status_code == 500


class TestEmulatorCatalog:
    """The emulator serves the catalog it is given, from a dict or a file."""

    def test_a_catalog_file_is_served_and_validated_against(self, tmp_path: Path) -> None:
        path = tmp_path / "models.json"
        path.write_text(json.dumps(catalog()), encoding="utf-8")
        with (
            Emulator(clock=ManualClock(), catalog=path) as emu,
            VideoClient(api_key=emu.api_key, base_url=emu.base_url, catalog_ttl=0) as client,
        ):
            answer = httpx.get(
                f"{emu.base_url}/v1/models", headers={"Authorization": f"Bearer {emu.api_key}"}
            )
            listed = [m["id"] for m in answer.json()["data"]]
            assert NEW in listed and REMOVED not in listed
            task = client.create("a lemon", model=NEW, allow_unknown_model=True)
            assert task.model == NEW

    def test_a_catalog_without_data_is_refused(self) -> None:
        with pytest.raises(ValueError, match="a catalog is a GET /v1/models answer with a 'data' list"):
            Emulator(catalog={"object": "list"})
