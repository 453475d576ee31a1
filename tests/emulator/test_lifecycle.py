"""Task lifecycle on a ManualClock: states, progress, results, failures, cancel rules and task paths."""

from __future__ import annotations

import httpx
import pytest
from lemondata_video.emulator import Emulator, ManualClock

from .conftest import assert_documented, create, error_of, triple

TASK_NOT_FOUND = {
    "message": "Task not found or no longer available.",
    "type": "invalid_request_error",
    "code": "async_task_not_found",
}


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
        assert created == {
            "id": task_id,
            "task_id": task_id,
            "poll_url": f"/v1/tasks/{task_id}",
            "status": "pending",
            "model": "sora-2",
            "created": int(clock_of(emu).now()),
        }
        assert task_id.startswith("video_")
        queued = api.get(f"/v1/tasks/{task_id}")
        assert_documented(queued, "GET /v1/tasks/{task_id}")
        assert queued.json() == {**created, "progress": 0, "updated": created["created"]}
        clock_of(emu).advance(2)
        seen = []
        for _ in range(5):
            task = poll(api, task_id)
            assert task["status"] == "processing"
            seen.append(task["progress"])
            clock_of(emu).advance(2)
        assert seen == sorted(seen) and seen[0] < seen[-1] < 100
        done = api.get(f"/v1/tasks/{task_id}")
        assert_documented(done, "GET /v1/tasks/{task_id}")
        task = done.json()
        url = f"{emu.file_host_url}/files/{task_id}.mp4"
        assert (
            task
            == {
                "id": task_id,
                "task_id": task_id,
                "poll_url": f"/v1/tasks/{task_id}",
                "status": "completed",
                "progress": 100,
                "model": "sora-2",
                "created": created["created"],
                "updated": created["created"] + 12,  # type: ignore[operator]
                "video_url": url,
                "video": {"url": url, "duration": 5, "width": 1280, "height": 720},
                "billing_transaction_id": f"txn_{task_id[6:18]}",
            }
        )
        assert httpx.get(url).status_code == 200

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
        assert task["error"] == "The provider failed to generate the video (emulated failure)."
        assert not {"video_url", "video", "billing_transaction_id", "cancelled"} & task.keys()

    @pytest.mark.lemondata_emulator(
        failure_rate=1.0,
        failure_error={"code": "content_policy_violation", "message": "No.", "retryable": False},
    )
    def test_failure_error_can_be_an_object(self, emu: Emulator, api: httpx.Client) -> None:
        """``failure_error`` is the failed task's ``error`` as given, on both paths, as the spec allows."""
        task_id = str(create(api)["task_id"])
        clock_of(emu).advance(60)
        expected = {"code": "content_policy_violation", "message": "No.", "retryable": False}
        canonical, legacy = api.get(f"/v1/tasks/{task_id}"), api.get(f"/v1/videos/generations/{task_id}")
        assert_documented(canonical, "GET /v1/tasks/{task_id}")
        assert_documented(legacy, "GET /v1/videos/generations/{task_id}")
        assert canonical.json()["error"] == legacy.json()["error"] == expected

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
        """sora-2 reports no progress (the key is left out) and runs 100 s; veo3 reports it and runs 1 s."""
        sora, veo = (str(create(api, model=model)["task_id"]) for model in ("sora-2", "veo3"))
        clock_of(emu).advance(3)
        assert poll(api, sora)["status"] == "processing" and "progress" not in poll(api, sora)
        assert (poll(api, veo)["status"], poll(api, veo)["progress"]) == ("completed", 100)

    @pytest.mark.lemondata_emulator(task_seconds=lambda model: 1 if model.startswith("veo") else 50)
    def test_durations_can_be_a_callable(self, emu: Emulator, api: httpx.Client) -> None:
        """A callable decides each model's task time."""
        sora, veo = (str(create(api, model=model)["task_id"]) for model in ("sora-2", "veo3"))
        clock_of(emu).advance(5)
        assert [poll(api, task_id)["status"] for task_id in (sora, veo)] == ["processing", "completed"]

    def test_unknown_task_is_404_on_both_paths(self, api: httpx.Client) -> None:
        """Canonical and legacy paths answer the documented 404: exact message, no ``param``."""
        for path in ("/v1/tasks/{task_id}", "/v1/videos/generations/{task_id}"):
            response = api.get(path.format(task_id="video_nope"))
            assert response.status_code == 404
            assert response.json() == {"error": TASK_NOT_FOUND}
            assert_documented(response, f"GET {path}")

    @pytest.mark.lemondata_emulator(api_keys=["sk-alice", "sk-bob"])
    def test_tasks_belong_to_their_key(self, emu: Emulator, api: httpx.Client) -> None:
        """Another key cannot read (404) or cancel (403) the task."""
        task_id = str(create(api, model="seedance-1.5-pro")["task_id"])
        bob = {"Authorization": "Bearer sk-bob"}
        read = httpx.get(f"{emu.base_url}/v1/tasks/{task_id}", headers=bob)
        assert (read.status_code, read.json()) == (404, {"error": TASK_NOT_FOUND})
        response = httpx.delete(f"{emu.base_url}/v1/tasks/{task_id}", headers=bob)
        assert response.status_code == 403
        assert error_of(response) == {
            "message": "Access to resource denied.",
            "type": "access_denied",
            "code": "access_denied",
        }


class TestLegacyPath:
    """GET /v1/videos/generations/{task_id}."""

    def test_legacy_shape_has_task_id_created_at_completed_at(self, emu: Emulator, api: httpx.Client) -> None:
        """The spec's legacy example: no ``id``/``created``/``updated``; ``completed_at`` once it ends."""
        task_id = str(create(api)["task_id"])
        created = int(clock_of(emu).now())
        running = api.get(f"/v1/videos/generations/{task_id}")
        assert_documented(running, "GET /v1/videos/generations/{task_id}")
        assert running.json() == {
            "task_id": task_id, "status": "pending", "model": "sora-2", "progress": 0, "created_at": created,
        }  # fmt: skip
        clock_of(emu).advance(60)
        done = api.get(f"/v1/videos/generations/{task_id}").json()
        assert done == {
            "task_id": task_id,
            "status": "completed",
            "model": "sora-2",
            "progress": 100,
            "video_url": f"{emu.file_host_url}/files/{task_id}.mp4",
            "created_at": created,
            "completed_at": created + 6,
        }


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
    """DELETE /v1/tasks/{task_id}: queued tasks of the models marked cancellable in the matrix only."""

    @pytest.mark.parametrize("model", ["seedance-1.5-pro", "seedance-2.0", "seedance-2.0-fast"])
    @pytest.mark.lemondata_emulator(queue_seconds=10)
    def test_pending_task_of_a_cancellable_model_is_cancelled(
        self, emu: Emulator, api: httpx.Client, model: str
    ) -> None:
        """The documented answer (no model or timestamps); a later GET shows it failed and cancelled."""
        created = create(api, model=model)
        task_id = str(created["task_id"])
        response = api.delete(f"/v1/tasks/{task_id}")
        assert_documented(response, "DELETE /v1/tasks/{task_id}")
        assert response.json() == {
            "id": task_id,
            "task_id": task_id,
            "poll_url": f"/v1/tasks/{task_id}",
            "status": "failed",
            "cancelled": True,
            "cancellation_status": "cancelled",
            "error": "Task cancelled by user.",
        }
        clock_of(emu).advance(60)
        later = api.get(f"/v1/tasks/{task_id}")
        assert_documented(later, "GET /v1/tasks/{task_id}")
        assert later.json() == {
            **response.json(),
            "progress": 0,
            "model": model,
            "created": created["created"],
            "updated": created["created"],
        }
        again = api.delete(f"/v1/tasks/{task_id}")
        assert again.json() == {
            "error": {
                "message": "Task is already cancelled and can no longer be cancelled.",
                "code": "task_not_cancellable",
            }
        }

    @pytest.mark.parametrize("model", ["sora-2", "seedance-1-5-pro", "seedance-2-0", "seedance-1-0-pro"])
    def test_model_that_cannot_cancel_is_400_unsupported_task_cancel(
        self, api: httpx.Client, model: str
    ) -> None:
        """Only the three documented ids cancel; the seed page's dash-spelled Seedance ids do not."""
        response = api.delete(f"/v1/tasks/{create(api, model=model)['task_id']}")
        assert_documented(response, "DELETE /v1/tasks/{task_id}")
        assert error_of(response) == {
            "message": "Cancellation is only supported for queued Seedance tasks; "
            f"tasks of model '{model}' cannot be cancelled.",
            "type": "invalid_request_error",
            "code": "unsupported_task_cancel",
        }

    @pytest.mark.parametrize(("seconds", "status"), [(1.5, "processing"), (60, "completed")])
    def test_running_or_finished_task_is_409_task_not_cancellable(
        self, emu: Emulator, api: httpx.Client, seconds: float, status: str
    ) -> None:
        """Once out of the queue the task cannot be cancelled (the documented 409 has no type)."""
        task_id = str(create(api, model="seedance-2.0")["task_id"])
        clock_of(emu).advance(seconds)
        response = api.delete(f"/v1/tasks/{task_id}")
        assert_documented(response, "DELETE /v1/tasks/{task_id}")
        assert triple(response) == (409, None, "task_not_cancellable")
        assert error_of(response)["message"] == f"Task is already {status} and can no longer be cancelled."

    def test_unknown_task_is_404(self, api: httpx.Client) -> None:
        """Cancelling a task that does not exist."""
        response = api.delete("/v1/tasks/video_missing")
        assert (response.status_code, response.json()) == (404, {"error": TASK_NOT_FOUND})
