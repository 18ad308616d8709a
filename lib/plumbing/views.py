"""Tables the notebooks show: the monitor, values on dates, claims beside their data.

Each function returns a tidy DataFrame (so tests can check its numbers); ``styled`` turns a
claims table into a colour-coded HTML table for reports.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .claims import ClaimChecker, load_claims
from .panel import Loader
from .quantities import QUANTITIES, quantity, quantity_unit

VERDICT_COLOURS = {"supported": "#d8f0d8", "partly": "#fff1c2", "contradicted": "#f8d0d0", "not_checkable": "#e6e6e6"}


def title_of(name: str, loader: Loader | None = None) -> str:
    """A readable title for a quantity or catalog key."""
    if name in QUANTITIES:
        return QUANTITIES[name].title
    return (loader or Loader()).catalog.get(name).title


def monitor_table(names: Iterable[str], as_of: object, *, loader: Loader | None = None,
                  percentile_years: int = 5) -> pd.DataFrame:
    """Latest value of each quantity on or before ``as_of``, its changes and where it stands.

    Columns: title, unit, date (of the latest observation), value, change over 1 week,
    1 month and 3 months (value minus the last value on or before as_of minus 7, 30 and 91
    calendar days), and the percentile of the latest value among the observations of the
    previous ``percentile_years`` years (100 = the highest).
    """
    loader = loader or Loader()
    as_of = pd.Timestamp(as_of)
    rows = []
    for name in names:
        series = quantity(name, end=as_of, loader=loader).dropna()
        row = {"quantity": name, "title": title_of(name, loader), "unit": quantity_unit(name, loader)}
        if series.empty:
            rows.append({**row, "date": None, "value": None})
            continue
        latest, value = series.index[-1], series.iloc[-1]
        row.update(date=latest.date(), value=value)
        for label, days in (("chg_1w", 7), ("chg_1m", 30), ("chg_3m", 91)):
            earlier = series.loc[:latest - pd.Timedelta(days=days)]
            row[label] = value - earlier.iloc[-1] if len(earlier) else None
        window = series.loc[latest - pd.DateOffset(years=percentile_years):]
        row[f"pctile_{percentile_years}y"] = round(float((window <= value).mean() * 100), 1)
        rows.append(row)
    return pd.DataFrame(rows).set_index("quantity")


def values_on(names: Iterable[str], dates: Iterable[object], *, loader: Loader | None = None) -> pd.DataFrame:
    """Each quantity on each date (the last observation on or before it, within 7 days)."""
    loader = loader or Loader()
    rows = []
    for name in names:
        series = quantity(name, loader=loader).dropna()
        for date in dates:
            day = pd.Timestamp(date)
            before = series.loc[:day]
            ok = len(before) and (day - before.index[-1]).days <= 7
            rows.append({"quantity": name, "unit": quantity_unit(name, loader), "date": day.date(),
                         "observed_on": before.index[-1].date() if ok else None,
                         "value": before.iloc[-1] if ok else None})
    return pd.DataFrame(rows)


def _claim_dates(claim) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    get = claim.get
    if get("date") is not None:
        day = pd.Timestamp(get("date"))
        return day, day
    if get("start") is not None and get("end") is not None:
        return pd.Timestamp(get("start")), pd.Timestamp(get("end"))
    if get("window") is not None:
        return pd.Timestamp(get("window")[0]), pd.Timestamp(get("window")[1])
    return None, None


def claims_table(*, start: object = None, end: object = None, articles: Iterable[str] | None = None,
                 ids: Iterable[str] | None = None, loader: Loader | None = None) -> pd.DataFrame:
    """The claims (optionally those dated inside [start, end], from some articles or by id)
    with the value computed from data and the verdict."""
    checker = ClaimChecker(loader or Loader())
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    wanted_ids = set(ids) if ids is not None else None
    prefixes = tuple(articles) if articles is not None else None
    rows = []
    for claim in load_claims():
        if wanted_ids is not None and claim.id not in wanted_ids:
            continue
        if prefixes is not None and not claim.article.startswith(prefixes):
            continue
        first, last = _claim_dates(claim)
        if lo is not None or hi is not None:
            if first is None or (hi is not None and first > hi) or (lo is not None and last < lo):
                continue
        rows.append(checker.check(claim).row())
    columns = ["id", "article", "claim", "quantity", "check", "claimed", "unit", "computed", "data_date", "verdict", "detail"]
    return pd.DataFrame(rows, columns=columns)


def styled(table: pd.DataFrame, columns: Iterable[str] = ("claim", "claimed", "unit", "computed", "verdict", "detail")):
    """An HTML-ready Styler of a claims table with verdicts colour-coded."""
    view = table[list(columns)].copy()

    def colour(value: object) -> str:
        return f"background-color: {VERDICT_COLOURS.get(str(value), 'white')}"

    return (view.style.map(colour, subset=["verdict"])
            .format({"claimed": lambda v: "" if v is None or pd.isna(v) else f"{v:,.4g}",
                     "computed": lambda v: "" if v is None or pd.isna(v) else f"{v:,.4g}"})
            .hide(axis="index")
            .set_properties(**{"text-align": "left", "font-size": "0.85em"}))
