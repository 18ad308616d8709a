"""Where things live on disk: repository root, snapshot directory, cache directory.

Every path can be overridden from the environment, so a user can point the project at
another snapshot or keep the cache elsewhere without editing code:

- ``PLUMBING_SNAPSHOT``: the offline snapshot of real public data
  (default ``../shared/data/snapshot`` relative to the repository root).
- ``PLUMBING_CACHE``: the series cache (default ``data/cache`` in the repository).
- ``PLUMBING_OFFLINE``: ``1``/``true`` to never try the live publishers.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
DATA_DIR: Path = REPO_ROOT / "data"
CATALOG_PATH: Path = DATA_DIR / "catalog.yaml"


def snapshot_dir() -> Path:
    """The snapshot directory: ``$PLUMBING_SNAPSHOT`` or ``<repo>/../shared/data/snapshot``."""
    configured = os.environ.get("PLUMBING_SNAPSHOT")
    if configured:
        return Path(configured).expanduser().resolve()
    return (REPO_ROOT.parent / "shared" / "data" / "snapshot").resolve()


def cache_dir() -> Path:
    """The series cache directory: ``$PLUMBING_CACHE`` or ``<repo>/data/cache``."""
    configured = os.environ.get("PLUMBING_CACHE")
    if configured:
        return Path(configured).expanduser().resolve()
    return DATA_DIR / "cache"


def offline_forced() -> bool:
    """True when ``$PLUMBING_OFFLINE`` asks never to contact a live publisher."""
    return os.environ.get("PLUMBING_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}
