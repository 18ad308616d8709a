"""``load()``: catalog series in common units, aligned on one DatetimeIndex.

Alignment never looks ahead. A value is used on a target date only if it was *observed*
on or before that date (publication lags are not modelled: alignment is by observation
date). Monthly and quarterly series, which are averages over their period, are dated at the
*end* of the period they measure before alignment (FRED dates them at the start). Gaps are
carried forward only within a stated limit (:data:`FFILL_LIMIT_BDAYS`); beyond it a value is
missing, never invented. Daily series are never carried past their last observation; a
weekly, monthly or quarterly value never stands in for a whole later period (it is valid until
the next period's end, :data:`VALID_FOR`), and period means (``how="mean"``) cover complete
periods only. The limits used are recorded in ``frame.attrs["ffill_limit_bdays"]``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .cache import CacheCorrupt, SeriesCache
from .catalog import Catalog, load_catalog
from .sources.snapshot import SnapshotSource

#: how far (business days) an observation may be carried forward onto later target dates,
#: by the series' native frequency: long enough to bridge holidays and the days between
#: weekly or monthly releases, short enough that an outage shows as missing.
FFILL_LIMIT_BDAYS: dict[str, int] = {
    "daily": 2,
    "business": 2,
    "weekly": 4,
    "weekly_average": 4,
    "monthly": 23,
    "quarterly": 66,
}

#: a weekly, monthly or quarterly value is valid until (not including) the end of the next
#: period: it never stands in for a whole period that has no observation of its own.
VALID_FOR: dict[str, pd.Timedelta | pd.DateOffset] = {
    "weekly": pd.Timedelta(days=7),
    "weekly_average": pd.Timedelta(days=7),
    "monthly": pd.offsets.MonthEnd(1),
    "quarterly": pd.offsets.QuarterEnd(1),
}
DAILY_FREQUENCIES = ("daily", "business")

FREQ_ALIASES: dict[str, str] = {
    "B": "B", "D": "B", "business": "B", "daily": "B",
    "W": "W-WED", "W-WED": "W-WED", "weekly": "W-WED",
    "M": "ME", "ME": "ME", "monthly": "ME",
    "Q": "QE", "QE": "QE", "quarterly": "QE",
}
HOW_CHOICES = ("last", "mean")


class CoverageWarning(UserWarning):
    """A requested window reaches beyond the dates a series covers."""


class DataUnavailable(RuntimeError):
    """A series could not be read from the cache nor imported from the snapshot."""


def as_timestamp(name: str, value: object) -> pd.Timestamp | None:
    """``value`` as a normalised, tz-naive Timestamp (None stays None); a clear error names ``name``.

    Accepted: ISO strings (``'2025-10-31'``, ``'2025'``), ``datetime``/``date``, ``Timestamp``,
    ``numpy.datetime64``. Refused with ``ValueError``: numbers (``2025`` would otherwise be read
    as 2,025 nanoseconds after 1970) and time-zone-aware stamps (observation dates have none).
    """
    if value is None:
        return None
    if isinstance(value, (bool, int, float, np.number)):
        raise ValueError(f"{name}={value!r} is a number, not a date; use an ISO date string such as "
                         "'2025-10-31' (a year alone: '2025')")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name}={value!r} is not a date; use an ISO date such as '2025-10-31'") from None
    if stamp is pd.NaT:
        raise ValueError(f"{name}={value!r} is not a date; use an ISO date such as '2025-10-31'")
    if stamp.tzinfo is not None:
        raise ValueError(f"{name}={value!r} has a time zone ({stamp.tzinfo}); observation dates have none: "
                         f"give a plain date such as '{stamp.date()}'")
    return stamp.normalize()


def unique_keys(keys: str | Iterable[str]) -> list[str]:
    """``keys`` as a list, each key once, in the order first given (``["sofr", "sofr"]`` -> ``["sofr"]``)."""
    key_list = [keys] if isinstance(keys, str) else list(keys)
    for key in key_list:
        if not isinstance(key, str):
            raise ValueError(f"series keys are strings; got {key!r} ({type(key).__name__})")
    return list(dict.fromkeys(key_list))


def period_end_dated(series: pd.Series, frequency: str) -> pd.Series:
    """Re-date monthly/quarterly averages at the end of the period they measure.

    FRED dates a monthly or quarterly average at the first day of its period; using it from
    that day would look ahead. Other frequencies are returned unchanged.
    """
    if frequency == "monthly":
        series = series.copy()
        series.index = series.index + pd.offsets.MonthEnd(0)
    elif frequency == "quarterly":
        series = series.copy()
        series.index = series.index + pd.offsets.QuarterEnd(0)
    return series


def align_asof(series: pd.Series, target: pd.DatetimeIndex, limit_bdays: int,
               carry_past_end: bool = True, valid_for: pd.Timedelta | pd.DateOffset | None = None) -> pd.Series:
    """The last observation on or before each target date, if at most ``limit_bdays`` old.

    Age is counted in business days (Mon-Fri). Older or absent observations give NaN. With
    ``carry_past_end=False`` nothing is carried beyond the series' last observation (used for
    daily series, whose gaps are holidays *between* observations, not the unknown future).
    ``valid_for`` also ends a value's validity that long after its own date (exclusive).
    """
    series = series.dropna()
    if series.empty:
        return pd.Series(np.nan, index=target, name=series.name)
    positions = series.index.searchsorted(target, side="right") - 1
    has_obs = positions >= 0
    safe = np.where(has_obs, positions, 0)
    observed_on = series.index.values[safe].astype("datetime64[D]")
    age = np.busday_count(observed_on, target.values.astype("datetime64[D]"))
    # an observation on a weekend counts as the next business day's for ageing purposes
    age = np.maximum(age, 0)
    keep = has_obs & (age <= limit_bdays)
    if not carry_past_end:
        keep &= target <= series.index[-1]
    if valid_for is not None:
        keep &= target < (pd.DatetimeIndex(observed_on) + valid_for)
    values = np.where(keep, series.to_numpy()[safe], np.nan)
    return pd.Series(values, index=target, name=series.name)


def align_to(series: pd.Series, target: pd.DatetimeIndex, frequency: str) -> pd.Series:
    """:func:`align_asof` with the rules of the series' catalog frequency (see module docstring)."""
    return align_asof(series, target, FFILL_LIMIT_BDAYS[frequency],
                      carry_past_end=frequency not in DAILY_FREQUENCIES, valid_for=VALID_FOR.get(frequency))


def _target_index(freq: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    if freq == "B":
        return pd.bdate_range(first, last, name="date").as_unit("ns")
    return pd.date_range(first, last, freq=freq, name="date").as_unit("ns")


_PERIOD_LENGTH = {"W-WED": pd.Timedelta(days=7), "ME": pd.offsets.MonthEnd(1), "QE": pd.offsets.QuarterEnd(1)}


def _resample_mean(series: pd.Series, freq: str) -> pd.Series:
    """Period means over complete periods only.

    A period counts only if the series covers it from its first business days to its last
    (3 business days of slack for holidays); a period the data only partly cover (the first
    and last of a series, typically) is missing rather than an average of a few days.
    """
    series = series.dropna()
    if freq == "W-WED":
        means = series.resample("W-WED", label="right", closed="right").mean()
    else:
        means = series.resample(freq).mean()
    labels = means.index
    starts = (labels - _PERIOD_LENGTH[freq]) + pd.Timedelta(days=1)
    slack = pd.offsets.BDay(3)
    complete = (series.index.min() <= starts + slack) & (series.index.max() >= labels - slack)
    return means[complete]


#: frames assembled by :meth:`Loader.load` in this process: key (which includes the data's
#: checksums) -> frame. Bounded; cleared when full.
_FRAMES: dict[tuple, pd.DataFrame] = {}
MEMO_LIMIT = 256


def clear_memo() -> None:
    """Forget the frames :meth:`Loader.load` assembled in this process (benchmarks time the
    reads and the alignment with it; results never depend on it)."""
    _FRAMES.clear()


def remember(memo: dict, key: tuple, value: object) -> None:
    """Store ``value`` under ``key`` in a process memo, clearing it first when full."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value


class Loader:
    """Reads series from the cache (importing from the snapshot on a miss) and aligns them.

    Within a process, an assembled frame is computed once per set of keys, window, frequency,
    method and *data*: its memo key holds each series' catalog entry, cache folder, checksum
    and source, so a refreshed cache file is read and aligned again (:meth:`data_version`).
    """

    def __init__(self, catalog: Catalog | None = None, cache: SeriesCache | None = None,
                 snapshot: SnapshotSource | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.cache = cache or SeriesCache()
        self.snapshot = snapshot or SnapshotSource()

    def common(self, key: str) -> pd.Series:
        """The series in the common unit (USD bn, percent, bp, ...), at its own dates.

        Read from the cache; imported from the snapshot first if not cached. When
        ``$PLUMBING_READ_LOG`` names a file, the key is appended to it (the report runner uses
        this to know which series a notebook read, for its data as-of and for incremental
        re-rendering).
        """
        _record_read(key)
        spec = self.catalog.get(key)
        try:  # a reader imports a series only when it is truly missing, never over a damaged file
            found = self.cache.entry(key)
        except CacheCorrupt as err:
            raise DataUnavailable(f"{key} ({spec.title}): {err}; run `plumbing data sync` to move it aside and "
                                  "re-import it (nothing was changed)") from None
        series = None if found is None else found.series.copy()
        if series is None:
            from .sync import sync

            outcome = sync([key], offline=True, catalog=self.catalog, cache=self.cache,
                           snapshot=self.snapshot, progress=False)[0]
            series = self.cache.read(key)
            if series is None:
                raise DataUnavailable(f"{key} ({spec.title}) is not cached and could not be imported: {outcome.detail}")
        return series

    def data_version(self, keys: Iterable[str]) -> tuple | None:
        """What identifies the data of ``keys`` (catalog entry, cache folder, checksum and source
        of each), for memo keys; None when one is not cached (nothing is memoized then). Each
        key counts as read (``$PLUMBING_READ_LOG``), as a real read would."""
        version = []
        for key in keys:
            _record_read(key)
            meta = self.cache.metadata(key)
            if meta is None:
                return None
            version.append((self.catalog.get(key), str(self.cache.root), meta.checksum, meta.source))
        return tuple(version)

    def load(self, keys: str | Iterable[str], start: object = None, end: object = None,
             freq: str | None = None, how: str = "last") -> pd.DataFrame:
        """See :func:`plumbing.load`."""
        key_list = unique_keys(keys)
        if not key_list:
            raise ValueError("load() needs at least one series key")
        specs = [self.catalog.get(k) for k in key_list]  # unknown keys fail here, with close matches
        start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
        if start_ts is not None and end_ts is not None and end_ts < start_ts:
            raise ValueError(f"end {end_ts.date()} is before start {start_ts.date()}")
        if how not in HOW_CHOICES:
            raise ValueError(f"how={how!r}; valid: {', '.join(HOW_CHOICES)}")
        target_freq = None
        if freq is not None:
            if freq not in FREQ_ALIASES:
                raise ValueError(f"freq={freq!r}; valid: None (native dates) or {', '.join(FREQ_ALIASES)}")
            target_freq = FREQ_ALIASES[freq]

        version = self.data_version(key_list)  # before reading: a write meanwhile only misses the memo
        columns: dict[str, pd.Series] = {}
        coverage: dict[str, tuple[str, str]] = {}
        for spec in specs:
            series = self.common(spec.key)
            index = series.index  # sorted (the cache sorts on read); a vintage view may be empty
            first, last = (index[0], index[-1]) if len(index) else (index.min(), index.max())
            coverage[spec.key] = (first.date().isoformat(), last.date().isoformat())
            if ((start_ts is not None and start_ts < first) or (end_ts is not None and end_ts > last)
                    or (start_ts is not None and start_ts > last) or (end_ts is not None and end_ts < first)):
                window = f"{start_ts.date() if start_ts is not None else '...'}..{end_ts.date() if end_ts is not None else '...'}"
                warnings.warn(
                    f"{spec.key} covers {coverage[spec.key][0]}..{coverage[spec.key][1]} only; the window "
                    f"{window} reaches beyond it, and dates outside are missing (not filled)",
                    CoverageWarning, stacklevel=3,
                )
            if target_freq is not None:
                series = period_end_dated(series, spec.frequency)
            columns[spec.key] = series

        memo_key = None if version is None else (tuple(key_list), start_ts, end_ts, target_freq, how, version)
        if memo_key is not None and memo_key in _FRAMES:
            return _FRAMES[memo_key].copy()
        frame = self._assemble(specs, columns, coverage, start_ts, end_ts, target_freq, how)
        if memo_key is not None:
            remember(_FRAMES, memo_key, frame)
        return frame.copy()

    def _assemble(self, specs: list, columns: dict[str, pd.Series], coverage: dict[str, tuple[str, str]],
                  start_ts: pd.Timestamp | None, end_ts: pd.Timestamp | None, target_freq: str | None,
                  how: str) -> pd.DataFrame:
        """The frame of :meth:`load` from its columns: aligned, cut to the window, with attrs."""
        key_list = [spec.key for spec in specs]
        limits: dict[str, int] = {}
        if target_freq is None:
            frame = union_frame({key: _window(columns[key], start_ts, end_ts) for key in key_list})
        else:
            # each target date's value depends only on the series up to it, so the target
            # index spans the window alone (searchsorted still sees observations before it)
            lo = start_ts if start_ts is not None else min(s.index.min() for s in columns.values())
            hi = end_ts if end_ts is not None else max(s.index.max() for s in columns.values())
            target = _target_index(target_freq, lo, hi)
            aligned = {}
            for spec in specs:
                series = columns[spec.key]
                if how == "mean" and target_freq != "B" and FFILL_LIMIT_BDAYS[spec.frequency] < _period_bdays(target_freq):
                    aligned[spec.key] = _resample_mean(series, target_freq).reindex(target)
                    limits[spec.key] = 0
                else:
                    limits[spec.key] = FFILL_LIMIT_BDAYS[spec.frequency]
                    aligned[spec.key] = align_to(series, target, spec.frequency)
            frame = pd.DataFrame(aligned, index=target)
        frame.index = pd.DatetimeIndex(frame.index, name="date")
        frame = frame.loc[start_ts:end_ts] if (start_ts is not None or end_ts is not None) else frame
        frame = frame[key_list]
        frame.attrs = {
            "units": {s.key: s.unit for s in specs},
            "titles": {s.key: s.title for s in specs},
            "frequency": target_freq or "native",
            "how": how,
            "ffill_limit_bdays": limits,
            "coverage": coverage,
            "sources": {k: (m.source if (m := self.cache.metadata(k)) else "unknown") for k in key_list},
        }
        return frame


def _window(series: pd.Series, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.Series:
    """``series`` (sorted dates) from ``start`` to ``end`` inclusive; None leaves that side open."""
    dates = series.index.values
    lo = 0 if start is None else int(np.searchsorted(dates, start.to_datetime64(), side="left"))
    hi = len(dates) if end is None else int(np.searchsorted(dates, end.to_datetime64(), side="right"))
    return series.iloc[lo:hi]


def union_frame(columns: dict[str, pd.Series]) -> pd.DataFrame:
    """Series with sorted, unique dates side by side on the union of their dates (NaN where a
    series has no observation). Equal to ``pd.concat(columns, axis=1, sort=True)`` for such
    series, built with one sorted union and one placement per column instead of pandas'
    pairwise index unions (the cost of ``load()`` on a warm cache)."""
    stamps = [series.index.values.astype("datetime64[ns]") for series in columns.values()]
    dates = np.unique(np.concatenate(stamps)) if stamps else np.array([], dtype="datetime64[ns]")
    data = np.full((len(dates), len(columns)), np.nan)
    for position, (series, own) in enumerate(zip(columns.values(), stamps)):
        data[np.searchsorted(dates, own), position] = series.to_numpy(dtype="float64")
    return pd.DataFrame(data, index=pd.DatetimeIndex(dates, name="date"), columns=list(columns))


def _record_read(key: str) -> None:
    log_path = os.environ.get("PLUMBING_READ_LOG")
    if log_path:
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write(key + "\n")


def _period_bdays(freq: str) -> int:
    return {"W-WED": 5, "ME": 23, "QE": 66}.get(freq, 1)


def load(keys: str | Iterable[str], start: object = None, end: object = None,
         freq: str | None = None, how: str = "last") -> pd.DataFrame:
    """Catalog series in common units as one DataFrame with a DatetimeIndex named ``date``.

    Parameters
    ----------
    keys: one catalog key or several (``"fed_assets"``, ``["sofr", "iorb"]``).
    start, end: optional window (inclusive; ISO strings or timestamps).
    freq: ``None`` keeps each series' own observation dates (outer-joined, no filling);
        ``"B"`` business days, ``"W"`` Wednesdays, ``"M"`` month ends, ``"Q"`` quarter ends.
    how: ``"last"`` takes the last observation on or before each target date (Wednesday
        levels, month-end levels); ``"mean"`` averages the observations of each target
        period (week ending Wednesday, month, quarter) for series observed more often.

    Units: balances in USD bn, rates in percent, spreads in bp (``frame.attrs["units"]``).
    A key given twice gives one column. A number or a time-zone-aware stamp as ``start`` or
    ``end`` raises ``ValueError`` (use ``"2025-01-01"``, not ``2025``). An unknown key raises :class:`~plumbing.catalog.UnknownSeriesError` naming the closest
    keys; ``end`` before ``start`` raises ``ValueError``; a window beyond a series' coverage
    warns (:class:`CoverageWarning`) with the series and its coverage.
    """
    return Loader().load(keys, start=start, end=end, freq=freq, how=how)
