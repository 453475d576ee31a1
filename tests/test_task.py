"""Task, Video and TaskStatus: how every payload shape the service sends is read."""

from __future__ import annotations

import dataclasses
import math

import pytest
from lemondata_video import Task, TaskStatus, Video

URL = "https://files.lemondata.cc/v/abc.mp4"


class TestStatus:
    @pytest.mark.parametrize(
        ("raw", "member"),
        [
            ("pending", TaskStatus.PENDING),
            ("processing", TaskStatus.PROCESSING),
            ("completed", TaskStatus.COMPLETED),
            ("failed", TaskStatus.FAILED),
            ("Completed", TaskStatus.COMPLETED),
            ("FAILED", TaskStatus.FAILED),
            ("queued", TaskStatus.UNKNOWN),
            ("", TaskStatus.UNKNOWN),
            (None, TaskStatus.UNKNOWN),
            (3, TaskStatus.UNKNOWN),
            (["completed"], TaskStatus.UNKNOWN),
        ],
    )
    def test_parse(self, raw: object, member: TaskStatus) -> None:
        assert TaskStatus.parse(raw) is member

    def test_an_unknown_status_keeps_its_raw_text(self) -> None:
        task = Task.from_payload({"id": "video_1", "status": "queued", "queue_position": 4})
        assert (task.status, task.raw_status) == (TaskStatus.UNKNOWN, "queued")
        assert task.raw["queue_position"] == 4
        assert not task.done

    def test_terminal_statuses(self) -> None:
        assert [s for s in TaskStatus if s.is_terminal] == [TaskStatus.COMPLETED, TaskStatus.FAILED]


class TestFields:
    def test_id_from_id_then_task_id_then_the_callers(self) -> None:
        assert Task.from_payload({"id": "a", "task_id": "b"}).id == "a"
        assert Task.from_payload({"task_id": "b"}).id == "b"
        assert Task.from_payload({"status": "pending"}, task_id="c").id == "c"
        assert Task.from_payload({"id": "", "task_id": "b"}).id == "b"

    def test_every_field(self) -> None:
        task = Task.from_payload(
            {
                "id": "video_1",
                "status": "processing",
                "progress": 42,
                "model": "sora-2",
                "poll_url": "/v1/tasks/video_1",
                "created": 1764000000,
                "updated": 1764000005.9,
                "brand_new_field": {"nested": [1, 2]},
            }
        )
        assert task.progress == 42.0
        assert isinstance(task.progress, float)
        assert (task.model, task.poll_url) == ("sora-2", "/v1/tasks/video_1")
        assert (task.created, task.updated) == (1764000000, 1764000005)
        assert task.raw["brand_new_field"] == {"nested": [1, 2]}
        assert (task.videos, task.video_url, task.error, task.cancelled) == ((), None, None, False)

    def test_created_at_and_completed_at_stand_in(self) -> None:
        task = Task.from_payload({"id": "v", "created_at": 10, "completed_at": 20})
        assert (task.created, task.updated) == (10, 20)

    @pytest.mark.parametrize(
        "progress", [None, "40", True, math.nan, math.inf, -math.inf, 10**400, [40], {"value": 40}]
    )
    def test_progress_that_is_no_finite_number_is_none(self, progress: object) -> None:
        assert Task.from_payload({"id": "v", "status": "processing", "progress": progress}).progress is None

    def test_a_float_subclass_reads_as_a_float(self) -> None:
        class Percent(float):
            pass

        progress = Task.from_payload({"id": "v", "progress": Percent(12.5)}).progress
        assert progress == 12.5
        assert type(progress) is float

    def test_error_from_an_object_or_text(self) -> None:
        assert Task.from_payload({"id": "v", "error": {"message": "NSFW", "code": "x"}}).error == "NSFW"
        assert Task.from_payload({"id": "v", "error": {"code": "content_policy"}}).error == "content_policy"
        assert Task.from_payload({"id": "v", "error": "upstream timeout"}).error == "upstream timeout"
        assert Task.from_payload({"id": "v", "error": None}).error is None

    def test_cancelled(self) -> None:
        assert Task.from_payload({"id": "v", "status": "failed", "cancelled": True}).cancelled
        assert Task.from_payload({"id": "v", "cancellation_status": "cancelled"}).cancelled
        assert not Task.from_payload({"id": "v", "status": "failed", "cancelled": "yes"}).cancelled

    def test_immutable_and_raw_is_a_copy(self) -> None:
        payload = {"id": "v", "status": "pending"}
        task = Task.from_payload(payload)
        payload["status"] = "completed"
        assert task.raw["status"] == "pending"
        with pytest.raises(dataclasses.FrozenInstanceError):
            task.status = TaskStatus.COMPLETED  # type: ignore[misc]


class TestVideos:
    def test_from_video_url(self) -> None:
        task = Task.from_payload({"id": "v", "status": "completed", "video_url": URL})
        assert task.videos == (Video(URL),)
        assert task.video_url == URL

    def test_from_video_with_metadata_wins_over_the_same_video_url(self) -> None:
        video = {"url": URL, "duration": 4, "width": 1280, "height": 720}
        task = Task.from_payload({"id": "v", "video_url": URL, "video": video})
        assert task.videos == (Video(URL, 4.0, 1280, 720),)

    def test_from_videos_list_in_order_without_duplicates(self) -> None:
        other = "https://files.lemondata.cc/v/def.mp4"
        task = Task.from_payload(
            {"id": "v", "videos": [{"url": URL}, other, {"url": ""}, 7, None], "video_url": URL}
        )
        assert [v.url for v in task.videos] == [URL, other]

    @pytest.mark.parametrize(
        "payload",
        [
            {"video": None, "video_url": None, "videos": None},
            {"video": {}, "video_url": "", "videos": []},
            {"video": {"url": None}, "videos": "not a list"},
            {},
        ],
    )
    def test_no_output(self, payload: dict[str, object]) -> None:
        task = Task.from_payload({"id": "v", "status": "processing", **payload})
        assert (task.videos, task.video_url) == ((), None)

    def test_odd_metadata_reads_as_none(self) -> None:
        video = {"url": URL, "duration": "4s", "width": math.nan, "height": True}
        assert Task.from_payload({"id": "v", "video": video}).videos == (Video(URL),)
