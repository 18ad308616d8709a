"""Fill the cache: live publishers first where reachable, the offline snapshot otherwise.

For each catalog series :func:`sync_series` tries its live source (unless offline), falls
back to the snapshot when the publisher cannot be reached or fails, and merges what it got
into the cache (see :mod:`plumbing.cache` for the merge rules). A series the cache lacks is
first seeded from the snapshot, so a live source with a short window (FRED's 3-year ICE
BofA history) never leaves the cache shorter than the snapshot. Values are converted to
common units (USD bn, percent, bp) on the way in, from the unit each source publishes in.
The outcome of each series says which source served it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from . import config
from .cache import MergeResult, SeriesCache
from .catalog import Catalog, SeriesSpec, load_catalog
from .sources.base import SourceError
from .sources.snapshot import SnapshotSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncOutcome:
    """What happened to one series in a sync."""

    key: str
    served_by: str  # a live source name, "snapshot", "cache" (an earlier live download kept), or "none"
    rows: int
    added: int
    revised: int
    detail: str

    @property
    def ok(self) -> bool:
        return self.served_by != "none"


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
        return "unchanged"
    parts = [f"+{result.added} new", f"{result.revised} revised"]
    if result.warning:
        parts.append("kept rows the refresh lacked" if result.received else "refresh empty, cache kept")
    return ", ".join(parts)


def _import_snapshot(spec: SeriesSpec, cache: SeriesCache, snapshot: SnapshotSource, *, seed_only: bool = False) -> SyncOutcome:
    if spec.snapshot is None:
        return SyncOutcome(spec.key, "none", 0, 0, 0, "no snapshot copy of this series")
    meta = cache.metadata(spec.key)
    checksum = snapshot.checksum(spec.snapshot.file)
    if meta is not None and meta.source != "snapshot" and cache.read(spec.key) is not None:
        # the cache holds a live download, newer than the snapshot: do not roll it back
        return SyncOutcome(spec.key, meta.source, meta.rows, 0, 0, f"cached live data from {meta.retrieved_at}; snapshot not re-imported")
    if meta is not None and meta.origin_checksum == checksum and cache.read(spec.key) is not None:
        return SyncOutcome(spec.key, "snapshot", meta.rows, 0, 0, "snapshot file unchanged")
    if seed_only and meta is not None and cache.read(spec.key) is not None:
        return SyncOutcome(spec.key, meta.source, meta.rows, 0, 0, "already cached")
    values = spec.to_common(snapshot.read(spec.snapshot.file, spec.snapshot.column), "snapshot")
    result = cache.merge(spec.key, values, source="snapshot", source_id=spec.snapshot.file, origin_checksum=checksum)
    return SyncOutcome(spec.key, "snapshot", result.rows_after, result.added, result.revised, _describe(result))


def sync_series(
    spec: SeriesSpec,
    *,
    cache: SeriesCache,
    snapshot: SnapshotSource,
    live_sources: Mapping[str, object] | None,
    reachable: Callable[[object], bool] | None,
) -> SyncOutcome:
    """Refresh one series: live if possible, the snapshot otherwise."""
    live = live_sources.get(spec.live.source) if (live_sources is not None and spec.live) else None
    fallback_reason = "offline" if live_sources is None else "no live source"
    if live is not None:
        if reachable is not None and not reachable(live):
            fallback_reason = f"{spec.live.source} unreachable"
        else:
            if cache.metadata(spec.key) is None or cache.read(spec.key) is None:
                try:  # seed the history the live source may not serve; a missing snapshot is no reason to stop
                    _import_snapshot(spec, cache, snapshot, seed_only=True)
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
                return SyncOutcome(spec.key, spec.live.source, result.rows_after, result.added, result.revised, _describe(result))
    try:
        outcome = _import_snapshot(spec, cache, snapshot)
    except SourceError as err:
        return SyncOutcome(spec.key, "none", 0, 0, 0, f"{fallback_reason}; snapshot failed: {err}")
    # a series whose cache holds an earlier live download and was not refreshed now is served by the cache
    served_by = "cache" if outcome.served_by not in ("snapshot", "none") else outcome.served_by
    return SyncOutcome(outcome.key, served_by, outcome.rows, outcome.added, outcome.revised,
                       f"{fallback_reason}; {outcome.detail}" if live is not None else outcome.detail)


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
    bad series never stops the others.
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
    outcomes = []
    bar = tqdm(specs, desc="sync", unit="series", disable=not progress, leave=False)
    for spec in bar:
        bar.set_postfix_str(spec.key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reported through the outcome instead
            outcomes.append(sync_series(spec, cache=cache, snapshot=snapshot,
                                        live_sources=live_sources, reachable=reachable))
    return outcomes


def outcomes_table(outcomes: list[SyncOutcome]) -> pd.DataFrame:
    """The outcomes as a tidy frame (one row per series)."""
    return pd.DataFrame([o.__dict__ for o in outcomes], columns=["key", "served_by", "rows", "added", "revised", "detail"])
