"""Fill the cache: live publishers first where reachable, the offline snapshot otherwise.

For each catalog series :func:`sync_series` tries its live source (unless offline), falls
back to the snapshot when the publisher cannot be reached or fails, and merges what it got
into the cache (see :mod:`plumbing.cache` for the merge rules). A series the cache lacks is
first seeded from the snapshot, so a live source with a short window (FRED's 3-year ICE
BofA history) never leaves the cache shorter than the snapshot. Values are converted to
common units (USD bn, percent, bp) on the way in, from the unit each source publishes in.
A newer snapshot still fills in dates a cached live download lacks (never revising it).

The outcome of each series says which source served it and its status: a series that fails
(a bad snapshot line, a read-only or full disk, a publisher error with no fallback) is
reported with the file and the reason while the others carry on; a missing or empty snapshot
with the series cached is a warning, and the cache serves.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from . import config
from .cache import CacheCorrupt, CachedSeries, CacheError, MergeResult, SeriesCache
from .catalog import Catalog, SeriesSpec, load_catalog
from .sources.base import SourceEmpty, SourceError
from .sources.snapshot import SnapshotMissing, SnapshotSource

log = logging.getLogger(__name__)


#: outcome statuses: served and fine / served, but read the detail / a corrupted file was moved
#: aside and the series re-imported / not refreshed (the cache, if any, kept as it was)
STATUSES = ("ok", "warning", "repaired", "failed")


@dataclass(frozen=True)
class SyncOutcome:
    """What happened to one series in a sync (``rows``: rows in the cache afterwards, from the data)."""

    key: str
    served_by: str  # a live source name, "snapshot", "cache" (what was cached kept), or "none"
    rows: int
    added: int
    revised: int
    detail: str
    status: str = "ok"  # one of STATUSES

    @property
    def ok(self) -> bool:
        """False when the series needs the user's attention (failed, or a corrupted file moved aside)."""
        return self.status in ("ok", "warning")


def default_live_sources() -> dict[str, object]:
    """One instance of each live publisher client, by catalog source name."""
    from .sources import LIVE_SOURCES

    return {name: cls() for name, cls in LIVE_SOURCES.items()}


class Reachability:
    """Probes each live publisher once per run (a socket connect with a short timeout)."""

    def __init__(self, probe: Callable[[str], bool] | None = None) -> None:
        if probe is None:
            from .sources.http import reachable as probe
        self._probe = probe
        self._known: dict[str, bool] = {}

    def __call__(self, source: object) -> bool:
        name = getattr(source, "name", repr(source))
        if name not in self._known:
            hosts = getattr(source, "hosts", ())
            self._known[name] = any(self._probe(host) for host in hosts)
        return self._known[name]


class ScaleMismatch(SourceError):
    """A refresh whose values are off from the cached ones by orders of magnitude (wrong units)."""


def check_scale(key: str, cached: pd.Series | None, incoming: pd.Series, factor: float = 10.0) -> None:
    """Refuse a refresh whose overlap with the cache differs by ``factor`` or more (median ratio).

    A publisher that changed its unit (dollars for billions, percent for bp) would otherwise
    "revise" every row; better to keep the cache and say so.
    """
    if cached is None or incoming.empty:
        return
    common = cached.index.intersection(incoming.index)
    both = pd.DataFrame({"cached": cached.loc[common], "incoming": incoming.loc[common]})
    both = both[(both["cached"] != 0) & (both["incoming"] != 0)]
    if len(both) < 5:
        return
    ratio = float((both["incoming"] / both["cached"]).abs().median())
    if ratio >= factor or ratio <= 1 / factor:
        raise ScaleMismatch(f"{key}: the refresh is {ratio:.3g} times the cached values on {len(both)} common dates "
                            "(a unit change at the publisher?); keeping the cache")


def _describe(result: MergeResult) -> str:
    if not result.written and result.received and not result.warning:
        text = "unchanged"
    else:
        parts = [f"+{result.added} new", f"{result.revised} revised"]
        if result.warning:
            parts.append("kept rows the refresh lacked" if result.received else "refresh empty, cache kept")
        text = ", ".join(parts)
    return f"{result.quarantined}; {text}" if result.quarantined else text


def _status(result: MergeResult) -> str:
    return "repaired" if result.quarantined else "ok"


def _cached(cache: SeriesCache, key: str) -> CachedSeries | None:
    """The cached entry, or None when absent or corrupted (the next merge moves a corrupted file aside)."""
    try:
        return cache.entry(key)
    except CacheCorrupt as err:
        log.debug("%s", err)  # reported by the merge that moves it aside
        return None


def _keep_cache(spec: SeriesSpec, current: CachedSeries | None, reason: str) -> SyncOutcome:
    """No refresh possible: the cache serves with a warning, or the series fails when nothing is cached."""
    if current is None:
        return SyncOutcome(spec.key, "none", 0, 0, 0, f"{reason}; nothing cached", status="failed")
    meta = current.meta
    return SyncOutcome(spec.key, "cache", meta.rows, 0, 0,
                       f"{reason}; kept the {meta.rows} cached rows ({meta.source}, {meta.first}..{meta.last})",
                       status="warning")


def _import_snapshot(spec: SeriesSpec, cache: SeriesCache, snapshot: SnapshotSource, *, seed_only: bool = False) -> SyncOutcome:
    """Merge the series' snapshot file into the cache.

    Over a cached live download only the dates the cache lacks are taken (a newer snapshot
    fills in, never rolls back). A missing snapshot, or a file without observations, leaves
    the cache serving with a warning; a file with bad lines raises :class:`InvalidData`.
    """
    current = _cached(cache, spec.key)
    if spec.snapshot is None:
        return _keep_cache(spec, current, "no snapshot copy of this series")
    try:
        checksum = snapshot.checksum(spec.snapshot.file)
        if current is not None and current.meta.snapshot_checksum == checksum and not current.legacy:
            return _unchanged(spec, current)  # (a format-2 file goes on to the merge, which rewrites it)
        if seed_only and current is not None:
            return SyncOutcome(spec.key, current.meta.source, current.meta.rows, 0, 0, "already cached")
        values = spec.to_common(snapshot.read(spec.snapshot.file, spec.snapshot.column), "snapshot")
    except (SnapshotMissing, SourceEmpty) as err:
        return _keep_cache(spec, current, f"snapshot unusable: {err}")
    live = current is not None and current.meta.source != "snapshot"
    if current is not None and not live:
        check_scale(spec.key, current.series, values)  # a snapshot in another unit never rewrites the cache
    result = cache.merge(spec.key, values, source="snapshot", source_id=spec.snapshot.file,
                         snapshot_checksum=checksum, fill_only=live)
    if not live:
        return SyncOutcome(spec.key, "snapshot", result.rows_after, result.added, result.revised,
                           _describe(result), _status(result))
    meta = current.meta
    detail = (f"cached {meta.source} data from {meta.retrieved_at} kept; "
              + (f"+{result.added} dates it lacked from the newer snapshot" if result.added
                 else "the newer snapshot adds no date it lacks"))
    return SyncOutcome(spec.key, "snapshot" if result.added else "cache", result.rows_after, result.added, 0, detail)


def _unchanged(spec: SeriesSpec, current: CachedSeries) -> SyncOutcome:
    meta = current.meta
    if meta.source == "snapshot":
        return SyncOutcome(spec.key, "snapshot", meta.rows, 0, 0, "snapshot file unchanged")
    return SyncOutcome(spec.key, meta.source, meta.rows, 0, 0,
                       f"cached live data from {meta.retrieved_at}; the snapshot (unchanged) not re-imported")


def sync_series(
    spec: SeriesSpec,
    *,
    cache: SeriesCache,
    snapshot: SnapshotSource,
    live_sources: Mapping[str, object] | None,
    reachable: Callable[[object], bool] | None,
) -> SyncOutcome:
    """Refresh one series: live if possible, the snapshot otherwise.

    Raises what a series cannot recover from (:class:`CacheError`, :class:`SourceError` for a
    snapshot with bad lines, ``OSError``); :func:`sync` turns those into a failed outcome.
    """
    live = live_sources.get(spec.live.source) if (live_sources is not None and spec.live) else None
    fallback_reason = "offline" if live_sources is None else "no live source"
    seeded: SyncOutcome | None = None
    if live is not None:
        if reachable is not None and not reachable(live):
            fallback_reason = f"{spec.live.source} unreachable"
        else:
            if _cached(cache, spec.key) is None:
                try:  # seed the history the live source may not serve; a missing snapshot is no reason to stop
                    seeded = _import_snapshot(spec, cache, snapshot, seed_only=True)
                except SourceError as err:
                    log.warning("%s: snapshot seed failed (%s); fetching live only", spec.key, err)
            try:
                extra = {"field": spec.live.field} if spec.live.field else {}
                values = spec.to_common(live.fetch(spec.live.id, **extra), spec.live.source)  # type: ignore[attr-defined]
                check_scale(spec.key, cache.read(spec.key), values)
            except SourceError as err:
                fallback_reason = f"{spec.live.source} failed: {err}"
                log.warning("%s: %s; using the snapshot", spec.key, fallback_reason)
            else:
                result = cache.merge(spec.key, values, source=spec.live.source, source_id=spec.live.id)
                return _after_seed(seeded, SyncOutcome(spec.key, spec.live.source, result.rows_after, result.added,
                                                       result.revised, _describe(result), _status(result)))
    outcome = _import_snapshot(spec, cache, snapshot)
    # a series whose cache holds an earlier live download and was not refreshed now is served by the cache
    served_by = "cache" if outcome.served_by not in ("snapshot", "none") else outcome.served_by
    detail = f"{fallback_reason}; {outcome.detail}" if live is not None else outcome.detail
    return _after_seed(seeded, replace(outcome, served_by=served_by, detail=detail))


def _after_seed(seeded: SyncOutcome | None, outcome: SyncOutcome) -> SyncOutcome:
    """``outcome``, still saying so when seeding from the snapshot moved a corrupted file aside."""
    if seeded is None or seeded.status != "repaired":
        return outcome
    return replace(outcome, status="repaired" if outcome.status == "ok" else outcome.status,
                   detail=f"{seeded.detail}; then {outcome.detail}")


def _failed(spec: SeriesSpec, cache: SeriesCache, err: BaseException) -> SyncOutcome:
    """A series that could not be refreshed: the reason (naming the file) and what stays cached."""
    log.debug("the sync of %s failed", spec.key, exc_info=err)  # the traceback, for plumbing -v
    if isinstance(err, (CacheError, SourceError, ValueError)):
        reason = str(err)
    elif isinstance(err, OSError):
        reason = f"{err.filename}: {err.strerror}" if err.filename else str(err)
    else:
        reason = f"unexpected {type(err).__name__}: {err} (run plumbing -v for the traceback)"
    try:
        current = _cached(cache, spec.key)
    except CacheError:  # the file cannot even be opened
        current = None
    if current is None:
        return SyncOutcome(spec.key, "none", 0, 0, 0, reason, status="failed")
    return SyncOutcome(spec.key, "cache", current.meta.rows, 0, 0,
                       f"{reason}; kept the {current.meta.rows} cached rows", status="failed")


def sync(
    keys: Iterable[str] | None = None,
    *,
    offline: bool | None = None,
    catalog: Catalog | None = None,
    cache: SeriesCache | None = None,
    snapshot: SnapshotSource | None = None,
    live_sources: Mapping[str, object] | None = None,
    reachable: Callable[[object], bool] | None = None,
    progress: bool = True,
) -> list[SyncOutcome]:
    """Refresh ``keys`` (all catalog series by default) into the cache.

    ``offline`` (default: ``$PLUMBING_OFFLINE``) skips the live publishers entirely.
    Returns one :class:`SyncOutcome` per series; failures are reported, not raised, so one
    bad series never stops the others. Raises :class:`~plumbing.cache.CacheWriteError` once,
    before any work, when the cache folder is a file or cannot be created. Temp files left by
    killed writes more than an hour ago are removed first.
    """
    from tqdm import tqdm  # a text bar: tqdm.auto would warn inside a kernel without ipywidgets

    catalog = catalog or load_catalog()
    cache = cache or SeriesCache()
    snapshot = snapshot or SnapshotSource()
    specs = [catalog.get(k) for k in keys] if keys else list(catalog)
    if offline is None:
        offline = config.offline_forced()
    if offline:
        live_sources, reachable = None, None
    else:
        live_sources = live_sources if live_sources is not None else default_live_sources()
        reachable = reachable or Reachability()
    cache.ensure_root()  # a cache path that is a file fails once, here, not once per series
    try:
        cache.remove_stale_temps()
    except OSError as err:  # a read-only cache can still serve what it holds
        log.debug("stale temp files not removed: %s", err)
    outcomes = []
    bar = tqdm(specs, desc="sync", unit="series", disable=not progress, leave=False)
    for spec in bar:
        bar.set_postfix_str(spec.key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reported through the outcome instead
            try:
                outcome = sync_series(spec, cache=cache, snapshot=snapshot,
                                      live_sources=live_sources, reachable=reachable)
            except Exception as err:  # one bad series never stops the others
                outcome = _failed(spec, cache, err)
        outcomes.append(outcome)
    return outcomes


def outcomes_table(outcomes: list[SyncOutcome]) -> pd.DataFrame:
    """The outcomes as a tidy frame (one row per series)."""
    return pd.DataFrame([o.__dict__ for o in outcomes],
                        columns=["key", "served_by", "rows", "added", "revised", "status", "detail"])
