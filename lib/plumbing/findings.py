"""What each report found, in sentences with numbers and dates, computed from the data.

One function per report returns its 3-6 findings (see :func:`plumbing.present.findings`).
Every number is read from the data at render time, and where the data contradict an article
the sentence says so. The functions take the report's parameters, so a user's own window
gets its own findings.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd

from .panel import Loader
from .present import fmt_with_unit, ordinal, short_name
from .quantities import quantity, quantity_unit, title_of


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

def monitor(table: pd.DataFrame, stress: pd.DataFrame, as_of: object,
            lagging: dict[str, pd.Timestamp] | None = None) -> list[str]:
    """Findings of the liquidity monitor from its watch-list table and stress composite.

    ``table`` is :func:`plumbing.views.monitor_table` (value, chg_1w, chg_1m, pctile_5y per
    quantity, net liquidity as ``net_liquidity_daily`` or ``net_liquidity``); ``stress`` is
    :func:`plumbing.quantities.liquidity_stress`; ``lagging`` names series shown at an
    earlier date because their data stop early.
    """
    def value(name: str, column: str = "value") -> float:
        return float(table.loc[name, column])

    pct = next(c for c in table.columns if c.startswith("pctile_"))
    net = "net_liquidity_daily" if "net_liquidity_daily" in table.index else "net_liquidity"
    out = [f"On {_day(as_of)} net liquidity stood at {fmt_with_unit(value(net), 'usd_bn')}, "
           f"{fmt_with_unit(value(net, 'chg_1m'), 'usd_bn', signed=True)} on the month "
           f"({ordinal(value(net, pct))} percentile of five years)."]
    reserves = value("reserves")
    out.append(f"Reserves were {fmt_with_unit(reserves, 'usd_bn')}, "
               f"{'above' if reserves >= 3000 else 'below'} the articles' $3tn red line by "
               f"{fmt_with_unit(abs(reserves - 3000), 'usd_bn')} (week of {_day(table.loc['reserves', 'date'])}); the TGA held {fmt_with_unit(value('tga_daily'), 'usd_bn')} "
               f"and ON RRP {fmt_with_unit(value('on_rrp'), 'usd_bn')}.")
    spread = value("sofr_iorb_bp")
    out.append(f"SOFR was {value('sofr'):.2f}%, {fmt_with_unit(abs(spread), 'bp')} {'above' if spread > 0 else 'below'} IORB "
               f"({ordinal(value('sofr_iorb_bp', pct))} percentile of five years); the Fed's repo facility lent "
               f"{fmt_with_unit(value('repo_take_up'), 'usd_bn')} on its latest operation day.")
    out.append(f"MOVE stood at {value('move'):.1f} ({ordinal(value('move', pct))} percentile), high-yield spreads at "
               f"{fmt_with_unit(value('hy_oas'), 'bp')} and the US-Japan 2-year spread at "
               f"{fmt_with_unit(value('us2y_jp2y_bp'), 'bp')} ({fmt_with_unit(value('us2y_jp2y_bp', 'chg_1m'), 'bp', signed=True)} "
               "on the month).")
    if lagging:
        out.append("Shown at their own last observation because their data stop early: "
                   + "; ".join(f"{short_name(n)} ({_day(d)})" for n, d in lagging.items()) + ".")
    composite = stress.dropna(subset=["composite"])
    if len(composite):
        last = composite.iloc[-1]
        out.append(f"The stress composite read {last['composite']:+.2f} on {_day(last.name)} "
                   f"({'more' if last['composite'] > 0 else 'less'} stress than the trailing year's average), "
                   f"from {int(last['n_components'])} components.")
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
        def named(name: str, row: pd.Series) -> str:
            sd = f", {row['z']:+.1f} sd" if pd.notna(row.get("z")) else ""
            return f"{short_name(name)} {row['move']:+.1f}%{sd}"

        worst = falls["move"].idxmin()
        out.append(f"On {_day(t0)} the largest fall was {named(worst, falls.loc[worst])}; "
                   + ", ".join(named(n, r) for n, r in falls.drop(worst).iterrows())
                   + " (sd: standard deviations of the asset's own daily moves over the previous year).")
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

def comparison(summary: pd.DataFrame, units: dict[str, str], titles: dict[str, str], days: Sequence[int],
               *, measured: dict[str, str] | None = None, max_sentences: int = 6) -> list[str]:
    """Findings of the event-time comparison: for each indicator, the episode with the highest
    and the lowest reading within ``days`` business days of t0 (``summary`` is
    :func:`plumbing.views.event_window_summary`); ``measured`` says what each reading is
    (``"change since day -10"``), so a change is never read as a level."""
    out = []
    for name, group in summary.groupby("quantity", sort=False):
        group = group.dropna(subset=["max", "min"])
        if group.empty:
            continue
        high = group.loc[group["max"].idxmax()]
        low = group.loc[group["min"].idxmin()]
        unit = units.get(name, "")
        what = f" ({measured[name]})" if measured and name in measured else ""
        out.append(f"{titles.get(name, name)}{what}: highest in {high['episode']} ({fmt_with_unit(high['max'], unit)} on day "
                   f"{int(high['max_day']):+d}), lowest in {low['episode']} ({fmt_with_unit(low['min'], unit)} on day "
                   f"{int(low['min_day']):+d}), within {days[0]} to {days[1]} business days of t0.")
        if len(out) == max_sentences:
            break
    return out or ["No indicator has data in the episodes' windows."]


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
