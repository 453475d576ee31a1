"""The jobs file of `batch`: one JSON object per line, checked whole before anything is sent."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

from .._body import fingerprint
from ._exits import USAGE, CLIError, InputError

SAFE_ID: Final = re.compile(r"[^A-Za-z0-9._-]+")
RESERVED_KEYS: Final = ("id", "out")


@dataclass(frozen=True)
class Job:
    """One line of the jobs file."""

    id: str
    line: int
    prompt: str
    fields: dict[str, Any]
    out: str
    # `_body.fingerprint` of what the line asks for (prompt and fields as written), journaled
    # before the create is sent; a rerun compares it to spot a job that changed.
    fingerprint: str


def _out_name(value: object, job_id: str, where: str) -> str:
    if value is None:
        return f"{SAFE_ID.sub('_', job_id).strip('.') or 'job'}.mp4"
    if not isinstance(value, str) or not value.strip():
        msg = f'{where}: "out" must be a file name, not {value!r}'
        raise InputError(msg)
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or value.startswith("~"):
        msg = f'{where}: "out" must be a relative path inside --out-dir, not {value!r}'
        raise InputError(msg)
    return str(path)


def _parse_line(text: str, number: int, source: str) -> Job:
    where = f"{source}:{number}"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{where}: not valid JSON ({exc.msg} at column {exc.colno})"
        raise InputError(msg) from exc
    if not isinstance(data, dict):
        msg = f"{where}: each line must be a JSON object, not {type(data).__name__}"
        raise InputError(msg)
    prompt = data.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        msg = f'{where}: "prompt" must be a non-empty string'
        raise InputError(msg)
    job_id = data.get("id", f"line-{number}")
    if not isinstance(job_id, str) or not job_id.strip():
        msg = f'{where}: "id" must be a non-empty string, not {job_id!r}'
        raise InputError(msg)
    fields = {k: v for k, v in data.items() if k not in (*RESERVED_KEYS, "prompt")}
    out = _out_name(data.get("out"), job_id, where)
    return Job(job_id, number, prompt, fields, out, fingerprint({"prompt": prompt, **fields}))


def load_jobs(path: str) -> list[Job]:
    """Every job of the file; InputError (exit 3) names the line of the first problem."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read jobs file {path!r}: {getattr(exc, 'strerror', None) or exc}"
        raise CLIError(msg, code=USAGE) from exc
    jobs = [_parse_line(text, n, path) for n, text in enumerate(lines, 1) if text.strip()]
    if not jobs:
        msg = f"{path}: no jobs (one JSON object per line)"
        raise InputError(msg)
    for key in ("id", "out"):
        seen: dict[str, int] = {}
        for job in jobs:
            value = getattr(job, key)
            if value in seen:
                msg = f"{path}:{job.line}: {key} {value!r} is also used on line {seen[value]}"
                raise InputError(msg)
            seen[value] = job.line
    return jobs
