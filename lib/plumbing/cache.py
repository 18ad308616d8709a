"""The series cache: one parquet file per series, its provenance stored inside the file.

Layout: ``<root>/<key>.parquet`` with two columns, ``date`` (timestamp, tz-naive, unique,
sorted) and ``value`` (float64, in the project's common units: USD bn, percent, bp;
converted once by the catalog on the way in), and the provenance (:class:`SeriesMetadata`)
as JSON in the parquet schema's key-value metadata. One file per series means one write and
one rename: a killed or failed write leaves the previous file whole (see :mod:`plumbing.files`).

Guarantees:

- **merge, never shrink**: new observations are added, revised values replace old ones and
  are counted, and nothing cached is dropped because a refresh returned less;
- **one writer at a time**: :meth:`SeriesCache.merge` holds an exclusive per-series lock
  (``filelock``, ``<root>/.<key>.lock``) from the read to the rename, so concurrent syncs never
  lose each other's rows. Readers take no lock: they see the old file or the new one;
- **never merge on a failed read**: a file that reads with the right structure is merged;
  one that cannot be read, has the wrong structure (columns, dtypes, dates), holds values that
  are not finite numbers (NaN, infinite) or whose data do not match the checksum written with
  them is moved aside to ``<key>.corrupt-<UTC time>`` and reported, never overwritten; a
  refresh with non-finite values is refused before anything is written;
- **shown figures come from the data**: ``rows``, ``first`` and ``last`` of
  :meth:`SeriesCache.metadata` are computed from the stored dates, not trusted from metadata.

Cost of checking: the data checksum (SHA-256 of dates and values) is computed on write and
verified once per file version per process; a version is identified by device, inode, size
and modification time, and later reads of it are served from memory.

Older caches: format 2 (parquet plus a ``<key>.meta.json`` beside it) is read and rewritten
as format 3 at the next merge; format 1 (native units) is moved aside and re-imported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from . import config
from .files import NotRegularFile, atomic_write_bytes, open_regular, os_reason, read_regular_text, remove_files, stale_temp_files

log = logging.getLogger(__name__)

#: what the files of this version hold; 3: provenance inside the parquet file (one file, one rename)
CACHE_FORMAT = 3
#: still read (parquet plus ``.meta.json``, values in common units); rewritten at the next merge
LEGACY_FORMAT = 2
#: the schema metadata key holding the provenance JSON
METADATA_KEY = b"plumbing"
#: seconds a writer waits for another process's write lock before giving up
LOCK_TIMEOUT_S = 120.0
#: temp files older than this (seconds) are left-overs of a killed write, removed by any writer
STALE_TEMP_AGE_S = 3600.0
#: refreshes remembered in the provenance, newest last
HISTORY_LENGTH = 20
_MEMO_LIMIT = 1024
_REVISION_TOLERANCE = 1e-12


class CacheWarning(UserWarning):
    """Something in the cache needs attention but nothing was lost."""


class CacheError(RuntimeError):
    """The cache cannot serve or store a series; the message names the file and the reason."""


class CacheCorrupt(CacheError):
    """A cache file that cannot be read or has the wrong structure; the next merge moves it aside."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cache file {path} is corrupted: {reason}")
        self.path = path
        self.reason = reason


class CacheWriteError(CacheError):
    """The cache cannot be written: not a folder, read-only, disk full, or locked too long."""


@dataclass
class SeriesMetadata:
    """Provenance of one cached series (``rows``/``first``/``last`` as computed from the data)."""

    key: str
    source: str  # "snapshot", "fred", "yahoo", "nyfed", "treasury", "mof" ("unknown" for a bare legacy file)
    source_id: str
    retrieved_at: str  # ISO 8601, UTC
    first: str | None  # first observation date, ISO
    last: str | None  # last observation date, ISO
    rows: int
    checksum: str  # SHA-256 of the data (format 3: dates and values; format 2: the parquet file)
    snapshot_checksum: str | None = None  # SHA-256 of the snapshot file last merged in, if any
    added_last_refresh: int = 0
    revised_last_refresh: int = 0
    history: list[dict] = field(default_factory=list)  # one line per refresh, newest last
    format: int = CACHE_FORMAT


@dataclass(frozen=True)
class CachedSeries:
    """One cached series as read from disk: values (common units), provenance, file."""

    series: pd.Series
    meta: SeriesMetadata
    path: Path
    legacy: bool = False  # format 2: rewritten in the current format at the next merge


@dataclass(frozen=True)
class MergeResult:
    """What a refresh did to the cached series (row counts, before and after)."""

    key: str
    rows_before: int
    rows_after: int
    received: int
    added: int
    revised: int
    written: bool
    warning: str | None = None
    quarantined: str | None = None  # an unusable previous file: what was wrong and where it was moved


# --- encoding -------------------------------------------------------------------------------


def data_checksum(series: pd.Series) -> str:
    """SHA-256 (hex) of the dates (int64 ns) and values (float64) of ``series``."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(series.index.values.astype("datetime64[ns]").view("int64")).tobytes())
    digest.update(np.ascontiguousarray(series.to_numpy(dtype="float64")).tobytes())
    return digest.hexdigest()


def encode(series: pd.Series, meta: SeriesMetadata) -> bytes:
    """The parquet bytes of ``series`` with ``meta`` in the schema metadata."""
    table = pa.table({
        "date": pa.array(series.index.values.astype("datetime64[ns]"), type=pa.timestamp("ns")),
        "value": pa.array(series.to_numpy(dtype="float64"), type=pa.float64()),
    })
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(asdict(meta)).encode("utf-8")})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _metadata_from_dict(raw: dict) -> SeriesMetadata:
    """Provenance from its JSON form; fields of other versions are mapped or ignored."""
    known = {f.name for f in fields(SeriesMetadata)}
    values = {k: v for k, v in raw.items() if k in known}
    if "snapshot_checksum" not in raw and raw.get("source") == "snapshot":
        values["snapshot_checksum"] = raw.get("origin_checksum")  # format 2 name
    return SeriesMetadata(**values)


def _series_from_table(table: pa.Table, path: Path, key: str) -> pd.Series:
    """The ``date``/``value`` columns as a float series; :class:`CacheCorrupt` if the structure is wrong."""
    names = table.column_names
    for column in ("date", "value"):
        if column not in names:
            raise CacheCorrupt(path, f"it has no {column!r} column (columns: {', '.join(names) or 'none'})")
    date_type, value_type = table.schema.field("date").type, table.schema.field("value").type
    if not pa.types.is_timestamp(date_type) or date_type.tz is not None:
        raise CacheCorrupt(path, f"its 'date' column holds {date_type}, not tz-naive dates")
    if not pa.types.is_floating(value_type):
        raise CacheCorrupt(path, f"its 'value' column holds {value_type}, not float numbers")
    dates = table.column("date")
    if dates.null_count:
        raise CacheCorrupt(path, f"{dates.null_count} rows have no date")
    index = pd.DatetimeIndex(dates.cast(pa.timestamp("ns")).to_numpy(), name="date")
    if index.has_duplicates:
        raise CacheCorrupt(path, f"date {index[index.duplicated()][0].date()} appears more than once")
    values = table.column("value").to_numpy(zero_copy_only=False).astype("float64")  # a null reads as NaN
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise CacheCorrupt(path, f"{int(bad.sum())} values are not finite numbers (NaN or infinite; the first on "
                                 f"{index[first].date()}: {values[first]})")
    series = pd.Series(values, index=index, name=key)
    return series if index.is_monotonic_increasing else series.sort_index()


def _with_data_figures(meta: SeriesMetadata, series: pd.Series) -> SeriesMetadata:
    """``meta`` with rows, first and last taken from ``series``."""
    if series.empty:
        return replace(meta, rows=0, first=None, last=None)
    return replace(meta, rows=int(len(series)), first=series.index[0].date().isoformat(),
                   last=series.index[-1].date().isoformat())


def _signature(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


#: verified reads of this process: path -> (file signature, legacy .meta.json signature, entry)
_MEMO: dict[Path, tuple[tuple, tuple | None, CachedSeries]] = {}


def _remember(path: Path, signature: tuple, legacy_signature: tuple | None, entry: CachedSeries) -> None:
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[path] = (signature, legacy_signature, entry)


class SeriesCache:
    """A folder of cached series (``$PLUMBING_CACHE`` or ``data/cache`` by default)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root else config.cache_dir()

    def __repr__(self) -> str:
        return f"SeriesCache(root={str(self.root)!r})"

    def data_path(self, key: str) -> Path:
        """The series' parquet file."""
        return self.root / f"{key}.parquet"

    def legacy_meta_path(self, key: str) -> Path:
        """The JSON metadata file of a format-2 cache (absent in format 3)."""
        return self.root / f"{key}.meta.json"

    def lock_path(self, key: str) -> Path:
        """The write-lock file of ``key`` (kept; an unlocked lock file is harmless)."""
        return self.root / f".{key}.lock"

    def keys(self) -> list[str]:
        """Keys that have a data file in the cache (moved-aside files excluded)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name[: -len(".parquet")] for p in self.root.glob("*.parquet") if not p.name.startswith("."))

    # --- reading ------------------------------------------------------------------------

    def entry(self, key: str) -> CachedSeries | None:
        """The cached series with its provenance; None if absent. Shared: do not modify it.

        Raises :class:`CacheCorrupt` for a file that cannot be read as parquet, has the wrong
        structure or holds non-finite values, :class:`CacheError` when the file exists but cannot
        be opened or is not a regular file (a folder, a named pipe: never waited on).
        """
        path = self.data_path(key)
        try:  # never blocks: a FIFO (or a device) in a file's place is refused, not waited on
            handle, status = open_regular(path)
        except FileNotFoundError:
            return None
        except NotRegularFile as err:
            raise CacheError(f"cannot read cache file {path}: it is not a regular file "
                             f"({err.kind}){self._root_hint()}") from None
        except OSError as err:
            raise CacheError(f"cannot read cache file {path}: {os_reason(err)}{self._root_hint()}") from None
        with handle:
            signature = _signature(status)
            known = _MEMO.get(path)
            if known and known[0] == signature and (not known[2].legacy or known[1] == self._legacy_signature(key)):
                return known[2]
            legacy_signature = self._legacy_signature(key)
            payload = handle.read()
        entry = self._decode(key, path, payload)
        _remember(path, signature, legacy_signature if entry.legacy else None, entry)
        return entry

    def read(self, key: str) -> pd.Series | None:
        """The cached series (common units), or None when absent or corrupted (with a warning)."""
        try:
            found = self.entry(key)
        except CacheCorrupt as err:
            warnings.warn(f"{err}; the next sync moves it aside and re-imports it", CacheWarning, stacklevel=2)
            return None
        return None if found is None else found.series.copy()

    def metadata(self, key: str) -> SeriesMetadata | None:
        """The provenance of ``key`` (rows/first/last from the data), or None if absent or corrupted."""
        try:
            found = self.entry(key)
        except CacheCorrupt as err:
            warnings.warn(f"{err}; the next sync moves it aside and re-imports it", CacheWarning, stacklevel=2)
            return None
        return None if found is None else found.meta

    def preload(self) -> int:
        """Read and verify every cached series into this process's memo (a fork server does
        this once so each forked report kernel starts with the cache parsed; each later read
        still checks the file's signature). Unreadable files are left for the reader that
        needs them to name. Returns how many series were loaded."""
        loaded = 0
        for key in self.keys():
            try:
                loaded += self.entry(key) is not None
            except CacheError:
                continue
        return loaded

    def _legacy_signature(self, key: str) -> tuple | None:
        try:
            return _signature(os.stat(self.legacy_meta_path(key)))
        except OSError:
            return None

    def root_problem(self) -> str | None:
        """Why the cache folder cannot hold a cache (it is a file), or None."""
        if self.root.exists() and not self.root.is_dir():
            return f"the cache folder {self.root} is a file, not a folder (check PLUMBING_CACHE)"
        return None

    def _root_hint(self) -> str:
        problem = self.root_problem()
        return f" ({problem})" if problem else ""

    def _decode(self, key: str, path: Path, payload: bytes) -> CachedSeries:
        """Parse and verify one file's bytes (format 3, else format 2 with its JSON)."""
        try:
            # no thread pool and no pre-buffering: nothing to gain on two columns, pyarrow's pool
            # can abort the interpreter at exit (apache/arrow#34314), and a read that starts no
            # thread keeps the report fork server (which preloads the cache) safe to fork;
            # ParquetFile also skips read_table's dataset layer (a third of a warm load)
            table = pq.ParquetFile(pa.BufferReader(payload), pre_buffer=False).read(use_threads=False)
        except (pa.ArrowException, OSError, ValueError) as err:
            raise CacheCorrupt(path, f"it cannot be read as parquet ({type(err).__name__}: {err})") from None
        series = _series_from_table(table, path, key)
        embedded = (table.schema.metadata or {}).get(METADATA_KEY)
        if embedded is None:
            meta = self._legacy_metadata(key, path, payload)
            return CachedSeries(series, _with_data_figures(meta, series), path, legacy=True)
        try:
            meta = _metadata_from_dict(json.loads(embedded))
        except (ValueError, TypeError) as err:
            raise CacheCorrupt(path, f"its provenance metadata is unreadable ({err})") from None
        if meta.format != CACHE_FORMAT:
            raise CacheCorrupt(path, f"it claims cache format {meta.format}; this version writes format {CACHE_FORMAT}")
        if meta.key != key:  # a file copied or linked from another series is not this series' data
            raise CacheCorrupt(path, f"it holds the series {meta.key!r}, not {key!r}")
        if data_checksum(series) != meta.checksum:
            raise CacheCorrupt(path, "its dates or values do not match the checksum written with them")
        return CachedSeries(series, _with_data_figures(meta, series), path)

    def _legacy_metadata(self, key: str, path: Path, payload: bytes) -> SeriesMetadata:
        """Provenance of a format-2 file from its ``.meta.json``.

        Format 2 wrote the data, then the JSON: a crash in between left a JSON that does not
        match. The data, which read with the right structure, are kept either way; only a
        format-1 file (native units) is refused.
        """
        meta_path = self.legacy_meta_path(key)
        unknown = SeriesMetadata(key=key, source="unknown", source_id="", retrieved_at="", first=None, last=None,
                                 rows=0, checksum=hashlib.sha256(payload).hexdigest(), format=LEGACY_FORMAT)
        try:
            raw = json.loads(read_regular_text(meta_path))
            meta = _metadata_from_dict(raw)
        except FileNotFoundError:
            log.warning("cache file %s has no provenance (no %s); its data are kept", path, meta_path.name)
            return unknown
        except NotRegularFile as err:  # never waited on: a reader names it, a sync moves the pair aside
            raise CacheCorrupt(path, f"its metadata file {err}") from None
        except (OSError, ValueError, TypeError) as err:
            log.warning("the metadata file %s is unreadable (%s); the data of %s are kept", meta_path, err, path.name)
            return unknown
        if meta.format != LEGACY_FORMAT:
            raise CacheCorrupt(path, f"it was written in cache format {meta.format} (its {meta_path.name}); "
                                     f"this version reads formats {LEGACY_FORMAT} and {CACHE_FORMAT}")
        if meta.key != key:  # a pair copied from another series is not this series' data
            raise CacheCorrupt(path, f"its {meta_path.name} says it holds the series {meta.key!r}, not {key!r}")
        if meta.checksum != unknown.checksum:
            log.warning("the metadata file %s does not match %s (an interrupted write?); the data are kept",
                        meta_path, path.name)
        return replace(meta, checksum=unknown.checksum)

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def write_lock(self, key: str) -> Iterator[None]:
        """Hold the exclusive write lock of ``key`` (released by the OS if the process dies)."""
        self.ensure_root()
        path = self.lock_path(key)
        lock = FileLock(path, timeout=LOCK_TIMEOUT_S)
        try:
            lock.acquire()
        except Timeout:
            raise CacheWriteError(f"another process has held the write lock {path} for over {LOCK_TIMEOUT_S:.0f} s "
                                  "(is another sync running?)") from None
        except OSError as err:
            raise CacheWriteError(f"cannot create the write lock {path}: {os_reason(err)}") from None
        try:
            yield
        finally:
            lock.release()

    def ensure_root(self) -> None:
        """Create the cache folder if needed; :class:`CacheWriteError` if it is a file or cannot be made."""
        problem = self.root_problem()
        if problem:
            raise CacheWriteError(problem)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CacheWriteError(f"cannot create the cache folder {self.root}: {os_reason(err)}") from None

    def remove_stale_temps(self, older_than_s: float = STALE_TEMP_AGE_S) -> int:
        """Remove temp files of writes killed more than ``older_than_s`` seconds ago; returns how many."""
        return remove_files(stale_temp_files(self.root, "*", older_than_s))

    def _current_or_quarantine(self, key: str) -> tuple[CachedSeries | None, str | None]:
        """Under the lock: the current entry, or None and a report after moving an unusable file aside."""
        try:
            return self.entry(key), None
        except CacheCorrupt as err:
            moved = self._quarantine(key)
            message = f"{err}; moved aside to {moved}"
            log.info(message)
            warnings.warn(message, CacheWarning, stacklevel=3)
            return None, message

    def _quarantine(self, key: str) -> Path:
        """Move ``key``'s unusable file (and a legacy JSON) to ``<key>.corrupt-<UTC time>``."""
        target = self.root / f"{key}.corrupt-{_utc_stamp()}"
        try:
            os.replace(self.data_path(key), target)
            if self.legacy_meta_path(key).exists():
                os.replace(self.legacy_meta_path(key), target.with_name(target.name + ".meta.json"))
        except OSError as err:
            raise CacheWriteError(f"cannot move the corrupted {self.data_path(key)} aside: {os_reason(err)}") from None
        _MEMO.pop(self.data_path(key), None)
        return target

    def merge(
        self,
        key: str,
        incoming: pd.Series,
        *,
        source: str,
        source_id: str,
        snapshot_checksum: str | None = None,
        fill_only: bool = False,
    ) -> MergeResult:
        """Merge a refresh into the cache under the series' write lock, and write it atomically.

        New dates are added, overlapping dates take the incoming value (counted as revised
        when it differs), dates the refresh lacks are kept. With ``fill_only`` only dates the
        cache lacks are taken and the provenance keeps its source (a snapshot filling in after a
        live download). ``snapshot_checksum`` records the snapshot file merged (None: keep the
        previous one). An empty refresh writes nothing. An unusable previous file is moved aside
        (``quarantined``) before the merge, never merged on.
        """
        incoming = incoming.dropna().astype("float64")
        if incoming.index.has_duplicates:
            raise ValueError(f"{key}: the refresh from {source} lists date "
                             f"{incoming.index[incoming.index.duplicated()][0].date()} more than once")
        infinite = ~np.isfinite(incoming.to_numpy())
        if infinite.any():  # a file holding them would read as corrupt
            raise ValueError(f"{key}: the refresh from {source} holds an infinite value on "
                             f"{incoming.index[infinite][0].date()}; nothing was written")
        with self.write_lock(key):
            remove_files(stale_temp_files(self.root, self.data_path(key).name))
            current, quarantined = self._current_or_quarantine(key)
            return self._merge_locked(key, current, incoming, source=source, source_id=source_id,
                                      snapshot_checksum=snapshot_checksum, fill_only=fill_only,
                                      quarantined=quarantined)

    def _merge_locked(self, key: str, current: CachedSeries | None, incoming: pd.Series, *, source: str,
                      source_id: str, snapshot_checksum: str | None, fill_only: bool,
                      quarantined: str | None) -> MergeResult:
        cached = current.series if current is not None else None
        before = 0 if cached is None else len(cached)
        if fill_only and cached is not None:
            incoming = incoming[~incoming.index.isin(cached.index)]
        elif incoming.empty:
            message = f"{key}: the refresh from {source} returned no observations; keeping the {before} cached rows"
            warnings.warn(message, CacheWarning, stacklevel=3)
            return MergeResult(key, before, before, 0, 0, 0, written=False, warning=message, quarantined=quarantined)
        merged, added, revised = _combine(cached, incoming)
        warning = None
        if not fill_only and cached is not None and len(incoming) < before:
            kept = before - len(cached.index.intersection(incoming.index))
            warning = (f"{key}: the refresh from {source} returned {len(incoming)} rows, fewer than the "
                       f"{before} cached; kept the {kept} cached rows it lacks")
            warnings.warn(warning, CacheWarning, stacklevel=3)
        previous = current.meta if current is not None else None
        if fill_only and previous is not None:
            source, source_id = previous.source, previous.source_id
        if snapshot_checksum is None and previous is not None:
            snapshot_checksum = previous.snapshot_checksum
        unchanged = (current is not None and not current.legacy and added == 0 and revised == 0
                     and (previous.source, previous.source_id, previous.snapshot_checksum)
                     == (source, source_id, snapshot_checksum))
        if unchanged or merged.empty:
            return MergeResult(key, before, before, len(incoming), 0, 0, written=False, warning=warning,
                               quarantined=quarantined)
        meta = _next_metadata(key, merged, previous, source=source, source_id=source_id,
                              snapshot_checksum=snapshot_checksum, added=added, revised=revised,
                              note="dates the cache lacked, from the snapshot" if fill_only else None)
        self._write(key, merged, meta)
        return MergeResult(key, before, len(merged), len(incoming), added, revised, written=True,
                           warning=warning, quarantined=quarantined)

    def _write(self, key: str, series: pd.Series, meta: SeriesMetadata) -> None:
        """One atomic write of ``series`` with ``meta``; the caller holds the write lock."""
        path = self.data_path(key)
        try:
            atomic_write_bytes(path, encode(series, meta))
        except OSError as err:
            raise CacheWriteError(f"cannot write {path}: {os_reason(err)}; the previous file is kept") from None
        self.legacy_meta_path(key).unlink(missing_ok=True)  # the data file now carries its provenance
        try:
            signature = _signature(os.stat(path))
        except OSError:
            return
        _remember(path, signature, None, CachedSeries(series, _with_data_figures(meta, series), path))
        log.debug("cached %s: %d rows from %s", key, len(series), meta.source)


def _combine(cached: pd.Series | None, incoming: pd.Series) -> tuple[pd.Series, int, int]:
    """``incoming`` over ``cached``: the merged series, rows added, rows revised."""
    if cached is None:
        merged, added, revised = incoming.sort_index(), len(incoming), 0
    else:
        common = cached.index.intersection(incoming.index)
        revised = int((cached.loc[common] - incoming.loc[common]).abs().gt(_REVISION_TOLERANCE).sum())
        added = int(len(incoming.index.difference(cached.index)))
        merged = incoming.combine_first(cached).sort_index()
    merged.index = pd.DatetimeIndex(merged.index, name="date")
    return merged.astype("float64"), added, revised


def _next_metadata(key: str, series: pd.Series, previous: SeriesMetadata | None, *, source: str, source_id: str,
                   snapshot_checksum: str | None, added: int, revised: int, note: str | None) -> SeriesMetadata:
    """The provenance written with ``series``: this refresh appended to the previous history."""
    retrieved_at = _now_iso()
    history = list(previous.history if previous else [])[-(HISTORY_LENGTH - 1):]
    line = {"retrieved_at": retrieved_at, "source": source, "added": added, "revised": revised}
    if note:
        line["note"] = note
    history.append(line)
    meta = SeriesMetadata(key=key, source=source, source_id=source_id, retrieved_at=retrieved_at, first=None,
                          last=None, rows=0, checksum=data_checksum(series), snapshot_checksum=snapshot_checksum,
                          added_last_refresh=added, revised_last_refresh=revised, history=history)
    return _with_data_figures(meta, series)
