"""Task lifecycle on a ManualClock: states, progress, results, failures, cancel rules and task paths."""

from __future__ import annotations

import httpx
import pytest
from lemondata_video.emulator import Emulator, ManualClock

from .conftest import create, error_of


def poll(api: httpx.Client, task_id: str) -> dict[str, object]:
    """GET the canonical task path, requiring a 200."""
    response = api.get(f"/v1/tasks/{task_id}")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def clock_of(emu: Emulator) -> ManualClock:
    """The fixture's ManualClock."""
    assert isinstance(emu.clock, ManualClock)
    return emu.clock


class TestLifecycle:
    """pending → processing → completed or failed, driven by the clock."""

    @pytest.mark.lemondata_emulator(task_seconds=10, queue_seconds=2)
    def test_task_moves_from_pending_through_processing_to_completed(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        """Progress rises while processing; the result is on the file host origin."""
        created = create(api)
        task_id = str(created["task_id"])
        assert created["status"] == "pending"
        assert created["poll_url"] == f"/v1/tasks/{task_id}"
        assert task_id.startswith("video_")
        assert poll(api, task_id)["status"] == "pending"
        clock_of(emu).advance(2)
        seen = []
        for _ in range(5):
            task = poll(api, task_id)
            assert task["status"] == "processing"
            seen.append(task["progress"])
            clock_of(emu).advance(2)
        assert seen == sorted(seen) and seen[0] < seen[-1] < 100
        task = poll(api, task_id)
        assert (task["status"], task["progress"]) == ("completed", 100)
        assert str(task["video_url"]).startswith(emu.file_host_url + "/")
        assert task["video"] == {"url": task["video_url"], "duration": 5, "width": 1280, "height": 720}
        assert task["created"] == int(clock_of(emu).now()) - 12 and task["updated"] == task["created"] + 12  # type: ignore[operator]
        assert str(task["billing_transaction_id"]).startswith("txn_")
        assert httpx.get(str(task["video_url"])).status_code == 200

    def test_video_metadata_follows_duration_resolution_and_aspect_ratio(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        """A 9:16 1080p 8 s request reports 1080x1920 and 8 s."""
        task_id = str(create(api, duration=8, resolution="1080p", aspect_ratio="9:16")["task_id"])
        clock_of(emu).advance(60)
        video = poll(api, task_id)["video"]
        assert video == {"url": poll(api, task_id)["video_url"], "duration": 8, "width": 1080, "height": 1920}

    @pytest.mark.lemondata_emulator(failure_rate=1.0)
    def test_failure_rate_one_fails_every_task(self, emu: Emulator, api: httpx.Client) -> None:
        """A failed task has an error and no video."""
        task_id = str(create(api)["task_id"])
        clock_of(emu).advance(60)
        task = poll(api, task_id)
        assert task["status"] == "failed"
        assert task["error"] and "video_url" not in task

    @pytest.mark.lemondata_emulator(failure_rate=0.5, seed=7)
    def test_failure_rate_is_a_seeded_share(self, emu: Emulator, api: httpx.Client) -> None:
        """Half the tasks fail, reproducibly for a seed."""
        ids = [str(create(api)["task_id"]) for _ in range(40)]
        clock_of(emu).advance(60)
        failed = sum(poll(api, task_id)["status"] == "failed" for task_id in ids)
        assert 10 <= failed <= 30

    @pytest.mark.lemondata_emulator(
        report_progress={"sora-2": False}, task_seconds={"sora-2": 100, "veo3": 1}
    )
    def test_progress_and_durations_can_be_set_per_model(self, emu: Emulator, api: httpx.Client) -> None:
        """sora-2 reports no progress (null) and runs 100 s; veo3 reports progress and runs 1 s."""
        sora, veo = (str(create(api, model=model)["task_id"]) for model in ("sora-2", "veo3"))
        clock_of(emu).advance(3)
        assert (poll(api, sora)["status"], poll(api, sora)["progress"]) == ("processing", None)
        assert (poll(api, veo)["status"], poll(api, veo)["progress"]) == ("completed", 100)

    @pytest.mark.lemondata_emulator(task_seconds=lambda model: 1 if model.startswith("veo") else 50)
    def test_durations_can_be_a_callable(self, emu: Emulator, api: httpx.Client) -> None:
        """A callable decides each model's task time."""
        sora, veo = (str(create(api, model=model)["task_id"]) for model in ("sora-2", "veo3"))
        clock_of(emu).advance(5)
        assert [poll(api, task_id)["status"] for task_id in (sora, veo)] == ["processing", "completed"]

    def test_unknown_task_is_404_on_both_paths(self, api: httpx.Client) -> None:
        """Canonical and legacy paths answer ``async_task_not_found``."""
        for path in ("/v1/tasks/video_nope", "/v1/videos/generations/video_nope"):
            response = api.get(path)
            assert response.status_code == 404
            assert (error_of(response)["code"], error_of(response)["param"]) == (
                "async_task_not_found",
                "task_id",
            )

    @pytest.mark.lemondata_emulator(api_keys=["sk-alice", "sk-bob"])
    def test_tasks_belong_to_their_key(self, emu: Emulator, api: httpx.Client) -> None:
        """Another key cannot read (404) or cancel (403) the task."""
        task_id = str(create(api, model="seedance-1-5-pro")["task_id"])
        bob = {"Authorization": "Bearer sk-bob"}
        assert httpx.get(f"{emu.base_url}/v1/tasks/{task_id}", headers=bob).status_code == 404
        response = httpx.delete(f"{emu.base_url}/v1/tasks/{task_id}", headers=bob)
        assert (response.status_code, error_of(response)["code"]) == (403, "access_denied")


class TestLegacyPath:
    """GET /v1/videos/generations/{task_id}."""

    def test_legacy_shape_has_task_id_created_at_completed_at(self, emu: Emulator, api: httpx.Client) -> None:
        """No ``id``/``created``/``updated``; ``completed_at`` is null until the task ends."""
        task_id = str(create(api)["task_id"])
        running = api.get(f"/v1/videos/generations/{task_id}").json()
        assert not {"id", "created", "updated"} & running.keys()
        assert running["task_id"] == task_id and running["completed_at"] is None
        clock_of(emu).advance(60)
        done = api.get(f"/v1/videos/generations/{task_id}").json()
        assert done["status"] == "completed"
        assert done["completed_at"] - done["created_at"] == 6 and done["video_url"]


class TestPollUrl:
    """Where ``poll_url`` points."""

    @pytest.mark.lemondata_emulator(poll_url="absolute")
    def test_absolute_poll_url_is_on_the_api_origin(self, emu: Emulator, api: httpx.Client) -> None:
        """The absolute form is followable as is."""
        created = create(api)
        assert created["poll_url"] == f"{emu.base_url}/v1/tasks/{created['task_id']}"
        assert api.get(str(created["poll_url"])).json()["poll_url"] == created["poll_url"]

    @pytest.mark.lemondata_emulator(poll_url="http://poll.example.test:9999")
    def test_poll_url_can_point_at_another_origin(self, api: httpx.Client) -> None:
        """A foreign origin lets clients prove they follow poll_url and send the key only where safe."""
        created = create(api)
        assert created["poll_url"] == f"http://poll.example.test:9999/v1/tasks/{created['task_id']}"


class TestCancel:
    """DELETE /v1/tasks/{task_id}: Seedance tasks, while pending only."""

    @pytest.mark.lemondata_emulator(queue_seconds=10)
    def test_pending_seedance_task_is_cancelled(self, emu: Emulator, api: httpx.Client) -> None:
        """The answer is the task, failed and cancelled; poll_url keeps working."""
        task_id = str(create(api, model="seedance-1-5-pro")["task_id"])
        response = api.delete(f"/v1/tasks/{task_id}")
        assert response.status_code == 200
        task = response.json()
        assert (task["status"], task["cancelled"], task["cancellation_status"]) == (
            "failed",
            True,
            "cancelled",
        )
        assert task["error"]
        clock_of(emu).advance(60)
        assert poll(api, task_id)["cancelled"] is True and poll(api, task_id)["status"] == "failed"
        again = api.delete(f"/v1/tasks/{task_id}")
        assert (again.status_code, error_of(again)["code"]) == (409, "task_not_cancellable")

    def test_model_that_cannot_cancel_is_400_unsupported_task_cancel(self, api: httpx.Client) -> None:
        """sora-2 tasks cannot be cancelled at all."""
        response = api.delete(f"/v1/tasks/{create(api)['task_id']}")
        assert (response.status_code, error_of(response)["code"]) == (400, "unsupported_task_cancel")

    @pytest.mark.parametrize("seconds", [1.5, 60])
    def test_running_or_finished_task_is_409_task_not_cancellable(
        self, emu: Emulator, api: httpx.Client, seconds: float
    ) -> None:
        """Once out of the queue the task cannot be cancelled."""
        task_id = str(create(api, model="seedance-1-0-pro")["task_id"])
        clock_of(emu).advance(seconds)
        response = api.delete(f"/v1/tasks/{task_id}")
        assert (response.status_code, error_of(response)["code"]) == (409, "task_not_cancellable")

    def test_unknown_task_is_404(self, api: httpx.Client) -> None:
        """Cancelling a task that does not exist."""
        response = api.delete("/v1/tasks/video_missing")
        assert (response.status_code, error_of(response)["code"]) == (404, "async_task_not_found")


class TestModels:
    """GET /v1/models and /v1/models/{model}."""

    def test_list_is_the_matrix_and_category_filters_it(self, api: httpx.Client) -> None:
        """``category=video`` keeps every model; another category keeps none."""
        from lemondata_api.model_matrix import MODELS

        listed = api.get("/v1/models", params={"category": "video"}).json()
        assert [model["id"] for model in listed["data"]] == [entry["id"] for entry in MODELS]
        assert api.get("/v1/models", params={"category": "image"}).json()["data"] == []
        recommended = api.get("/v1/models", params={"recommended_for": "video"}).json()["data"]
        assert recommended[0]["id"] == "sora-2"

    def test_model_details_carry_operations_and_flags(self, api: httpx.Client) -> None:
        """The per-model contract comes from the matrix."""
        model = api.get("/v1/models/hailuo-2.3-fast").json()
        assert model["lemondata"]["supported_operations"] == ["image-to-video"]
        assert model["lemondata"]["capability_flags"]["image_to_video"] is True
        assert model["lemondata"]["capability_flags"]["text_to_video"] is False

    def test_unknown_model_is_404_with_did_you_mean(self, api: httpx.Client) -> None:
        """The spec's NotFound answer."""
        response = api.get("/v1/models/sora-3")
        assert response.status_code == 404
        assert (error_of(response)["code"], error_of(response)["did_you_mean"]) == (
            "model_not_found",
            "sora-2",
        )
