"""The series catalog: what each series is, where it comes from, and its units.

The catalog lives in ``data/catalog.yaml``; this module reads and validates it. Each entry
names its native unit (and, where a source publishes in another unit, that source's unit);
:meth:`SeriesSpec.to_common` is the one place where a source's values become common units
(see :mod:`plumbing.units`). Sync applies it once, on the way into the cache.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import config
from .units import conversion_for, to_common

FREQUENCIES: dict[str, str] = {
    "daily": "every calendar day (7-day series)",
    "business": "business days (holidays absent)",
    "weekly": "Wednesday level",
    "weekly_average": "average of the week ending Wednesday",
    "monthly": "monthly (dated at the first day of the month)",
    "quarterly": "quarterly (dated at the first day of the quarter)",
}

#: nominal spacing between observations, in business days, used for gap detection
NOMINAL_SPACING_BDAYS: dict[str, int] = {
    "daily": 1,
    "business": 1,
    "weekly": 5,
    "weekly_average": 5,
    "monthly": 23,
    "quarterly": 66,
}

LIVE_SOURCE_NAMES = ("fred", "yahoo", "nyfed", "treasury", "mof")
YAHOO_FIELDS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the entry and the field."""


class UnknownSeriesError(KeyError):
    """A series key that is not in the catalog; the message lists the closest keys."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the plain message
        return str(self.args[0])


@dataclass(frozen=True)
class SnapshotRef:
    """A file (and column) in the offline snapshot; ``unit`` if not the entry's native unit."""

    file: str
    column: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class LiveRef:
    """A series id at a live publisher; ``unit`` if it differs from the entry's native unit."""

    source: str
    id: str
    unit: str | None = None
    field: str | None = None  # Yahoo only: which price column (Close, Adj Close, Low, ...)


@dataclass(frozen=True)
class Release:
    """When a series' observations are published: ``days`` after the date they describe
    (business days when ``business``, calendar days otherwise), counted from the observation
    date for daily and weekly series and from the *end* of the period for monthly and
    quarterly ones. ``note`` says what the publisher actually does ("H.4.1, Thursday 4:30pm ET
    for Wednesday data"). Day granularity: an observation counts as public at the end of the
    day it is published."""

    days: int
    business: bool
    note: str = ""

    def describe(self) -> str:
        unit = "business day" if self.business else "day"
        lag = "the same day" if self.days == 0 else f"{self.days} {unit}{'s' if self.days != 1 else ''} later"
        return f"published {lag}" + (f" ({self.note})" if self.note else "")

    def published(self, dates: pd.DatetimeIndex, frequency: str) -> pd.DatetimeIndex:
        """The day each observation dated ``dates`` (as stored: monthly and quarterly at the
        start of their period) becomes public."""
        dates = pd.DatetimeIndex(dates)
        if frequency == "monthly":
            dates = dates + pd.offsets.MonthEnd(0)
        elif frequency == "quarterly":
            dates = dates + pd.offsets.QuarterEnd(0)
        if self.business:
            return dates + pd.offsets.BDay(0) + pd.offsets.BDay(self.days) if self.days else dates
        return dates + pd.Timedelta(days=self.days)


@dataclass(frozen=True)
class SeriesSpec:
    """One catalog entry."""

    key: str
    title: str
    publisher: str
    group: str
    native_unit: str
    frequency: str
    live: LiveRef | None
    snapshot: SnapshotRef | None
    coverage: str
    release: Release | None = None  # publication lag, for point-in-time (as-of) checks

    @property
    def unit(self) -> str:
        """The common unit this series is expressed in after :meth:`to_common`."""
        return conversion_for(self.native_unit).common

    def source_unit(self, source: str) -> str:
        """The unit ``source`` ("snapshot" or the live source name) publishes this series in."""
        ref = self.snapshot if source == "snapshot" else self.live
        return (ref.unit if ref is not None and ref.unit else None) or self.native_unit

    def to_common(self, values: pd.Series, source: str = "snapshot") -> pd.Series:
        """Convert observations as published by ``source`` to the common unit."""
        converted = to_common(values, self.source_unit(source))
        converted.name = self.key
        return converted


@dataclass(frozen=True)
class EventFileSpec:
    """A dated event table kept in the snapshot (not a series)."""

    key: str
    title: str
    publisher: str
    snapshot: SnapshotRef
    coverage: str


@dataclass(frozen=True)
class Catalog:
    """All series and event files, by key."""

    series: dict[str, SeriesSpec]
    event_files: dict[str, EventFileSpec]

    def __getitem__(self, key: str) -> SeriesSpec:
        return self.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.series

    def __iter__(self):
        return iter(self.series.values())

    def __len__(self) -> int:
        return len(self.series)

    def keys(self) -> list[str]:
        return list(self.series)

    def get(self, key: str) -> SeriesSpec:
        """The entry for ``key``; an unknown key fails with the closest matches."""
        try:
            return self.series[key]
        except KeyError:
            raise UnknownSeriesError(unknown_key_message(key, self.series)) from None

    def snapshot_files(self) -> set[str]:
        """Every snapshot file the catalog refers to (series and event tables)."""
        files = {s.snapshot.file for s in self.series.values() if s.snapshot}
        files |= {e.snapshot.file for e in self.event_files.values()}
        return files


def unknown_key_message(key: str, known: object, what: str = "series key") -> str:
    """A message for an unknown key naming the closest valid keys."""
    names = sorted(known)  # type: ignore[arg-type]
    close = difflib.get_close_matches(str(key), names, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    if what == "series key":
        return f"unknown {what} {key!r}{hint} (see data/catalog.yaml for all {len(names)} keys)"
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"unknown {what} {key!r}{hint} (valid: {shown})"


def _require(entry: dict, field: str, key: str, path: Path) -> object:
    if field not in entry or entry[field] in (None, ""):
        raise CatalogError(f"{path}: entry {key!r} lacks the field {field!r}")
    return entry[field]


def _snapshot_ref(raw: object, key: str, path: Path) -> SnapshotRef | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "file" not in raw:
        raise CatalogError(f"{path}: entry {key!r} field 'snapshot' must be a mapping with 'file'")
    return SnapshotRef(file=str(raw["file"]), column=raw.get("column"), unit=raw.get("unit"))


def _release(raw: object, key: str, path: Path) -> Release | None:
    """``release: {bdays: N, note: ...}`` or ``{days: N, note: ...}`` (exactly one of the two)."""
    if raw is None:
        return None
    where = f"{path}: entry {key!r} field 'release'"
    if not isinstance(raw, dict) or (("bdays" in raw) == ("days" in raw)):
        raise CatalogError(f"{where} must be a mapping with exactly one of 'bdays' or 'days' (and an optional 'note')")
    unknown = sorted(set(raw) - {"bdays", "days", "note"})
    if unknown:
        raise CatalogError(f"{where}: unknown field(s) {', '.join(unknown)}; valid: bdays, days, note")
    days = raw.get("bdays", raw.get("days"))
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise CatalogError(f"{where}: {days!r} is not a whole number of days >= 0")
    return Release(days=days, business="bdays" in raw, note=str(raw.get("note") or ""))


def _parse_series(key: str, entry: dict, path: Path) -> SeriesSpec:
    if not _KEY_PATTERN.match(key):
        raise CatalogError(f"{path}: key {key!r} is not snake_case (lowercase letters, digits, _)")
    native_unit = str(_require(entry, "native_unit", key, path))
    try:
        conversion_for(native_unit)
    except ValueError as err:
        raise CatalogError(f"{path}: entry {key!r} field 'native_unit': {err}") from None
    frequency = str(_require(entry, "frequency", key, path))
    if frequency not in FREQUENCIES:
        raise CatalogError(
            f"{path}: entry {key!r} field 'frequency' is {frequency!r}; valid: {', '.join(FREQUENCIES)}"
        )
    live = entry.get("live")
    live_ref = None
    if live is not None:
        if not isinstance(live, dict) or live.get("source") not in LIVE_SOURCE_NAMES or not live.get("id"):
            raise CatalogError(
                f"{path}: entry {key!r} field 'live' must be {{source: one of {', '.join(LIVE_SOURCE_NAMES)}, id: ...}}"
            )
        if live.get("field") is not None and (live["source"] != "yahoo" or live["field"] not in YAHOO_FIELDS):
            raise CatalogError(f"{path}: entry {key!r} field 'live.field': {live['field']!r}; valid for source "
                               f"yahoo only, one of {', '.join(YAHOO_FIELDS)}")
        live_ref = LiveRef(source=str(live["source"]), id=str(live["id"]), unit=live.get("unit"), field=live.get("field"))
    snapshot = _snapshot_ref(entry.get("snapshot"), key, path)
    common = conversion_for(native_unit).common
    for name, ref in (("live", live_ref), ("snapshot", snapshot)):
        if ref is not None and ref.unit:
            try:
                other = conversion_for(ref.unit).common
            except ValueError as err:
                raise CatalogError(f"{path}: entry {key!r} field '{name}.unit': {err}") from None
            if other != common:
                raise CatalogError(f"{path}: entry {key!r} field '{name}.unit': {ref.unit!r} converts to "
                                   f"{other}, but the entry's native unit converts to {common}")
    if live_ref is None and snapshot is None:
        raise CatalogError(f"{path}: entry {key!r} has neither a 'live' nor a 'snapshot' source")
    return SeriesSpec(
        key=key,
        title=str(_require(entry, "title", key, path)),
        publisher=str(_require(entry, "publisher", key, path)),
        group=str(_require(entry, "group", key, path)),
        native_unit=native_unit,
        frequency=frequency,
        live=live_ref,
        snapshot=snapshot,
        coverage=str(entry.get("coverage", "")),
        release=_release(entry.get("release"), key, path),
    )


def parse_catalog(raw: dict, path: Path) -> Catalog:
    """Validate a parsed catalog document and build the :class:`Catalog`."""
    if not isinstance(raw, dict) or not isinstance(raw.get("series"), dict):
        raise CatalogError(f"{path}: expected a top-level mapping 'series:'")
    series = {key: _parse_series(key, entry or {}, path) for key, entry in raw["series"].items()}
    events = {}
    for key, entry in (raw.get("event_files") or {}).items():
        ref = _snapshot_ref(entry.get("snapshot"), key, path)
        if ref is None:
            raise CatalogError(f"{path}: event file {key!r} lacks 'snapshot'")
        events[key] = EventFileSpec(
            key=key,
            title=str(_require(entry, "title", key, path)),
            publisher=str(_require(entry, "publisher", key, path)),
            snapshot=ref,
            coverage=str(entry.get("coverage", "")),
        )
    return Catalog(series=series, event_files=events)


@lru_cache(maxsize=4)
def _load_catalog_cached(path: str, mtime: float) -> Catalog:
    from .configfile import load_yaml

    try:
        document = load_yaml(path)
    except ValueError as err:  # syntax errors and impossible dates, with file, line, entry, field
        raise CatalogError(str(err)) from None
    return parse_catalog(document, Path(path))


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate the catalog (``data/catalog.yaml`` by default)."""
    target = Path(path) if path else config.CATALOG_PATH
    return _load_catalog_cached(str(target), target.stat().st_mtime)
