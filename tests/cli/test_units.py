"""The CLI's building blocks on their own: progress line, journal, jobs file."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from lemondata_video._task import Task
from lemondata_video.cli import _journal as jn
from lemondata_video.cli._exits import CLIError, InputError
from lemondata_video.cli._jobs import load_jobs
from lemondata_video.cli._progress import ProgressLine


class TestProgressLine:
    """The single-task progress line."""

    def _task(self, status: str, progress: float | None) -> Task:
        return Task.from_payload({"id": "video_1", "status": status, "progress": progress})

    def test_pipe_gets_one_plain_line_per_status_change(self) -> None:
        stream = io.StringIO()
        line = ProgressLine(stream)
        for status, progress in [("pending", 0), ("processing", 10), ("processing", 50), ("completed", 100)]:
            line.update(self._task(status, progress))
        line.close()
        assert stream.getvalue() == "video_1 pending 0%\nvideo_1 processing 10%\nvideo_1 completed 100%\n"

    def test_eta_follows_the_rate_of_progress(self) -> None:
        now = [0.0]
        line = ProgressLine(io.StringIO(), clock=lambda: now[0])
        line.update(self._task("processing", 10))
        now[0] = 10.0
        line.update(self._task("processing", 30))  # 2 % per second, 70 % left
        assert line.eta() == pytest.approx(35.0)
        assert "30%" in line.render()
        assert "ETA 0:35" in line.render()
        assert "elapsed 0:10" in line.render()
        now[0] = 15.0  # no new poll yet: the estimate counts down
        assert line.eta() == pytest.approx(30.0)

    def test_eta_is_unknown_without_progress(self) -> None:
        line = ProgressLine(io.StringIO())
        line.update(self._task("pending", None))
        assert line.eta() is None
        assert "ETA --:--" in line.render()


class TestJournal:
    """The SQLite journal of a batch."""

    def test_records_submitting_then_the_task_id_with_events(self, tmp_path: Path) -> None:
        journal = jn.Journal(tmp_path)
        journal.submitting("a", fingerprint="f1", out="a.mp4")
        assert journal.records()["a"].state == jn.SUBMITTING
        assert journal.records()["a"].task_id is None
        journal.update("a", jn.RUNNING, task_id="video_1", status="pending")
        journal.close()
        db = sqlite3.connect(tmp_path / jn.JOURNAL_NAME)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT state, task_id FROM jobs").fetchall() == [("running", "video_1")]
        events = db.execute("SELECT state, task_id FROM events ORDER BY seq").fetchall()
        assert events == [("submitting", None), ("running", "video_1")]

    def test_only_one_batch_may_hold_a_directory(self, tmp_path: Path) -> None:
        first = jn.Journal(tmp_path)
        with pytest.raises(CLIError, match="another lemonvideo batch is using"):
            jn.Journal(tmp_path)
        first.close()
        jn.Journal(tmp_path).close()

    def test_unknown_columns_are_refused(self, tmp_path: Path) -> None:
        journal = jn.Journal(tmp_path)
        with pytest.raises(ValueError, match=r"unknown journal columns: \['colour'\]"):
            journal.update("a", jn.RUNNING, colour="red")
        journal.close()


class TestJobsFile:
    """Parsing of JOBS.jsonl."""

    def _write(self, tmp_path: Path, *lines: object) -> str:
        path = tmp_path / "jobs.jsonl"
        path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
        return str(path)

    def test_ids_and_outputs_default_from_the_line(self, tmp_path: Path) -> None:
        jobs = load_jobs(
            self._write(tmp_path, {"prompt": "a"}, "", {"prompt": "b", "id": "x/y", "duration": 4})
        )
        assert [(j.id, j.line, j.out) for j in jobs] == [("line-1", 1, "line-1.mp4"), ("x/y", 3, "x_y.mp4")]
        assert jobs[1].fields == {"duration": 4}

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("{not json", r"jobs.jsonl:1: not valid JSON"),
            ("[1]", r"jobs.jsonl:1: each line must be a JSON object, not list"),
            ({"prompt": ""}, r'jobs.jsonl:1: "prompt" must be a non-empty string'),
            (
                {"prompt": "a", "out": "../x.mp4"},
                r'jobs.jsonl:1: "out" must be a relative path inside --out-dir',
            ),
            ({"prompt": "a", "id": 3}, r'jobs.jsonl:1: "id" must be a non-empty string, not 3'),
        ],
    )
    def test_bad_lines_name_the_line(self, tmp_path: Path, line: object, message: str) -> None:
        with pytest.raises(InputError, match=message):
            load_jobs(self._write(tmp_path, line))

    def test_duplicate_ids_are_refused(self, tmp_path: Path) -> None:
        path = self._write(tmp_path, {"prompt": "a", "id": "x"}, {"prompt": "b", "id": "x"})
        with pytest.raises(InputError, match=r"jobs\.jsonl:2: id 'x' is also used on line 1"):
            load_jobs(path)


class TestBatchRequestHook:
    """The batch's `request` hook journals creates and lets every other request through."""

    def test_a_post_that_is_not_a_create_passes_without_a_journal(self) -> None:
        import asyncio

        import httpx
        from lemondata_video.cli._batch_job import on_request

        for method, url in [
            ("POST", "https://api.lemondata.cc/v1/pricing/quotes"),
            ("GET", "https://api.lemondata.cc/v1/tasks/video_1"),
            ("DELETE", "https://api.lemondata.cc/v1/tasks/video_1"),
        ]:
            asyncio.run(on_request(httpx.Request(method, url)))

    def test_a_create_sent_outside_a_job_is_refused_unsent(self) -> None:
        import asyncio

        import httpx
        from lemondata_video.cli._batch_job import on_request

        request = httpx.Request("POST", "https://api.lemondata.cc/v1/videos/generations")
        with pytest.raises(RuntimeError) as info:
            asyncio.run(on_request(request))
        assert str(info.value) == (
            "a create (POST /v1/videos/generations) was about to be sent without a journal entry"
        )


class TestJobFingerprint:
    """A job's fingerprint is the SDK's one fingerprint, of the create fields the line asks for."""

    def test_it_is_the_body_fingerprint_of_prompt_and_fields(self, tmp_path: Path) -> None:
        from lemondata_video._body import fingerprint

        jobs = tmp_path / "jobs.jsonl"
        jobs.write_text(
            '{"id": "a", "prompt": "a cat", "model": "sora-2", "duration": 4}\n', encoding="utf-8"
        )
        job = load_jobs(str(jobs))[0]
        assert job.fingerprint == fingerprint({"prompt": "a cat", "model": "sora-2", "duration": 4})
        assert len(job.fingerprint) == 16
