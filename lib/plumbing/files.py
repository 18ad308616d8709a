"""Atomic file writes: nothing already written is lost because a later step failed.

A write goes to a temp file beside its target (``.<name>.<random>.tmp``), is flushed and
fsynced, then renamed over the target with ``os.replace`` (atomic on POSIX), and the folder
is fsynced so the rename itself survives a power cut. A process killed mid-write leaves only
a temp file; :func:`stale_temp_files` finds those so the owner of the target can remove them.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".tmp"


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
