"""The PostgreSQL journal's claims and leases, and the errors of `batch --journal/--worker/--redis`.

Two `PgJournal`s on one database stand for two workers: neither claims a job the other holds,
and a worker whose lease another has taken can no longer journal `submitting` (so it cannot send
the create) but still journals a task id it got back.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import services
from journals import PostgresJournal
from lemondata_video.cli import _journal as jn
from lemondata_video.cli._batch_budget import budget_key
from lemondata_video.cli._jobs import load_jobs
from lemondata_video.cli._journal_pg import LeaseLostError, PgJournal
from lemondata_video.emulator import Emulator

from .conftest import cli_env, run
from .test_batch import write_jobs

SHORT_LEASE = 0.3


@pytest.fixture
def queued(tmp_path: Path, postgres_journal: PostgresJournal) -> str:
    """The journal's URL, with four jobs queued."""
    path = write_jobs(tmp_path / "jobs.jsonl", [{"id": f"j{n}", "prompt": f"lemon {n}"} for n in range(4)])
    journal = PgJournal(postgres_journal.url, lease=60)
    journal.enqueue(load_jobs(path), base=tmp_path)
    journal.close()
    return postgres_journal.url


def ids(claimed: list[tuple[object, ...]]) -> list[str]:
    return [job.id for job, _, _ in claimed]  # type: ignore[attr-defined]


class TestClaims:
    """Claiming with FOR UPDATE SKIP LOCKED and a lease on the database's clock."""

    def test_two_workers_never_claim_the_same_job(self, queued: str) -> None:
        one, two = PgJournal(queued, lease=60), PgJournal(queued, lease=60)
        assert ids(one.claim(3, resubmit_unknown=False)) == ["j0", "j1", "j2"]
        assert ids(two.claim(3, resubmit_unknown=False)) == ["j3"]
        assert one.claim(3, resubmit_unknown=False) == []
        assert one.unfinished(resubmit_unknown=False) == 4  # held, not finished

    def test_a_job_comes_back_once_its_lease_expires(self, queued: str) -> None:
        dead, alive = PgJournal(queued, lease=SHORT_LEASE), PgJournal(queued, lease=60)
        assert len(dead.claim(4, resubmit_unknown=False)) == 4
        assert alive.claim(4, resubmit_unknown=False) == []
        time.sleep(SHORT_LEASE + 0.1)
        assert ids(alive.claim(4, resubmit_unknown=False)) == ["j0", "j1", "j2", "j3"]

    def test_a_worker_that_lost_its_lease_cannot_journal_submitting(self, queued: str) -> None:
        slow, other = PgJournal(queued, lease=SHORT_LEASE), PgJournal(queued, lease=60)
        job = slow.claim(1, resubmit_unknown=False)[0][0]
        time.sleep(SHORT_LEASE + 0.1)
        assert ids(other.claim(1, resubmit_unknown=False)) == ["j0"]
        with pytest.raises(LeaseLostError) as caught:
            slow.submitting(job.id, fingerprint=job.fingerprint, out=job.out)
        assert str(caught.value) == (
            f"job 'j0': the lease of worker {slow.worker} ran out; another worker runs it now"
        )
        assert slow.records() == {}  # nothing journaled: the create is never sent

    def test_a_task_id_is_journaled_even_after_the_lease_is_lost(self, queued: str) -> None:
        slow, other = PgJournal(queued, lease=SHORT_LEASE), PgJournal(queued, lease=60)
        job = slow.claim(1, resubmit_unknown=False)[0][0]
        slow.submitting(job.id, fingerprint=job.fingerprint, out=job.out)
        time.sleep(SHORT_LEASE + 0.1)
        other.claim(1, resubmit_unknown=False)
        with pytest.raises(LeaseLostError, match="its task id is journaled"):
            slow.update(job.id, jn.RUNNING, task_id="video_abc", status="pending")
        record = other.records()["j0"]
        assert (record.state, record.task_id) == (jn.RUNNING, "video_abc")

    def test_an_expired_lease_nobody_took_is_still_the_worker_s(self, queued: str) -> None:
        slow = PgJournal(queued, lease=SHORT_LEASE)
        job = slow.claim(1, resubmit_unknown=False)[0][0]
        time.sleep(SHORT_LEASE + 0.1)
        slow.submitting(job.id, fingerprint=job.fingerprint, out=job.out)  # renewed, not lost
        assert slow.records()["j0"].state == jn.SUBMITTING

    def test_unknown_jobs_are_claimed_only_for_resubmission_and_only_once(self, queued: str) -> None:
        first = PgJournal(queued, lease=60)
        for job, _, _ in first.claim(4, resubmit_unknown=False):
            first.reject(job.id, fingerprint=job.fingerprint, out=job.out, error="lost", state=jn.UNKNOWN)
            first.release(job.id)
        assert first.claim(4, resubmit_unknown=True) == []  # marked unknown by this very worker
        later = PgJournal(queued, lease=60)
        assert later.claim(4, resubmit_unknown=False) == []
        assert later.unfinished(resubmit_unknown=False) == 0
        assert ids(later.claim(4, resubmit_unknown=True)) == ["j0", "j1", "j2", "j3"]


class TestErrors:
    """What `batch` says when the flags for several workers are wrong or a service is missing."""

    def test_usage_errors(self, tmp_path: Path) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"prompt": "a"}])
        out = str(tmp_path / "o")
        cases = [
            (("batch", jobs, "--out-dir", out, "--journal", "sqlite:///x.db"),
             "--journal takes a postgresql:// URL, not 'sqlite:///x.db'; without it the journal is a "
             "SQLite file in --out-dir"),
            (("batch", "--worker", "--out-dir", out),
             "--worker needs --journal postgresql://...: workers share the journal in PostgreSQL"),
            (("batch", "--out-dir", out),
             "give a JOBS.jsonl file, or --worker to run the jobs already in the --journal"),
            (("batch", jobs, "--worker", "--journal", "postgresql://h/db", "--out-dir", out),
             "give a JOBS.jsonl file, or --worker to run the jobs already in the --journal"),
            (("batch", jobs, "--out-dir", out, "--lease", "0"),
             "--lease must be a number of seconds above 0, not 0"),
        ]  # fmt: skip
        for argv, message in cases:
            result = run(*argv)
            assert (result.code, result.stderr) == (2, f"lemonvideo: error: {message}\n"), argv

    def test_a_password_in_a_bad_journal_url_is_not_shown(self, tmp_path: Path) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"prompt": "a"}])
        result = run("batch", jobs, "--out-dir", str(tmp_path), "--journal", "mysql://me:hunter2@h/db")
        assert result.code == 2
        assert "mysql://me:***@h/db" in result.stderr and "hunter2" not in result.stderr

    def test_an_unreachable_journal_is_a_usage_error_naming_it(self, tmp_path: Path) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"prompt": "a"}])
        url = f"postgresql://me:hunter2@127.0.0.1:{services.free_port()}/db"
        result = run("batch", jobs, "--out-dir", str(tmp_path), "--journal", url)
        assert result.code == 2
        masked = url.replace("hunter2", "***")
        assert result.stderr.startswith(f"lemonvideo: error: cannot open the journal at {masked}: ")
        assert "Connection refused" in result.stderr and "hunter2" not in result.stderr

    def test_a_worker_on_an_empty_journal_says_how_to_queue_jobs(
        self, tmp_path: Path, postgres_journal: PostgresJournal
    ) -> None:
        result = run("batch", "--worker", "--journal", postgres_journal.url, "--out-dir", str(tmp_path))
        assert (result.code, result.stderr) == (2, (
            f"lemonvideo: error: the journal at {postgres_journal.url} holds no jobs; queue them first "
            "with `lemonvideo batch JOBS.jsonl --journal URL --out-dir DIR`\n"
        ))  # fmt: skip

    def test_an_unreachable_redis_stops_the_batch_before_anything_is_sent(self, tmp_path: Path) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"prompt": "a"}])
        url = f"redis://127.0.0.1:{services.free_port()}/0"
        with Emulator() as emu:
            result = run("batch", jobs, "--out-dir", str(tmp_path / "o"), "--redis", url, env=cli_env(emu))
            assert sum(emu.stats.requests.values()) == 0
            key = budget_key(emu.api_key)
        assert result.code == 4
        assert result.stderr.startswith(
            f"lemonvideo: error: cannot reach Redis at {url} (key {key!r}) for the shared request budget ("
        )
        assert emu.api_key not in result.stderr + key
