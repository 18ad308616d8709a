"""The series cache: one parquet file per series plus a JSON metadata file beside it.

Values are stored in the project's common units (USD bn, percent, bp; converted once by
the catalog on the way in), so observations from different sources merge like for like. Every write is atomic
(temp file in the same folder, then ``os.replace``), so an interrupted run never leaves a
half-written file. Refreshes *merge*: new observations are added, revised values replace old
ones and are counted, and nothing cached is ever dropped because a refresh returned less.
A file that cannot be read, or whose checksum does not match its metadata, is reported as
corrupted and treated as absent, so the next sync re-imports it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import config
from .files import atomic_write_bytes

log = logging.getLogger(__name__)

#: bumped whenever what the cache stores changes meaning; older files are re-imported
CACHE_FORMAT = 2  # 2: values in common units


class CacheWarning(UserWarning):
    """Something in the cache needs attention but nothing was lost."""


@dataclass
class SeriesMetadata:
    """Provenance of one cached series."""

    key: str
    source: str  # "snapshot", "fred", "yahoo", "nyfed", "treasury", "mof"
    source_id: str
    retrieved_at: str  # ISO 8601, UTC
    first: str | None
    last: str | None
    rows: int
    checksum: str  # SHA-256 of the parquet file
    origin_checksum: str | None = None  # SHA-256 of the snapshot file it came from, if any
    added_last_refresh: int = 0
    revised_last_refresh: int = 0
    history: list[dict] = field(default_factory=list)  # one line per refresh, newest last
    format: int = 1


@dataclass(frozen=True)
class MergeResult:
    """What a refresh did to the cached series."""

    key: str
    rows_before: int
    rows_after: int
    received: int
    added: int
    revised: int
    written: bool
    warning: str | None = None


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()




def _series_to_parquet_bytes(series: pd.Series) -> bytes:
    frame = pd.DataFrame({"value": series.to_numpy(dtype="float64")}, index=series.index.rename("date"))
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=True)
    return buffer.getvalue()


class SeriesCache:
    """A folder of cached series (``$PLUMBING_CACHE`` or ``data/cache`` by default)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root else config.cache_dir()

    def __repr__(self) -> str:
        return f"SeriesCache(root={str(self.root)!r})"

    def data_path(self, key: str) -> Path:
        return self.root / f"{key}.parquet"

    def meta_path(self, key: str) -> Path:
        return self.root / f"{key}.meta.json"

    def keys(self) -> list[str]:
        """Keys that have a metadata file in the cache."""
        if not self.root.is_dir():
            return []
        return sorted(p.name[: -len(".meta.json")] for p in self.root.glob("*.meta.json"))

    def metadata(self, key: str) -> SeriesMetadata | None:
        """The metadata of ``key``, or None if absent or unreadable."""
        path = self.meta_path(key)
        if not path.is_file():
            return None
        try:
            return SeriesMetadata(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as err:
            warnings.warn(f"cache metadata for {key!r} is unreadable ({err}); it will be re-imported", CacheWarning, stacklevel=2)
            return None

    def read(self, key: str) -> pd.Series | None:
        """The cached series (common units), or None when absent or corrupted (with a warning)."""
        meta = self.metadata(key)
        path = self.data_path(key)
        if meta is None or not path.is_file():
            return None
        payload = path.read_bytes()
        problem = None
        if meta.format != CACHE_FORMAT:
            problem = f"it was written in cache format {meta.format}, this version reads format {CACHE_FORMAT}"
        elif hashlib.sha256(payload).hexdigest() != meta.checksum:
            problem = "its checksum does not match the metadata"
        else:
            try:
                frame = pd.read_parquet(io.BytesIO(payload), engine="pyarrow")
            except Exception as err:  # pyarrow raises several types for damaged files
                problem = f"it cannot be read ({type(err).__name__}: {err})"
        if problem:
            warnings.warn(
                f"cache file {path.name} for {key!r} is corrupted: {problem}; it will be re-imported",
                CacheWarning,
                stacklevel=2,
            )
            return None
        series = frame["value"].astype("float64")
        series.index = pd.DatetimeIndex(series.index, name="date")
        series.name = key
        return series

    def merge(
        self,
        key: str,
        incoming: pd.Series,
        *,
        source: str,
        source_id: str,
        origin_checksum: str | None = None,
    ) -> MergeResult:
        """Merge a refresh into the cache and write it atomically.

        New dates are added, overlapping dates take the incoming value (counted as revised
        when it differs), dates the refresh lacks are kept. An empty refresh writes nothing.
        """
        cached = self.read(key)
        before = 0 if cached is None else len(cached)
        incoming = incoming.dropna()
        if incoming.empty:
            message = f"{key}: the refresh from {source} returned no observations; keeping the {before} cached rows"
            warnings.warn(message, CacheWarning, stacklevel=2)
            return MergeResult(key, before, before, 0, 0, 0, written=False, warning=message)
        incoming = incoming.astype("float64")
        warning = None
        if cached is None:
            merged, added, revised = incoming.sort_index(), len(incoming), 0
        else:
            common = cached.index.intersection(incoming.index)
            revised = int((cached.loc[common] - incoming.loc[common]).abs().gt(1e-12).sum())
            added = int(len(incoming.index.difference(cached.index)))
            merged = incoming.combine_first(cached).sort_index()
            if len(incoming) < before:
                kept = before - len(common)
                warning = (
                    f"{key}: the refresh from {source} returned {len(incoming)} rows, fewer than the "
                    f"{before} cached; kept the {kept} cached rows it lacks"
                )
                warnings.warn(warning, CacheWarning, stacklevel=2)
        merged.index = pd.DatetimeIndex(merged.index, name="date")
        previous = self.metadata(key)
        unchanged = cached is not None and added == 0 and revised == 0 and len(merged) == before
        if unchanged and previous is not None and previous.source == source and previous.origin_checksum == origin_checksum:
            return MergeResult(key, before, before, len(incoming), 0, 0, written=False, warning=warning)
        self._write(key, merged, source=source, source_id=source_id, origin_checksum=origin_checksum,
                    added=added, revised=revised, previous=previous)
        return MergeResult(key, before, len(merged), len(incoming), added, revised, written=True, warning=warning)

    def _write(self, key: str, series: pd.Series, *, source: str, source_id: str,
               origin_checksum: str | None, added: int, revised: int,
               previous: SeriesMetadata | None) -> None:
        payload = _series_to_parquet_bytes(series)
        retrieved_at = _now_iso()
        history = list(previous.history if previous else [])[-19:]
        history.append({"retrieved_at": retrieved_at, "source": source, "added": added, "revised": revised})
        meta = SeriesMetadata(
            key=key,
            source=source,
            source_id=source_id,
            retrieved_at=retrieved_at,
            first=series.index.min().date().isoformat(),
            last=series.index.max().date().isoformat(),
            rows=int(len(series)),
            checksum=hashlib.sha256(payload).hexdigest(),
            origin_checksum=origin_checksum,
            added_last_refresh=added,
            revised_last_refresh=revised,
            history=history,
            format=CACHE_FORMAT,
        )
        # data first, metadata second: a crash in between leaves a checksum mismatch,
        # which read() reports as corrupted and the next sync repairs.
        atomic_write_bytes(self.data_path(key), payload)
        atomic_write_bytes(self.meta_path(key), json.dumps(asdict(meta), indent=2).encode("utf-8"))
        log.debug("cached %s: %d rows from %s", key, len(series), source)
