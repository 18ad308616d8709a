"""Indicators: pure functions on frames returned by :func:`plumbing.load`.

Every function takes data already in common units (balances in USD bn, rates in percent,
spreads in bp) and returns a Series or DataFrame on the same DatetimeIndex. Nothing here
reads files or downloads; missing inputs give missing outputs, never filled values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: IOER was replaced by IORB on this date (first IORB observation)
IORB_START = pd.Timestamp("2021-07-29")
#: article 004's "red line" for bank reserves, USD bn
RESERVES_RED_LINE_BN = 3000.0


def _require(frame: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"the frame lacks column(s) {', '.join(missing)}; load them first, e.g. "
                       f"plumbing.load({list(columns)!r}, ...)")


# --- settlement cash -------------------------------------------------------------------

def net_liquidity(frame: pd.DataFrame, tga: str = "tga_weekly") -> pd.Series:
    """Net liquidity = Fed total assets - TGA - ON RRP, USD bn.

    Weekly: pass ``load(["fed_assets", "tga_weekly", "on_rrp"], freq="W")`` (Wednesday
    levels of WALCL and RRP, the TGA average of the week ending Wednesday, as in the common
    formula (WALCL - WTREGEN)/1000 - RRPONTSYD). ``tga="tga_wednesday"`` uses the TGA
    Wednesday level instead. Daily: pass a business-day frame with ``tga="tga_daily"``
    (Fed assets carried between Wednesdays within the load() limit; daily TGA from 2022-04-18).
    A date lacking any component is missing.
    """
    _require(frame, "fed_assets", tga, "on_rrp")
    result = frame["fed_assets"] - frame[tga] - frame["on_rrp"]
    result.name = "net_liquidity"
    return result


def decompose_net_liquidity_change(frame: pd.DataFrame, start: object, end: object,
                                   tga: str = "tga_weekly") -> pd.Series:
    """Split the change in net liquidity between two dates into its sources, USD bn.

    Returns fed (change in Fed assets), tga (minus the change in the TGA: a TGA build-up
    drains), rrp (minus the change in ON RRP) and total (their sum = change in net
    liquidity). Dates are taken as the last row on or before each of ``start`` and ``end``.
    """
    _require(frame, "fed_assets", tga, "on_rrp")
    rows = frame[["fed_assets", tga, "on_rrp"]].dropna()
    first = rows.loc[:pd.Timestamp(start)].iloc[-1]
    last = rows.loc[:pd.Timestamp(end)].iloc[-1]
    parts = pd.Series({
        "fed": last["fed_assets"] - first["fed_assets"],
        "tga": -(last[tga] - first[tga]),
        "rrp": -(last["on_rrp"] - first["on_rrp"]),
    })
    parts["total"] = parts.sum()
    parts.attrs = {"from": rows.loc[:pd.Timestamp(start)].index[-1], "to": rows.loc[:pd.Timestamp(end)].index[-1]}
    return parts


def zero_where_no_operation(take_up: pd.Series, start: object, end: object) -> pd.Series:
    """Repo take-up (USD bn) on every business day of [start, end], 0 where no operation was held.

    The NY Fed publishes a row only for operation days; a business day without a row had no
    operation, so nothing was lent: 0, not missing. Federal holidays (when the Fed's desk does
    not operate) are not business days here, so they are absent, not 0. Days after the
    series' last published date stay missing (not yet known), never 0.
    """
    from pandas.tseries.holiday import USFederalHolidayCalendar

    holidays = USFederalHolidayCalendar().holidays(pd.Timestamp(start), pd.Timestamp(end))
    days = pd.bdate_range(pd.Timestamp(start), pd.Timestamp(end), freq="C", holidays=holidays, name=take_up.index.name)
    known = days <= take_up.dropna().index.max() if len(take_up.dropna()) else days < days.min()
    out = take_up.reindex(days)
    out[known & out.isna().to_numpy()] = 0.0
    return out


# --- the price of overnight cash --------------------------------------------------------

def reserve_rate(frame: pd.DataFrame) -> pd.DataFrame:
    """The rate paid on reserves, spliced explicitly: IOER before 2021-07-29, IORB from then.

    Returns ``rate`` (percent) and ``rate_name`` ("IOER" or "IORB") per date, so every use
    of the splice shows which series it came from.
    """
    _require(frame, "iorb", "ioer")
    before = frame.index < IORB_START
    rate = pd.Series(np.where(before, frame["ioer"], frame["iorb"]), index=frame.index)
    name = pd.Series(np.where(before, "IOER", "IORB"), index=frame.index)
    return pd.DataFrame({"rate": rate, "rate_name": name.where(rate.notna())})


def spread_bp(rate: pd.Series, reference: pd.Series, name: str) -> pd.Series:
    """``rate - reference`` in basis points (both in percent), rounded to 1e-6 bp."""
    result = ((rate - reference) * 100).round(6)
    result.name = name
    return result


def sofr_minus_reserve_rate_bp(frame: pd.DataFrame) -> pd.Series:
    """SOFR minus IORB (IOER before 2021-07-29), bp. Needs sofr, iorb, ioer."""
    _require(frame, "sofr")
    return spread_bp(frame["sofr"], reserve_rate(frame)["rate"], "sofr_iorb_bp")


def effr_minus_reserve_rate_bp(frame: pd.DataFrame) -> pd.Series:
    """EFFR minus IORB (IOER before 2021-07-29), bp. Needs effr, iorb, ioer."""
    _require(frame, "effr")
    return spread_bp(frame["effr"], reserve_rate(frame)["rate"], "effr_iorb_bp")


def tgcr_minus_reserve_rate_bp(frame: pd.DataFrame) -> pd.Series:
    """TGCR minus IORB (IOER before 2021-07-29), bp. Needs tgcr, iorb, ioer."""
    _require(frame, "tgcr")
    return spread_bp(frame["tgcr"], reserve_rate(frame)["rate"], "tgcr_iorb_bp")


def sofr_p99_minus_reserve_rate_bp(frame: pd.DataFrame) -> pd.Series:
    """SOFR's 99th percentile minus IORB (IOER before 2021-07-29), bp: the dearest overnight
    cash. Needs sofr_p99, iorb, ioer."""
    _require(frame, "sofr_p99")
    return spread_bp(frame["sofr_p99"], reserve_rate(frame)["rate"], "sofr_p99_iorb_bp")


def sofr_minus_target_upper_bp(frame: pd.DataFrame) -> pd.Series:
    """SOFR minus the top of the fed funds target range, bp (positive = above the range)."""
    _require(frame, "sofr", "fed_target_upper")
    return spread_bp(frame["sofr"], frame["fed_target_upper"], "sofr_target_upper_bp")


def effr_minus_target_upper_bp(frame: pd.DataFrame) -> pd.Series:
    """EFFR minus the top of the target range, bp (positive = EFFR printed above the range)."""
    _require(frame, "effr", "fed_target_upper")
    return spread_bp(frame["effr"], frame["fed_target_upper"], "effr_target_upper_bp")


def sofr_percentile_dispersion_bp(frame: pd.DataFrame) -> pd.Series:
    """SOFR 99th minus 1st percentile of transactions, bp: how dispersed repo rates were."""
    _require(frame, "sofr_p99", "sofr_p1")
    return spread_bp(frame["sofr_p99"], frame["sofr_p1"], "sofr_p99_p1_bp")


# --- reserves ---------------------------------------------------------------------------

def reserves_to_gdp_pct(frame: pd.DataFrame) -> pd.Series:
    """Reserves as a percent of nominal GDP (SAAR).

    Pass a weekly frame from ``load(["reserves", "gdp"], freq="W")``: load() dates each
    quarter's GDP at the quarter's end and carries it to the following weeks until the next
    quarter (at most 66 business days), so a week uses the latest *completed* quarter
    (publication lag is not modelled).
    """
    _require(frame, "reserves", "gdp")
    result = frame["reserves"] / frame["gdp"] * 100
    result.name = "reserves_to_gdp"
    return result


def distance_to_red_line_bn(frame: pd.DataFrame, line_bn: float = RESERVES_RED_LINE_BN) -> pd.Series:
    """Reserves minus the "$3 trillion red line", USD bn (negative = below the line)."""
    _require(frame, "reserves")
    result = frame["reserves"] - line_bn
    result.name = "reserves_minus_red_line"
    return result


# --- carry, credit, volatility ------------------------------------------------------------

def us_japan_2y_spread_bp(frame: pd.DataFrame) -> pd.Series:
    """US 2-year Treasury minus Japan 2-year JGB yield, bp (business-day frame)."""
    _require(frame, "us2y", "jp2y")
    return spread_bp(frame["us2y"], frame["jp2y"], "us2y_jp2y_bp")


def pct_change_over(series: pd.Series, periods: int) -> pd.Series:
    """Percent change over ``periods`` rows (e.g. 21 business days ~ one month)."""
    return (series / series.shift(periods) - 1) * 100


# --- valuation ---------------------------------------------------------------------------

#: how the market-cap input of the Buffett indicator is labelled wherever it is shown
MARKET_CAP_PROXY_LABEL = "Wilshire 5000 proxy for market cap"
#: BEA publishes its first (advance) GDP estimate of a quarter about this many days after it ends
GDP_RELEASE_LAG_DAYS = 30


@dataclass(frozen=True)
class Splice:
    """A series continued by another copy of the same index after its last observation.

    ``series`` takes ``primary`` up to its last date and ``continuation`` strictly after it;
    ``splice_date`` is the first date taken from the continuation. The overlap statistics
    compare the two copies on their common dates (ratio continuation / primary): how many
    dates, the median ratio, the share of dates within 0.05% and the largest gap in percent.
    """

    series: pd.Series
    splice_date: pd.Timestamp | None
    overlap_days: int
    median_ratio: float
    share_within_5bp: float
    max_abs_diff_pct: float

    def describe(self) -> str:
        """One sentence for captions and notes."""
        when = self.splice_date.date() if self.splice_date is not None else "never (no later observation)"
        return (f"spliced on {when}; the two copies agree on {self.overlap_days:,} common dates "
                f"(median ratio {self.median_ratio:.5f}, {self.share_within_5bp:.1%} within 0.05%, "
                f"largest difference {self.max_abs_diff_pct:.2f}%)")


class SpliceMismatch(ValueError):
    """Two copies of one index disagree where both exist, so one cannot continue the other."""


def splice_continuation(primary: pd.Series, continuation: pd.Series, *, min_overlap: int = 250,
                        max_median_diff_pct: float = 0.05) -> Splice:
    """Continue ``primary`` with ``continuation`` after its last date, after checking they agree.

    Both are levels of the same index (same points, no rescaling is applied). The splice is
    refused (:class:`SpliceMismatch`) when the copies share fewer than ``min_overlap`` dates or
    their median absolute difference on the common dates exceeds ``max_median_diff_pct``
    percent. Nothing is filled: dates in neither copy stay absent.
    """
    primary, continuation = primary.dropna(), continuation.dropna()
    common = primary.index.intersection(continuation.index)
    if len(common) < min_overlap:
        raise SpliceMismatch(f"{primary.name} and {continuation.name} share {len(common)} dates; "
                             f"at least {min_overlap} are needed to check that they agree")
    ratio = continuation.loc[common] / primary.loc[common]
    diff_pct = (ratio - 1).abs() * 100
    if float(diff_pct.median()) > max_median_diff_pct:
        raise SpliceMismatch(f"{continuation.name} differs from {primary.name} by a median "
                             f"{diff_pct.median():.3f}% on {len(common)} common dates (limit {max_median_diff_pct}%)")
    last = primary.index.max()
    after = continuation.loc[continuation.index > last]
    series = pd.concat([primary, after]).rename(primary.name)
    return Splice(series=series, splice_date=after.index.min() if len(after) else None, overlap_days=len(common),
                  median_ratio=float(ratio.median()), share_within_5bp=float((diff_pct <= 0.05).mean()),
                  max_abs_diff_pct=float(diff_pct.max()))


def latest_published_quarter(quarterly: pd.Series, dates: pd.DatetimeIndex,
                             release_lag_days: int = GDP_RELEASE_LAG_DAYS) -> pd.DataFrame:
    """For each date, the value of the latest quarter already published by then.

    ``quarterly`` is dated at the start (FRED) or the end of its quarter. A quarter counts as
    published ``release_lag_days`` calendar days after it ends (BEA's advance estimate comes
    about 30 days after the quarter; releases delayed by events, such as the Oct-Nov 2025
    shutdown, are not modelled). Values are today's vintage: later revisions are not undone.
    Returns columns ``value`` and ``quarter_end`` (the quarter used), NaN before the first
    release.
    """
    quarterly = quarterly.dropna()
    quarter_end = quarterly.index + pd.offsets.QuarterEnd(0)
    published = pd.DataFrame({"published": quarter_end + pd.Timedelta(days=release_lag_days),
                              "quarter_end": quarter_end, "value": quarterly.to_numpy()}).sort_values("published")
    left = pd.DataFrame({"date": pd.DatetimeIndex(dates)})
    merged = pd.merge_asof(left, published, left_on="date", right_on="published", direction="backward")
    return merged.set_index(pd.DatetimeIndex(dates, name="date"))[["value", "quarter_end"]]


@dataclass(frozen=True)
class BuffettIndicator:
    """Market cap / GDP, with how it was measured, the splice and where the data stop."""

    series: pd.Series  # percent
    method: str
    available_until: pd.Timestamp | None
    splice: Splice | None = None
    gdp_quarter: pd.Series | None = None  # quarter end of the GDP used on each date
    label: str = MARKET_CAP_PROXY_LABEL


def buffett_indicator(frame: pd.DataFrame, *, release_lag_days: int = GDP_RELEASE_LAG_DAYS) -> BuffettIndicator:
    """US equity market value / nominal GDP, percent: a Wilshire 5000 proxy for market cap.

    The only market-cap measure in the data is the Wilshire 5000 Total Market index, whose
    points approximate total US market capitalisation in USD bn (1 point ~ USD 1bn; it
    understates the Fed's Z.1 equity valuation): so the numerator is labelled a *proxy*.
    FRED's copy (``wilshire5000``, business days, withdrawn, ends 2023-02-08) is continued by
    Yahoo's ``wilshire5000_yahoo`` after its last date, once the two are checked to agree
    (:func:`splice_continuation`). Without ``wilshire5000_yahoo`` in the frame the series
    stops where FRED's does. The denominator is nominal GDP (SAAR, USD bn) of the latest
    quarter *published* by each date (:func:`latest_published_quarter`). Pass
    ``load(["wilshire5000", "wilshire5000_yahoo", "gdp"])`` (native dates, not aligned).
    Dates without a market-cap observation (holidays, the March 2026 gap) are absent.
    """
    _require(frame, "wilshire5000", "gdp")
    fred = frame["wilshire5000"].dropna().rename("wilshire5000")
    splice = None
    market_cap = fred
    if "wilshire5000_yahoo" in frame.columns:
        splice = splice_continuation(fred, frame["wilshire5000_yahoo"].rename("wilshire5000_yahoo"))
        market_cap = splice.series
    gdp = latest_published_quarter(frame["gdp"], market_cap.index, release_lag_days)
    series = (market_cap / gdp["value"] * 100).dropna().rename("buffett_indicator")
    method = (f"{MARKET_CAP_PROXY_LABEL}: Wilshire 5000 index points (~USD bn of US market cap; FRED WILL5000PRFC"
              + (f", continued by Yahoo ^W5000, {splice.describe()}" if splice is not None else "")
              + f") / nominal GDP (SAAR) of the latest quarter published by each date "
                f"(a quarter counts as published {release_lag_days} days after it ends) x 100")
    return BuffettIndicator(series=series, method=method, available_until=series.last_valid_index(), splice=splice,
                            gdp_quarter=gdp["quarter_end"].reindex(series.index))


# --- stress composite -------------------------------------------------------------------

#: the five groups of article 000's watch list: (component, sign, description)
STRESS_COMPONENTS: tuple[tuple[str, int, str], ...] = (
    ("net_liquidity_change", -1, "21-business-day change in daily net liquidity, USD bn (a drain is stress)"),
    ("sofr_iorb_bp", +1, "SOFR minus IORB/IOER, bp (dearer overnight cash is stress)"),
    ("move", +1, "MOVE index (rate volatility)"),
    ("us2y_jp2y_change", -1, "21-business-day change in US2Y-JP2Y, bp (a narrowing spread = yen carry unwind)"),
    ("hy_oas", +1, "high-yield OAS, bp (wider credit spreads are stress)"),
)


def rolling_zscore(series: pd.Series, window: int, min_periods: int | None = None) -> pd.Series:
    """(x - trailing mean) / trailing std over the previous ``window`` rows, this row included.

    Uses only data up to each date (no look-ahead).
    """
    min_periods = min_periods or window // 2
    mean = series.rolling(window, min_periods=min_periods).mean()
    std = series.rolling(window, min_periods=min_periods).std()
    return (series - mean) / std


def stress_composite(frame: pd.DataFrame, window: int = 252, min_components: int = 4) -> pd.DataFrame:
    """Liquidity stress composite from article 000's five watch-list groups.

    ``frame`` is business-daily with columns net_liquidity, sofr_iorb_bp, move, us2y_jp2y_bp
    and hy_oas. Each component is turned into a trailing z-score over ``window`` business
    days (default 252, one year) and signed so that positive means stress
    (:data:`STRESS_COMPONENTS`). The composite is the mean of the components available on a
    date, and is missing on a date with fewer than ``min_components`` of them (a holiday in one
    market must not swing it); it is returned *with* its components and the count used
    (``n_components``).
    """
    _require(frame, "net_liquidity", "sofr_iorb_bp", "move", "us2y_jp2y_bp", "hy_oas")
    raw = pd.DataFrame({
        "net_liquidity_change": frame["net_liquidity"] - frame["net_liquidity"].shift(21),
        "sofr_iorb_bp": frame["sofr_iorb_bp"],
        "move": frame["move"],
        "us2y_jp2y_change": frame["us2y_jp2y_bp"] - frame["us2y_jp2y_bp"].shift(21),
        "hy_oas": frame["hy_oas"],
    }, index=frame.index)
    scores = pd.DataFrame({name: sign * rolling_zscore(raw[name], window) for name, sign, _ in STRESS_COMPONENTS})
    scores["n_components"] = scores.notna().sum(axis=1)
    scores["composite"] = scores[[c for c, _, _ in STRESS_COMPONENTS]].mean(axis=1).where(
        scores["n_components"] >= min_components)
    scores.attrs = {"window_bdays": window, "min_components": min_components,
                    "components": {c: d for c, _, d in STRESS_COMPONENTS}}
    return scores


# --- regimes (article 004) ----------------------------------------------------------------

REGIME_LABELS = {
    (True, True): "easing + weak dollar",
    (True, False): "easing + strong dollar",
    (False, True): "tight + weak dollar",
    (False, False): "tight + strong dollar",
}


def liquidity_dollar_regimes(monthly: pd.DataFrame, liquidity: str = "fed_assets",
                             dollar: str = "dollar_broad", months: int = 3,
                             liquidity_threshold_bn: float = 0.0,
                             dollar_threshold_pct: float = 0.0) -> pd.DataFrame:
    """Article 004's 2x2 of regimes per month: Fed liquidity x the US dollar.

    ``monthly`` holds month-end levels (``load([...], freq="M")``). Fed liquidity is
    *easing* when ``liquidity`` (default the Fed's total assets, USD bn; ``net_liquidity``
    also works) rose by more than ``liquidity_threshold_bn`` over the last ``months`` months;
    the dollar is *weakening* when ``dollar`` (default the Fed's broad dollar index) fell by
    more than ``dollar_threshold_pct`` percent over the same months. Months lacking either
    input are missing, not classified.
    """
    _require(monthly, liquidity, dollar)
    liquidity_change = monthly[liquidity] - monthly[liquidity].shift(months)
    dollar_change = pct_change_over(monthly[dollar], months)
    easing = liquidity_change > liquidity_threshold_bn
    weakening = dollar_change < -dollar_threshold_pct
    known = liquidity_change.notna() & dollar_change.notna()
    labels = [REGIME_LABELS[(e, w)] if k else None for e, w, k in zip(easing, weakening, known)]
    return pd.DataFrame({
        "liquidity_change_bn": liquidity_change,
        "dollar_change_pct": dollar_change,
        "easing": easing.where(known),
        "dollar_weakening": weakening.where(known),
        "regime": labels,
    }, index=monthly.index)
