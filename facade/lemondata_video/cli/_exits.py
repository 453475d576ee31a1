"""Exit codes of `lemonvideo`, and the one-line message and code for every error it expects."""

from __future__ import annotations

from typing import Final

from .._exceptions import (
    APIConnectionError,
    APIError,
    DownloadError,
    DownloadExistsError,
    LemonDataError,
    RequestValidationError,
    TaskError,
    TaskMayExistError,
    WaitTimeoutError,
)

OK: Final = 0
INTERNAL: Final = 1
USAGE: Final = 2
VALIDATION: Final = 3
API_ERROR: Final = 4
TASK_FAILED: Final = 5
TIMEOUT: Final = 6
MAY_EXIST: Final = 7
INTERRUPTED: Final = 130
TERMINATED: Final = 143  # 128 + SIGTERM (15): docker stop, Kubernetes, systemd

EXIT_CODES_HELP: Final = """\
exit codes:
  0    success
  1    internal error (a bug: please report it; LEMONVIDEO_DEBUG=1 shows the traceback)
  2    usage: unknown option, bad value type, unreadable jobs file
  3    validation: the request or a local input is invalid; nothing was sent
  4    API or connection error (the service answered with an error, or could not be reached)
  5    the task failed or was cancelled
  6    timed out waiting, or the task is not finished yet (download)
  7    a create was sent but its answer was lost: a task may exist; not resent (TaskMayExistError)
  130  interrupted (Ctrl-C); the task id and the command that resumes it are printed
  143  terminated (SIGTERM, as docker stop and Kubernetes send); the same as Ctrl-C"""

# The library's advice, said the command line's way.
LIBRARY_TO_CLI: Final = (
    ("Pass allow_unknown_model=True", "Pass --allow-unknown-model"),
    ("client.models() lists", "`lemonvideo models` lists"),
    ("client.models(live=True) lists", "`lemonvideo models --live` lists"),
    ("overwrite=True", "--overwrite"),
)


class CLIError(Exception):
    """An error the CLI itself detects; carries its exit code, and the task and resume command if any."""

    def __init__(
        self, message: str, *, code: int, task_id: str | None = None, resume: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.task_id = task_id
        self.resume = resume


class InputError(CLIError):
    """A local input is invalid (missing image file, bad jobs line); nothing was sent."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=VALIDATION)


def exit_code(exc: BaseException) -> int:
    """The exit code for an error `lemonvideo` expects; INTERNAL for anything else."""
    if isinstance(exc, CLIError):
        return exc.code
    table: tuple[tuple[type[BaseException], int], ...] = (
        (RequestValidationError, VALIDATION),
        (DownloadExistsError, VALIDATION),
        (TaskMayExistError, MAY_EXIST),
        (TaskError, TASK_FAILED),
        (WaitTimeoutError, TIMEOUT),
        (APIError, API_ERROR),
        (APIConnectionError, API_ERROR),
        (DownloadError, API_ERROR),
        (LemonDataError, API_ERROR),
    )
    for kind, code in table:
        if isinstance(exc, kind):
            return code
    return INTERNAL


def one_line(exc: BaseException) -> str:
    """The error's message on one line, with the server's did-you-mean and hint when known."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    for library, command in LIBRARY_TO_CLI:
        text = text.replace(library, command)
    did_you_mean = getattr(exc, "did_you_mean", None)
    if isinstance(did_you_mean, str) and did_you_mean and did_you_mean not in text:
        text += f" (did you mean {did_you_mean!r}?)"
    if isinstance(exc, DownloadExistsError) and "--overwrite" not in text:
        text += "; pass --overwrite to replace it"
    return text
