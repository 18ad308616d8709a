"""``plumbing data status``: what the cache holds, how old it is, and where it has gaps."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd

from .cache import SeriesCache
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
    """One row per catalog series: key, source, first, last, rows, age, gaps.

    ``age_days`` is calendar days from the last observation to ``today``; ``retrieved`` is
    when the cache last wrote the series; ``gaps`` counts stretches longer than the series'
    nominal spacing plus ``tolerance_bdays`` business days, and ``longest_gap`` names the
    longest one.
    """
    catalog = catalog or load_catalog()
    cache = cache or SeriesCache()
    today = (today or pd.Timestamp(datetime.now(timezone.utc).date())).normalize()
    rows = []
    for spec in catalog:
        meta = cache.metadata(spec.key)
        series = cache.read(spec.key) if meta else None
        if meta is None or series is None:
            rows.append({"key": spec.key, "source": "not cached" if meta is None else "corrupted",
                         "first": None, "last": None, "rows": 0, "age_days": None,
                         "retrieved": None, "gaps": None, "longest_gap": ""})
            continue
        found = gaps(series.index, spec.frequency, tolerance_bdays)
        longest = max(found, key=lambda g: g[2]) if found else None
        rows.append({
            "key": spec.key,
            "source": meta.source,
            "first": meta.first,
            "last": meta.last,
            "rows": meta.rows,
            "age_days": int((today - series.index.max()).days),
            "retrieved": meta.retrieved_at[:16].replace("T", " "),
            "gaps": len(found),
            "longest_gap": f"{longest[0].date()}..{longest[1].date()} ({longest[2]} bd)" if longest else "",
        })
    return pd.DataFrame(rows)
