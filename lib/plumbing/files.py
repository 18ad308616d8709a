"""Atomic file writes: nothing already written is lost because a later step failed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(target: Path, payload: bytes) -> None:
    """Write ``payload`` to a temp file beside ``target``, fsync it, then rename over ``target``.

    Readers see either the old file or the new one, never a half-written file; on any error
    the temp file is removed and ``target`` is untouched. The file is made world-readable.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
