"""Atomic file writes, and reads that never block.

Writes: nothing already written is lost because a later step failed.

A write goes to a temp file beside its target (``.<name>.<random>.tmp``), is flushed and
fsynced, then renamed over the target with ``os.replace`` (atomic on POSIX), and the folder
is fsynced so the rename itself survives a power cut. A process killed mid-write leaves only
a temp file; :func:`stale_temp_files` finds those so the owner of the target can remove them.

Reads: :func:`open_regular` (and :func:`read_regular_bytes`, :func:`read_regular_text`) open
without blocking and refuse anything that is not a regular file (a named pipe, a folder, a
device) with :class:`NotRegularFile` naming it, so a FIFO left in the reports or cache folder
is never waited on. Every read of a file in those folders goes through them.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def os_reason(err: OSError) -> str:
    """The operating system's words for ``err`` ("No space left on device"), for one-line messages."""
    return err.strerror or str(err)


class NotRegularFile(OSError):
    """A path holds a named pipe, a folder or a device where a regular file was expected."""

    def __init__(self, path: Path | str, kind: str) -> None:
        super().__init__(f"{path} is not a regular file ({kind})")
        self.path, self.kind = path, kind


def file_kind(mode: int) -> str:
    """What a non-regular file is, for messages (``a named pipe``)."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "an unusual kind of file"


def open_regular(path: Path | str) -> tuple[BinaryIO, os.stat_result]:
    """``path`` opened for reading, with its status, without ever blocking.

    Opened with ``O_NONBLOCK`` (a named pipe without a writer opens at once instead of waiting)
    and checked with ``fstat`` on the open descriptor: anything but a regular file raises
    :class:`NotRegularFile` naming the path and what it is, and is left as it is. Other errors
    (``FileNotFoundError``, permissions, a symbolic-link loop) are raised as ``open`` raises them.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(path, file_kind(status.st_mode))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb"), status
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_bytes(path: Path | str) -> bytes:
    """The bytes of a regular file; :class:`NotRegularFile` (never a wait) for anything else."""
    handle, _ = open_regular(path)
    with handle:
        return handle.read()


def read_regular_text(path: Path | str) -> str:
    """The UTF-8 text of a regular file; :class:`NotRegularFile` (never a wait) for anything else."""
    return read_regular_bytes(path).decode("utf-8")


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk; a no-op where folders cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def atomic_write_bytes(target: Path, payload: bytes) -> None:
    """Write ``payload`` to a temp file beside ``target``, fsync it, then rename over ``target``.

    Readers see either the old file or the new one, never a half-written file; on any error
    the temp file is removed and ``target`` is untouched. The file is made world-readable.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def stale_temp_files(folder: Path, name: str = "*", older_than_s: float = 0.0) -> list[Path]:
    """Temp files :func:`atomic_write_bytes` left in ``folder`` for targets named ``name`` (a killed write).

    ``name`` is a target file name or a glob (``"*"``: every target). Only files last modified
    more than ``older_than_s`` seconds ago are listed; with 0 every matching temp file is
    listed, which is safe only while holding the target's write lock.
    """
    if not folder.is_dir():
        return []
    cutoff = time.time() - older_than_s
    found = []
    for path in folder.glob(f"{_temp_prefix(Path(name))}*{TEMP_SUFFIX}"):
        try:
            if older_than_s <= 0 or path.stat().st_mtime < cutoff:
                found.append(path)
        except FileNotFoundError:  # removed meanwhile by its owner
            continue
    return found


def remove_files(paths: list[Path]) -> int:
    """Remove ``paths`` (already gone is fine); returns how many were removed."""
    removed = 0
    for path in paths:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
