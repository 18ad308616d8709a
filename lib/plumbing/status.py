"""``plumbing data status``: what the cache holds, how old it is, and where it has gaps."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd

from .cache import CacheCorrupt, CacheError, SeriesCache
from .catalog import NOMINAL_SPACING_BDAYS, Catalog, load_catalog


def gaps(index: pd.DatetimeIndex, frequency: str, tolerance_bdays: int) -> list[tuple[pd.Timestamp, pd.Timestamp, int]]:
    """Stretches between consecutive observations longer than expected.

    A gap is reported when the business days between two consecutive observations exceed
    the series' nominal spacing (1 for daily, 5 weekly, 23 monthly, 66 quarterly) by more
    than ``tolerance_bdays``. Returns (last date before, first date after, business days).
    """
    if len(index) < 2:
        return []
    days = index.values.astype("datetime64[D]")
    spacing = np.busday_count(days[:-1], days[1:])
    allowed = NOMINAL_SPACING_BDAYS[frequency] + tolerance_bdays
    where = np.flatnonzero(spacing > allowed)
    return [(index[i], index[i + 1], int(spacing[i])) for i in where]


def status_table(tolerance_bdays: int = 5, *, catalog: Catalog | None = None,
                 cache: SeriesCache | None = None, today: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per catalog series: key, source, first, last, rows, age, gaps, problem.

    ``first``, ``last`` and ``rows`` are read from the cached data, never from metadata.
    ``age_days`` is calendar days from the last observation to ``today``; ``retrieved`` is
    when the cache last wrote the series; ``gaps`` counts stretches longer than the series'
    nominal spacing plus ``tolerance_bdays`` business days (>= 0), and ``longest_gap`` names
    the longest one. ``problem`` says why a file cannot be used (source ``corrupted`` or
    ``unreadable``), empty otherwise.
    """
    if tolerance_bdays < 0:
        raise ValueError(f"the gap tolerance is {tolerance_bdays} business days; it must be 0 or more")
    catalog = catalog or load_catalog()
    cache = cache or SeriesCache()
    problem = cache.root_problem()
    if problem:
        raise CacheError(problem)
    today = (today or pd.Timestamp(datetime.now(timezone.utc).date())).normalize()
    return pd.DataFrame([_status_row(spec.key, spec.frequency, cache, tolerance_bdays, today) for spec in catalog])


def _status_row(key: str, frequency: str, cache: SeriesCache, tolerance_bdays: int, today: pd.Timestamp) -> dict:
    """The status line of one series (see :func:`status_table`)."""
    empty = {"key": key, "source": "not cached", "first": None, "last": None, "rows": 0, "age_days": None,
             "retrieved": None, "gaps": None, "longest_gap": "", "problem": ""}
    try:
        entry = cache.entry(key)
    except CacheCorrupt as err:
        return {**empty, "source": "corrupted", "problem": f"{err}; the next sync moves it aside and re-imports it"}
    except CacheError as err:
        return {**empty, "source": "unreadable", "problem": str(err)}
    if entry is None:
        return empty
    series = entry.series
    if series.empty:
        return {**empty, "source": entry.meta.source, "retrieved": _when(entry.meta.retrieved_at)}
    found = gaps(series.index, frequency, tolerance_bdays)
    longest = max(found, key=lambda g: g[2]) if found else None
    return {
        "key": key,
        "source": entry.meta.source,
        "first": series.index[0].date().isoformat(),
        "last": series.index[-1].date().isoformat(),
        "rows": int(len(series)),
        "age_days": int((today - series.index[-1]).days),
        "retrieved": _when(entry.meta.retrieved_at),
        "gaps": len(found),
        "longest_gap": f"{longest[0].date()}..{longest[1].date()} ({longest[2]} bd)" if longest else "",
        "problem": "",
    }


def _when(retrieved_at: str) -> str | None:
    return retrieved_at[:16].replace("T", " ") or None
