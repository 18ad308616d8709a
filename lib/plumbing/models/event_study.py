"""Event studies: abnormal returns around the episodes and around CME margin changes.

Article 000 blames the February 2026 collapse of gold and silver partly on CME raising
margins ("six times"); the folk claim is that "margin hikes end bull markets". Here:

* **returns**: daily log returns in percent, 100 x log(P_t / P_t-1), on each asset's own
  trading days (consecutive observations; gold and silver are the COMEX front-month
  futures GC=F and SI=F, so returns include roll effects);
* **event day 0**: the first trading day of the asset on or after the event date (the
  effective date of a margin change, many of which apply "after the close" of that day,
  so day 0 partly precedes the change and the announcement usually precedes day 0);
* **normal-return model** over a stated **estimation window** of trading days relative to
  day 0 (default [-120, -11]): ``zero_mean`` (the abnormal return is the raw return; the
  estimation window only gives the variance), ``constant_mean`` (minus the window's mean
  return) or ``market`` (market model on a market index's returns). A fitted mean is wrong
  when events follow unusual runs: CME raises margins after rallies, so the window's mean
  carries the rally's drift and post-hike CARs come out negative by construction; the
  real-data functions therefore default to ``zero_mean``;
* **abnormal returns** (AR) for each day of the **event window** (default [-10, +20]) and
  **cumulative abnormal returns** (CAR) over stated sub-windows, estimated in one OLS per
  event with a dummy for each event-window day (statsmodels), so the standard error of a
  CAR includes the estimation error of the normal-return model;
* **aggregation** across events: the mean CAR with the cross-sectional standard error (OLS
  on a constant; the main test), the mean raw return beside it, and a secondary pooled test
  that assumes independent events; events whose estimation window contains another event of
  the same list are flagged (``contaminated``), and so are events whose event window contains
  another event (``overlaps_event_window``);
* for margin changes, **the sign** (raise or cut) from ``change_pct``, else the new vs the
  old level (converted at the futures close when CME switched from USD per contract to
  percent of notional), else the level the next change says it replaced, else the
  maintenance levels, else the notes; and a **binomial test** of whether hikes are followed
  by a fall more often than chance: the share of negative raw returns over the window after
  each hike against the unconditional share of negative windows of the same length in the
  metal's history (one-sided), for all hikes and for non-overlapping hikes only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from ..episodes import Episode, cme_margins, load_episodes
from ..panel import Loader
from ._base import (ModelResult, p_text, as_series, check_choice, check_fraction, check_positive_int, check_window, date_span,
                    ordered_index, specifications, survival_sentence)

MODELS = ("zero_mean", "constant_mean", "market")
ESTIMATION_WINDOW = (-120, -11)
EVENT_WINDOW = (-10, 20)
CAR_WINDOWS: tuple[tuple[int, int], ...] = ((-10, -1), (0, 0), (0, 4), (0, 9), (0, 19))
#: troy ounces per COMEX contract (GC = 100 oz gold, SI = 5,000 oz silver)
CONTRACT_OUNCES = {"gold": 100.0, "silver": 5000.0}
EPISODE_ASSETS = ("spx", "nasdaq", "gold", "silver", "btc")


def notes_by_asset(notes: list[tuple[str, str]]) -> list[str]:
    """``(asset, note)`` pairs as sentences, one per distinct note, naming the assets it applies
    to in words ("S&P 500 and Nasdaq: 2 of 7 events ..."), in first-seen order."""
    from ..present import short_name  # names a reader knows ("S&P 500", not "spx")

    grouped: dict[str, list[str]] = {}
    for asset, note in notes:
        grouped.setdefault(note, []).append(short_name(asset))
    out = []
    for note, names in grouped.items():
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        out.append(f"{who}: {note}")
    return out


#: how the sign of a margin change was found, in words (``sign_source`` values)
SIGN_SOURCE_WORDS = {"change_pct": "the CME's stated percent change"}


def log_returns(prices: pd.Series) -> pd.Series:
    """Daily log returns in percent on the series' own observation dates (missing prices dropped)."""
    prices = as_series("prices", prices).dropna()
    if (prices <= 0).any():
        raise ValueError("prices must be positive for log returns")
    return (100 * np.log(prices).diff()).iloc[1:].rename(prices.name)


# --- the event study ---------------------------------------------------------------------------

def _window_label(window: tuple[int, int]) -> str:
    return f"[{window[0]:+d},{window[1]:+d}]"


@dataclass
class EventStudyResult(ModelResult):
    """Aggregated CARs (``table``) plus ``events`` (one row per event and CAR window: CAR,
    SE, t, p, estimation n and sigma, contamination flag), ``abnormal`` (tidy AR and
    cumulative AR per event and event day) and ``dropped`` (events left out and why)."""

    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    abnormal: pd.DataFrame = field(default_factory=pd.DataFrame)
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)


MODEL_SPECS = {
    "zero_mean": "zero-mean model (abnormal return = raw return, no estimated drift; the estimation window gives "
                 "only the residual variance)",
    "constant_mean": "constant-mean model (abnormal return = return - mean return of the estimation window)",
    "market": "market model (abnormal return = return - a - b x market return, a and b from the estimation window)",
}


def _as_event_frame(events: object) -> pd.DataFrame:
    if isinstance(events, pd.DataFrame):
        if "date" not in events:
            raise KeyError("events needs a 'date' column (and optionally 'event' labels and grouping columns)")
        frame = events.copy()
    elif isinstance(events, (pd.Series, pd.DatetimeIndex, Sequence)):
        frame = pd.DataFrame({"date": list(events)})
    else:
        raise TypeError("events must be a DataFrame with a 'date' column or a sequence of dates")
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    if "event" not in frame:
        frame["event"] = [f"{d.date()}" for d in frame["date"]]
    if frame["event"].duplicated().any():
        raise ValueError(f"event labels must be unique; duplicated: {sorted(frame['event'][frame['event'].duplicated()].unique())}")
    return frame.reset_index(drop=True)


def event_study(returns: pd.Series, events: object, *, estimation_window: tuple[int, int] = ESTIMATION_WINDOW,
                event_window: tuple[int, int] = EVENT_WINDOW,
                car_windows: Sequence[tuple[int, int]] = CAR_WINDOWS, model: str = "constant_mean",
                market_returns: pd.Series | None = None, min_estimation_obs: int = 60,
                group_by: str | Sequence[str] | None = None, name: str = "asset") -> EventStudyResult:
    """Abnormal returns around ``events`` for one return series.

    ``returns``: daily returns in percent (e.g. :func:`log_returns`), one row per trading
    day. ``events``: dates, or a DataFrame with ``date``, optional unique ``event`` labels and
    any extra columns (carried to the per-event table; ``group_by`` names those to aggregate
    by). Windows are in trading days of ``returns`` relative to day 0 (the first trading
    day on or after the event date); the estimation window must end before the event window
    starts. ``model``: ``"zero_mean"`` (AR = r: the raw return, with the estimation window used
    only for the variance; right when events follow unusual runs, e.g. margin hikes after
    rallies, whose drift a fitted mean would wrongly carry into the event window),
    ``"constant_mean"`` (AR = r - mean of the estimation window) or ``"market"`` (AR = r - a - b m,
    with ``market_returns`` on the same dates; only dates where both are known are used).

    Events whose day 0 or windows fall outside the data, or with fewer than
    ``min_estimation_obs`` estimation returns, are dropped and listed in ``dropped``.

    ``abnormal`` (one row per event and event day): ``ar``, ``car`` (cumulated from the first
    event-window day), the raw return ``ret`` and its cumulation ``raw_cum``, the ``group_by``
    columns and the two flags. ``events`` (one row per event and CAR window) adds the flags
    ``contaminated`` (another event inside this event's estimation window: with a fitted model
    it shifts the normal return, with ``zero_mean`` only the variance) and
    ``overlaps_event_window`` (another event inside this event's event window: its CAR includes
    the other event's returns).
    """
    check_choice("model", model, MODELS)
    est = check_window("estimation_window", estimation_window)
    evw = check_window("event_window", event_window)
    if est[1] >= evw[0]:
        raise ValueError(f"estimation_window={estimation_window!r} must end before event_window={event_window!r} starts")
    windows = [check_window("car_windows item", w) for w in car_windows]
    for w in windows:
        if w[0] < evw[0] or w[1] > evw[1]:
            raise ValueError(f"car window {w!r} is not inside event_window={event_window!r}")
    check_positive_int("min_estimation_obs", min_estimation_obs, 3)
    returns = as_series("returns", returns).dropna()
    if model == "market":
        if market_returns is None:
            raise ValueError("model='market' needs market_returns (daily returns of the market index)")
        both = pd.concat({"r": returns, "m": as_series("market_returns", market_returns)}, axis=1, sort=True).dropna()
        r, m = both["r"], both["m"]
    else:
        r, m = returns, None
    frame = _as_event_frame(events)
    groups = [group_by] if isinstance(group_by, str) else list(group_by or [])
    for column in groups:
        if column not in frame:
            raise KeyError(f"group_by column {column!r} is not in events (columns: {', '.join(frame.columns)})")
    index = r.index
    values = r.to_numpy()
    day0_positions = index.searchsorted(frame["date"].to_numpy(), side="left")
    n_event_days = evw[1] - evw[0] + 1

    per_event, abnormal, dropped = [], [], []
    for i, row in frame.iterrows():
        pos0 = int(day0_positions[i])
        lo = pos0 + est[0]
        reason = None
        if pos0 >= len(index):
            reason = "no trading day on or after the event date in the data"
        elif pos0 + evw[1] >= len(index):
            reason = f"event window ends after the data ({index[-1].date()})"
        elif pos0 + evw[0] < 0 or lo < 0:
            reason = "estimation window starts before the data"
        if reason is None and (est[1] - est[0] + 1) < min_estimation_obs:
            reason = f"estimation window shorter than min_estimation_obs={min_estimation_obs}"
        if reason:
            dropped.append({"event": row["event"], "date": row["date"].date(), "reason": reason})
            continue
        est_rows = np.arange(pos0 + est[0], pos0 + est[1] + 1)
        ev_rows = np.arange(pos0 + evw[0], pos0 + evw[1] + 1)
        rows = np.concatenate([est_rows, ev_rows])
        y = values[rows]
        columns = [] if model == "zero_mean" else [np.ones(len(rows))]
        if m is not None:
            columns.append(m.to_numpy()[rows])
        k_base = len(columns)
        dummies = np.zeros((len(rows), n_event_days))
        dummies[len(est_rows) + np.arange(n_event_days), np.arange(n_event_days)] = 1.0
        design = np.column_stack(columns + [dummies])
        fit = sm.OLS(y, design).fit()
        ar = fit.params[k_base:]
        days = np.arange(evw[0], evw[1] + 1)
        others = frame["date"].drop(index=i)
        contaminated = bool(((others >= index[est_rows[0]]) & (others <= index[est_rows[-1]])).any())
        overlaps = bool(((others >= index[ev_rows[0]]) & (others <= index[ev_rows[-1]])).any())
        abnormal.append(pd.DataFrame({"event": row["event"], **{c: row[c] for c in groups}, "day": days,
                                      "date": index[ev_rows], "ar": ar, "car": np.cumsum(ar),
                                      "ret": values[ev_rows], "raw_cum": np.cumsum(values[ev_rows]),
                                      "contaminated": contaminated, "overlaps_event_window": overlaps}))
        base = {c: row[c] for c in frame.columns if c not in ("date",)}
        for w in windows:
            contrast = np.zeros(design.shape[1])
            contrast[k_base + (w[0] - evw[0]): k_base + (w[1] - evw[0]) + 1] = 1.0
            test = fit.t_test(contrast)
            car = float(np.squeeze(test.effect))
            se = float(np.squeeze(test.sd))
            per_event.append({**base, "date": row["date"].date(), "day0": index[pos0].date(),
                              "window": _window_label(w), "car": car, "se": se, "t": car / se,
                              "p_value": float(np.squeeze(test.pvalue)), "raw_return": float(values[pos0 + w[0]: pos0 + w[1] + 1].sum()),
                              "n_est": len(est_rows), "sigma_est": float(np.sqrt(fit.scale)),
                              "beta_market": float(fit.params[k_base - 1]) if m is not None else np.nan,
                              "contaminated": contaminated, "overlaps_event_window": overlaps})
    events_table = pd.DataFrame(per_event)
    dropped_table = pd.DataFrame(dropped, columns=["event", "date", "reason"])
    if events_table.empty:
        raise ValueError(f"no event could be studied: {dropped_table.to_dict('records')}")
    table = aggregate_cars(events_table, groups)
    spec = (f"{MODEL_SPECS[model]} of daily {name} returns (percent log returns), estimation window trading days "
            f"{_window_label(est)} relative to day 0 (first trading day on or after the event date); AR by OLS with "
            f"one dummy per event day {_window_label(evw)}; CAR windows {', '.join(_window_label(w) for w in windows)}; "
            "CAR SEs from the dummy regression (include estimation error); aggregate: mean CAR with a cross-sectional "
            "SE (main test) and, secondary, a pooled test that assumes independent events")
    n_events = events_table["event"].nunique()
    sample = (f"{n_events} events, {date_span(pd.DatetimeIndex(sorted(pd.to_datetime(events_table['day0'].unique()))))}"
              f"; returns {date_span(index)}; {len(dropped_table)} events dropped"
              + (f" ({'; '.join(f'{d.event}: {d.reason}' for d in dropped_table.itertuples())})" if len(dropped_table) else ""))
    first_rows = events_table.drop_duplicates("event")
    n_cont = int(first_rows["contaminated"].sum())
    n_overlap = int(first_rows["overlaps_event_window"].sum())
    notes = []
    if n_cont:
        effect = ("this affects only the estimated variance (CAR standard errors), not the CARs"
                  if model == "zero_mean" else "the other event's returns shift the fitted normal return")
        notes.append(f"{n_cont} of {n_events} events have another event inside their estimation window "
                     f"(marked in the events table); with the {model.replace('_', '-')} model {effect}")
    if n_overlap:
        notes.append(f"{n_overlap} of {n_events} events have another event inside their event window "
                     f"{_window_label(evw)} (marked in the events table): their CARs include the other event's days")
    return EventStudyResult(name=f"Event study: {name}", table=table, sample=sample, spec=spec, n=n_events,
                            start=pd.Timestamp(events_table["day0"].min()), end=pd.Timestamp(events_table["day0"].max()),
                            notes=notes, events=events_table, abnormal=pd.concat(abnormal, ignore_index=True),
                            dropped=dropped_table)


def aggregate_cars(per_event: pd.DataFrame, group_by: Sequence[str] = ()) -> pd.DataFrame:
    """Mean CAR per group and window with its standard errors.

    ``per_event``: the ``events`` table of :func:`event_study` (columns window, car, se, and
    optionally raw_return, contaminated, overlaps_event_window). Columns of the result, main
    ones first: n (events), n_contaminated and n_overlapping (events flagged, see
    :func:`event_study`), mean_car, se_cs (cross-sectional standard error, OLS of the CARs on
    a constant), t_cs, p_cs (t with n-1 df), mean_raw_return (the raw log return over the same
    window, percent), share_negative (of CARs); then the secondary pooled test, which assumes
    independent events (false for clustered events): se_pooled (sqrt(sum of the events' CAR
    variances)/n), t_pooled, p_pooled (normal).
    """
    keys = list(group_by) + ["window"]
    rows = []
    for key, part in per_event.groupby(keys, sort=False, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        cars = part["car"].to_numpy(dtype=float)
        n = len(cars)
        mean = float(cars.mean())
        if n >= 2:
            fit = sm.OLS(cars, np.ones(n)).fit()
            se_cs, t_cs, p_cs = float(fit.bse[0]), float(fit.tvalues[0]), float(fit.pvalues[0])
        else:
            se_cs = t_cs = p_cs = np.nan
        se_pooled = float(np.sqrt((part["se"] ** 2).sum()) / n)
        t_pooled = mean / se_pooled
        flag = lambda column: int(part[column].astype(bool).sum()) if column in part else 0  # noqa: E731
        rows.append({**dict(zip(keys, key)), "n": n, "n_contaminated": flag("contaminated"),
                     "n_overlapping": flag("overlaps_event_window"), "mean_car": mean, "se_cs": se_cs,
                     "t_cs": t_cs, "p_cs": p_cs,
                     "mean_raw_return": float(part["raw_return"].mean()) if "raw_return" in part else np.nan,
                     "share_negative": float((cars < 0).mean()),
                     "se_pooled": se_pooled, "t_pooled": t_pooled, "p_pooled": float(2 * stats.norm.sf(abs(t_pooled)))})
    return ordered_index(pd.DataFrame(rows), keys)


# --- CME margin changes ------------------------------------------------------------------------

_RAISE = re.compile(r"\b(raise|raised|hike|hiked|increase|increased)\b", re.I)
_CUT = re.compile(r"\b(cut|lowered|reduced|reduction|decrease|decreased)\b", re.I)


def margin_changes(table: pd.DataFrame, prices: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """One row per CME margin change with its sign (+1 raise, -1 cut, NaN unknown).

    ``table``: :func:`plumbing.episodes.cme_margins` (effective_date, metal, unit,
    old/new initial and maintenance levels, change_pct, notes). The sign comes from, in
    order: ``change_pct``; new vs old initial level in the same unit; for the January 2026
    switch from USD per contract to percent of notional, the new level converted to USD at
    the last futures close on or before the effective date (``prices[metal]``, USD per troy
    ounce; 100 oz per gold and 5,000 oz per silver contract; without prices the sign is
    unknown); the old level stated by the next change of the same metal (when the new level
    is blank); new vs old maintenance level; the words of ``notes`` ("raise", "cut", ...).
    ``sign_source`` says which rule applied; ``change_pct`` is filled in where a rule gives
    it (percent change of the initial margin), else left missing.
    """
    needed = {"effective_date", "metal", "unit", "old_initial", "new_initial", "old_maintenance", "new_maintenance",
              "change_pct", "notes"}
    missing = needed - set(table.columns)
    if missing:
        raise KeyError(f"the margin table lacks column(s) {', '.join(sorted(missing))}; pass plumbing.episodes.cme_margins()")
    rows = []
    ordered = table.sort_values(["metal", "effective_date"], kind="stable").reset_index(drop=True)
    for i, row in ordered.iterrows():
        sign, source, change = np.nan, "unknown", row["change_pct"]
        unit = str(row["unit"])
        nxt = ordered.iloc[i + 1] if i + 1 < len(ordered) and ordered.loc[i + 1, "metal"] == row["metal"] else None
        if pd.notna(row["change_pct"]) and row["change_pct"] != 0:
            sign, source = np.sign(row["change_pct"]), "change_pct"
        elif "->" not in unit and pd.notna(row["new_initial"]) and pd.notna(row["old_initial"]):
            change = (row["new_initial"] / row["old_initial"] - 1) * 100
            sign, source = np.sign(change), "new vs old initial"
        elif "->" in unit and pd.notna(row["new_initial"]) and pd.notna(row["old_initial"]):
            series = (prices or {}).get(row["metal"])
            if series is not None:
                before = series.dropna().loc[:row["effective_date"]]
                if len(before):
                    new_usd = row["new_initial"] / 100 * float(before.iloc[-1]) * CONTRACT_OUNCES[row["metal"]]
                    change = (new_usd / row["old_initial"] - 1) * 100
                    sign = np.sign(change)
                    source = (f"unit switch: {row['new_initial']:g}% of notional = USD {new_usd:,.0f} at the "
                              f"{before.index[-1].date()} close vs USD {row['old_initial']:,.0f}")
        elif (pd.isna(row["new_initial"]) and pd.notna(row["old_initial"]) and nxt is not None
              and pd.notna(nxt["old_initial"]) and "->" not in str(nxt["unit"])):
            change = (nxt["old_initial"] / row["old_initial"] - 1) * 100
            sign, source = np.sign(change), f"next change ({nxt['effective_date'].date()}) states the level it replaced"
        if source == "unknown" and pd.notna(row["new_maintenance"]) and pd.notna(row["old_maintenance"]) and "->" not in unit:
            change = (row["new_maintenance"] / row["old_maintenance"] - 1) * 100
            sign, source = np.sign(change), "new vs old maintenance"
        if source == "unknown" and isinstance(row["notes"], str):
            if _RAISE.search(row["notes"]) and not _CUT.search(row["notes"]):
                sign, source, change = 1.0, "notes", np.nan
            elif _CUT.search(row["notes"]) and not _RAISE.search(row["notes"]):
                sign, source, change = -1.0, "notes", np.nan
        direction = {1.0: "raise", -1.0: "cut"}.get(float(sign) if pd.notna(sign) else np.nan, "unknown")
        rows.append({"date": row["effective_date"].normalize(), "metal": row["metal"], "direction": direction,
                     "sign": sign, "change_pct": change, "sign_source": source,
                     "event": f"{row['metal']} {row['effective_date'].date()}"})
    out = pd.DataFrame(rows)
    if out["event"].duplicated().any():  # two changes of one metal on one date: keep them apart
        out["event"] = out["event"] + out.groupby("event").cumcount().map(lambda k: "" if k == 0 else f" #{k + 1}")
    return out.sort_values(["date", "metal"], kind="stable").reset_index(drop=True)


def _poisson_binomial_sf(k: int, probabilities: np.ndarray) -> float:
    """P(K >= k) for K a sum of independent Bernoulli(p_i) (exact, by convolution)."""
    pmf = np.array([1.0])
    for p in probabilities:
        pmf = np.convolve(pmf, [1 - p, p])
    return float(pmf[k:].sum())


@dataclass
class BinomialResult(ModelResult):
    """The binomial test table plus ``per_event`` (each event's window return and flags)."""

    per_event: pd.DataFrame = field(default_factory=pd.DataFrame)


def margin_hike_binomial(returns: dict[str, pd.Series], changes: pd.DataFrame, window: tuple[int, int] = (0, 9),
                         direction: str = "raise", baseline_start: object = None,
                         baseline_end: object = None) -> BinomialResult:
    """Do margin hikes precede a fall more often than chance?

    For each change of ``direction`` (default ``"raise"``) of each metal in ``returns``
    (daily percent log returns, keyed by metal), the raw return summed over trading days
    ``window`` relative to day 0 (default [0, +9]: ten trading days from the effective date).
    The baseline is the share of negative sums over *every* run of the same number of
    consecutive trading days in the metal's returns between ``baseline_start`` and
    ``baseline_end`` (default: the whole history). Per metal: a one-sided exact binomial
    test (scipy ``binomtest``, alternative "greater") of the number of negative windows
    against that share; pooled across metals: the exact Poisson-binomial tail with each
    event's own metal baseline. Rows for all events and for non-overlapping events only (of
    each metal, an event is kept if its window starts after the previous kept window ends),
    since overlapping windows are not independent. Table columns: n, k_negative,
    share_negative, se (binomial), ci_low/ci_high (two-sided Clopper-Pearson 95%, per metal),
    baseline_share, p_value.
    """
    check_choice("direction", direction, ("raise", "cut"))
    w = check_window("window", window)
    length = w[1] - w[0] + 1
    rows = []
    per_event = []
    for metal, series in returns.items():
        r = as_series(f"returns[{metal!r}]", series).dropna()
        base = r.loc[pd.Timestamp(baseline_start) if baseline_start is not None else None:
                     pd.Timestamp(baseline_end) if baseline_end is not None else None]
        sums = base.rolling(length).sum().dropna()
        if sums.empty:
            raise ValueError(f"{metal}: no baseline window of {length} trading days")
        p0 = float((sums < 0).mean())
        chosen = changes[(changes["metal"] == metal) & (changes["direction"] == direction)].sort_values("date")
        last_end = -1
        for _, ev in chosen.iterrows():
            pos0 = int(r.index.searchsorted(ev["date"], side="left"))
            a, b = pos0 + w[0], pos0 + w[1]
            if a < 0 or b >= len(r):
                per_event.append({"event": ev["event"], "metal": metal, "date": ev["date"].date(), "window_return": np.nan,
                                  "negative": np.nan, "overlaps_previous": np.nan, "baseline_share": p0,
                                  "note": "window outside the data"})
                continue
            total = float(r.iloc[a:b + 1].sum())
            overlaps = a <= last_end
            if not overlaps:
                last_end = b
            per_event.append({"event": ev["event"], "metal": metal, "date": ev["date"].date(), "window_return": total,
                              "negative": total < 0, "overlaps_previous": overlaps, "baseline_share": p0, "note": ""})
    events = pd.DataFrame(per_event)
    usable = events.dropna(subset=["window_return"]) if len(events) else events
    for label, subset in (("all", usable), ("non_overlapping", usable[~usable["overlaps_previous"].astype(bool)] if len(usable) else usable)):
        for metal in list(returns) + ["pooled"]:
            part = subset if metal == "pooled" else subset[subset["metal"] == metal]
            n = len(part)
            if n == 0:
                continue
            k = int(part["negative"].astype(bool).sum())
            share = k / n
            if metal == "pooled":
                p0 = float(part["baseline_share"].mean())
                pvalue = _poisson_binomial_sf(k, part["baseline_share"].to_numpy(dtype=float))
                ci = (np.nan, np.nan)
                test_name = "Poisson-binomial (each event at its metal's baseline)"
            else:
                p0 = float(part["baseline_share"].iloc[0])
                test = stats.binomtest(k, n, p0, alternative="greater")
                pvalue = float(test.pvalue)
                interval = stats.binomtest(k, n, p0).proportion_ci(confidence_level=0.95, method="exact")
                ci = (float(interval.low), float(interval.high))
                test_name = "binomial"
            rows.append({"events": label, "metal": metal, "n": n, "k_negative": k, "share_negative": share,
                         "se": float(np.sqrt(share * (1 - share) / n)), "ci_low": ci[0], "ci_high": ci[1],
                         "baseline_share": p0, "p_value": pvalue, "test": test_name})
    if not rows:
        raise ValueError(f"no {direction} event has a complete window {window!r} in the data")
    table = ordered_index(pd.DataFrame(rows), ["events", "metal"])
    dropped = events[events["window_return"].isna()] if len(events) else events
    return BinomialResult(
        name=f"Margin {direction}s followed by a fall: binomial test", table=table,
        sample=(f"{len(usable)} {direction} events with a complete window "
                f"({', '.join(f'{count} {metal}' for metal, count in usable['metal'].value_counts().items())}), "
                f"{date_span(pd.DatetimeIndex(sorted(pd.to_datetime(usable['date']))))}; {len(dropped)} left out "
                f"(window outside the data); baselines over {baseline_start or 'the first'}..{baseline_end or 'the last'} return"),
        spec=(f"negative = raw log return summed over trading days {_window_label(w)} from day 0 (first trading day on "
              f"or after the effective date) < 0; H0: P(negative) = share of negative {length}-day sums in the metal's "
              "history; one-sided (greater)"),
        n=len(usable), notes=["baseline windows overlap each other (every start date), which is fine for a share but "
                              "means the baseline is an average, not independent draws"],
        per_event=events)


# --- margin hikes by calendar cluster, against a matched-state baseline --------------------------------

#: Webb (2014) six-point weights for wild bootstraps with few clusters
WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
BASELINES = ("matched", "all_days", "zero")
CLUSTER_WINDOWS: tuple[tuple[int, int], ...] = ((0, 4), (0, 9), (0, 19))


def calendar_clusters(dates: Sequence[object], trading_days: pd.DatetimeIndex, gap: int = 10) -> pd.Series:
    """Cluster event dates in calendar time: an event within ``gap`` trading days of the previous
    one (in date order) joins its cluster; ``gap=0`` merges same-date events only.

    Returns, in the order of ``dates``, labels ``"first..last"`` (the cluster's first and last
    event dates). Trading days are counted on ``trading_days`` (positions of the first trading
    day on or after each date).
    """
    check_positive_int("gap", gap, 0)
    when = pd.to_datetime(pd.Series(list(dates))).dt.normalize()
    pos = pd.Series(trading_days.searchsorted(when.to_numpy(), side="left"), index=when.index)
    order = pos.sort_values(kind="stable").index
    cluster, ids, last = -1, {}, None
    for i in order:
        if last is None or pos[i] - last > gap:
            cluster += 1
        ids[i] = cluster
        last = pos[i]
    ids = pd.Series(ids).reindex(when.index)
    spans = when.groupby(ids).agg(["min", "max"])
    return ids.map(lambda c: f"{spans.loc[c, 'min'].date()}..{spans.loc[c, 'max'].date()}").rename("cluster")


def wild_cluster_bootstrap_mean(values: np.ndarray, clusters: Sequence[object], reps: int = 9999,
                                weights: str = "webb", seed: int = 0,
                                offsets: np.ndarray | None = None) -> dict[str, float]:
    """Test that the mean of ``values`` is zero when observations are correlated within ``clusters``.

    The t statistic uses the cluster-robust (CR1) standard error; its p-value comes from the
    restricted wild-cluster bootstrap (Cameron, Gelbach and Miller 2008): under H0 the residuals
    are the values themselves, each cluster's are multiplied by one draw of ``weights``
    (``"webb"``: Webb's six-point distribution, suited to few clusters; ``"rademacher"``: +/-1),
    and the bootstrap t statistics are compared with the observed one (two-sided).

    ``offsets`` (``reps`` x n, optional): bootstrap draws of an estimation error common to the
    values, e.g. of a baseline subtracted from every event (mean zero across draws). Each
    replication then adds its row to the wild-cluster draw, so the baseline is redrawn inside
    every replication, and the variance of the offsets' mean (``var_offset``) is added to the
    squared CR1 standard error of the observed and the bootstrap t alike (``se`` is that total).
    """
    check_choice("weights", weights, ("webb", "rademacher"))
    y = np.asarray(values, dtype=float)
    codes, uniques = pd.factorize(pd.Series(list(clusters)))
    g = len(uniques)
    n = len(y)
    if g < 2:
        raise ValueError("the wild-cluster bootstrap needs at least two clusters")

    onehot = np.eye(g)[codes]  # n x g
    if offsets is not None:
        offsets = np.asarray(offsets, dtype=float)
        if offsets.shape != (reps, n):
            raise ValueError(f"offsets has shape {offsets.shape}; it needs (reps, n) = ({reps}, {n})")
        var_offset = float(np.var(offsets.mean(axis=1), ddof=1)) if reps > 1 else 0.0
    else:
        var_offset = 0.0

    def t_stats(samples: np.ndarray) -> np.ndarray:  # reps x n
        means = samples.mean(axis=1, keepdims=True)
        sums = (samples - means) @ onehot
        se = np.sqrt(g / (g - 1) * (sums ** 2).sum(axis=1) / n ** 2 + var_offset)
        return means[:, 0] / se

    t_obs = float(t_stats(y[None, :])[0])
    rng = np.random.default_rng(seed)
    draws = (rng.choice(WEBB_WEIGHTS, size=(reps, g)) if weights == "webb"
             else rng.choice(np.array([-1.0, 1.0]), size=(reps, g)))
    samples = draws[:, codes] * y[None, :]
    if offsets is not None:
        samples = samples + offsets
    t_boot = t_stats(samples)
    sums = (y - y.mean()) @ onehot
    se_cr1 = float(np.sqrt(g / (g - 1) * (sums ** 2).sum()) / n)
    return {"mean": float(y.mean()), "se_cr1": se_cr1, "var_offset": var_offset,
            "se": float(np.sqrt(se_cr1 ** 2 + var_offset)), "t": t_obs,
            "p_boot": float((1 + (np.abs(t_boot) >= abs(t_obs)).sum()) / (1 + reps)), "n": n, "clusters": g,
            "p_iid": float(2 * stats.t.sf(abs(y.mean() / (y.std(ddof=1) / np.sqrt(n))), n - 1)) if n > 1 else np.nan}


def runup_state(returns: pd.Series, runup_days: int = 20) -> pd.Series:
    """The run-up before each day: the sum of the ``runup_days`` daily log returns before it (percent)."""
    r = as_series("returns", returns).dropna()
    return r.rolling(runup_days).sum().shift(1).rename("runup")


@dataclass
class ClusteredHikeResult(ModelResult):
    """Margin hikes by calendar cluster against a baseline (``table``: one row per window), plus
    ``per_event`` (each raise: cluster, run-up and its percentile, raw window returns, baseline,
    abnormal return), ``clusters`` (each cluster's mean abnormal return per window) and
    ``baseline`` (per metal and window: the baseline mean return and its number of days)."""

    per_event: pd.DataFrame = field(default_factory=pd.DataFrame)
    clusters: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline: pd.DataFrame = field(default_factory=pd.DataFrame)


def margin_hikes_by_cluster(returns: dict[str, pd.Series], changes: pd.DataFrame, *,
                            windows: Sequence[tuple[int, int]] = CLUSTER_WINDOWS, direction: str = "raise",
                            cluster_gap: int = 10, runup_days: int = 20, top_share: float = 0.10,
                            baseline: str = "matched", exclusion: tuple[int, int] = (-20, 20),
                            reps: int = 9999, weights: str = "webb", seed: int = 0,
                            exclude_clusters_from: object = None, baseline_block: int = 60) -> ClusteredHikeResult:
    """Do margin hikes precede falls, once clustering and the run-up before them are accounted for?

    Each raise of each metal in ``returns`` (daily percent log returns) has a raw return over
    each of ``windows`` (trading days from day 0, the first trading day on or after the
    effective date) and a run-up, the return over the ``runup_days`` (20) trading days before
    day 0. Raises are grouped in calendar clusters (:func:`calendar_clusters`, ``cluster_gap``
    trading days; gold and silver raised on the same date are one cluster).

    The abnormal return is the raw return minus a baseline for the same metal and window:
    ``"matched"`` (default), the mean return over that window after every day whose run-up is
    in the metal's top ``top_share`` (10%) of run-ups, the state in which CME raises margins;
    ``"all_days"``, after every day; ``"zero"``, none (raw returns). Baseline days within
    ``exclusion`` trading days of any margin change of the metal are left out.

    Per window: the mean abnormal return over raises with a cluster-robust t and the restricted
    wild-cluster bootstrap p-value (``reps``, ``weights``; :func:`wild_cluster_bootstrap_mean`),
    Holm-adjusted across the windows (``p_holm``); the mean over cluster means; the naive
    i.i.d. p-value for comparison. ``exclude_clusters_from`` drops raises on or after a date.

    The baseline is an estimate, not a known mean: inside each bootstrap replication it is
    redrawn by a moving-block bootstrap of the metal's trading days (blocks of
    ``baseline_block`` (60) trading days, at least twice the window plus the run-up; the same
    block positions for every metal, so gold and silver keep their co-movement), and the
    redrawn baseline's deviation is subtracted from each raise of that metal. Its variance is
    added to the CR1 variance (``se_baseline``; ``se`` is the total the t statistic uses).
    """
    from .inference import adjust_pvalues

    check_choice("baseline", baseline, BASELINES)
    check_choice("direction", direction, ("raise", "cut"))
    check_positive_int("runup_days", runup_days, 1)
    check_positive_int("baseline_block", baseline_block, 1)
    check_fraction("top_share", top_share)
    spans = [check_window("windows item", w, allow_negative=False) for w in windows]
    chosen = changes[(changes["direction"] == direction) & changes["metal"].isin(list(returns))].copy()
    if exclude_clusters_from is not None:
        chosen = chosen[chosen["date"] < pd.Timestamp(exclude_clusters_from)]
    if chosen.empty:
        raise ValueError(f"no {direction} of {', '.join(returns)} to study")
    series = {m: as_series(f"returns[{m!r}]", r).dropna() for m, r in returns.items()}
    calendar = series[next(iter(series))].index
    chosen["cluster"] = calendar_clusters(chosen["date"], calendar, cluster_gap).to_numpy()
    rows, base_rows = [], []
    # block positions shared by every metal and window: reps x blocks uniforms, scaled per metal
    base_rng = np.random.default_rng(seed + 7919)
    base_draws: dict[tuple[str, str], np.ndarray] = {}
    for metal, r in series.items():
        runup = runup_state(r, runup_days)
        threshold = float(runup.quantile(1 - top_share))
        values = r.to_numpy()
        csum = np.concatenate([[0.0], np.cumsum(values)])
        n_days = len(r)
        near = np.zeros(n_days, dtype=bool)
        for date in changes.loc[changes["metal"] == metal, "date"]:
            p0 = int(r.index.searchsorted(pd.Timestamp(date), side="left"))
            near[max(0, p0 + exclusion[0]):max(0, min(n_days, p0 + exclusion[1] + 1))] = True
        for w in spans:
            starts = np.arange(n_days)
            ok = starts + w[1] < n_days
            window_sum = np.full(n_days, np.nan)
            window_sum[ok] = csum[starts[ok] + w[1] + 1] - csum[starts[ok] + w[0]]
            state = runup.to_numpy() >= threshold if baseline == "matched" else np.ones(n_days, dtype=bool)
            use = ok & state & ~near & np.isfinite(runup.to_numpy())
            base_mean = float(np.nanmean(window_sum[use])) if baseline != "zero" else 0.0
            se_base = 0.0
            if baseline != "zero":
                # moving-block bootstrap of the baseline mean: block totals and counts of the used days
                length = max(baseline_block, 2 * (w[1] + 1) + runup_days)
                length = min(length, n_days)
                used_sum = np.concatenate([[0.0], np.cumsum(np.where(use, np.nan_to_num(window_sum), 0.0))])
                used_cnt = np.concatenate([[0], np.cumsum(use.astype(int))])
                n_starts = n_days - length + 1
                n_blocks = int(np.ceil(n_days / length))
                if (metal_key := ("u", str(length))) not in base_draws:
                    base_draws[metal_key] = base_rng.random((reps, n_blocks))
                starts = np.minimum((base_draws[metal_key] * n_starts).astype(int), n_starts - 1)
                totals = (used_sum[starts + length] - used_sum[starts]).sum(axis=1)
                counts = (used_cnt[starts + length] - used_cnt[starts]).sum(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    redrawn = totals / counts
                redrawn = np.where(np.isfinite(redrawn), redrawn, base_mean)
                deviation = redrawn - redrawn.mean()
                base_draws[(metal, _window_label(w))] = deviation
                se_base = float(deviation.std(ddof=1)) if reps > 1 else 0.0
            base_rows.append({"metal": metal, "window": _window_label(w), "baseline": baseline,
                              "baseline_mean": base_mean, "se_baseline_mean": se_base,
                              "days": int(use.sum()) if baseline != "zero" else 0,
                              "runup_threshold": threshold})
            for _, ev in chosen[chosen["metal"] == metal].iterrows():
                p0 = int(r.index.searchsorted(ev["date"], side="left"))
                raw = window_sum[p0] if p0 < n_days else np.nan
                rows.append({"event": ev["event"], "metal": metal, "date": ev["date"].date(), "cluster": ev["cluster"],
                             "window": _window_label(w), "runup": float(runup.iloc[p0]) if p0 < n_days else np.nan,
                             "runup_percentile": float((runup.dropna() < runup.iloc[p0]).mean()) if p0 < n_days else np.nan,
                             "raw_return": raw, "baseline_mean": base_mean, "abnormal": raw - base_mean})
    per_event = pd.DataFrame(rows)
    base_table = pd.DataFrame(base_rows)
    table_rows, cluster_rows = [], []
    for k, w in enumerate(spans):
        label = _window_label(w)
        part = per_event[(per_event["window"] == label)].dropna(subset=["abnormal"])
        offsets = None
        if baseline != "zero":  # minus each raise's redrawn baseline deviation (its metal, this window)
            offsets = -np.column_stack([base_draws[(metal, label)] for metal in part["metal"]])
        test = wild_cluster_bootstrap_mean(part["abnormal"].to_numpy(), part["cluster"], reps=reps, weights=weights,
                                           seed=seed + k, offsets=offsets)
        by_cluster = part.groupby("cluster", sort=False)["abnormal"].mean()
        for cluster, value in by_cluster.items():
            cluster_rows.append({"cluster": cluster, "window": label, "mean_abnormal": value,
                                 "raises": int((part["cluster"] == cluster).sum())})
        table_rows.append({"window": label, "events": test["n"], "clusters": test["clusters"],
                           "mean_raw_return": float(part["raw_return"].mean()),
                           "mean_baseline": float(part["baseline_mean"].mean()), "mean_abnormal": test["mean"],
                           "mean_of_cluster_means": float(by_cluster.mean()), "se_cr1": test["se_cr1"],
                           "se_baseline": float(np.sqrt(test["var_offset"])), "se": test["se"], "t": test["t"],
                           "p_boot": test["p_boot"], "p_iid": test["p_iid"],
                           "share_top_runup": float((part["runup_percentile"] >= 1 - top_share).mean())})
    table = pd.DataFrame(table_rows).set_index("window")
    table.insert(table.columns.get_loc("p_boot") + 1, "p_holm", adjust_pvalues(table["p_boot"], "holm"))
    events = per_event.drop_duplicates("event")
    baseline_words = {"matched": f"the metal's mean return over the same window after days whose {runup_days}-day run-up "
                                 f"is in its top {top_share:.0%} (the state CME raises margins in)",
                      "all_days": "the metal's mean return over the same window after every day",
                      "zero": "none (raw returns)"}[baseline]
    spec = (f"abnormal return = raw log return over the window from day 0 (first trading day on or after the effective "
            f"date) minus a baseline: {baseline_words}; baseline days within {exclusion[0]}..{exclusion[1]} trading days "
            f"of a margin change left out; {direction}s grouped in calendar clusters (within {cluster_gap} trading days "
            f"of the previous one; same-date gold and silver {direction}s are one cluster); mean abnormal return with a "
            f"cluster-robust (CR1) t, the baseline's own sampling variance added"
            f"{'' if baseline == 'zero' else f' (baseline redrawn by blocks of >= {baseline_block} trading days in each replication)'}; "
            f"restricted wild-cluster bootstrap ({weights} weights, {reps} reps) p-value; Holm "
            f"across the {len(spans)} windows")
    sample = (f"{len(events)} {direction}s ({', '.join(f'{c} {m}' for m, c in events['metal'].value_counts().items())}) in "
              f"{events['cluster'].nunique()} calendar clusters, {events['date'].min()}..{events['date'].max()}")
    return ClusteredHikeResult(
        name=f"Margin {direction}s by calendar cluster, against a {baseline.replace('_', ' ')} baseline", table=table,
        sample=sample, spec=spec, n=len(events), start=pd.Timestamp(events["date"].min()),
        end=pd.Timestamp(events["date"].max()),
        notes=[f"{table['share_top_runup'].iloc[0]:.0%} of the {direction}s came after a run-up in the top "
               f"{top_share:.0%} of the metal's {runup_days}-day run-ups",
               ("the baseline mean is an estimate: it is redrawn in every bootstrap replication (moving blocks of "
                f"at least {baseline_block} trading days) and its variance is added to the CR1 variance (se_baseline "
                f"{table['se_baseline'].iloc[0]:.2f} vs se_cr1 {table['se_cr1'].iloc[0]:.2f} in the first window)"
                if baseline != "zero" else "raw returns: no baseline to estimate")],
        per_event=per_event, clusters=pd.DataFrame(cluster_rows), baseline=base_table)


#: the headline test of margin hikes: the defaults of margin_hikes_by_cluster, stated once here
HIKE_HEADLINE: dict[str, object] = {"cluster_gap": 10, "runup_days": 20, "top_share": 0.10, "baseline": "matched",
                                    "weights": "webb", "metals": ("gold", "silver"), "exclude_clusters_from": None}
#: named alternatives to the headline test: name -> (label, what changes)
HIKE_ROBUSTNESS_MENU: dict[str, tuple[str, dict[str, object]]] = {
    "raw_returns": ("raw returns (no baseline)", {"baseline": "zero"}),
    "all_days": ("baseline after every day (not matched on the run-up)", {"baseline": "all_days"}),
    "same_date_only": ("clusters: same date only", {"cluster_gap": 0}),
    "gap_20": ("clusters: within 20 trading days", {"cluster_gap": 20}),
    "runup_60": ("run-up over 60 trading days", {"runup_days": 60}),
    "top_quintile": ("matched on the top 20% of run-ups", {"top_share": 0.20}),
    "gold_only": ("gold raises only", {"metals": ("gold",)}),
    "silver_only": ("silver raises only", {"metals": ("silver",)}),
    "rademacher": ("Rademacher bootstrap weights", {"weights": "rademacher"}),
    "before_2025": ("before the 2025-26 cluster", {"exclude_clusters_from": "2025-01-01"}),
}


def hike_robustness(returns: dict[str, pd.Series], changes: pd.DataFrame, alternatives: Sequence[str | dict] = (),
                    base: dict | None = None, window: tuple[int, int] = (0, 9), reps: int = 9999,
                    seed: int = 0) -> pd.DataFrame:
    """The headline clustered test (``base``, :data:`HIKE_HEADLINE`) and each alternative at ``window``."""
    rows = []
    for label, spec in specifications(alternatives, HIKE_ROBUSTNESS_MENU, {**HIKE_HEADLINE, **(base or {})},
                                      HIKE_HEADLINE):
        metals = tuple(spec.pop("metals"))
        result = margin_hikes_by_cluster({m: returns[m] for m in metals}, changes, windows=[window], reps=reps,
                                         seed=seed, **spec)
        row = result.table.iloc[0]
        rows.append({"specification": label, "window": _window_label(window), "events": int(row["events"]),
                     "clusters": int(row["clusters"]), "mean_raw_return": row["mean_raw_return"],
                     "mean_baseline": row["mean_baseline"], "mean_abnormal": row["mean_abnormal"],
                     "mean_of_cluster_means": row["mean_of_cluster_means"], "p_boot": row["p_boot"],
                     "p_iid": row["p_iid"], "sample": result.sample})
    return pd.DataFrame(rows).set_index("specification")


def hike_what_survives(table: pd.DataFrame, alpha: float = 0.05) -> list[str]:
    """Sentences, computed from :func:`hike_robustness`, on which conclusions hold."""
    head, alts = table.iloc[0], table.iloc[1:]
    return [
        survival_sentence(f"Hikes are followed by a fall relative to the baseline (mean abnormal return < 0, wild-cluster "
                          f"bootstrap p < {alpha:g}; headline {head['mean_abnormal']:+.2f}%, p = {p_text(head['p_boot'])})",
                          bool(head["mean_abnormal"] < 0 and head["p_boot"] < alpha),
                          (alts["mean_abnormal"] < 0) & (alts["p_boot"] < alpha)),
        survival_sentence("The mean abnormal return after hikes is negative (sign only)", bool(head["mean_abnormal"] < 0),
                          alts["mean_abnormal"] < 0),
        survival_sentence(f"Treating hikes as independent would find a significant effect (i.i.d. p < {alpha:g})",
                          bool(head["p_iid"] < alpha), alts["p_iid"] < alpha),
    ]


# --- convenience on the real data ----------------------------------------------------------------

@dataclass
class MarginEventStudyResult(EventStudyResult):
    """CARs around CME margin changes by metal and direction (``table``), with the per-event
    and abnormal-return frames, ``changes`` (each change with its sign and where it came
    from) and ``binomial`` (the hikes-precede-falls test, a :class:`ModelResult`)."""

    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    binomial: BinomialResult | None = None
    binomial_events: pd.DataFrame = field(default_factory=pd.DataFrame)
    clustered: ClusteredHikeResult | None = None
    robustness: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_margin_event_study(loader: Loader | None = None, *, metals: tuple[str, ...] = ("gold", "silver"),
                           model: str = "zero_mean", market: str = "spx",
                           estimation_window: tuple[int, int] = ESTIMATION_WINDOW,
                           event_window: tuple[int, int] = EVENT_WINDOW,
                           car_windows: Sequence[tuple[int, int]] = CAR_WINDOWS, min_estimation_obs: int = 60,
                           binomial_window: tuple[int, int] = (0, 9), margins: pd.DataFrame | None = None,
                           cluster_gap: int = HIKE_HEADLINE["cluster_gap"], runup_days: int = HIKE_HEADLINE["runup_days"],
                           top_share: float = HIKE_HEADLINE["top_share"], cluster_windows: Sequence[tuple[int, int]] = CLUSTER_WINDOWS,
                           headline_window: tuple[int, int] = (0, 9), robustness: Sequence[str | dict] = (),
                           reps: int = 9999, seed: int = 0) -> MarginEventStudyResult:
    """Event study of COMEX gold and silver margin changes on the front-month futures.

    Events: :func:`plumbing.episodes.cme_margins` (effective dates) with signs from
    :func:`margin_changes`; changes whose sign cannot be established are studied under
    ``direction="unknown"`` and left out of the binomial test. Returns: GC=F / SI=F closes
    (``gold``/``silver``), daily percent log returns. ``model``/``market``: see
    :func:`event_study` (the market model uses the ``market`` catalog key's returns); the
    default ``"zero_mean"`` measures raw returns, because hikes follow rallies and a mean
    fitted before the event would carry the rally into the event window. ``table`` aggregates
    CARs by (metal, direction) and, pooled over metals, by ("all", direction); ``abnormal``
    has one row per event and day with ``metal`` and ``direction``. ``binomial_window``
    (default [0, +9]) for the binomial test.

    ``clustered``: the headline test, :func:`margin_hikes_by_cluster` of the raises (calendar
    clusters within ``cluster_gap`` trading days, matched-state baseline after a run-up over
    ``runup_days`` in the top ``top_share``, restricted wild-cluster bootstrap with ``reps``
    replications, Holm across ``cluster_windows``); ``robustness``: names of
    :data:`HIKE_ROBUSTNESS_MENU` (or dicts) run at ``headline_window`` (:func:`hike_robustness`).
    """
    for metal in metals:
        check_choice("metals item", metal, tuple(CONTRACT_OUNCES))
    loader = loader or Loader()
    prices = {metal: loader.common(metal).dropna() for metal in metals}
    table = cme_margins(loader.snapshot) if margins is None else margins
    changes = margin_changes(table, prices)
    changes = changes[changes["metal"].isin(metals)].reset_index(drop=True)
    market_returns = log_returns(loader.common(market)) if model == "market" else None
    studies, per_event, abnormal, dropped = {}, [], [], []
    returns = {metal: log_returns(prices[metal]).rename(metal) for metal in metals}
    for metal in metals:
        events = changes[changes["metal"] == metal][["date", "event", "metal", "direction", "change_pct", "sign_source"]]
        if events.empty:
            continue
        study = event_study(returns[metal], events, estimation_window=estimation_window, event_window=event_window,
                            car_windows=car_windows, model=model, market_returns=market_returns,
                            min_estimation_obs=min_estimation_obs, group_by=["metal", "direction"], name=metal)
        studies[metal] = study
        per_event.append(study.events)
        abnormal.append(study.abnormal.assign(metal=metal))
        dropped.append(study.dropped.assign(metal=metal))
    events_table = pd.concat(per_event, ignore_index=True)
    by_metal = aggregate_cars(events_table, ["metal", "direction"])
    pooled = aggregate_cars(events_table.assign(metal="all"), ["metal", "direction"])
    agg = ordered_index(pd.concat([by_metal.reset_index(), pooled.reset_index()], ignore_index=True)
                        .astype({"metal": str, "direction": str, "window": str}), ["metal", "direction", "window"])
    binomial = margin_hike_binomial(returns, changes, window=binomial_window)
    headline_spec = {"cluster_gap": cluster_gap, "runup_days": runup_days, "top_share": top_share}
    clustered = margin_hikes_by_cluster(returns, changes, windows=cluster_windows, reps=reps, seed=seed,
                                        **headline_spec)
    robust = (hike_robustness(returns, changes, robustness, {**headline_spec, "metals": tuple(metals)},
                              window=headline_window, reps=reps, seed=seed) if robustness else pd.DataFrame())
    dropped_table = pd.concat(dropped, ignore_index=True)
    first = next(iter(studies.values()))
    n_events = events_table["event"].nunique()
    counts = changes.groupby(["metal", "direction"]).size().to_dict()
    sample = (f"{n_events} margin changes studied ({', '.join(f'{m} {d}: {c}' for (m, d), c in counts.items())} in the table), "
              f"day 0 {events_table['day0'].min()}..{events_table['day0'].max()}; {len(dropped_table)} dropped"
              + (f" ({'; '.join(f'{d.event}: {d.reason}' for d in dropped_table.itertuples())})" if len(dropped_table) else ""))
    notes = notes_by_asset([(metal, note) for metal, study in studies.items() for note in study.notes])
    sources = changes["sign_source"].map(lambda s: s.split(":")[0]).value_counts()
    notes += ["the sign of each change (raise or cut) comes from " + ", ".join(
        f"{SIGN_SOURCE_WORDS.get(source, source)} for {count}" for source, count in sources.items()),
              "margin changes cluster (e.g. five silver hikes from 2011-04-26 to 2011-05-09): their windows overlap and "
              "the cross-sectional test treats them as independent"]
    return MarginEventStudyResult(
        name="Event study: CME margin changes (gold, silver)", table=agg, sample=sample,
        spec=first.spec.replace(f"daily {next(iter(studies))} returns", "daily gold/silver futures returns"),
        n=n_events, start=pd.Timestamp(events_table["day0"].min()), end=pd.Timestamp(events_table["day0"].max()),
        notes=notes, events=events_table, abnormal=pd.concat(abnormal, ignore_index=True), dropped=dropped_table,
        changes=changes, binomial=binomial, binomial_events=binomial.per_event, clustered=clustered,
        robustness=robust)


def episode_event_dates(episodes: dict[str, Episode] | None = None, episode_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The episodes' anchor dates as events: columns date (t0), event (id), title."""
    episodes = episodes if episodes is not None else load_episodes()
    ids = list(episodes) if episode_ids is None else list(episode_ids)
    unknown = [e for e in ids if e not in episodes]
    if unknown:
        raise KeyError(f"unknown episode id(s) {unknown}; valid: {', '.join(episodes)}")
    return pd.DataFrame({"date": [episodes[e].t0 for e in ids], "event": ids, "title": [episodes[e].title for e in ids]})


@dataclass
class EpisodeEventStudyResult(EventStudyResult):
    """Per-episode CARs (``table``: asset, episode, window) plus ``aggregate`` (mean CAR over
    episodes per asset and window) and the frames of :class:`EventStudyResult`."""

    aggregate: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_episode_event_study(loader: Loader | None = None, *, assets: tuple[str, ...] = EPISODE_ASSETS,
                            episode_ids: Sequence[str] | None = None, model: str = "zero_mean", market: str = "spx",
                            estimation_window: tuple[int, int] = ESTIMATION_WINDOW,
                            event_window: tuple[int, int] = EVENT_WINDOW,
                            car_windows: Sequence[tuple[int, int]] = CAR_WINDOWS,
                            min_estimation_obs: int = 60) -> EpisodeEventStudyResult:
    """Abnormal returns of ``assets`` (catalog keys of prices) around each episode's ``t0``.

    Episodes from ``data/episodes.yaml`` (all by default). Each asset's own trading days;
    ``model`` defaults to ``"zero_mean"`` (raw returns: several episodes follow long rallies,
    e.g. gold and silver before 2026-02, whose drift a fitted mean would subtract); with
    ``model="market"`` the ``market`` key must differ from the asset (the market model
    of the market on itself is meaningless, so such an asset raises ValueError).
    """
    loader = loader or Loader()
    if model == "market" and market in assets:
        raise ValueError(f"market={market!r} is also in assets; the market model needs a different market index "
                         "(or use model='zero_mean' or 'constant_mean')")
    events = episode_event_dates(load_episodes(catalog=loader.catalog), episode_ids)
    market_returns = log_returns(loader.common(market)) if model == "market" else None
    per_event, abnormal, dropped, notes = [], [], [], []
    for asset in assets:
        study = event_study(log_returns(loader.common(asset)), events, estimation_window=estimation_window,
                            event_window=event_window, car_windows=car_windows, model=model,
                            market_returns=market_returns, min_estimation_obs=min_estimation_obs, name=asset)
        per_event.append(study.events.assign(asset=asset))
        abnormal.append(study.abnormal.assign(asset=asset))
        dropped.append(study.dropped.assign(asset=asset))
        notes += [(asset, n) for n in study.notes]
    notes = notes_by_asset(notes)
    events_table = pd.concat(per_event, ignore_index=True)
    table = ordered_index(events_table, ["asset", "event", "window"])[["date", "day0", "car", "se", "t", "p_value",
                                                                       "raw_return", "n_est", "sigma_est", "contaminated",
                                                                       "overlaps_event_window"]]
    aggregate = aggregate_cars(events_table, ["asset"])
    dropped_table = pd.concat(dropped, ignore_index=True)
    spec = (f"{MODEL_SPECS[model]} of daily percent log returns per asset, estimation window trading days "
            f"{_window_label(check_window('estimation_window', estimation_window))} relative to day 0 = the episode's t0 "
            f"(or the next trading day); AR by OLS with event-day dummies over {_window_label(check_window('event_window', event_window))}; "
            "CAR SE from the dummy regression (includes estimation error)")
    sample = (f"{events_table['event'].nunique()} episodes x {len(assets)} assets ({', '.join(assets)}), "
              f"t0 {events['date'].min().date()}..{events['date'].max().date()}; {len(dropped_table)} asset-episodes dropped"
              + (f" ({'; '.join(f'{d.asset} {d.event}: {d.reason}' for d in dropped_table.itertuples())})" if len(dropped_table) else ""))
    return EpisodeEventStudyResult(
        name="Event study: liquidity episodes", table=table, sample=sample, spec=spec, n=len(events_table.drop_duplicates(["asset", "event"])),
        start=events["date"].min(), end=events["date"].max(), notes=notes + [
            "episodes are chosen because markets moved: their CARs describe the episodes, they do not test a "
            "hypothesis about randomly timed events"],
        events=events_table, abnormal=pd.concat(abnormal, ignore_index=True), dropped=dropped_table, aggregate=aggregate)
