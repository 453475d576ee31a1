"""Where a download is saved: safe file names, the temporary part, and the atomic move into place.

The body is written to a hidden temporary file beside the target, named
`.NAME.<pid>.<random>.part` after the process that writes it, and moved into place only
once complete, so the target either does not exist or is whole. A download of NAME first
removes such files whose process is gone (a run killed mid-download), and never touches a
live process's file or any other.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

from ._exceptions import DownloadError, DownloadExistsError
from ._task import Task

MAX_FILENAME_STEM: Final = 100
FALLBACK_STEM: Final = "video"
_UNSAFE_CHARS: Final = re.compile(r"[^A-Za-z0-9._-]+")
# The part of a temporary file's name after `.NAME.`: the writer's pid and mkstemp's 8 random characters.
_PART_TAIL: Final = re.compile(r"([1-9][0-9]{0,9})\.[a-z0-9_]{8}\.part")
_WINDOWS_RESERVED: Final = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)


def default_filename(task: Task, index: int = 0) -> str:
    """A safe file name for output `index` of `task`: `<task id>.mp4`, `<task id>-2.mp4`, ...

    Only `[A-Za-z0-9._-]` survive, so a hostile id cannot name another directory.
    """
    if index < 0:
        msg = f"index must be 0 or more, not {index}"
        raise ValueError(msg)
    stem = _UNSAFE_CHARS.sub("_", task.id).strip(".")[:MAX_FILENAME_STEM].rstrip(".") or FALLBACK_STEM
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"{FALLBACK_STEM}_{stem}"
    suffix = f"-{index + 1}" if index else ""
    return f"{stem}{suffix}.mp4"


def resolve_target(path: str | os.PathLike[str] | None, task: Task, index: int = 0) -> Path:
    """The file to write: `path` itself, or `default_filename` inside it (or the cwd) for a directory."""
    if path is None:
        return Path.cwd() / default_filename(task, index)
    text = os.fspath(path)
    target = Path(text).expanduser()
    if target.is_dir() or text.endswith(("/", os.sep)):
        return target / default_filename(task, index)
    return target


def check_target(path: str | os.PathLike[str], *, overwrite: bool) -> None:
    """Refuse, before a task is paid for, an `out` no download could write: an existing file
    (DownloadExistsError, unless `overwrite`) or a directory that does not exist (DownloadError)."""
    text = os.fspath(path)
    target = Path(text).expanduser()
    is_folder = target.is_dir() or text.endswith(("/", os.sep))
    folder = target if is_folder else target.parent
    if not folder.is_dir():
        msg = f"cannot save to {target}: the directory {folder} does not exist"
        raise DownloadError(msg)
    if not is_folder and not overwrite and os.path.lexists(target):
        msg = f"{target} already exists; pass overwrite=True to replace it"
        raise DownloadExistsError(msg)


def part_prefix(dest: Path, pid: int) -> str:
    """The start of the name of `dest`'s temporary file written by process `pid`."""
    return f".{dest.name}.{pid}."


def remove_stale_parts(dest: Path) -> list[Path]:
    """Remove the temporary files of `dest` left by processes that are no longer running.

    Only regular files beside `dest` named exactly `.NAME.<pid>.<8 random characters>.part`
    are candidates, and only when no process `pid` exists; errors are ignored (best effort).
    Returns the files removed.
    """
    prefix = f".{dest.name}."
    try:
        with os.scandir(dest.parent) as entries:
            stale = [entry for entry in entries if _is_stale_part(entry, prefix)]
    except OSError:
        return []
    removed = []
    for entry in stale:
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _is_stale_part(entry: os.DirEntry[str], prefix: str) -> bool:
    """Whether `entry` is a temporary file (of the target named by `prefix`) whose writer is gone."""
    if not entry.name.startswith(prefix):
        return False
    match = _PART_TAIL.fullmatch(entry.name, len(prefix))
    if match is None or _is_running(int(match[1])):
        return False
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_running(pid: int) -> bool:
    """Whether process `pid` exists; True when that cannot be told (never remove a live writer's file)."""
    if os.name != "posix":
        return True  # on Windows os.kill(pid, 0) would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # PermissionError: it runs, as another user
    return True


def umask() -> int:
    """The process umask, read without changing it (os.umask would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def place(tmp: Path, dest: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)  # atomic and fails if dest appeared meanwhile
    except FileExistsError as exc:
        msg = f"{dest} already exists; pass overwrite=True to replace it"
        raise DownloadExistsError(msg) from exc
    except (OSError, NotImplementedError):
        # No hard links here (FAT, some network shares): the best check left.
        if os.path.lexists(dest):
            msg = f"{dest} already exists; pass overwrite=True to replace it"
            raise DownloadExistsError(msg) from None
        os.replace(tmp, dest)
        return
    tmp.unlink()
