"""The morning dashboard: one tile per watch-list series, with a sparkline.

The liquidity monitor (notebook 00) computes the tiles at render time and records them; the
index page (:mod:`plumbing.reports.index_page`) draws them from that record, so the index
costs nothing to rebuild. A tile holds the latest value on or before the monitor's date, its
change over one week and one month, its percentile among five years of observations and a
year of weekly points for the sparkline. Sparklines are inline SVG (no image, no script).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .present import fmt_with_unit, ordinal

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


def _spark(series: pd.Series, as_of: pd.Timestamp, days: int = SPARK_DAYS) -> list[list[object]]:
    """Weekly (last of each week ending Friday) points over the year to ``as_of``."""
    window = series.loc[as_of - pd.Timedelta(days=days):as_of].dropna()
    if window.empty:
        return []
    weekly = window.resample("W-FRI").last().dropna()
    return [[str(d.date()), float(v)] for d, v in weekly.items()]


def tile(name: str, series: pd.Series, unit: str, as_of: object, *, percentile_years: int = 5,
         note: str = "") -> dict:
    """One tile from a quantity's history (common units), as of ``as_of``."""
    as_of_ts = pd.Timestamp(as_of)
    history = series.loc[:as_of_ts].dropna()
    out: dict = {"name": name, "title": TILE_NAMES.get(name, name), "unit": unit, "note": note}
    if history.empty:
        return {**out, "date": None, "value": None, "chg_1w": None, "chg_1m": None, "pctile": None, "spark": []}
    latest, value = history.index[-1], float(history.iloc[-1])

    def change(days: int) -> float | None:
        earlier = history.loc[:latest - pd.Timedelta(days=days)]
        return value - float(earlier.iloc[-1]) if len(earlier) else None

    window = history.loc[latest - pd.DateOffset(years=percentile_years):]
    return {**out, "date": str(latest.date()), "value": value, "chg_1w": change(7), "chg_1m": change(30),
            "pctile": round(float((window <= value).mean() * 100), 1), "spark": _spark(history, as_of_ts)}


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
                note = f"{fmt_with_unit(abs(gap), 'usd_bn')} {'above' if gap >= 0 else 'below'} USD 3tn"
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


def tiles_html(tiles: Iterable[dict]) -> str:
    """The headline strip: a tile per series with value, 1w and 1m change, percentile, sparkline."""
    cells = []
    for t in tiles:
        unit = t.get("unit", "")
        change_unit = "pp" if unit == "percent" else unit
        if t.get("value") is None:
            body = '<div class="value">—</div><div class="meta">no data</div>'
        else:
            body = (f'<div class="value">{html.escape(fmt_with_unit(t["value"], unit))}</div>'
                    f'<div class="meta">1w {html.escape(fmt_with_unit(t["chg_1w"], change_unit, signed=True))} · '
                    f'1m {html.escape(fmt_with_unit(t["chg_1m"], change_unit, signed=True))}</div>'
                    f'<div class="meta">{html.escape(ordinal(t["pctile"]))} percentile of 5 years · '
                    f'{html.escape(str(t["date"]))}</div>'
                    + (f'<div class="meta note">{html.escape(t["note"])}</div>' if t.get("note") else "")
                    + sparkline_svg(t.get("spark") or [], reference=3000.0 if t["name"] == "reserves" else None))
        cells.append(f'<div class="tile"><div class="name">{html.escape(t["title"])}</div>{body}</div>')
    return '<div class="tiles">' + "".join(cells) + "</div>"
