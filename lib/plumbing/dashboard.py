"""The morning dashboard: one tile per watch-list series, with a sparkline.

The liquidity monitor (notebook 00) computes the tiles at render time and records them; the
index page (:mod:`plumbing.reports.index_page`) draws them from that record, so the index
costs nothing to rebuild. A tile holds the latest value on or before the monitor's date (and
that value's own date), its change over one week and one month, its percentile among five
years of observations (:func:`standing`: mid-rank, so a value shared by many days sits in the
middle of them; the history's first date where it is shorter; the share of days at exactly
that value where many days share it, as the repo facility's zeros) and a year of weekly points
for the sparkline. Sparklines are inline SVG (no image, no script).

:func:`monitor_stress` is the stress composite on the monitor's own net liquidity (the daily
TGA, as in the monitor's headline number).
"""

from __future__ import annotations

import html
import re
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .present import fmt, fmt_with_unit, ordinal

#: the watch list of the index's headline strip, with short plain-English names
TILE_NAMES: dict[str, str] = {
    "net_liquidity": "Net liquidity",
    "net_liquidity_daily": "Net liquidity",
    "reserves": "Reserves",
    "tga_daily": "TGA",
    "on_rrp": "ON RRP",
    "sofr_iorb_bp": "SOFR - IORB",
    "sofr_p99_iorb_bp": "SOFR 99th pct - IORB",
    "repo_take_up": "Repo facility",
    "move": "MOVE",
    "hy_oas": "HY OAS",
    "usdjpy": "USDJPY",
    "us2y_jp2y_bp": "US2Y - JP2Y",
    "stress": "Stress composite",
}
SPARK_DAYS = 365
#: a value shared by at least this share of the percentile window is said in words ("0 on 61% of days")
TIE_SHARE = 0.2
#: a tile whose own last observation is more than this many calendar days before the monitor date gets an age badge
TILE_LAG_DAYS = 7
#: tile units: compact, so a value never wraps in a 200 px tile
TILE_UNITS: dict[str, str] = {"usd_bn": "{sign}{text}bn", "jpy_per_usd": "{sign}¥{text}", "index": "{sign}{text}",
                              "z": "{sign}{text}", "bp": "{sign}{text} bp", "percent": "{sign}{text}%",
                              "pp": "{sign}{text} pp"}


def standing(series: pd.Series, as_of: object, years: int = 5) -> dict:
    """Where the latest value on or before ``as_of`` stands among the observations of the
    ``years`` before it: ``pctile`` (mid-rank percentile, 0-100: the share below plus half the
    share equal, so ties neither push it up nor down), ``since`` (the window's first date when
    the history is shorter than ``years``, else None), ``tie_share`` (the share of the window's
    days at exactly this value when it is at least :data:`TIE_SHARE`, else None) and ``n``."""
    history = series.loc[:pd.Timestamp(as_of)].dropna()
    if history.empty:
        return {"pctile": None, "since": None, "tie_share": None, "n": 0}
    latest, value = history.index[-1], float(history.iloc[-1])
    start = latest - pd.DateOffset(years=years)
    window = history.loc[start:]
    below, equal = float((window < value).mean()), float((window == value).mean())
    short = history.index[0] > start + pd.Timedelta(days=7)
    return {"pctile": round((below + equal / 2) * 100, 1), "since": str(window.index[0].date()) if short else None,
            "tie_share": round(equal * 100, 1) if equal >= TIE_SHARE else None, "n": int(len(window))}


def _unbroken(text: str) -> str:
    """``text`` escaped, with its dates and "N days" kept on one line (a narrow tile wraps only
    between phrases, never inside "2022-04-18" or "110 days")."""
    escaped = html.escape(text)
    escaped = re.sub(r"(\d{4})-(\d{2})-(\d{2})", "\\1&#8209;\\2&#8209;\\3", escaped)  # non-breaking hyphens
    return re.sub(r"(\d) (days?|years?|weeks?)", "\\1&nbsp;\\2", escaped)


def percentile_words(pctile: float | None, years: int = 5, since: str | None = None,
                     tie_share: float | None = None, value: float | None = None) -> str:
    """``15th percentile of 5 years``; ``42nd percentile since 2022-04-18``; ``31st percentile
    of 5 years; 0 on 61% of days``; ``—`` without a value."""
    def given(x: object) -> bool:
        return x is not None and not (isinstance(x, float) and math.isnan(x))

    if not given(pctile):
        return "—"
    text = f"{ordinal(pctile)} percentile {f'since {since}' if given(since) else f'of {years} years'}"
    if given(tie_share) and given(value):
        text += f"; {fmt(float(value))} on {float(tie_share):.0f}% of days"
    return text


def with_standing(table: pd.DataFrame, series: Mapping[str, pd.Series], as_of: object, years: int = 5) -> pd.DataFrame:
    """A monitor table (:func:`plumbing.views.monitor_table`) whose ``pctile_{years}y`` is the
    mid-rank percentile of :func:`standing`, with ``pctile_since``, ``tie_share`` and
    ``percentile`` (in words) beside it; ``series`` maps the table's rows to their histories."""
    out = table.copy()
    column = f"pctile_{years}y"
    found = {name: standing(series[name], as_of, years) for name in out.index if name in series}
    out[column] = [found[n]["pctile"] if n in found else out.loc[n, column] for n in out.index]
    out["pctile_since"] = [found.get(n, {}).get("since") for n in out.index]
    out["tie_share"] = [found.get(n, {}).get("tie_share") for n in out.index]
    out["percentile"] = [percentile_words(out.loc[n, column], years, out.loc[n, "pctile_since"],
                                          out.loc[n, "tie_share"], out.loc[n, "value"]) for n in out.index]
    return out


def tile_value(value: float | None, unit: str, *, signed: bool = False) -> str:
    """A tile's number with a compact unit (:data:`TILE_UNITS`): ``2,935.1bn``, ``¥147.21``,
    ``69.58`` (index points), ``+3 bp``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit not in TILE_UNITS:
        return fmt_with_unit(value, unit, signed=signed)
    number = float(value)
    sign = "-" if number < 0 else ("+" if signed and number > 0 else "")
    text = fmt(abs(number), unit if unit != "z" else "")
    if unit == "z":
        text = f"{abs(number):.2f}"
    return TILE_UNITS[unit].format(sign=sign, text=text)


def _spark(series: pd.Series, as_of: pd.Timestamp, days: int = SPARK_DAYS) -> list[list[object]]:
    """Weekly (last of each week ending Friday) points over the year to ``as_of``."""
    window = series.loc[as_of - pd.Timedelta(days=days):as_of].dropna()
    if window.empty:
        return []
    weekly = window.resample("W-FRI").last().dropna()
    return [[str(d.date()), float(v)] for d, v in weekly.items()]


def tile(name: str, series: pd.Series, unit: str, as_of: object, *, percentile_years: int = 5,
         note: str = "") -> dict:
    """One tile from a quantity's history (common units), as of ``as_of``: its value and that
    value's own ``date``, changes, :func:`standing` (``pctile``, ``since``, ``tie_share``) and
    the sparkline's points."""
    as_of_ts = pd.Timestamp(as_of)
    history = series.loc[:as_of_ts].dropna()
    out: dict = {"name": name, "title": TILE_NAMES.get(name, name), "unit": unit, "note": note,
                 "years": percentile_years, "as_of": str(as_of_ts.date())}
    if history.empty:
        return {**out, "date": None, "value": None, "chg_1w": None, "chg_1m": None, "pctile": None, "spark": []}
    latest, value = history.index[-1], float(history.iloc[-1])

    def change(days: int) -> float | None:
        earlier = history.loc[:latest - pd.Timedelta(days=days)]
        return value - float(earlier.iloc[-1]) if len(earlier) else None

    where = standing(history, latest, percentile_years)
    return {**out, "date": str(latest.date()), "value": value, "chg_1w": change(7), "chg_1m": change(30),
            "pctile": where["pctile"], "since": where["since"], "tie_share": where["tie_share"],
            "spark": _spark(history, as_of_ts)}


def monitor_stress(start: object, end: object, *, window: int = 252, loader: object = None) -> pd.DataFrame:
    """The stress composite (:func:`plumbing.indicators.stress_composite`) with the monitor's
    net liquidity: the daily TGA (``net_liquidity_daily``, business days), the same series as
    the monitor's headline number, so its drain component ends and starts where that series
    does (the daily TGA starts 2022-04-18; a component needs half a window of history). Other
    inputs at their own dates. ``attrs["net_liquidity_first"]`` is the first day the drain
    component has a value."""
    from . import indicators as ind
    from .quantities import quantity

    days = pd.bdate_range(pd.Timestamp(start) - pd.DateOffset(years=2), pd.Timestamp(end))
    frame = pd.DataFrame({"net_liquidity": quantity("net_liquidity_daily", loader=loader).reindex(days),
                          **{n: quantity(n, loader=loader).reindex(days)
                             for n in ("sofr_iorb_bp", "move", "us2y_jp2y_bp", "hy_oas")}}, index=days)
    scores = ind.stress_composite(frame, window=window)
    attrs = dict(scores.attrs)
    first = scores["net_liquidity_change"].first_valid_index()
    attrs["net_liquidity_first"] = None if first is None else str(first.date())
    attrs["net_liquidity_source"] = "net liquidity with the daily TGA (WALCL - daily TGA - RRPONTSYD), business days"
    scores = scores.loc[pd.Timestamp(start):pd.Timestamp(end)]
    scores.attrs = attrs
    return scores


def monitor_tiles(series: Mapping[str, pd.Series], units: Mapping[str, str], as_of: object,
                  *, percentile_years: int = 5) -> list[dict]:
    """Tiles for every series given (in :data:`TILE_NAMES` order, others after).

    ``series`` maps tile names to histories in common units (``stress`` is the composite);
    reserves get a note on the distance to the articles' USD 3tn line.
    """
    order = [n for n in TILE_NAMES if n in series] + [n for n in series if n not in TILE_NAMES]
    tiles = []
    for name in order:
        note = ""
        if name == "reserves":
            last = series[name].loc[:pd.Timestamp(as_of)].dropna()
            if len(last):
                gap = float(last.iloc[-1]) - 3000.0
                note = f"{tile_value(abs(gap), 'usd_bn')} {'above' if gap >= 0 else 'below'} the 3tn line"
        tiles.append(tile(name, series[name], units.get(name, ""), as_of, percentile_years=percentile_years, note=note))
    return tiles


def sparkline_svg(points: Sequence[Sequence[object]], *, width: int = 150, height: int = 32,
                  reference: float | None = None) -> str:
    """An inline SVG polyline of the values in ``points`` ([date, value] pairs), last point dotted."""
    values = [float(p[1]) for p in points if p[1] is not None and math.isfinite(float(p[1]))]
    if len(values) < 2:
        return f'<svg width="{width}" height="{height}" role="img" aria-label="no data"></svg>'
    low, high = min(values + ([reference] if reference is not None else [])), max(values + ([reference] if reference is not None else []))
    span = (high - low) or 1.0

    def xy(i: int, v: float) -> tuple[float, float]:
        return 2 + i * (width - 4) / (len(values) - 1), height - 2 - (v - low) / span * (height - 4)

    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
    last_x, last_y = xy(len(values) - 1, values[-1])
    ref = ""
    if reference is not None:
        ry = xy(0, reference)[1]
        ref = f'<line x1="0" x2="{width}" y1="{ry:.1f}" y2="{ry:.1f}" stroke="#c0392b" stroke-dasharray="3,2" stroke-width="0.8"/>'
    label = f"sparkline of the last year, from {values[0]:,.4g} to {values[-1]:,.4g}"
    return (f'<svg width="{width}" height="{height}" role="img" aria-label="{html.escape(label)}">{ref}'
            f'<polyline fill="none" stroke="#1f5fa8" stroke-width="1.4" points="{path}"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2" fill="#1f5fa8"/></svg>')


def tiles_html(tiles: Iterable[dict], today: object = None) -> str:
    """The headline strip: a tile per series with value (compact units), 1w and 1m change,
    percentile, its own last observation (and its age on ``today``), and a sparkline. A tile
    whose last observation is more than :data:`TILE_LAG_DAYS` before the monitor date (or after
    it) gets an age badge."""
    cells = []
    now = None
    if today is not None:
        now = pd.Timestamp(today)
        now = (now.tz_convert(None) if now.tzinfo else now).normalize()
    for t in tiles:
        unit = t.get("unit", "")
        change_unit = "pp" if unit == "percent" else unit
        badge = ""
        if t.get("value") is None:
            body = '<div class="value">—</div><div class="meta">no data</div>'
        else:
            date = pd.Timestamp(t["date"]) if t.get("date") else None
            as_of = pd.Timestamp(t["as_of"]) if t.get("as_of") else None
            age = f", {int((now - date).days)} days old" if now is not None and date is not None else ""
            if date is not None and as_of is not None and abs((as_of - date).days) > TILE_LAG_DAYS:
                gap = int((as_of - date).days)
                badge = (f' <span class="badge">{abs(gap)} days {"before" if gap > 0 else "after"} the monitor '
                         "date</span>")
            years = int(t.get("years") or 5)
            pct = percentile_words(t.get("pctile"), years, t.get("since"), t.get("tie_share"), t.get("value"))
            body = (f'<div class="value">{html.escape(tile_value(t["value"], unit))}</div>'
                    f'<div class="meta">1w {html.escape(tile_value(t["chg_1w"], change_unit, signed=True))} · '
                    f'1m {html.escape(tile_value(t["chg_1m"], change_unit, signed=True))}</div>'
                    f'<div class="meta">{_unbroken(pct)}</div>'
                    f'<div class="meta">last {_unbroken(str(t["date"]))}{_unbroken(age)}{badge}</div>'
                    + (f'<div class="meta note">{html.escape(t["note"])}</div>' if t.get("note") else "")
                    + sparkline_svg(t.get("spark") or [], reference=3000.0 if t["name"] == "reserves" else None))
        cells.append(f'<div class="tile"><div class="name">{html.escape(t["title"])}</div>{body}</div>')
    return '<div class="tiles">' + "".join(cells) + "</div>"
