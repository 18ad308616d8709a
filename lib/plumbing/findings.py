"""What each report found, in sentences with numbers and dates, computed from the data.

One function per report returns its 3-6 findings (see :func:`plumbing.present.findings`).
Episode pages answer the questions each episode's entry in ``data/episodes.yaml`` poses, one
small function per question kind (:data:`ANSWERS`, :func:`episode_page`).
Every number is read from the data at render time, and where the data contradict an article
the sentence says so. The functions take the report's parameters, so a user's own window
gets its own findings.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from .episodes import Episode, Question
from .indicators import IORB_START
from .panel import Loader
from .present import fmt, fmt_with_unit, ordinal, short_name
from .quantities import quantity, quantity_frequency, quantity_unit, title_of


def _day(value: object) -> str:
    return str(pd.Timestamp(value).date())


def _series(name: str, start: object, end: object, loader: Loader | None) -> pd.Series:
    return quantity(name, start, end, loader=loader).dropna()


def _on_or_before(series: pd.Series, date: object) -> tuple[pd.Timestamp, float] | None:
    before = series.loc[:pd.Timestamp(date)]
    return (before.index[-1], float(before.iloc[-1])) if len(before) else None


def _peak(series: pd.Series) -> tuple[pd.Timestamp, float]:
    return series.idxmax(), float(series.max())


def claims_sentence(table: pd.DataFrame, what: str = "article claims dated in this window") -> str:
    """``Of 12 article claims dated in this window, the data support 5, partly support 3 and
    contradict 2; 2 cannot be checked with these data. Contradicted: “The Nasdaq fell 1.6% on
    2025-11-04”; ...`` from a claims table (``verdict``, and ``claim`` in English)."""
    if table is None or len(table) == 0:
        return f"No {what}."
    counts = table["verdict"].value_counts()
    get = lambda v: int(counts.get(v, 0))  # noqa: E731
    text = (f"Of {len(table)} {what}, the data support {get('supported')}, partly support {get('partly')} and "
            f"contradict {get('contradicted')}")
    unchecked = get("not_checkable")
    text += f"; {unchecked} cannot be checked with these data" if unchecked else ""
    column = "claim" if "claim" in table.columns else "id"
    contradicted = table.loc[table["verdict"] == "contradicted", column].astype(str).tolist()
    if contradicted:
        quoted = "; ".join(f"“{textwrap.shorten(c, 90, placeholder='…')}”" for c in contradicted[:3])
        text += f". Contradicted{' (first 3)' if len(contradicted) > 3 else ''}: {quoted}"
    return text + "."


# --- 00 liquidity monitor ----------------------------------------------------------------------

#: the stress composite's components in words
STRESS_LABELS = {"net_liquidity_change": "the net-liquidity drain", "sofr_iorb_bp": "SOFR - IORB", "move": "MOVE",
                 "us2y_jp2y_change": "the US-Japan 2-year narrowing", "hy_oas": "high-yield spreads"}


def _stress_gaps(stress: pd.DataFrame, day: pd.Timestamp) -> str:
    """Which stress components are missing on ``day`` and why, in words ("" when none is)."""
    row = stress.loc[day]
    missing = [c for c in STRESS_LABELS if c in stress.columns and pd.isna(row[c])]
    if not missing:
        return ""
    reasons = []
    for column in missing:
        first = stress[column].first_valid_index()
        last = stress[column].loc[:day].last_valid_index()
        if column == "net_liquidity_change" and stress.attrs.get("net_liquidity_first") and (
                first is None or day < first):
            why = (f"the daily TGA behind the monitor's net liquidity starts 2022-04-18 and the z-score needs half a "
                   f"window of history, so it reads from {stress.attrs['net_liquidity_first']}")
        elif last is not None:
            why = f"its data end on {_day(last)}"
        else:
            why = "no data in the window"
        reasons.append(f"{STRESS_LABELS[column]} ({why})")
    return "; without " + " and ".join(reasons)


def monitor(table: pd.DataFrame, stress: pd.DataFrame, as_of: object,
            lagging: dict[str, pd.Timestamp] | None = None, set_by: Sequence[str] = (),
            today: object = None) -> list[str]:
    """Findings of the liquidity monitor from its watch-list table and stress composite; the
    headline (:class:`plumbing.present.Headline`) says where the watch list stands on the day.

    ``table`` is :func:`plumbing.views.monitor_table` (value, chg_1w, chg_1m, pctile_5y per
    quantity, net liquidity as ``net_liquidity_daily`` or ``net_liquidity``), optionally with
    :func:`plumbing.dashboard.with_standing`'s ``percentile`` words; ``stress`` is
    :func:`plumbing.dashboard.monitor_stress`; ``lagging`` names series shown at an earlier
    date because their data stop early; ``set_by`` the series whose data end on ``as_of``;
    ``today`` the render day (for the date's age; now by default).
    """
    from .freshness import series_id, series_name
    from .present import Headline

    def value(name: str, column: str = "value") -> float:
        return float(table.loc[name, column])

    pct = next(c for c in table.columns if c.startswith("pctile_"))
    years = pct.removeprefix("pctile_").removesuffix("y")

    def standing(name: str) -> str:
        if "percentile" in table.columns and isinstance(table.loc[name, "percentile"], str):
            return table.loc[name, "percentile"]
        return f"{ordinal(value(name, pct))} percentile of {years} years"

    net = "net_liquidity_daily" if "net_liquidity_daily" in table.index else "net_liquidity"
    reserves, spread = value("reserves"), value("sofr_iorb_bp")
    out: list[str] = []
    composite = stress.dropna(subset=["composite"]).loc[:pd.Timestamp(as_of)]
    day = pd.Timestamp(as_of).normalize()
    age = int((pd.Timestamp(today if today is not None else pd.Timestamp.now()).normalize() - day).days)
    setters = " and ".join(f"{series_name(n)}{f' ({series_id(n)})' if series_id(n) else ''}" for n in set_by)
    head = (f"The watch list stands on {_day(day)}, {age} day{'s' if age != 1 else ''} before this render"
            + (f" ({setters} {'ends' if len(set_by) == 1 else 'end'} there)" if setters else "") + ":")
    if len(composite):
        last = composite.iloc[-1]
        head += (f" the stress composite read {last['composite']:+.2f}"
                 + (f" on {_day(last.name)}" if last.name.normalize() != day else "")
                 + f" ({'more' if last['composite'] > 0 else 'less'} stress than the trailing year's average; "
                 f"{int(last['n_components'])} of {len(STRESS_LABELS)} components{_stress_gaps(composite, last.name)}),")
    head += (f" reserves were {fmt_with_unit(reserves, 'usd_bn')} ({'above' if reserves >= 3000 else 'below'} the "
             f"articles' $3tn line) and SOFR was {fmt_with_unit(abs(spread), 'bp')} {'above' if spread > 0 else 'below'} "
             "IORB.")
    out.append(Headline(head))
    out.append(f"Net liquidity (Fed assets - daily TGA - ON RRP) stood at {fmt_with_unit(value(net), 'usd_bn')}, "
               f"{fmt_with_unit(value(net, 'chg_1m'), 'usd_bn', signed=True)} on the month ({standing(net)}).")
    out.append(f"Reserves were {fmt_with_unit(abs(reserves - 3000), 'usd_bn')} {'above' if reserves >= 3000 else 'below'} "
               f"the $3tn line (week of {_day(table.loc['reserves', 'date'])}); the TGA held "
               f"{fmt_with_unit(value('tga_daily'), 'usd_bn')} ({standing('tga_daily')}) and ON RRP "
               f"{fmt_with_unit(value('on_rrp'), 'usd_bn')}.")
    repo = value("repo_take_up")
    lent = f"lent {fmt_with_unit(repo, 'usd_bn')}" if repo > 0 else "lent nothing"
    out.append(f"SOFR was {value('sofr'):.2f}% (its spread to IORB at the {standing('sofr_iorb_bp')}); the Fed's repo "
               f"facility {lent} on {_day(table.loc['repo_take_up', 'date'])}, its latest reported day "
               f"({standing('repo_take_up')}).")
    out.append(f"MOVE stood at {value('move'):.1f} ({standing('move')}), high-yield spreads at "
               f"{fmt_with_unit(value('hy_oas'), 'bp')} and the US-Japan 2-year spread at "
               f"{fmt_with_unit(value('us2y_jp2y_bp'), 'bp')} ({fmt_with_unit(value('us2y_jp2y_bp', 'chg_1m'), 'bp', signed=True)} "
               "on the month).")
    if lagging:
        out.append("Shown at their own last observation because their data stop early: "
                   + "; ".join(f"{series_name(n)} ({_day(d)})" for n, d in lagging.items()) + ".")
    return out


# --- 01 Sept 2019 repo spike ---------------------------------------------------------------------

def repo_spike_2019(start: object, end: object, t0: object, *, loader: Loader | None = None) -> list[str]:
    """Findings of the September 2019 report for the window [start, end] around ``t0``."""
    sofr = _series("sofr", start, end, loader)
    spread = _series("sofr_iorb_bp", start, end, loader)
    peak_day, peak = _peak(sofr)
    out = [f"SOFR peaked at {peak:.2f}% on {_day(peak_day)}, "
           f"{fmt_with_unit(spread.loc[peak_day], 'bp')} above the rate the Fed paid on reserves (IOER)."]
    effr_gap = _series("effr_target_upper_bp", start, end, loader)
    if len(effr_gap):
        gap_day, gap = _peak(effr_gap)
        out.append(f"The effective fed funds rate printed {fmt_with_unit(gap, 'bp')} "
                   f"{'above' if gap > 0 else 'below'} the top of the target range on {_day(gap_day)}.")
    reserves = _series("reserves", pd.Timestamp(t0) - pd.DateOffset(years=3), t0, loader)
    if len(reserves):
        high_day, high = _peak(reserves)
        low = reserves.loc[high_day:]
        out.append(f"In the three years before {_day(t0)} reserves fell from {fmt_with_unit(high, 'usd_bn')} (week of "
                   f"{_day(high_day)}) to {fmt_with_unit(low.min(), 'usd_bn')} (week of {_day(low.idxmin())}): the "
                   "shrinking balance sheet article 001 blames.")
    tga = _series("tga_wednesday", start, end, loader)
    t0_week = _on_or_before(tga, pd.Timestamp(t0) + pd.offsets.Week(weekday=2))
    week_before = _on_or_before(tga, pd.Timestamp(t0) - pd.offsets.Week(weekday=2))
    if t0_week and week_before:
        out.append(f"The TGA (Wednesday level) changed by {fmt_with_unit(t0_week[1] - week_before[1], 'usd_bn', signed=True)} from "
                   f"{_day(week_before[0])} to {_day(t0_week[0])}, the tax date and coupon settlement.")
    repo = _series("repo_take_up", t0, end, loader)
    back = spread.loc[pd.Timestamp(t0):]
    calm = back[back <= 10]
    if len(repo):
        text = f"The Fed's repo operations lent {fmt_with_unit(repo.iloc[0], 'usd_bn')} on {_day(repo.index[0])}"
        if len(calm):
            text += f"; SOFR was back within 10 bp of IOER on {_day(calm.index[0])}"
        out.append(text + ".")
    return out


# --- 02 Oct-Nov 2025 TGA drain ----------------------------------------------------------------

def tga_drain_2025(start: object, end: object, spike_date: object, selloff_date: object,
                   decomposition: pd.Series, moves: pd.DataFrame, shutdown: tuple[object, object] | None,
                   *, loader: Loader | None = None) -> list[str]:
    """Findings of the 2025 TGA-drain report: the build-up, the spike, the backstop, the sell-off."""
    tga = _series("tga_daily", start, end, loader)
    window_end = pd.Timestamp(shutdown[1]) if shutdown else pd.Timestamp(end)
    build = tga.loc[:window_end]
    peak_day, peak = _peak(build)
    first = build.iloc[0]
    out = [f"The TGA rose from {fmt_with_unit(first, 'usd_bn')} on {_day(build.index[0])} to a peak of "
           f"{fmt_with_unit(peak, 'usd_bn')} on {_day(peak_day)}; net liquidity changed by "
           f"{fmt_with_unit(decomposition['total'], 'usd_bn', signed=True)} from {_day(decomposition.attrs['from'])} to "
           f"{_day(decomposition.attrs['to'])}, of which the TGA accounted for {fmt_with_unit(decomposition['tga'], 'usd_bn', signed=True)}."]
    rrp = _on_or_before(_series("on_rrp", start, spike_date, loader), spike_date)
    spread = _series("sofr_iorb_bp", start, end, loader)
    sofr = _on_or_before(_series("sofr", start, end, loader), spike_date)
    at_spike = _on_or_before(spread, spike_date)
    if sofr and at_spike and rrp:
        out.append(f"On {_day(at_spike[0])} SOFR was {sofr[1]:.2f}%, {fmt_with_unit(at_spike[1], 'bp')} above IORB, "
                   f"with ON RRP down to {fmt_with_unit(rrp[1], 'usd_bn')}.")
    repo = _series("repo_take_up", start, end, loader)
    if len(repo):
        repo_day, repo_peak = _peak(repo)
        out.append(f"The Standing Repo Facility's largest take-up in the window was {fmt_with_unit(repo_peak, 'usd_bn')} "
                   f"on {_day(repo_day)}.")
    falls = moves.dropna(subset=["move"])
    if len(falls):
        parts = ", ".join(f"{short_name(name)} {row['move']:+.1f}%"
                          + (f" ({row['z']:+.1f} sd)" if pd.notna(row.get("z")) else "") for name, row in falls.iterrows())
        out.append(f"On {_day(selloff_date)} the assets moved: {parts}; sd = standard deviations of the asset's own "
                   "daily moves over the previous year, so a move beyond 2 sd is rare.")
    if shutdown:
        after = spread.loc[pd.Timestamp(shutdown[1]):pd.Timestamp(end)]
        during = spread.loc[pd.Timestamp(shutdown[0]):pd.Timestamp(shutdown[1])]
        if len(after) and len(during):
            out.append(f"SOFR - IORB averaged {fmt_with_unit(during.median(), 'bp')} (median) during the shutdown "
                       f"({_day(shutdown[0])} to {_day(shutdown[1])}) and {fmt_with_unit(after.median(), 'bp')} from its end "
                       f"to {_day(after.index[-1])}.")
    return out


# --- 03 Feb 2026 crash ----------------------------------------------------------------------------

def crash_2026(t0: object, moves: pd.DataFrame, buffett_value: tuple[pd.Timestamp, float], buffett_label: str,
               *, loader: Loader | None = None) -> list[str]:
    """Findings of the February 2026 report: the crash day, the TGA, carry, and valuation."""
    out = []
    falls = moves.dropna(subset=["move"])
    if len(falls):
        def move(row: pd.Series) -> str:
            sd = f" ({row['z']:+.1f} sd)" if pd.notna(row.get("z")) else ""
            return f"{row['move']:+.1f}%{sd}"

        worst = falls["move"].idxmin()
        others = falls.drop(worst)
        out.append(f"On {_day(t0)} {short_name(worst)} fell most: {move(falls.loc[worst])}"
                   + (f"; then {', '.join(f'{short_name(n)} {move(r)}' for n, r in others.iterrows())}" if len(others) else "")
                   + " (sd: standard deviations of each asset's own daily moves over the previous year).")
    tga = _on_or_before(_series("tga_daily", pd.Timestamp(t0) - pd.DateOffset(days=10), t0, loader), t0)
    if tga:
        out.append(f"The TGA held {fmt_with_unit(tga[1], 'usd_bn')} on {_day(tga[0])} "
                   "(article 000: about USD 893.2bn in early February).")
    carry = _series("us2y_jp2y_bp", pd.Timestamp(t0) - pd.DateOffset(days=45), t0, loader)
    if len(carry) > 1:
        out.append(f"The US-Japan 2-year spread moved {fmt_with_unit(carry.iloc[-1] - carry.iloc[0], 'bp', signed=True)} from "
                   f"{_day(carry.index[0])} to {_day(carry.index[-1])}, to {fmt_with_unit(carry.iloc[-1], 'bp')}.")
    day, level = buffett_value
    out.append(f"Market cap / GDP ({buffett_label}) was {level:.0f}% on {_day(day)}, against the article's 230%; "
               "the Wilshire proxy runs below measures built on the Fed's Z.1 equity values, so a higher figure may "
               "come from a different numerator rather than a different market.")
    return out


# --- 06 reserves red line ---------------------------------------------------------------------

def _benchmark_level(row: pd.Series, in_usd: bool, in_ratio: str) -> str:
    """A benchmark row's level in the hinge's own unit (``13.60% of bank assets``, ``USD 3,434bn``)."""
    return f"USD {row['usd_bn']:,.0f}bn" if in_usd else f"{row['ratio_pct']:.2f}{in_ratio}"


def reserves_now(benchmarks: pd.DataFrame, slope_below: float, *, spread_name: str, per_x: str,
                 in_ratio: str) -> str:
    """Where the latest reserves stand against the estimated kink, the NY Fed's 12-13% band and the
    article's USD 3tn line (all from ``benchmarks``, :func:`plumbing.models.reserve_demand.kink_benchmarks`),
    and what that means for the spread (``slope_below``, bp per unit of x, when below the kink)."""
    latest_label = next(i for i in benchmarks.index if str(i).startswith("latest reserves"))
    latest = benchmarks.loc[latest_label]
    day = str(latest_label).split("(")[1].rstrip(")")
    kink = benchmarks.loc["estimated kink"]
    in_usd = not in_ratio
    share = latest["ratio_pct"]
    text = (f"Reserves were USD {latest['usd_bn']:,.0f}bn on {day}"
            + ("" if in_usd else f", about {share:.1f}{in_ratio}") + ": ")
    below_kink = latest["usd_bn"] < kink["usd_bn"] if in_usd else share < kink["ratio_pct"]
    parts = [f"{'below' if below_kink else 'above'} the estimated kink ({_benchmark_level(kink, in_usd, in_ratio)})"]
    nyfed = [i for i in benchmarks.index if str(i).startswith("NY Fed steepening")]
    if nyfed:
        rows = benchmarks.loc[nyfed].sort_values("ratio_pct")
        low, high = rows.iloc[0], rows.iloc[-1]
        key = "usd_bn" if in_usd else "ratio_pct"
        band = "12-13% of bank assets" + ("" if "bank assets" in in_ratio else
                                          f", {_benchmark_level(low, in_usd, in_ratio)}-{_benchmark_level(high, in_usd, in_ratio)} here")
        if latest[key] < low[key]:
            where = f"below the NY Fed's band ({band})"
        elif latest[key] <= high[key]:
            where = f"inside the NY Fed's band ({band})"
        else:
            where = f"above the NY Fed's band ({band})"
        parts.append(where + (" (indicative: stale bank assets / GDP)" if bool(rows["indicative"].any()) else ""))
    red = next((i for i in benchmarks.index if str(i).startswith("article red line")), None)
    if red is not None:
        gap = latest["usd_bn"] - benchmarks.loc[red, "usd_bn"]
        parts.append(f"USD {abs(gap):,.0f}bn {'above' if gap >= 0 else 'below'} the article's USD 3tn")
    text += ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    denominator = str(kink.get("note", "")).split("conversion at ")[-1] if "conversion at" in str(kink.get("note", "")) else ""
    if denominator and not in_usd:
        text += f" (shares of {denominator.replace(' = ', ': ')})"
    if below_kink:
        text += (f". Below the kink {spread_name} rises by about {abs(slope_below):.2f}bp for each further "
                 f"{per_x} lost" if slope_below < 0 else
                 f". Below the kink the estimated slope is {slope_below:+.2f}bp per {per_x}, not a rise")
    else:
        text += f". Above the kink the curve is estimated to be flat: {spread_name} should not react much yet"
    return text + "."


def rolling_slope_now(rolling: pd.DataFrame, *, window: int, spread_name: str, per_x: str) -> str:
    """The latest rolling slope (``rolling``: ``date``, ``slope``, ``low``, ``high``) against its own
    history: the steepest (most negative) since when, or its rank among the earlier windows."""
    frame = rolling.dropna(subset=["slope"]).reset_index(drop="date" in rolling.columns)
    frame = frame.set_index("date") if "date" in frame.columns else frame
    last_day, last = frame.index[-1], frame.iloc[-1]
    earlier = frame["slope"].iloc[:-1]
    text = (f"The rolling {window}-week slope of {spread_name} was {last['slope']:+.2f}bp per {per_x} in the window to "
            f"{_day(last_day)} (95% interval {last['low']:+.2f} to {last['high']:+.2f})")
    if not len(earlier):
        return text + "."
    steeper = earlier[earlier <= last["slope"]]
    if last["slope"] < 0 and steeper.empty:
        return text + f", the steepest of all {len(frame)} windows since {_day(frame.index[0])}."
    if last["slope"] < 0:
        text += (f", the steepest since the window to {_day(steeper.index[-1])} "
                 f"({steeper.iloc[-1]:+.2f}bp)")
    share = float((earlier < last["slope"]).mean() * 100)
    text += (f"; {share:.0f}% of the {len(earlier)} earlier windows (from {_day(earlier.index[0])}) were steeper, "
             f"the steepest {earlier.min():+.2f}bp to {_day(earlier.idxmin())}")
    return text + "."


def robustness_counts(robust: pd.DataFrame, alpha: float = 0.05) -> str:
    """One sentence on how many alternative specifications (rows after the headline of
    :func:`plumbing.models.reserve_demand.robustness_table`) find a kink (sup-F p < ``alpha``)
    and a spread rising below it (slope below's interval under zero), naming the exceptions."""
    alts = robust.iloc[1:]
    if not len(alts):
        return "No alternative specification was run."
    kink = alts["sup_f_p"] < alpha
    rises = alts["slope_below_ci_high"] < 0
    text = (f"Of {len(alts)} alternative specifications, {int(kink.sum())} find a kink (sup-F p < {alpha:g}) and "
            f"{int(rises.sum())} a spread rising as reserves fall below it")
    no_kink = [str(i) for i in alts.index[~kink]]
    no_rise = [str(i) for i in alts.index[~rises]]
    if no_kink and no_kink == no_rise:
        text += f"; neither holds in {'; '.join(no_kink)}"
    else:
        if no_kink:
            text += f"; no kink in {'; '.join(no_kink)}"
        if no_rise:
            text += f"; no rise in {'; '.join(no_rise)}"
    return text + "."


def reserves_red_line(result: object, robust: pd.DataFrame, *, spread_name: str, per_x: str, in_ratio: str,
                      rolling_window: int) -> list[str]:
    """Findings of report 06: where reserves stand now against the kink and the NY Fed's band
    (the headline), the kink and its interval, that it exists and survives, the USD 3tn line
    and the rolling slope now against its history. ``result`` is
    :func:`plumbing.models.reserve_demand.run_reserve_demand`'s; ``in_ratio`` the ratio's unit
    after a number (``"% of bank assets"``, ``""`` for USD bn)."""
    from .present import Headline

    table = result.table
    below = table.loc["slope_below"]
    kink_row = result.benchmarks.loc["estimated kink"]
    bench = result.benchmarks
    out: list[str] = [Headline(reserves_now(bench, below["estimate"], spread_name=spread_name, per_x=per_x,
                                            in_ratio=in_ratio))]
    out.append(f"{spread_name} starts to rise as reserves fall below {result.kink:,.2f}{in_ratio} (95% "
               f"{result.choices.get('bootstrap', 'block')}-bootstrap interval {result.kink_ci[0]:,.2f} to {result.kink_ci[1]:,.2f}), about USD {kink_row['usd_bn']:,.0f}bn at "
               f"{bench.attrs.get('denominator', 'the latest denominator')}; weekly, {result.start.date()} to "
               f"{result.end.date()}.")
    out.append(f"A kink exists: the sup-F test against a straight line has a bootstrap p-value of "
               f"{result.sup_f['p_value']:.3f}; below the kink the spread moves {below['estimate']:.2f}bp per {per_x} "
               f"(interval {below['ci_low']:.2f} to {below['ci_high']:.2f}). {robustness_counts(robust)}")
    red = next((i for i in bench.index if str(i).startswith("article red line")), None)
    nyfed = sorted((i for i in bench.index if str(i).startswith("NY Fed steepening")),
                   key=lambda i: bench.loc[i, "ratio_pct"])
    if red is not None and nyfed:
        out.append(f"The article's USD 3,000bn line is {bench.loc[red, 'ratio_pct']:.1f}"
                   f"{in_ratio or '% of GDP'} today; the NY Fed's 12-13% of bank assets is USD "
                   f"{bench.loc[nyfed[0], 'usd_bn']:,.0f}-{bench.loc[nyfed[-1], 'usd_bn']:,.0f}bn.")
    if result.rolling is not None and len(result.rolling):
        out.append(rolling_slope_now(result.rolling.reset_index(), window=rolling_window, spread_name=spread_name,
                                     per_x=per_x))
    return out


# --- episode template --------------------------------------------------------------------------

def episode(names: Sequence[str], t0: object, start: object, end: object, *, loader: Loader | None = None,
            max_sentences: int = 6) -> list[str]:
    """Findings of an episode page, one per theme the episode's series cover, answering the
    questions episode summaries pose: how far the price of overnight cash rose above the rate
    on reserves, how reserves and the TGA moved into t0, how much the Fed's backstop lent,
    how high rate volatility went, and how far the main asset fell."""
    have = set(names_with_data(names, start, end, loader=loader))
    out: list[str] = []
    spread = next((n for n in ("sofr_iorb_bp", "effr_iorb_bp") if {n.split("_")[0]} & have), None)
    if spread:
        series = _series(spread, start, end, loader)
        if len(series):
            day, peak = _peak(series)
            out.append(f"{title_of(spread, loader)} peaked at {fmt_with_unit(peak, 'bp')} on {_day(day)}"
                       f" (median over the window {fmt_with_unit(series.median(), 'bp')}).")
    for name in ("reserves", "tga_daily" if "tga_daily" in have else "tga_weekly"):
        if name not in have:
            continue
        series = _series(name, start, end, loader)
        at_t0 = _on_or_before(series, t0)
        if at_t0 is None:
            continue
        out.append(f"{title_of(name, loader).split(' (')[0]}: {fmt_with_unit(at_t0[1] - series.iloc[0], 'usd_bn', signed=True)} "
                   f"from {_day(series.index[0])} to {_day(at_t0[0])}, then "
                   f"{fmt_with_unit(series.iloc[-1] - at_t0[1], 'usd_bn', signed=True)} to {_day(series.index[-1])}.")
    if "repo_take_up" in have:
        series = _series("repo_take_up", start, end, loader)
        day, peak = _peak(series)
        on_t0 = series.get(pd.Timestamp(t0))
        out.append(f"The Fed's repo operations lent {fmt_with_unit(on_t0 if on_t0 is not None else 0.0, 'usd_bn')} on t0 "
                   f"({_day(t0)}{'' if on_t0 is not None else ', no operation'}) and at most "
                   f"{fmt_with_unit(peak, 'usd_bn')} in the window ({_day(day)}).")
    for name in ("move", "vix"):
        if name in have:
            series = _series(name, start, end, loader)
            day, peak = _peak(series)
            out.append(f"{title_of(name, loader).split(' (')[0]} peaked at {peak:.1f} on {_day(day)} "
                       f"(from {series.iloc[0]:.1f} at the start of the window).")
            break
    asset = next((n for n in ("spx", "nasdaq", "gold", "btc") if n in have), None)
    if asset:
        series = _series(asset, start, end, loader)
        drawdown = series / series.cummax() * 100 - 100
        trough = drawdown.idxmin()
        peak_day = series.loc[:trough].idxmax()
        name = short_name(asset)
        if drawdown.min() < 0:
            out.append(f"{name}'s largest fall in the window was {fmt_with_unit(drawdown.min(), 'pct_change')}, from "
                       f"{_day(peak_day)} to {_day(trough)}.")
        else:
            out.append(f"{name} never fell below an earlier high in the window.")
    if "on_rrp" in have:
        series = _series("on_rrp", start, end, loader)
        out.append(f"ON RRP ran from {fmt_with_unit(series.iloc[0], 'usd_bn')} ({_day(series.index[0])}) to "
                   f"{fmt_with_unit(series.iloc[-1], 'usd_bn')} ({_day(series.index[-1])}), lowest "
                   f"{fmt_with_unit(series.min(), 'usd_bn')} on {_day(series.idxmin())}.")
    return out[:max_sentences] or ["None of the series of interest has data in this window."]


def names_with_data(names: Iterable[str], start: object, end: object, *, loader: Loader | None = None) -> list[str]:
    """The names among ``names`` with at least one observation in [start, end]."""
    return [n for n in names if len(_series(n, start, end, loader))]


# --- 04 episodes compared ------------------------------------------------------------------------

#: how the largest move of an indicator is named (prices: the largest fall; others: the largest rise)
_MOVE_WORDS = {"move": "rate volatility (MOVE)", "vix": "equity volatility (VIX)", "hy_oas": "high-yield spreads",
               "ig_oas": "investment-grade spreads"}


def episode_name(ep: Episode) -> str:
    """``the September 2019 repo spike``, ``the late January - February 2026 cross-asset crash``."""
    import calendar

    first = ep.title.split()[0].split("-")[0]
    keep = first in calendar.month_name or first.isupper() or first[:1].isdigit()
    return "the " + (ep.title if keep else ep.title[:1].lower() + ep.title[1:])


def _short_names(chosen: Sequence[Episode]) -> dict[str, str]:
    """``Sep 2019`` per episode (its t0's month), the full name where two share a month."""
    months = [f"{ep.t0:%b %Y}" for ep in chosen]
    return {ep.id: (m if months.count(m) == 1 else episode_name(ep)) for ep, m in zip(chosen, months)}


def _listed(readings: dict[str, float], words: Callable[[float], str], names: dict[str, str], *,
            largest: bool = True, shown: int = 2) -> str:
    """``next Mar 2020 (44 bp) and Oct 2025 (32 bp); at most 4 bp in the other three`` for the
    readings after the first, largest first (smallest first if not ``largest``)."""
    order = sorted(readings, key=lambda e: readings[e], reverse=largest)
    head = [f"{names[e]} ({words(readings[e])})" for e in order[:shown]]
    text = "next " + (" and ".join(head) if len(head) <= 2 else ", ".join(head[:-1]) + " and " + head[-1])
    rest = order[shown:]
    if rest:
        bound = readings[rest[0]]
        count = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(len(rest), str(len(rest)))
        text += (f", at {'most' if largest else 'least'} {words(bound)} in the other "
                 + ("one" if len(rest) == 1 else count))
    return text


def comparison(episode_ids: Sequence[str], indicators: Sequence[str], days: Sequence[int], baseline_day: int, *,
               pair: tuple[str, str] | None = None, loader: Loader | None = None,
               episodes: dict[str, Episode] | None = None, max_sentences: int = 6) -> list[str]:
    """What differs between the episodes, in plain words with numbers, for the chosen
    ``indicators``: which episode had the widest funding-spread spike (the spread's level
    within ``days`` business days of t0), the biggest reserve drain (the largest fall from a
    high between the common start of the windows and ``days[1]``), where ON RRP stood at t0,
    and which episode had the largest rise in volatility or credit spreads and the largest fall
    in prices (measured from ``baseline_day``, as in the report's table), with what the
    widest spike's episode saw on those; and ``pair`` (newer, older) side by side: reserves,
    their fall, the spread and repo take-up."""
    from .episodes import event_time, load_episodes
    from .indicators import zero_where_no_operation

    registry = episodes if episodes is not None else load_episodes(catalog=_loader(loader).catalog)
    chosen = [registry[e] for e in episode_ids]
    names = {ep.id: episode_name(ep) for ep in chosen}
    short = _short_names(chosen)
    common_before = min(ep.before for ep in chosen)
    around = f"within {days[0]:+d} to {days[1]:+d} business days of each t0"
    out: list[str] = []

    def window(ep: Episode, first: int, last: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        return ep.t0 + pd.offsets.BDay(first), ep.t0 + pd.offsets.BDay(last)

    def spread_peaks(name: str) -> dict[str, tuple[float, pd.Timestamp]]:
        peaks = {}
        for ep in chosen:
            series = _series(name, *window(ep, days[0], days[1]), loader)
            if len(series):
                peaks[ep.id] = (float(series.max()), series.idxmax())
        return peaks

    def drains(name: str) -> dict[str, tuple[float, pd.Timestamp, pd.Timestamp, float]]:
        falls = {}
        for ep in chosen:
            series = _series(name, *window(ep, -common_before, days[1]), loader)
            if len(series) < 2:
                continue
            drop = series - series.cummax()
            trough = drop.idxmin()
            falls[ep.id] = (float(-drop.min()), series.loc[:trough].idxmax(), trough, float(series.loc[trough]))
        return falls

    spread = next((n for n in indicators if n.endswith("_bp")), None)
    spread_top = None
    if spread:
        peaks = spread_peaks(spread)
        if peaks:
            spread_top = max(peaks, key=lambda e: peaks[e][0])
            value, day = peaks[spread_top]
            label = _label(spread)
            if spread.endswith("_iorb_bp") and any(ep.t0 < IORB_START for ep in chosen):
                label += " (IOER before 2021-07-29)"
            text = (f"{_cap(label)} spiked most in {names[spread_top]}: {fmt_with_unit(value, 'bp')} on {_day(day)} "
                    f"({_from_t0(day, registry[spread_top].t0)})")
            rest = {e: v for e, (v, _) in peaks.items() if e != spread_top}
            if rest:
                text += f"; {_listed(rest, lambda v: fmt_with_unit(v, 'bp'), short)}"
            out.append(text + f" ({around}).")
    falls = drains("reserves") if "reserves" in indicators or pair else {}
    if "reserves" in indicators and falls:
        top = max(falls, key=lambda e: falls[e][0])
        size, high_day, trough, low = falls[top]
        text = (f"Reserves drained most into {names[top]}: {fmt_with_unit(size, 'usd_bn')} from the week to "
                f"{_day(high_day)} to the week to {_day(trough)}, to {fmt_with_unit(low, 'usd_bn')}")
        rest = {e: v[0] for e, v in falls.items() if e != top}
        if rest:
            text += f"; {_listed(rest, lambda v: fmt_with_unit(v, 'usd_bn'), short)}"
        out.append(text + f" (the largest fall from a high between {common_before} business days before t0 and "
                          f"{days[1]} after).")
    if pair and all(e in names for e in pair):
        newer, older = (registry[e] for e in pair)
        peaks = spread_peaks("sofr_iorb_bp")

        def take_up(ep: Episode) -> float | None:
            series = zero_where_no_operation(_series("repo_take_up", None, None, loader), *window(ep, days[0], days[1]))
            return float(series.max()) if series.notna().any() else None

        parts = []
        reserves = (_at("reserves", newer.t0, loader), _at("reserves", older.t0, loader))
        if None not in reserves:
            (_, a), (_, b) = reserves
            parts.append(f"reserves at t0 of {fmt_with_unit(a, 'usd_bn')} against {fmt_with_unit(b, 'usd_bn')} "
                         f"({a / b:.1f} times as much)")
        if newer.id in falls and older.id in falls:
            parts.append(f"a fall from their high of {fmt_with_unit(falls[newer.id][0], 'usd_bn')} against "
                         f"{fmt_with_unit(falls[older.id][0], 'usd_bn')}")
        if newer.id in peaks and older.id in peaks:
            a, b = peaks[newer.id][0], peaks[older.id][0]
            fraction = {2: "half", 3: "a third", 4: "a quarter", 5: "a fifth", 6: "a sixth", 7: "a seventh",
                        8: "an eighth", 9: "a ninth", 10: "a tenth"}
            times = round(b / a) if a > 0 else 0
            ratio = f" (about {fraction.get(times, f'1/{times}')})" if times >= 2 else ""
            parts.append(f"yet a SOFR - IORB peak of {fmt_with_unit(a, 'bp')} against {fmt_with_unit(b, 'bp')}{ratio}"
                         if a < b and newer.id in falls and older.id in falls and falls[newer.id][0] > falls[older.id][0]
                         else f"a SOFR - IORB peak of {fmt_with_unit(a, 'bp')} against {fmt_with_unit(b, 'bp')}{ratio}")
        repo = (take_up(newer), take_up(older))
        if None not in repo:
            parts.append(f"peak repo take-up of {fmt_with_unit(repo[0], 'usd_bn')} against {fmt_with_unit(repo[1], 'usd_bn')}")
        if parts:
            out.append(f"{_cap(names[newer.id])} compared with {names[older.id]}: " + ", ".join(parts[:-1])
                       + (" and " if len(parts) > 1 else "") + parts[-1] + f" ({around}).")
    if "on_rrp" in indicators:
        held = {ep.id: found[1] for ep in chosen if (found := _at("on_rrp", ep.t0, loader))}
        if held:
            order = sorted(held, key=held.get)
            out.append("ON RRP, the cash that can refill reserves, held at t0 from least to most: "
                       + ", ".join(f"{short[e]} {fmt_with_unit(held[e], 'usd_bn')}" for e in order) + ".")
    markets = [n for n in indicators if n not in ("reserves", "on_rrp") and n != spread]
    if markets:
        tidy = event_time(markets, list(episode_ids), "auto", baseline_day=baseline_day, loader=loader, episodes=registry)
        tidy = tidy[(tidy["day"] >= days[0]) & (tidy["day"] <= days[1])].dropna(subset=["value"])
        leaders, quiet = [], []
        for name in markets:
            rows = tidy[tidy["quantity"] == name]
            if rows.empty:
                continue
            relative = rows["mode"].iloc[0] == "pct_change"
            falling = relative or quantity_unit(name, loader) == "usd_bn"
            extremes = {}
            for ep_id, group in rows.groupby("episode", sort=False):
                row = group.loc[group["value"].idxmin() if falling else group["value"].idxmax()]
                extremes[ep_id] = (float(row["value"]), int(row["day"]))
            pick = min if falling else max
            top = pick(extremes, key=lambda e: extremes[e][0])
            value, day = extremes[top]
            said = fmt_with_unit(value, "pct_change", signed=True) if relative else _moved(value, name, loader)
            what = _MOVE_WORDS.get(name) or _label(name)
            leaders.append(f"the largest {'fall' if falling else 'rise'} in {what} came in {short[top]} ({said} by day {day:+d})")
            if spread_top and spread_top != top and spread_top in extremes:
                other = extremes[spread_top][0]
                quiet.append(f"{what} {fmt_with_unit(other, 'pct_change', signed=True) if relative else _moved(other, name, loader)}")
        if leaders:
            text = "Away from funding, " + "; ".join(leaders)
            if quiet:
                text += (f"; in {short[spread_top]}, the widest spread spike, the same measures read "
                         + (" and ".join(quiet) if len(quiet) <= 2 else ", ".join(quiet[:-1]) + " and " + quiet[-1]))
            out.append(_cap(text) + f" (moves from day {baseline_day:+d}, {around}).")
    return out[:max_sentences] or ["No indicator has data in the episodes' windows."]


# --- 05 claims ------------------------------------------------------------------------------------

def claims_report(table: pd.DataFrame) -> list[str]:
    """Findings of the claims report from the full verdict table (``verdict``, ``article``,
    ``id``, ``pit_changed``, ``calendar`` columns)."""
    out = [claims_sentence(table, "claims in the five articles and the brief")]
    by_article = table.assign(article_no=table["article"].str.slice(0, 3))
    contradicted = by_article[by_article["verdict"] == "contradicted"].groupby("article_no").size()
    if len(contradicted):
        worst = contradicted.idxmax()
        total = int((by_article["article_no"] == worst).sum())
        out.append(f"Article {worst} has the most contradicted claims: {int(contradicted.max())} of its {total}.")
    checkable = table[table["verdict"] != "not_checkable"]
    if len(checkable):
        share = (checkable["verdict"] == "supported").mean() * 100
        out.append(f"Of the {len(checkable)} claims the data can check, {share:.0f}% are supported in full.")
    if "pit_changed" in table.columns:
        column = "claim" if "claim" in table.columns else "id"
        changed = table.loc[table["pit_changed"].astype(bool), column].astype(str).tolist()
        out.append(f"With only the data published by each article's date, {len(changed)} verdict"
                   f"{'s' if len(changed) != 1 else ''} would differ"
                   + (": " + "; ".join(f"“{textwrap.shorten(c, 90, placeholder='…')}”" for c in changed[:3]) + "."
                      if changed else "."))
    if "calendar" in table.columns:
        flagged = int((table["calendar"].astype(str) != "").sum())
        out.append(f"{flagged} readings fall on a month-, quarter- or year-end or a tax date and are flagged.")
    return out


# --- episode pages: the questions each episode's summary poses -----------------------------------
#
# data/episodes.yaml lists, per episode, the questions its page must answer (validated by
# plumbing.episodes, kinds in plumbing.episodes.QUESTION_KINDS). Each kind is answered by one
# function below from the data at render time; a question whose series has no data where it is
# asked about gets a sentence saying so, never an error and never a number from elsewhere.

#: percent-unit quantities that are shares, not rates (changes in percentage points, not bp)
_SHARES = ("buffett_indicator", "reserves_to_gdp")
#: how far back "on or before a day" may reach, in calendar days, by catalog frequency
_TOLERANCE_DAYS = {"daily": 5, "business": 5, "weekly": 9, "weekly_average": 9, "monthly": 40, "quarterly": 100}


class _NoData(Exception):
    """The series ``name`` has no observation in [lo, hi]."""

    def __init__(self, name: str, lo: object, hi: object) -> None:
        super().__init__(name)
        self.name, self.lo, self.hi = name, pd.Timestamp(lo), pd.Timestamp(hi)


def _loader(loader: Loader | None) -> Loader:
    return loader or Loader()


def _measure(name: str, loader: Loader | None) -> str:
    """How a series' moves read: ``price`` (percent), ``points`` (volatility indexes), ``rate``
    (percent levels, moves in bp) or its own unit (bp, usd_bn, share percent in pp)."""
    from .episodes import RELATIVE_UNITS

    unit = quantity_unit(name, loader)
    catalog = _loader(loader).catalog
    if name in catalog and catalog.get(name).group == "volatility":
        return "points"
    if unit in RELATIVE_UNITS:
        return "price"
    if unit == "percent":
        return "share" if name in _SHARES else "rate"
    return unit


def _level(value: float, name: str, loader: Loader | None = None) -> str:
    """A level in words: ``USD 2,834.1bn``, ``4.22%``, ``32 bp``, ``USD 4,862.3``, ``163.7``."""
    unit = quantity_unit(name, loader)
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "usd":
        return f"USD {fmt(value, 'usd')}"
    if unit == "index":
        return f"{value:.1f}" if _measure(name, loader) == "points" else fmt(value, "index")
    if unit == "jpy_per_usd":
        return f"{value:.2f} yen per dollar"
    return fmt_with_unit(value, unit)


def _move(first: float, last: float, name: str, loader: Loader | None = None) -> float:
    """The move from ``first`` to ``last`` in the unit :func:`_moved` writes it in."""
    kind = _measure(name, loader)
    if kind == "price":
        return (last / first - 1) * 100
    if kind == "rate":
        return (last - first) * 100
    return last - first


def _moved(move: float, name: str, loader: Loader | None = None, *, signed: bool = True) -> str:
    """A move from :func:`_move` in words: ``-12.1%``, ``+22 bp``, ``+35.2 points``, ``-USD 121.9bn``."""
    kind = _measure(name, loader)
    value = move if signed else abs(move)
    if kind == "price":
        return fmt_with_unit(value, "pct_change", signed=signed)
    if kind in ("rate", "bp"):
        return fmt_with_unit(value, "bp", signed=signed)
    if kind == "points":
        text = f"{value:{'+' if signed else ''}.1f} points"
        return text.replace("+0.0 ", "0.0 ").replace("-0.0 ", "0.0 ")
    if kind == "share":
        return fmt_with_unit(value, "pp", signed=signed)
    return fmt_with_unit(value, kind, signed=signed)


def _daily_moves(series: pd.Series, name: str, loader: Loader | None = None) -> pd.Series:
    """Each observation's move from the one before, in the unit of :func:`_moved`."""
    kind = _measure(name, loader)
    if kind == "price":
        return (series / series.shift(1) - 1) * 100
    return (series - series.shift(1)) * (100 if kind == "rate" else 1)


#: how a series is named inside a sentence (capitalised where it opens one)
_NAMES = {
    "fed_assets": "the Fed's assets", "reserves": "reserves", "tga_daily": "the TGA", "tga_weekly": "the TGA (week average)",
    "tga_wednesday": "the TGA (Wednesday level)", "treasuries_held": "the Fed's Treasuries", "mbs_held": "the Fed's MBS",
    "bank_deposits": "commercial bank deposits", "bank_assets": "commercial bank assets", "spx": "the S&P 500",
    "nasdaq": "the Nasdaq", "dow": "the Dow", "nikkei": "the Nikkei", "gold": "gold", "silver": "silver",
    "btc": "bitcoin", "eth": "ether", "dollar_broad": "the broad dollar", "dxy": "the dollar index (DXY)",
    "us10y": "the US 10-year yield", "us2y": "the US 2-year yield", "jp2y": "the Japan 2-year yield",
    "jp10y": "the Japan 10-year yield", "hy_oas": "the high-yield spread (HY OAS)", "ig_oas": "the investment-grade spread",
    "sofr_p99_iorb_bp": "SOFR's 99th percentile - IORB", "effr_target_upper_bp": "EFFR - the top of the target range",
    "sofr_target_upper_bp": "SOFR - the top of the target range", "us2y_jp2y_bp": "the US-Japan 2-year spread",
    "repo_take_up": "repo take-up",
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _label(name: str, day: object = None, loader: Loader | None = None) -> str:
    """A series' plain name inside a sentence; spreads to the reserve rate say IOER before 2021-07-29."""
    text = _NAMES.get(name) or short_name(name)
    if name.endswith("_iorb_bp") and day is not None and pd.Timestamp(day) < IORB_START:
        text = text.replace("IORB", "IOER")
    return text


def _when(name: str, day: object, loader: Loader | None = None, *, bare: bool = False) -> str:
    """``on 2019-09-17`` or, for weekly series, ``in the week to 2019-09-18``; ``bare`` drops
    the preposition (``since the week to 2019-09-18``)."""
    frequency = quantity_frequency(name, loader)
    if frequency in ("weekly", "weekly_average"):
        text = f"in the week to {_day(day)}"
    elif frequency == "monthly":
        text = f"in {pd.Timestamp(day):%B %Y}"
    else:
        text = f"on {_day(day)}"
    return text.split(" ", 1)[1] if bare else text


def _from_t0(day: object, t0: object) -> str:
    """``t0``, ``t0+3`` or ``t0-5`` (business days)."""
    count = int(np.busday_count(pd.Timestamp(t0).date(), pd.Timestamp(day).date()))
    return "t0" if count == 0 else f"t0{count:+d}"


def _window(question: Question, ep: Episode, loader: Loader | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    return (_anchor(str(question.get("from", "start")), ep, loader),
            _anchor(str(question.get("to", "end")), ep, loader))


def _anchor(text: str, ep: Episode, loader: Loader | None) -> pd.Timestamp:
    """The day an anchor names (see :data:`plumbing.episodes.QUESTION_KINDS`)."""
    from .episodes import _anchor_date

    fixed = _anchor_date(text, ep)
    if fixed is not None:
        return fixed
    which, name = text.split(":", 1)
    series = _series(name, ep.start, ep.end, loader)
    if series.empty:
        raise _NoData(name, ep.start, ep.end)
    return series.idxmin() if which == "low" else series.idxmax()


def _anchor_words(text: str, day: pd.Timestamp) -> str:
    """``2025-04-02 (t0)``, ``2025-04-08 (the S&P 500's low)``, ``2019-09-18``."""
    if text.startswith(("low:", "high:")):
        which, name = text.split(":", 1)
        return f"{_day(day)} ({_label(name, day)}'s {which} in the window)"
    return f"{_day(day)} (t0)" if text == "t0" else _day(day)


def _at(name: str, day: object, loader: Loader | None) -> tuple[pd.Timestamp, float] | None:
    """The last observation on or before ``day``, if it is recent enough to stand for that day."""
    day = pd.Timestamp(day)
    tolerance = pd.Timedelta(days=_TOLERANCE_DAYS.get(quantity_frequency(name, loader), 5))
    found = _on_or_before(_series(name, day - tolerance, day, loader), day)
    return found


def _need(name: str, day: object, loader: Loader | None) -> tuple[pd.Timestamp, float]:
    found = _at(name, day, loader)
    if found is None:
        raise _NoData(name, day, day)
    return found


def _since(name: str, value: float, before: pd.Timestamp, high: bool, loader: Loader | None) -> str:
    """``the highest since in the week to 2020-11-11`` from the history before ``before``."""
    history = _series(name, None, before - pd.Timedelta(days=1), loader)
    word = "highest" if high else "lowest"
    if history.empty:
        return f"the {word} in data that begin {_when(name, before, loader, bare=True)}"
    reached = history[history >= value] if high else history[history <= value]
    if reached.empty:
        return f"the {word} in data that begin {_when(name, history.index[0], loader, bare=True)}"
    return f"the {word} since {_when(name, reached.index[-1], loader, bare=True)}"


def _claim(question: Question, text: str = "") -> str:
    """The article's figure the question checks, attributed: `` (article 001: about 51bn)``, or
    ``; article 001: ...`` after a closing parenthesis."""
    claim = question.get("claim")
    if not claim:
        return ""
    return f"; {claim}" if text.endswith(")") else f" ({claim})"


def _answer_crossing(question: Question, ep: Episode, loader: Loader | None) -> str:
    """When ``series`` crossed ``level`` in ``direction``: the first observation on that side
    whose previous observation (even one before the window) was on the other side."""
    name, level, below = str(question.get("series")), float(question.get("level")), question.get("direction") == "below"
    lo, hi = _window(question, ep, loader)
    history = _series(name, None, hi, loader)
    window = history.loc[lo:]
    if window.empty:
        raise _NoData(name, lo, hi)
    side = (history < level) if below else (history > level)
    flags = side.to_numpy()
    crossed = pd.Series(np.r_[False, flags[1:] & ~flags[:-1]], index=history.index)
    switched = pd.Series(np.r_[False, flags[1:] != flags[:-1]], index=history.index)
    label = question.get("level_label")
    line = _level(level, name, loader) + (f" ({label})" if label else "")
    where = "below" if below else "above"
    firsts = crossed.loc[lo:][crossed.loc[lo:]].index
    if len(firsts) == 0:
        extreme_day = window.idxmin() if below else window.idxmax()
        if bool(side.loc[lo:].all()):
            text = (f"{_cap(_label(name, lo))} was already {where} {line} at the start ({_level(window.iloc[0], name, loader)} "
                    f"{_when(name, window.index[0], loader)}) and stayed {where} it through {_day(hi)}")
        elif bool(side.loc[lo:].iloc[0]):
            back = switched.loc[lo:][switched.loc[lo:]].index[0]
            text = (f"{_cap(_label(name, lo))} was already {where} {line} at the start and crossed back "
                    f"{'above' if below else 'below'} it {_when(name, back, loader)}, not returning through {_day(hi)}")
        else:
            nearest = window.loc[extreme_day]
            text = (f"{_cap(_label(name, lo))} did not {'fall below' if below else 'rise above'} {line} from {_day(lo)} to "
                    f"{_day(hi)}: its {'lowest' if below else 'highest'} was {_level(nearest, name, loader)} "
                    f"{_when(name, extreme_day, loader)}, {_moved(abs(_move(level, nearest, name, loader)), name, loader, signed=False)} "
                    f"{'above' if below else 'below'} it")
    else:
        first = firsts[0]
        position = history.index.get_loc(first)
        previous_day, previous = history.index[position - 1], history.iloc[position - 1]
        earlier = side.loc[:previous_day]
        earlier = earlier[earlier].index
        since = (f"the first time since {_when(name, earlier[-1], loader, bare=True)}" if len(earlier)
                 else f"the first time in data that begin {_when(name, history.index[0], loader, bare=True)}")
        text = (f"{_cap(_label(name, first))} {'fell below' if below else 'rose above'} {line} {_when(name, first, loader)} "
                f"({_level(history.loc[first], name, loader)}, from {_level(previous, name, loader)} "
                f"{_when(name, previous_day, loader)}), {since}")
        later = switched.loc[first:hi].iloc[1:]
        later = later[later].index
        other = "above" if below else "below"
        if len(later) > 4:  # many crossings: the observations back on the other side say more
            back = side.loc[first:hi]
            back = back[~back].index
            text += (f"; it was back {other} on {len(back)} later observations ({', '.join(_day(d) for d in back[:4])}, ...), "
                     f"the last {_when(name, back[-1], loader)}")
        elif len(later) > 2:
            text += (f", then crossed {len(later)} more times, the last {where if side.loc[later[-1]] else other} "
                     f"{_when(name, later[-1], loader)}")
        elif len(later):
            steps = [f"{where if side.loc[d] else other} {_when(name, d, loader)}" for d in later]
            text += f", then crossed again: {' and '.join(steps)}"
        else:
            text += f", and stayed {where} it through {_day(hi)}"
    if question.get("and_on"):
        day, value = _need(name, _anchor(str(question.get("and_on")), ep, loader), loader)
        gap = _move(level, value, name, loader)
        text += (f"; {_when(name, day, loader)} the level was {_level(value, name, loader)}, "
                 f"{_moved(abs(gap), name, loader, signed=False)} {'above' if gap >= 0 else 'below'} the line")
    return text + _claim(question, text) + "."


def _answer_extreme(question: Question, ep: Episode, loader: Loader | None) -> str:
    """The max or min of ``series`` in the window and its date; the move from the opposite
    extreme before it; the last time the series was as high (low) before the window."""
    name, high = str(question.get("series")), question.get("stat") == "max"
    lo, hi = _window(question, ep, loader)
    series = _series(name, lo, hi, loader)
    if series.empty:
        raise _NoData(name, lo, hi)
    day = series.idxmax() if high else series.idxmin()
    value = float(series.loc[day])
    text = f"{_cap(_label(name, day))} {'peaked' if high else 'bottomed'} at {_level(value, name, loader)} {_when(name, day, loader)}"
    also = []
    for other in question.get("also") or ():
        found = _at(other, day, loader)
        also.append(f"{_label(other, day)} {_level(found[1], other, loader)}" if found else f"{_label(other, day)} —")
    if also:
        text += f" ({', '.join(also)})"
    before = series.loc[:day]
    if len(before) > 1:
        opposite_day = before.idxmin() if high else before.idxmax()
        opposite = float(before.loc[opposite_day])
        if opposite != value:
            text += (f", {_moved(_move(opposite, value, name, loader), name, loader, signed=False)} "
                     f"{'above' if high else 'below'} its {'low' if high else 'high'} of {_level(opposite, name, loader)} "
                     f"{_when(name, opposite_day, loader)}")
            if question.get("split"):
                split = _anchor(str(question.get("split")), ep, loader)
                mid = _on_or_before(series.loc[:split - pd.Timedelta(days=1)], split - pd.Timedelta(days=1))
                if mid and opposite_day <= mid[0] < day:
                    text += (f" ({_moved(_move(opposite, mid[1], name, loader), name, loader)} by {_day(mid[0])}, "
                             f"{_moved(_move(mid[1], value, name, loader), name, loader)} from {_day(split)})")
    text += f", {_since(name, value, lo, high, loader)}"
    if question.get("reference") is not None:
        reference = float(question.get("reference"))
        label = question.get("reference_label") or _level(reference, name, loader)
        gap = _move(reference, value, name, loader)
        text += f", {_moved(abs(gap), name, loader, signed=False).lstrip('+')} {'above' if gap >= 0 else 'below'} {label}"
    if question.get("later_until"):
        until = _anchor(str(question.get("later_until")), ep, loader)
        later = _series(name, hi + pd.Timedelta(days=1), until, loader)
        if len(later):
            later_day = later.idxmax() if high else later.idxmin()
            text += (f"; after the window, up to {_day(until)}, the {'highest' if high else 'lowest'} was "
                     f"{_level(later.loc[later_day], name, loader)} {_when(name, later_day, loader)}")
    if question.get("and_on"):
        on_day, on_value = _need(name, _anchor(str(question.get("and_on")), ep, loader), loader)
        text += f"; {_when(name, on_day, loader)} it was {_level(on_value, name, loader)}"
    return text + _claim(question, text) + "."


def _answer_change(question: Question, ep: Episode, loader: Loader | None) -> str:
    """The change of ``series`` between two days (``from: low`` is the window's low before
    ``to``; ``to: high`` the high after ``from``), split into ``parts`` if given."""
    name = str(question.get("series"))
    start_text, end_text = str(question.get("from")), str(question.get("to"))
    if start_text in ("low", "high"):
        limit = _anchor(end_text, ep, loader) if end_text not in ("low", "high") else ep.end
        before = _series(name, ep.start, limit, loader)
        if before.empty:
            raise _NoData(name, ep.start, limit)
        start = before.idxmin() if start_text == "low" else before.idxmax()
    else:
        start = _anchor(start_text, ep, loader)
    if end_text in ("low", "high"):
        after = _series(name, start, ep.end, loader)
        if after.empty:
            raise _NoData(name, start, ep.end)
        end = after.idxmin() if end_text == "low" else after.idxmax()
    else:
        end = _anchor(end_text, ep, loader)
    (first_day, first), (last_day, last) = _need(name, start, loader), _need(name, end, loader)
    move = _move(first, last, name, loader)
    verb = "rose" if last > first else ("fell" if last < first else "was unchanged,")
    share = (f" ({fmt_with_unit((last / first - 1) * 100, 'pct_change', signed=True)})"
             if _measure(name, loader) == "usd_bn" and first else "")
    start_words = {"low": "the low of ", "high": "the high of "}.get(start_text, "")
    end_words = {"low": "the low of ", "high": "the high of "}.get(end_text, "")
    text = (f"{_cap(_label(name, first_day))} {verb} {_moved(move, name, loader, signed=False)}{share} from {start_words}"
            f"{_level(first, name, loader)} {_when(name, first_day, loader)} to {end_words}{_level(last, name, loader)} "
            f"{_when(name, last_day, loader)}")
    parts = []
    for part in question.get("parts") or ():
        a, b = _need(part, first_day, loader), _need(part, last_day, loader)
        parts.append((_label(part, first_day), b[1] - a[1]))
    if parts:
        rest = (last - first) - sum(change for _, change in parts)
        pieces = [f"{label} {fmt_with_unit(change, 'usd_bn', signed=True)}" for label, change in parts]
        pieces.append(f"{question.get('rest_label') or 'everything else'} {fmt_with_unit(rest, 'usd_bn', signed=True)}")
        text += f": {', '.join(pieces[:-1])} and {pieces[-1]}"
    also = []
    for other in question.get("also") or ():
        a, b = _at(other, first_day, loader), _at(other, last_day, loader)
        if a and b:
            also.append(f"{_label(other, last_day)} {_moved(_move(a[1], b[1], other, loader), other, loader)} "
                        f"(to {_level(b[1], other, loader)})")
    if also:
        text += f"; over the same days {', '.join(also)}"
    return text + _claim(question, text) + "."


def _answer_on_day(question: Question, ep: Episode, loader: Loader | None) -> str:
    """Each series' move on ``date`` (t0 by default) and its rank among the window's daily
    moves in the same direction."""
    day = _anchor(str(question.get("date", "t0")), ep, loader)
    lo, hi = _window(question, ep, loader)
    items, missing = [], []
    for name in question.get("series") or ():
        series = _series(name, lo - pd.Timedelta(days=10), hi, loader)
        if day not in series.index or len(series.loc[:day]) < 2:
            missing.append(_label(name, day))
            continue
        moves = _daily_moves(series, name, loader).loc[lo:hi].dropna()
        move = float(moves.loc[day])
        rank = int((moves < move).sum() + 1) if move < 0 else int((moves > move).sum() + 1)
        which = "fall" if move < 0 else "rise"
        items.append((_label(name, day), _moved(move, name, loader), rank, which))
    if not items:
        first = (question.get("series") or ("?",))[0]
        raise _NoData(str(first), day, day)
    when = _anchor_words(str(question.get("date", "t0")), day)
    if all(rank == 1 for _, _, rank, _ in items) and len({which for *_, which in items}) == 1:
        moved = [f"{label} {'moved ' if n == 0 else ''}{said}" for n, (label, said, _, _) in enumerate(items)]
        text = (f"On {when} {' and '.join(moved) if len(moved) <= 2 else ', '.join(moved[:-1]) + ' and ' + moved[-1]}: "
                f"for {'each' if len(items) > 1 else 'it'} the largest daily {items[0][3]} between {_day(lo)} and {_day(hi)}")
    else:
        parts = [f"{label} {said} (its {'' if rank == 1 else ordinal(rank) + '-'}largest daily {which})"
                 for label, said, rank, which in items]
        text = f"On {when}: {', '.join(parts)}, among the daily moves between {_day(lo)} and {_day(hi)}"
    if missing:
        text += f"; no observation on that day for {', '.join(missing)}"
    return text + _claim(question, text) + "."


def _answer_moves(question: Question, ep: Episode, loader: Loader | None) -> str:
    """Several series' moves between two days."""
    start_text, end_text = str(question.get("from")), str(question.get("to"))
    start, end = _anchor(start_text, ep, loader), _anchor(end_text, ep, loader)
    items, missing = [], []
    for name in question.get("series") or ():
        a, b = _at(name, start, loader), _at(name, end, loader)
        if a and b:
            items.append(f"{_label(name, end)} {_moved(_move(a[1], b[1], name, loader), name, loader)}")
        else:
            missing.append(_label(name, end))
    if not items:
        raise _NoData(str((question.get("series") or ("?",))[0]), start, end)
    text = f"From {_anchor_words(start_text, start)} to {_anchor_words(end_text, end)}: {', '.join(items)}"
    if missing:
        text += f"; no data for {', '.join(missing)}"
    return text + _claim(question, text) + "."


def _answer_sequence(question: Question, ep: Episode, loader: Loader | None) -> str:
    """The order of several series' highs (lows) in the window, counted in business days from
    t0; with ``reversal``, when half of each move from the window's start had been undone."""
    high = question.get("stat", "max") == "max"
    lo, hi = _window(question, ep, loader)
    rows, missing = [], []
    for name in question.get("series") or ():
        series = _series(name, lo, hi, loader)
        if series.empty:
            missing.append(_label(name, lo))
            continue
        day = series.idxmax() if high else series.idxmin()
        value, base = float(series.loc[day]), float(series.iloc[0])
        half = base + (value - base) / 2
        after = series.loc[day:].iloc[1:]
        back = after[after <= half] if high else after[after >= half]
        rows.append((day, name, value, base, back.index[0] if len(back) and value != base else None))
    if not rows:
        raise _NoData(str((question.get("series") or ("?",))[0]), lo, hi)
    rows.sort(key=lambda row: row[0])
    items = [f"{_label(name, day)} {_level(value, name, loader)} on {_day(day)} ({_from_t0(day, ep.t0)}, "
             f"{_moved(_move(base, value, name, loader), name, loader)})" for day, name, value, base, _ in rows]
    text = (f"The {'highs' if high else 'lows'} from {_day(lo)} to {_day(hi)} came in this order: {', then '.join(items)} "
            f"(t0±N: business days from t0, {_day(ep.t0)}; moves from {_day(lo)})")
    if question.get("reversal"):
        undone = [f"{_label(name, day)} {'by ' + _day(back) if back is not None else 'not by ' + _day(hi)}"
                  for day, name, value, base, back in rows]
        text += f"; half of each move since {_day(lo)} had reversed: {', '.join(undone)}"
    if missing:
        text += f"; no data in the window for {', '.join(missing)}"
    return text + "."


def _answer_facility_use(question: Question, ep: Episode, loader: Loader | None) -> str:
    """Take-up at a backstop: on the given days (0 on business days without an operation), the
    window's peak and when it was last as large, and the days at or above ``threshold``."""
    from .indicators import zero_where_no_operation

    name = str(question.get("series", "repo_take_up"))
    lo, hi = _window(question, ep, loader)
    threshold = float(question.get("threshold", 1.0))
    raw = _series(name, None, hi, loader)
    series = (zero_where_no_operation(raw, lo, hi) if name == "repo_take_up" else raw.loc[lo:hi]).dropna()
    if series.empty:
        raise _NoData(name, lo, hi)
    label = ("Take-up at the Fed's repo operations" if lo < IORB_START else
             "Standing Repo Facility take-up") if name == "repo_take_up" else _cap(_label(name, lo))
    on_days, said = [], set()

    def since(value: float, day: pd.Timestamp) -> str:  # each "largest since" said once
        text = _since(name, value, day, True, loader).replace("highest", "largest")
        fresh = text not in said
        said.add(text)
        return text if fresh else ""

    for text in question.get("dates") or ():
        day = _anchor(text, ep, loader)
        value = series.get(day)
        if value is None:
            on_days.append(f"nothing recorded on {_day(day)} (no business day or no data)")
        else:
            note = since(value, day) if value >= threshold else ""
            on_days.append(f"{fmt_with_unit(value, 'usd_bn')} on {_day(day)}" + (f" ({note})" if note else ""))
    day, peak = series.idxmax(), float(series.max())
    if peak <= 0:
        return f"{label} was zero on every business day from {_day(lo)} to {_day(hi)}{_claim(question)}."
    text = f"{label} was {' and '.join(on_days)}; " if on_days else f"{label} "
    note = since(peak, day)
    text += (f"{'it ' if on_days else ''}peaked at {fmt_with_unit(peak, 'usd_bn')} on {_day(day)} between {_day(lo)} "
             f"and {_day(hi)}" + (f", {note}" if note else ""))
    busy = series[series >= threshold]
    text += (f", and was {fmt_with_unit(threshold, 'usd_bn')} or more on {len(busy)} of {len(series)} business days"
             + (f" (first {_day(busy.index[0])}, last {_day(busy.index[-1])})" if len(busy) else ""))
    return text + _claim(question, text) + "."


def _answer_threshold_days(question: Question, ep: Episode, loader: Loader | None) -> str:
    """The days ``series`` spent above (below) ``level`` in the window, listed."""
    name, level, below = str(question.get("series")), float(question.get("level")), question.get("direction") == "below"
    lo, hi = _window(question, ep, loader)
    series = _series(name, lo, hi, loader)
    if series.empty:
        raise _NoData(name, lo, hi)
    days = series[series < level].index if below else series[series > level].index
    text = (f"{_cap(_label(name, lo))} was {'below' if below else 'above'} {_level(level, name, loader)} on {len(days)} of the "
            f"{len(series)} days with data from {_day(lo)} to {_day(hi)}")
    claim = question.get("claim")
    text += f" (median {_level(series.median(), name, loader)}{'; ' + str(claim) if claim else ''})"
    if len(days):
        shown = ", ".join(_day(d) for d in days[:6])
        text += f": {shown}" + (f" and {len(days) - 6} more" if len(days) > 6 else "")
    return text + "."


def _answer_drivers(question: Question, ep: Episode, loader: Loader | None) -> str:
    """What moved reserves between two weeks, in reserve terms: Fed assets, minus the TGA's
    change (week average), minus ON RRP's, and the rest of the balance sheet."""
    start_text, end_text = str(question.get("from")), str(question.get("to"))
    start, end = _anchor(start_text, ep, loader), _anchor(end_text, ep, loader)
    keys = ["reserves", "fed_assets", "tga_weekly", "on_rrp"]
    frame = _loader(loader).load(keys, start - pd.Timedelta(days=14), end, freq="W").dropna()
    first, last = frame.loc[:start], frame.loc[:end]
    if first.empty or last.empty or first.index[-1] == last.index[-1]:
        raise _NoData("reserves", start, end)
    a, b = first.iloc[-1], last.iloc[-1]
    change = b - a
    fed, tga, rrp = change["fed_assets"], -change["tga_weekly"], -change["on_rrp"]
    other = change["reserves"] - fed - tga - rrp
    signed = lambda v: fmt_with_unit(v, "usd_bn", signed=True)  # noqa: E731
    return (f"From the week to {_day(first.index[-1])} to the week to {_day(last.index[-1])} reserves "
            f"{'rose' if change['reserves'] > 0 else 'fell'} {fmt_with_unit(abs(change['reserves']), 'usd_bn')} (to "
            f"{fmt_with_unit(b['reserves'], 'usd_bn')}); in reserve terms the TGA contributed {signed(tga)} (it went from "
            f"{fmt_with_unit(a['tga_weekly'], 'usd_bn')} to {fmt_with_unit(b['tga_weekly'], 'usd_bn')}), ON RRP "
            f"{signed(rrp)} (to {fmt_with_unit(b['on_rrp'], 'usd_bn')}), the Fed's assets (Wednesday level) {signed(fed)} "
            f"and other items, with the gap between Wednesday levels and week averages, {signed(other)}{_claim(question)}.")


def _answer_drawdown(question: Question, ep: Episode, loader: Loader | None) -> str:
    """The largest fall from a prior high in the window, its worst day, and the rebound."""
    name = str(question.get("series"))
    lo, hi = _window(question, ep, loader)
    series = _series(name, lo, hi, loader)
    if series.empty:
        raise _NoData(name, lo, hi)
    label = _cap(_label(name, lo))
    drawdown = series / series.cummax() - 1
    trough = drawdown.idxmin()
    if drawdown.min() >= 0:
        return (f"{label} never fell below an earlier high from {_day(lo)} to {_day(hi)}: it moved "
                f"{_moved(_move(series.iloc[0], series.iloc[-1], name, loader), name, loader)} over the window.")
    peak_day = series.loc[:trough].idxmax()
    daily = _daily_moves(_series(name, lo - pd.Timedelta(days=10), hi, loader), name, loader).loc[lo:hi]
    fall = daily.loc[peak_day:trough].iloc[1:]
    worst = fall.idxmin()
    text = (f"{label} fell {_moved(_move(series.loc[peak_day], series.loc[trough], name, loader), name, loader, signed=False)} "
            f"from its high on {_day(peak_day)} to its low on {_day(trough)} (worst day {_moved(fall.loc[worst], name, loader)} "
            f"on {_day(worst)})")
    rebound = daily.loc[trough:].iloc[1:]
    if len(rebound):
        best = rebound.idxmax()
        regained = series.loc[trough:][series.loc[trough:] >= series.loc[peak_day]]
        text += (f", then moved {_moved(_move(series.loc[trough], series.iloc[-1], name, loader), name, loader)} to "
                 f"{_day(series.index[-1])} (best day {_moved(rebound.loc[best], name, loader)} on {_day(best)}"
                 + (f"; back at its high on {_day(regained.index[0])}" if len(regained) else
                    f"; still {_moved(_move(series.loc[peak_day], series.iloc[-1], name, loader), name, loader, signed=False)} "
                    "below its high") + ")")
    return text + _claim(question, text) + "."


def _answer_largest_move(question: Question, ep: Episode, loader: Loader | None) -> str:
    """The day of each series' largest daily move in the window, counted from t0."""
    direction = question.get("direction", "any")
    lo, hi = _window(question, ep, loader)
    items, missing = [], []
    for name in question.get("series") or ():
        moves = _daily_moves(_series(name, lo - pd.Timedelta(days=10), hi, loader), name, loader).loc[lo:hi].dropna()
        if moves.empty:
            missing.append(_label(name, lo))
            continue
        day = {"fall": moves.idxmin(), "rise": moves.idxmax()}.get(direction, moves.abs().idxmax())
        count = int(np.busday_count(ep.t0.date(), day.date()))
        when = "on t0" if count == 0 else f"{abs(count)} business day{'s' if abs(count) != 1 else ''} {'after' if count > 0 else 'before'} t0"
        items.append(f"{_label(name, day)} {_moved(moves.loc[day], name, loader)} on {_day(day)}, {when}")
    if not items:
        raise _NoData(str((question.get("series") or ("?",))[0]), lo, hi)
    word = {"fall": "fall", "rise": "rise"}.get(direction, "move")
    text = f"The largest daily {word} from {_day(lo)} to {_day(hi)} ({_day(ep.t0)} is t0): {'; '.join(items)}"
    if missing:
        text += f"; no data in the window for {', '.join(missing)}"
    return text + "."


def _answer_not_in_data(question: Question, ep: Episode, loader: Loader | None) -> str:
    text = str(question.get("what")).strip()
    return text if text.endswith(".") else text + "."


#: question kind -> the function that answers it (one per kind in plumbing.episodes.QUESTION_KINDS)
ANSWERS = {
    "crossing": _answer_crossing, "extreme": _answer_extreme, "change": _answer_change, "on_day": _answer_on_day,
    "moves": _answer_moves, "sequence": _answer_sequence, "facility_use": _answer_facility_use,
    "threshold_days": _answer_threshold_days, "drivers": _answer_drivers, "drawdown": _answer_drawdown,
    "largest_move": _answer_largest_move, "not_in_data": _answer_not_in_data,
}
#: what each kind asks, for the sentence that says the data cannot answer it
_ASKS = {
    "crossing": "when it crossed the level", "extreme": "its high or low", "change": "its change",
    "on_day": "its move on the day", "moves": "its move", "sequence": "the order of the highs",
    "facility_use": "the take-up", "threshold_days": "the days beyond the level", "drivers": "what moved reserves",
    "drawdown": "its largest fall", "largest_move": "its largest daily move",
}


def answer(question: Question, ep: Episode, *, loader: Loader | None = None) -> str:
    """One sentence answering ``question`` about episode ``ep`` from the data; where its series
    has no observation the sentence says so (with the dates the series does cover)."""
    try:
        return ANSWERS[question.kind](question, ep, loader)
    except _NoData as missing:
        whole = _series(missing.name, None, None, loader)
        cover = (f"its data run from {_day(whole.index[0])} to {_day(whole.index[-1])}" if len(whole)
                 else "the snapshot has none of it")
        span = _day(missing.lo) if missing.lo == missing.hi else f"{_day(missing.lo)} to {_day(missing.hi)}"
        return (f"{_cap(_label(missing.name, missing.lo))} has no observation for {span} ({cover}), so {_ASKS[question.kind]} "
                "cannot be measured here.")


def episode_page(ep: Episode, names: Sequence[str] | None = None, claims: pd.DataFrame | None = None, *,
                 loader: Loader | None = None) -> list[str]:
    """The findings of an episode page: one answer per question its entry in
    ``data/episodes.yaml`` poses (the generic :func:`episode` findings for an entry without
    questions), then the article claims dated in its window; at most six sentences. The answer
    to the question marked ``headline: true`` is a :class:`plumbing.present.Headline` (shown
    first and used as the page's one-line answer on the index)."""
    from .present import Headline

    if ep.questions:
        out = [Headline(text) if q.headline else text for q, text in ((q, answer(q, ep, loader=loader))
                                                                       for q in ep.questions)]
    else:
        out = episode(list(names or ep.series), ep.t0, ep.start, ep.end, loader=loader, max_sentences=5)
    if claims is not None and len(claims):
        out.append(claims_sentence(claims))
    return out[:6]
