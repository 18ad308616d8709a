"""Tables the notebooks show: the monitor, values on dates, claims beside their data.

Each function returns a tidy DataFrame (so tests can check its numbers); ``styled`` turns a
claims table into a colour-coded HTML table for reports.
"""

from __future__ import annotations

import re

from collections.abc import Iterable

import pandas as pd

from .claims import check_claims, load_claims
from .indicators import zero_where_no_operation
from .panel import Loader
from .quantities import QUANTITIES, quantity, quantity_unit, title_of  # noqa: F401 (title_of re-exported)

VERDICT_BAR_COLOURS = {"supported": "seagreen", "partly": "goldenrod", "contradicted": "firebrick", "not_checkable": "grey"}
VERDICT_COLOURS = {"supported": "#d8f0d8", "partly": "#fff1c2", "contradicted": "#f8d0d0", "not_checkable": "#e6e6e6"}


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


def values_on(names: Iterable[str], dates: Iterable[object], *, loader: Loader | None = None,
              zero_when_absent: Iterable[str] = ()) -> pd.DataFrame:
    """Each quantity on each date (the last observation on or before it, within 7 days).

    For the names in ``zero_when_absent`` (operation take-ups such as ``repo_take_up``) a
    business day without a row, up to the series' last date, had no operation: the value is 0
    on that day itself.
    """
    loader = loader or Loader()
    zero = set(zero_when_absent)
    rows = []
    for name in names:
        series = quantity(name, loader=loader).dropna()
        if name in zero and len(series):
            days = [pd.Timestamp(d) for d in dates]
            filled = zero_where_no_operation(series.loc[min(days):max(days)], min(days), max(days))
            series = pd.concat([series.loc[:min(days) - pd.Timedelta(days=1)], filled.dropna()])
        for date in dates:
            day = pd.Timestamp(date)
            before = series.loc[:day]
            ok = len(before) and (day - before.index[-1]).days <= (0 if name in zero else 7)
            rows.append({"quantity": name, "unit": quantity_unit(name, loader), "date": day.date(),
                         "observed_on": before.index[-1].date() if ok else None,
                         "value": before.iloc[-1] if ok else None})
    return pd.DataFrame(rows)


def _claim_dates(claim) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last date a claim is about (its date, start/end or window; for a compound
    claim, the span of its parts)."""
    if claim.parts:
        spans = [d for part in claim.parts for d in _claim_dates(part) if d is not None]
        return (min(spans), max(spans)) if spans else (None, None)
    get = claim.get

    def ends(spec: object) -> tuple[pd.Timestamp, pd.Timestamp]:
        if isinstance(spec, (list, tuple)):
            return pd.Timestamp(spec[0]), pd.Timestamp(spec[1])
        return pd.Timestamp(spec), pd.Timestamp(spec)

    if get("date") is not None:
        day = pd.Timestamp(get("date"))
        return day, day
    if get("start") is not None and get("end") is not None:
        return ends(get("start"))[0], ends(get("end"))[1]
    if get("window") is not None:
        return pd.Timestamp(get("window")[0]), pd.Timestamp(get("window")[1])
    return None, None


def _episode_windows() -> dict[str, tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]]:
    """Each episode's (t0, start, end)."""
    from .episodes import load_episodes

    return {episode_id: (e.t0, e.start, e.end) for episode_id, e in load_episodes().items()}


def select_claims(*, start: object = None, end: object = None, articles: Iterable[str] | None = None,
                  ids: Iterable[str] | None = None, episode: str | Iterable[str] | None = None,
                  within: bool = False) -> list:
    """The claims a page shows (see :func:`claims_table` for the rules)."""
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    wanted_ids = set(ids) if ids is not None else None
    prefixes = tuple(articles) if articles is not None else None
    episodes = {episode} if isinstance(episode, str) else (set(episode) if episode is not None else None)
    windows = _episode_windows() if (lo is not None or hi is not None) and not within else {}
    t0s = {episode_id: t0 for episode_id, (t0, _, _) in windows.items()}
    exact = [episode_id for episode_id, (_, first, last) in windows.items() if (first, last) == (lo, hi)]
    if exact and episodes is None:  # an episode's own window (the episode template): its claims, by id
        episodes, lo, hi = set(exact), None, None
    chosen = []
    for claim in load_claims():
        if wanted_ids is not None and claim.id not in wanted_ids:
            continue
        if prefixes is not None and not claim.article.startswith(prefixes):
            continue
        if episodes is not None and not episodes & set(claim.episodes):
            continue
        if lo is not None or hi is not None:
            first, last = _claim_dates(claim)
            inside = first is not None and (lo is None or first >= lo) and (hi is None or last <= hi)
            if within:
                if not inside:
                    continue
            elif claim.episodes:
                if not any((lo is None or t0s[e] >= lo) and (hi is None or t0s[e] <= hi) for e in claim.episodes if e in t0s):
                    continue
            elif not inside:
                continue
        chosen.append(claim)
    return chosen


CLAIMS_COLUMNS = ["id", "article", "episodes", "role", "quote", "claim", "quantity", "check", "claimed", "claimed_text",
                  "unit", "computed", "computed_unit", "parts", "data_date", "verdict", "rule", "data", "detail", "nearest",
                  "calendar", "as_of", "verdict_asof", "detail_asof", "data_asof", "release", "pit_changed",
                  "pit_data_changed"]


def claims_table(*, start: object = None, end: object = None, articles: Iterable[str] | None = None,
                 ids: Iterable[str] | None = None, episode: str | Iterable[str] | None = None,
                 loader: Loader | None = None, within: bool = False, point_in_time: bool = True) -> pd.DataFrame:
    """The claims (all, or those of some articles, ids or episodes, or dated in a window) with
    the verdict on today's data and, beside it, the point-in-time verdict with only the data
    published by the article's date (:func:`plumbing.claims.check_claims`).

    Every row carries the Chinese quote, the English claim, the rule in words, the
    observations used, the nearest reading (for partly and contradicted) and a calendar flag.

    Claims belong to pages by what they are about: ``episode`` selects the claims that name
    that episode id, and so does a ``start``/``end`` pair that is exactly an episode's window
    (the episode template's call). Any other ``start``/``end``: a claim attached to episodes is
    shown when one of its episodes' t0 falls in [start, end]; a claim attached to none when its
    own dates lie inside the window (a claim about 2009-2023 never lands on a 2020 page by
    overlap). With ``within=True`` (an "as of" view) only claims whose own dates lie inside.
    """
    chosen = select_claims(start=start, end=end, articles=articles, ids=ids, episode=episode, within=within)
    if not chosen:
        return pd.DataFrame(columns=CLAIMS_COLUMNS)
    table = check_claims(chosen, loader or Loader(), point_in_time=point_in_time)
    return table.reindex(columns=CLAIMS_COLUMNS)


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
                 "usd_tn": "USD tn", "usd": "USD", "bp": "bp", "index": "", "jpy_per_usd": "JPY per USD",
                 "count": "", "days": "days", "weeks": "weeks"}


def with_unit(value: object, unit: object) -> str:
    """A number and its unit for a table cell (empty when the value is missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if unit == "share":
        return f"{float(value) * 100:.1f}% of days"
    if unit == "percentile":
        return f"{float(value):.1f}% of comparable moves as extreme"
    label = DISPLAY_UNITS.get(str(unit or ""), str(unit or ""))
    return f"{format_number(value)}{'' if label == '%' else ' '}{label}".strip()


def claims_for_display(table: pd.DataFrame) -> pd.DataFrame:
    """The claims table as a bilingual reader audits it, line by line: the article's quote, the
    English claim, the rule in words, the data used, the claimed and data values with their
    units, the verdict on today's data and the verdict with the data published by the article's
    date, and why (detail, nearest reading, calendar flag)."""
    from .claims import _claimed_amount, _with_unit, article_title, load_document

    def change_unit(unit: object, check: object) -> object:  # a change of a rate is in percentage points
        return "pp" if check in ("change", "direction") and unit == "percent" else unit

    def missing(value: object) -> bool:
        return value is None or (isinstance(value, float) and pd.isna(value))

    def amount(value: object, unit: object, claimed: bool = False) -> str:
        """A number with its unit in words (USD 1,234.5bn, 4.31%, 12 bp), as the claims' text."""
        if missing(value):
            return ""
        if unit in ("share", "percentile", None, "") or (isinstance(unit, float) and pd.isna(unit)):
            return with_unit(value, unit)
        if unit == "parts":
            return with_unit(value, "")
        return (_claimed_amount if claimed else _with_unit)(float(value), str(unit))

    def data_value(value: object, unit: object, check: object, parts: object) -> str:
        if check == "compound" and not missing(value):
            return f"{int(value)} of {int(parts)} parts hold"
        return amount(value, change_unit(unit, check))

    def as_of_text(verdict: object, as_of: object, changed: object) -> str:
        if missing(verdict):
            return ""
        flag = " (differs)" if bool(changed) else ""
        words = str(verdict).replace("_", " ")
        return f"{words}{flag}, as of {as_of}" if as_of else words

    # a claim named by its id in a note ("see a004_...") is named by its English text instead
    named = {c.id: c.claim for c in load_document().claims}
    ids = re.compile(r"\b(" + "|".join(map(re.escape, sorted(named, key=len, reverse=True))) + r")\b") if named else None

    def plain(text: object) -> str:
        text = "" if missing(text) else str(text)
        return ids.sub(lambda m: f'the claim "{named[m.group(1)]}"', text) if ids is not None else text

    def why(detail: object, nearest: object, calendar: object) -> str:
        texts = [plain(detail)]
        if nearest:
            texts.append(f"Nearest reading: {plain(nearest)}")
        if calendar:
            texts.append(str(calendar))
        return " | ".join(texts)

    view = pd.DataFrame({
        "id": table["id"],
        "article": [article_title(a) for a in table["article"]],
        "quote": table["quote"],
        "claim": [f"{c} [{r}]" if r not in ("statement", None) and not pd.isna(r) else c
                  for c, r in zip(table["claim"], table.get("role", ["statement"] * len(table)))],
        "rule": [plain(t) for t in table["rule"]],
        "data used": [plain(t) for t in table["data"]],
        "claimed": [amount(v, change_unit(u, k), claimed=True) or text
                    for v, u, k, text in zip(table["claimed"], table["unit"], table["check"], table["claimed_text"])],
        "data": [data_value(v, u, k, n) for v, u, k, n in
                 zip(table["computed"], table["computed_unit"], table["check"], table.get("parts", [0] * len(table)))],
        "verdict": table["verdict"],
        "point in time": [as_of_text(v, a, c) for v, a, c in
                          zip(table.get("verdict_asof", [None] * len(table)), table.get("as_of", [None] * len(table)),
                              table.get("pit_changed", [False] * len(table)))],
        "why": [why(d, n, c) for d, n, c in zip(table["detail"], table.get("nearest", [""] * len(table)),
                                             table.get("calendar", [""] * len(table)))],
    })
    return view.fillna("")


def styled(table: pd.DataFrame):
    """A claims table as a page shows it, verdict first (:func:`plumbing.present.claims_html`):
    contradicted and partly in view, supported and not checkable folded, the quote, rule and
    data used folded under each claim. Renders as HTML where a notebook cell shows it."""
    from .present import ClaimsView

    return ClaimsView(table)


def day_moves(names: Iterable[str], date: object, *, loader: Loader | None = None,
              vol_window: int = 250) -> pd.DataFrame:
    """Each quantity's move on ``date`` against its own previous observation.

    Percent change for prices and indexes; change in the unit for rates, spreads and
    balances. A quantity with no observation on ``date`` itself is reported as missing.
    ``z`` is the move in volatility units: the move divided by the standard deviation of the
    same kind of move over the ``vol_window`` observations before ``date`` (at least 60).
    """
    loader = loader or Loader()
    day = pd.Timestamp(date)
    rows = []
    for name in names:
        series = quantity(name, end=day, loader=loader).dropna()
        unit = quantity_unit(name, loader)
        if series.empty or series.index[-1] != day or len(series) < 2:
            rows.append({"quantity": name, "title": title_of(name, loader), "previous_date": None, "previous": None,
                         "value": None, "move": None, "move_unit": None, "z": None})
            continue
        previous, value = series.iloc[-2], series.iloc[-1]
        relative = unit in ("index", "usd", "jpy_per_usd")
        moves = (series.pct_change() * 100 if relative else series.diff()).iloc[:-1].dropna().tail(vol_window)
        move = (value / previous - 1) * 100 if relative else value - previous
        scale = float(moves.std()) if len(moves) >= 60 else float("nan")
        rows.append({"quantity": name, "title": title_of(name, loader), "previous_date": series.index[-2].date(),
                     "previous": previous, "value": value, "move": move,
                     "move_unit": "%" if relative else unit, "z": move / scale if scale > 0 else None})
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


def event_window_grid(summary: pd.DataFrame, statistic: str, labels: dict[str, str],
                      episode_names: dict[str, str]) -> pd.DataFrame:
    """One statistic of :func:`event_window_summary` (``"at_t0"``, ``"max"`` or ``"min"``) as
    a grid: one row per quantity (named by ``labels``, in the summary's order), one column per
    episode (named by ``episode_names``, in the summary's order). Missing: no data."""
    grid = summary.pivot(index="quantity", columns="episode", values=statistic)
    rows = list(dict.fromkeys(summary["quantity"]))
    columns = list(dict.fromkeys(summary["episode"]))
    grid = grid.reindex(index=rows, columns=columns)
    return grid.rename(index=labels, columns=episode_names).rename_axis(index=None, columns=None)


def show_model_header(result) -> None:
    """Display a model result's specification, sample and notes (Markdown) beside its table."""
    from IPython.display import Markdown, display

    def plain(text: object) -> str:  # model formulas contain * and _ that Markdown would eat
        return "".join("\\" + ch if ch in "*_`[]<>#|" else ch for ch in str(text))

    notes = "".join(f"\n- {plain(note)}" for note in getattr(result, "notes", []) or [])
    display(Markdown(f"**Specification.** {plain(result.spec)}\n\n**Sample.** {plain(result.sample)}"
                     + (f"\n\n**Notes.**{notes}" if notes else "")))
