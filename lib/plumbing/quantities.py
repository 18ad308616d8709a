"""Named quantities: a catalog series or an indicator, loaded and computed by name.

Claims, episodes and notebooks refer to what they measure by name (``"sofr"``,
``"net_liquidity"``, ``"sofr_iorb_bp"``). :func:`quantity` resolves a name to a Series in
common units: catalog keys come straight from :func:`plumbing.load`; indicator names load
their inputs at the stated frequency and apply the pure function from
:mod:`plumbing.indicators`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import indicators as ind
from .catalog import unknown_key_message
from .panel import Loader, align_to, period_end_dated, remember


@dataclass(frozen=True)
class Quantity:
    """An indicator computed from catalog series."""

    name: str
    title: str
    unit: str
    inputs: tuple[str, ...]
    freq: str | None  # load() frequency of the inputs (None: native dates, outer-joined)
    compute: Callable[[pd.DataFrame], pd.Series]
    note: str = ""


QUANTITIES: dict[str, Quantity] = {q.name: q for q in (
    Quantity("net_liquidity", "Net liquidity (Fed assets - TGA week avg - ON RRP), weekly", "usd_bn",
             ("fed_assets", "tga_weekly", "on_rrp"), "W", ind.net_liquidity,
             "Wednesday levels of WALCL and ON RRP, TGA average of the week ending Wednesday"),
    Quantity("net_liquidity_daily", "Net liquidity with the daily TGA, business days", "usd_bn",
             ("fed_assets", "tga_daily", "on_rrp"), "B", lambda f: ind.net_liquidity(f, tga="tga_daily"),
             "Fed assets carried from Wednesday up to 5 business days; daily TGA from 2022-04-18"),
    Quantity("sofr_iorb_bp", "SOFR - IORB (IOER before 2021-07-29)", "bp",
             ("sofr", "iorb", "ioer"), None, ind.sofr_minus_reserve_rate_bp),
    Quantity("sofr_p99_iorb_bp", "SOFR 99th percentile - IORB (IOER before 2021-07-29)", "bp",
             ("sofr_p99", "iorb", "ioer"), None, ind.sofr_p99_minus_reserve_rate_bp),
    Quantity("effr_iorb_bp", "EFFR - IORB (IOER before 2021-07-29)", "bp",
             ("effr", "iorb", "ioer"), None, ind.effr_minus_reserve_rate_bp),
    Quantity("tgcr_iorb_bp", "TGCR - IORB (IOER before 2021-07-29)", "bp",
             ("tgcr", "iorb", "ioer"), None, ind.tgcr_minus_reserve_rate_bp),
    Quantity("sofr_target_upper_bp", "SOFR - top of the fed funds target range", "bp",
             ("sofr", "fed_target_upper"), None, ind.sofr_minus_target_upper_bp),
    Quantity("effr_target_upper_bp", "EFFR - top of the fed funds target range", "bp",
             ("effr", "fed_target_upper"), None, ind.effr_minus_target_upper_bp),
    Quantity("sofr_p99_p1_bp", "SOFR 99th - 1st percentile", "bp",
             ("sofr_p99", "sofr_p1"), None, ind.sofr_percentile_dispersion_bp),
    Quantity("us2y_jp2y_bp", "US 2Y - Japan 2Y yield", "bp",
             ("us2y", "jp2y"), "B", ind.us_japan_2y_spread_bp,
             "business days; a holiday in one market carries that market's last yield up to 2 days"),
    Quantity("reserves_to_gdp", "Reserves / nominal GDP", "percent",
             ("reserves", "gdp"), "W", ind.reserves_to_gdp_pct,
             "GDP of the latest completed quarter carried to each week"),
    Quantity("reserves_minus_red_line", "Reserves - USD 3tn", "usd_bn",
             ("reserves",), None, ind.distance_to_red_line_bn),
    Quantity("buffett_indicator", f"Market cap / GDP ({ind.MARKET_CAP_PROXY_LABEL})", "percent",
             ("wilshire5000", "wilshire5000_yahoo", "gdp"), None, lambda f: ind.buffett_indicator(f).series,
             f"{ind.MARKET_CAP_PROXY_LABEL}: FRED WILL5000PRFC continued by Yahoo ^W5000 after 2023-02-08; "
             "GDP of the latest quarter published by each date"),
)}


def quantity_unit(name: str, loader: Loader | None = None) -> str:
    """The common unit of a quantity or catalog key."""
    if name in QUANTITIES:
        return QUANTITIES[name].unit
    loader = loader or Loader()
    return loader.catalog.get(name).unit


def title_of(name: str, loader: Loader | None = None) -> str:
    """A readable title for a quantity or catalog key."""
    if name in QUANTITIES:
        return QUANTITIES[name].title
    return (loader or Loader()).catalog.get(name).title


def quantity_frequency(name: str, loader: Loader | None = None) -> str:
    """The catalog frequency a quantity is observed at (an indicator takes its inputs')."""
    loader = loader or Loader()
    if name in QUANTITIES:
        spec = QUANTITIES[name]
        if spec.freq == "W":
            return "weekly"
        if spec.freq == "B":
            return "business"
        return loader.catalog.get(spec.inputs[0]).frequency
    return loader.catalog.get(name).frequency


def known_names(loader: Loader | None = None) -> list[str]:
    """Every name :func:`quantity` accepts."""
    loader = loader or Loader()
    return sorted(set(QUANTITIES) | set(loader.catalog.keys()))


def quantity(name: str, start: object = None, end: object = None, *, loader: Loader | None = None) -> pd.Series:
    """The quantity ``name`` between ``start`` and ``end`` (inclusive), in common units.

    Inputs are loaded over the whole history and the result is cut to the window, so
    windowed changes and z-scores never lose their first rows. Monthly and quarterly catalog
    series are dated at the end of the period they measure (FRED dates them at its start),
    so no caller can use a period's average before the period is over.
    """
    loader = loader or Loader()
    series = _whole_history(name, loader)
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    return series.loc[lo:hi]


#: whole-history quantities computed in this process: (name, data version) -> series
_SERIES: dict[tuple, pd.Series] = {}


def _whole_history(name: str, loader: Loader) -> pd.Series:
    """The quantity over its whole history, computed once per process for the same data: the
    memo key holds the name and the inputs' :meth:`~plumbing.panel.Loader.data_version`
    (catalog entries, cache folder, checksums), so refreshed data are computed again."""
    if name in QUANTITIES:
        inputs: tuple[str, ...] = QUANTITIES[name].inputs
    elif name in loader.catalog:
        inputs = (name,)
    else:
        raise KeyError(unknown_key_message(name, known_names(loader), "quantity"))
    version = loader.data_version(inputs)
    memo_key = None if version is None else (name, version)
    if memo_key is not None and memo_key in _SERIES:
        return _SERIES[memo_key].copy()
    if name in QUANTITIES:
        spec = QUANTITIES[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # coverage of the inputs is reported by the caller
            frame = loader.load(list(spec.inputs), freq=spec.freq)
        series = spec.compute(frame)
    else:
        series = period_end_dated(loader.load(name)[name], loader.catalog.get(name).frequency)
    series = series.dropna()
    series.name = name
    if memo_key is not None:
        remember(_SERIES, memo_key, series)
    return series.copy()


def quantity_frame(names: list[str], start: object = None, end: object = None, *,
                   loader: Loader | None = None) -> pd.DataFrame:
    """Several quantities side by side at their own dates (outer join, nothing filled)."""
    loader = loader or Loader()
    columns = {name: quantity(name, start, end, loader=loader) for name in names}
    frame = pd.concat(columns, axis=1, sort=True)
    frame.index.name = "date"
    frame.attrs["units"] = {name: quantity_unit(name, loader) for name in names}
    return frame


def liquidity_stress(start: object = None, end: object = None, *, window: int = 252,
                     loader: Loader | None = None) -> pd.DataFrame:
    """The stress composite of :func:`plumbing.indicators.stress_composite` on real data.

    Inputs on business days: weekly net liquidity (one definition over the whole history:
    Wednesday WALCL and ON RRP, week-average TGA) held until the next Wednesday; SOFR -
    IORB/IOER, MOVE, US2Y - JP2Y and HY OAS at their own dates (a holiday leaves a component
    missing that day, not filled). Returns the components (z-scores), their count and the
    composite (missing on days with fewer than 4 components).
    """
    loader = loader or Loader()
    days = pd.bdate_range(pd.Timestamp(start or "2018-04-02") - pd.DateOffset(years=2), end or pd.Timestamp.today())
    frame = pd.DataFrame({
        "net_liquidity": align_to(quantity("net_liquidity", loader=loader), days, "weekly"),
        **{name: quantity(name, loader=loader).reindex(days) for name in ("sofr_iorb_bp", "move", "us2y_jp2y_bp", "hy_oas")},
    }, index=days)
    scores = ind.stress_composite(frame, window=window)
    scores.attrs["net_liquidity_source"] = "weekly net liquidity (WALCL - WTREGEN - RRPONTSYD) held until the next Wednesday"
    lo = pd.Timestamp(start) if start is not None else None
    hi = pd.Timestamp(end) if end is not None else None
    return scores.loc[lo:hi]
