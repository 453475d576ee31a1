"""The argument parser of `lemonvideo`: every command, its options and an example in its `--help`."""

from __future__ import annotations

import argparse
from typing import Final

from .._polling import DEFAULT_WAIT_TIMEOUT
from ._api import add_api_options
from ._exits import EXIT_CODES_HELP
from ._fields import add_create_options

DEFAULT_EMULATOR_PORT: Final = 8787
DEFAULT_CONCURRENCY: Final = 4
# Half the default account tier (1,000 requests/minute), leaving room for other clients of the key.
DEFAULT_RPM: Final = 500
# How long a worker's claim on a job lasts without renewal (it renews every third of it).
DEFAULT_LEASE: Final = 60.0

DESCRIPTION: Final = """\
Generate videos with the LemonData video API from the command line.

Uses LEMONDATA_API_KEY and LEMONDATA_BASE_URL. Without a key (or with --emulator) every
command runs against a built-in emulator, with a one-line notice on stderr."""

EXAMPLES: Final = {
    "generate": 'lemonvideo generate "A lemon rolling across a marble table" --model sora-2 --out lemon.mp4',
    "status": "lemonvideo status video_abc123 --json",
    "wait": "lemonvideo wait video_abc123 --out lemon.mp4 --timeout 900",
    "cancel": "lemonvideo cancel video_abc123",
    "download": "lemonvideo download video_abc123 --out lemon.mp4",
    "models": "lemonvideo models --operation image-to-video",
    "batch": "lemonvideo batch jobs.jsonl --out-dir videos --concurrency 8 --rpm 300",
    "emulator": "lemonvideo emulator --port 8787",
    "api": "lemonvideo api GET /v1/models -f category=video",
}

HELP: Final = {
    "generate": "validate, submit, wait with a progress bar, download",
    "status": "show a task's status",
    "wait": "wait for a task (and download it with --out)",
    "cancel": "cancel a task that has not started",
    "download": "download a completed task's video",
    "models": "list the models and what they can do (no request; --live asks the service)",
    "batch": "run a JSONL file of jobs, resumable after a crash",
    "emulator": "run the local emulator in the foreground",
    "api": "send any request to the service with the configured key; print the answer",
}

BATCH_EPILOG: Final = """\
jobs file: one JSON object per line, e.g.
  {"id": "lemon", "prompt": "A lemon rolling", "model": "sora-2", "duration": 4, "out": "lemon.mp4"}
"id" (default: line-N) and "out" (default: ID.mp4 in --out-dir) are optional; every other key is
a create field. Progress is journaled in OUT_DIR/.lemonvideo-journal.sqlite; run the same command
again to resume. A job whose create outcome is unknown is not resent without --resubmit-unknown.

several workers, on any machines: queue the jobs in PostgreSQL and start workers that claim them
  lemonvideo batch jobs.jsonl --journal postgresql://host/db --out-dir videos --redis redis://host
  lemonvideo batch --worker --journal postgresql://host/db --out-dir videos --redis redis://host"""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    common.add_argument(
        "--emulator",
        action="store_true",
        help="run against an in-process emulator (the default when no key is set)",
    )
    common.add_argument(
        "--emulator-catalog",
        metavar="FILE",
        help="the built-in emulator serves this GET /v1/models answer (JSON) as its catalog",
    )
    return common


def _sub(
    subs: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    parents: list[argparse.ArgumentParser],
    epilog: str = "",
) -> argparse.ArgumentParser:
    text = f"{epilog}\n\n" if epilog else ""
    return subs.add_parser(
        name,
        help=HELP[name],
        description=HELP[name].capitalize() + ".",
        parents=parents,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"{text}example:\n  {EXAMPLES[name]}\n\n{EXIT_CODES_HELP}",
    )


def _add_out(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--out",
        metavar="FILE",
        required=required,
        help="where to save the video (a file, or a directory for TASK_ID.mp4)",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace --out if it exists")


def _add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_WAIT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up waiting after this long (default {DEFAULT_WAIT_TIMEOUT:.0f})",
    )


def _add_generate(
    subs: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    parser = _sub(subs, "generate", [common])
    parser.add_argument("prompt", help="what the video should show")
    add_create_options(parser)
    _add_out(parser)
    parser.add_argument("--no-wait", action="store_true", help="print the task id and poll_url, then exit")
    _add_timeout(parser)
    parser.add_argument(
        "--cancel-on-interrupt",
        action="store_true",
        help="on Ctrl-C or SIGTERM, cancel the task instead of asking",
    )


def _add_task_commands(
    subs: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    for name in ("status", "wait", "cancel", "download"):
        parser = _sub(subs, name, [common])
        parser.add_argument("task_id", metavar="ID", help="the task id (video_...)")
        if name in ("wait", "download"):
            _add_out(parser, required=name == "download")
        if name == "wait":
            _add_timeout(parser)


def _add_others(
    subs: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    models = _sub(subs, "models", [common])
    models.add_argument("--operation", help="only models that can do this operation")
    models.add_argument("--provider", help="only models of this provider (case-insensitive)")
    models.add_argument(
        "--live",
        action="store_true",
        help="ask the service's catalog (GET /v1/models) instead of the snapshot",
    )

    batch = _sub(subs, "batch", [common], BATCH_EPILOG)
    batch.add_argument("jobs", metavar="JOBS.jsonl", nargs="?", help="one JSON job per line")
    batch.add_argument("--out-dir", required=True, metavar="DIR", help="where videos, journal and report go")
    batch.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"jobs in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    batch.add_argument(
        "--rpm",
        type=int,
        default=DEFAULT_RPM,
        metavar="BUDGET",
        help=f"API requests per minute, creates and polls together (default {DEFAULT_RPM})",
    )
    batch.add_argument(
        "--resubmit-unknown",
        action="store_true",
        help="resend jobs whose create outcome is unknown (may pay twice)",
    )
    _add_timeout(batch)
    _add_shared(batch)


def _add_emulator(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    emulator = _sub(subs, "emulator", [])
    emulator.add_argument(
        "--port", type=int, default=DEFAULT_EMULATOR_PORT, help="API port (0: any free port)"
    )
    emulator.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    emulator.add_argument("--time-scale", type=float, default=1.0, help="emulated seconds per real second")
    emulator.add_argument("--json", action="store_true", help="print the URL and key as one JSON line")
    emulator.add_argument(
        "--catalog", metavar="FILE", help="serve this GET /v1/models answer (JSON) as the catalog"
    )


def _add_shared(batch: argparse.ArgumentParser) -> None:
    shared = batch.add_argument_group("several processes and machines")
    shared.add_argument(
        "--journal",
        metavar="URL",
        help="keep the journal in PostgreSQL (postgresql://...) for workers to share (default: SQLite)",
    )
    shared.add_argument(
        "--worker", action="store_true", help="claim and run jobs already queued in --journal"
    )
    shared.add_argument(
        "--lease",
        type=float,
        default=DEFAULT_LEASE,
        metavar="SECONDS",
        help=f"a dead worker's jobs go to the others after this long (default {DEFAULT_LEASE:.0f})",
    )
    shared.add_argument(
        "--redis",
        metavar="URL",
        help="share --rpm with every batch and worker using this Redis (redis://...)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The `lemonvideo` parser with all its commands."""
    parser = argparse.ArgumentParser(
        prog="lemonvideo",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"example:\n  {EXAMPLES['generate']} --emulator\n\n{EXIT_CODES_HELP}",
    )
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _common()
    _add_generate(subs, common)
    _add_task_commands(subs, common)
    _add_others(subs, common)
    _add_emulator(subs)
    add_api_options(_sub(subs, "api", [common]))
    return parser
