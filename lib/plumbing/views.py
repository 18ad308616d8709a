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

VERDICT_BAR_COLOURS = {"supported": "seagreen", "partly": "goldenrod", "contradicted": "firebrick", "not_checkable": "grey"}
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
                 ids: Iterable[str] | None = None, loader: Loader | None = None, within: bool = False) -> pd.DataFrame:
    """The claims (optionally those dated in [start, end], from some articles or by id) with
    the value computed from data and the verdict.

    By default a claim is included when its date or window overlaps [start, end]; with
    ``within=True`` only when it lies entirely inside (an "as of" view that must not show
    claims about later dates).
    """
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
            if within and ((hi is not None and last > hi) or (lo is not None and first < lo)):
                continue
        rows.append(checker.check(claim).row())
    columns = ["id", "article", "claim", "quantity", "check", "claimed", "claimed_text", "unit", "computed",
               "computed_unit", "data_date", "verdict", "detail"]
    return pd.DataFrame(rows, columns=columns)


def format_number(value: object) -> str:
    """Numbers for tables: thousands separators, at most 4 significant digits below 1,000,
    never scientific notation; missing values as an empty cell."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    number = float(value)
    if abs(number) >= 1000:
        return f"{number:,.0f}" if abs(number) >= 10000 else f"{number:,.1f}"
    if number == 0 or abs(number) >= 0.001:
        return f"{float(f'{number:.4g}'):g}"
    return f"{number:.6f}"


DISPLAY_UNITS = {"pp": "pp", "pct_change": "%", "%": "%", "percent": "%", "usd_bn": "USD bn", "usd_bn_saar": "USD bn",
                 "usd": "USD", "bp": "bp", "index": "", "jpy_per_usd": "JPY per USD"}


def with_unit(value: object, unit: object) -> str:
    """A number and its unit for a table cell (empty when the value is missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if unit == "share":
        return f"{float(value) * 100:.1f}% of days"
    label = DISPLAY_UNITS.get(str(unit or ""), str(unit or ""))
    return f"{format_number(value)}{'' if label == '%' else ' '}{label}".strip()


def claims_for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The claims table as a reader sees it: claimed and data values as text with their units
    (a share of days as a percent), the article as its number."""
    def change_unit(unit: object, check: object) -> object:  # a change of a rate is in percentage points
        return "pp" if check in ("change", "direction") and unit == "percent" else unit

    view = pd.DataFrame({
        "article": table["article"].str.slice(0, 3),
        "claim": table["claim"],
        "claimed": [with_unit(v, change_unit(u, k)) or text
                    for v, u, k, text in zip(table["claimed"], table["unit"], table["check"], table["claimed_text"])],
        "data": [with_unit(v, change_unit(u, k)) for v, u, k in zip(table["computed"], table["computed_unit"], table["check"])],
        "verdict": table["verdict"],
        "detail": table["detail"],
    })
    return view


def styled(table: pd.DataFrame):
    """An HTML-ready Styler of a claims table (see :func:`claims_for_display`), verdicts colour-coded."""
    view = claims_for_display(table)

    def colour(value: object) -> str:
        return f"background-color: {VERDICT_COLOURS.get(str(value), 'white')}"

    return (view.style.map(colour, subset=["verdict"])
            .hide(axis="index")
            .set_properties(**{"text-align": "left", "font-size": "0.85em"}))


def day_moves(names: Iterable[str], date: object, *, loader: Loader | None = None) -> pd.DataFrame:
    """Each quantity's move on ``date`` against its own previous observation.

    Percent change for prices and indexes; change in the unit for rates, spreads and
    balances. A quantity with no observation on ``date`` itself is reported as missing.
    """
    loader = loader or Loader()
    day = pd.Timestamp(date)
    rows = []
    for name in names:
        series = quantity(name, end=day, loader=loader).dropna()
        unit = quantity_unit(name, loader)
        if series.empty or series.index[-1] != day or len(series) < 2:
            rows.append({"quantity": name, "title": title_of(name, loader), "previous_date": None, "previous": None,
                         "value": None, "move": None, "move_unit": None})
            continue
        previous, value = series.iloc[-2], series.iloc[-1]
        relative = unit in ("index", "usd", "jpy_per_usd")
        rows.append({"quantity": name, "title": title_of(name, loader), "previous_date": series.index[-2].date(),
                     "previous": previous, "value": value,
                     "move": (value / previous - 1) * 100 if relative else value - previous,
                     "move_unit": "%" if relative else unit})
    return pd.DataFrame(rows).set_index("quantity")


def changes_between(names: Iterable[str], start: object, end: object, *, loader: Loader | None = None) -> pd.DataFrame:
    """Each quantity at the last observation on or before ``start`` and ``end``, and the change."""
    loader = loader or Loader()
    rows = []
    for name in names:
        series = quantity(name, end=end, loader=loader).dropna()
        first = series.loc[:pd.Timestamp(start)]
        if series.empty or first.empty:
            rows.append({"quantity": name, "unit": quantity_unit(name, loader)})
            continue
        rows.append({"quantity": name, "unit": quantity_unit(name, loader),
                     "from_date": first.index[-1].date(), "from": first.iloc[-1],
                     "to_date": series.index[-1].date(), "to": series.iloc[-1],
                     "change": series.iloc[-1] - first.iloc[-1]})
    return pd.DataFrame(rows).set_index("quantity")


def event_window_summary(tidy: pd.DataFrame, days: tuple[int, int] = (-10, 10)) -> pd.DataFrame:
    """From an event-time frame: per episode and quantity, the value at t0 and the max and
    min inside ``days`` business days around t0 (with the day each occurred)."""
    window = tidy[(tidy["day"] >= days[0]) & (tidy["day"] <= days[1])].dropna(subset=["value"])
    rows = []
    for (episode, name), group in window.groupby(["episode", "quantity"], sort=False):
        at_t0 = group.loc[group["day"] == 0, "value"]
        high, low = group.loc[group["value"].idxmax()], group.loc[group["value"].idxmin()]
        rows.append({"episode": episode, "quantity": name, "at_t0": at_t0.iloc[0] if len(at_t0) else None,
                     "max": high["value"], "max_day": int(high["day"]), "min": low["value"], "min_day": int(low["day"])})
    return pd.DataFrame(rows)


def show_model_header(result) -> None:
    """Display a model result's specification, sample and notes (Markdown) beside its table."""
    from IPython.display import Markdown, display

    def plain(text: object) -> str:  # model formulas contain * and _ that Markdown would eat
        return "".join("\\" + ch if ch in "*_`[]<>#|" else ch for ch in str(text))

    notes = "".join(f"\n- {plain(note)}" for note in getattr(result, "notes", []) or [])
    display(Markdown(f"**Specification.** {plain(result.spec)}\n\n**Sample.** {plain(result.sample)}"
                     + (f"\n\n**Notes.**{notes}" if notes else "")))
