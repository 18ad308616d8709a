"""Reserves and the "red line": where do reserves stop being abundant?

Question (article 004, brief): is "$3tn of reserves" a red line below which the price of
overnight cash rises? The estimate follows the reserve-demand-curve idea of the NY Fed
(Afonso, Giannone, La Spada and Williams, "Scarce, Abundant, or Ample? A Time-Varying Model
of the Reserve Demand Curve", NY Fed Staff Report 1019, 2022, revised 2024): the spread of the
effective fed funds rate over the rate paid on reserves, EFFR - IORB, against reserves as a
percent of commercial bank assets; their finding is that the curve steepens below roughly
12-13% of bank assets. **The headline** (the defaults of :func:`run_reserve_demand`, stated
once in :data:`HEADLINE`) is that like-for-like specification:

* **weekly** (weeks ending Wednesday) EFFR - IORB (IOER before 2021-07-29), the weekly
  **median** of the business-day spreads (robust to the one-day spikes of September 2019), on
  reserves (WRESBAL week average) as a percent of H.8 commercial bank assets (to 2026-04 in
  the snapshot), **from the December 2015 liftoff** (2015-12-17, the first day of IOER at the
  top of a 25bp range);
* bank **deposits** as a demand shifter (Lopez-Salido and Vissing-Jorgensen 2023): deposits
  as a percent of bank assets, of the previous week (known when the week starts), measured from
  its latest value so that the level at the kink is at today's deposits;
* **administered-rate regimes**: one intercept per setting of IORB/IOER and the ON RRP rate
  relative to the bottom of the target range, with the settings and their change dates read
  from the data (the technical adjustments of 2018-06, 2018-12, 2019-05, 2020-01, 2021-06 and
  the RRP adjustment of 2024-12, and the moves at FOMC decisions); the weeks in which a setting
  changed are left out;
* **calendar dummies** after Copeland, Duffie and Yang (2021): weeks holding a month end, a
  quarter end, the mid-month Treasury coupon settlement (the 15th) and a tax date (Apr/Jun/Sep/
  Dec 15);
* a **hinge (continuous piecewise-linear) regression**
  ``spread = a + controls + b_below * min(x - k, 0) + b_above * max(x - k, 0) + e`` with the
  kink ``k`` found by least squares over a grid;
* **inference that survives persistent errors** (weekly residual autocorrelation is 0.7-0.97):
  EWC intervals (Lazarus, Lewis, Stock and Watson 2018: ``nu = 0.4 T^(2/3)`` cosine terms,
  t(nu) critical values) for the slopes and the level, from the linearised model including the
  kink's estimation; a **fixed-regressor bootstrap** (by default the AR(p) sieve on the
  residuals; moving blocks or the dependent wild bootstrap as options) that re-estimates the kink, for the kink's interval (the profile
  likelihood interval, which assumes i.i.d. errors, beside it); no t-statistics;
* a **sup-F test that a kink exists** (H0: a straight line; Hansen 1996, 2017) with the
  fixed-regressor residual bootstrap for its p-value: the F statistic at the estimated kink is
  not F-distributed (the kink is only defined under the alternative, the Davies problem).

Alternatives (:data:`SPECIFICATION_CHOICES`): SOFR instead of EFFR, reserves to GDP or in USD
bn, weekly means, the Sep-Oct 2019 weeks left out, another start, the hinge in weekly changes
(regime intercepts then drop out with the adjustment weeks), administered rates as positions
instead of intercepts, no deposits; :func:`robustness_table` runs a list of them beside the
headline and :func:`what_survives` says in words which conclusions hold. Also: a rolling
slope (trailing window, EWC intervals) and a state-space slope that drifts as a random walk
(:func:`time_varying_slope`, statsmodels ``MLEModel``), and the kink beside the article's USD
3,000bn, the NY Fed's 12-13% and the latest reserves.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from pandas.tseries.holiday import USFederalHolidayCalendar
from scipy import stats
from statsmodels.tsa.statespace.mlemodel import MLEModel

from ..indicators import IORB_START, RESERVES_RED_LINE_BN
from ..panel import Loader, as_timestamp
from ..quantities import quantity
from ._base import (ModelResult, p_text, as_series, check_choice, check_fraction, check_positive_int, date_span,
                    rolling_slope, specifications, survival_sentence)
from .inference import (BOOTSTRAP_KINDS, HAR_LABELS, HAR_METHODS, SIEVE_BURN_IN, SIEVE_MAX_ORDER, coefficient_table,
                        resample_residuals, sandwich)

SPREADS = ("effr_iorb_bp", "sofr_iorb_bp")
RATIOS = ("gdp", "bank_assets", "usd_bn")
WEEKLY_STATISTICS = ("mean", "median")
FORMS = ("levels", "changes")
ADMIN_CONTROLS = ("regimes", "position", "none")
SHIFTERS = ("deposits", "none")
#: a bank assets / GDP ratio older than this (weeks before the latest reserves) is stale for conversions
STALE_RATIO_WEEKS = 26
RATIO_COLUMNS = {"gdp": "reserves_to_gdp_pct", "bank_assets": "reserves_to_bank_assets_pct", "usd_bn": "reserves_bn"}
RATIO_UNITS = {"gdp": "percent of GDP", "bank_assets": "percent of bank assets", "usd_bn": "USD bn"}
DEPOSIT_COLUMNS = {"gdp": "deposits_to_gdp_pct", "bank_assets": "deposits_to_bank_assets_pct", "usd_bn": "deposits_bn"}
DEPOSIT_LABELS = {"gdp": "deposits / GDP (%)", "bank_assets": "deposits / bank assets (%)", "usd_bn": "deposits (USD bn)"}
#: NY Fed (Afonso et al. 2022): the demand curve steepens below roughly 12-13% of bank assets
NYFED_STEEPENING_PCT_OF_BANK_ASSETS = (12.0, 13.0)
#: the first day after the December 2015 liftoff (IOER 0.50 at the top of the 0.25-0.50 range)
LIFTOFF = "2015-12-17"
#: the weeks of the September 2019 repo spike and its aftermath (weeks ending 2019-09-18 .. 2019-10-30)
SEP2019_WEEKS = ("2019-09-12", "2019-10-30")
CALENDAR_COLUMNS = ("month_end", "quarter_end", "mid_month_settlement", "tax_date")

#: the headline specification: the defaults of run_reserve_demand, stated once here
HEADLINE: dict[str, object] = {
    "spread": "effr_iorb_bp", "ratio": "bank_assets", "start": LIFTOFF, "weekly": "median",
    "exclude_sep2019": False, "form": "levels", "admin": "regimes", "calendar": True, "shifter": "deposits",
    "inference": "ewc", "bootstrap": "sieve", "block_length": 26,
}
#: what a Monte Carlo on the real weekly design found (n=531, real reserve path and controls, AR(0.9)
#: errors with the residual s.d., 200 replications of 199 bootstrap draws, s.e. about 2 points):
#: rejection rate of the 5% sup-F test on a line, and coverage of nominal 95% intervals on the hinge
BOOTSTRAP_MONTE_CARLO = {
    "sieve": {"size": 0.095, "cover_kink": 0.86, "cover_slope_below": 0.83},
    "block": {"size": 0.19, "cover_kink": 0.855, "cover_slope_below": 0.78},
}


def bootstrap_tuning(bootstrap: str, block_length: int) -> str:
    """How a bootstrap kind is tuned, in words (the sieve picks its AR order by AIC)."""
    if bootstrap == "sieve":
        return f"AR(p) sieve, p <= {SIEVE_MAX_ORDER} by AIC, i.i.d. innovations, burn-in {SIEVE_BURN_IN}"
    if bootstrap == "block":
        return f"blocks of {block_length}"
    if bootstrap == "wild":
        return f"bandwidth {block_length}"
    return "i.i.d. draws, ignores serial correlation"


def monte_carlo_note(bootstrap: str) -> str:
    """The Monte Carlo's size and coverage for this bootstrap, or that there is none."""
    mc = BOOTSTRAP_MONTE_CARLO.get(bootstrap)
    if mc is None:
        return f"no Monte Carlo on the real design for the {bootstrap} bootstrap"
    return (f"Monte Carlo on the real weekly design at AR(0.9) errors ({bootstrap} bootstrap): size of the 5% sup-F "
            f"test {mc['size']:.1%}, coverage of nominal 95% intervals {mc['cover_kink']:.0%} (kink) and "
            f"{mc['cover_slope_below']:.0%} (slope below); so intervals are somewhat too narrow and sup-F p-values "
            f"between about 0.01 and 0.10 are not reliable")
#: what each choice means, for tables and sentences
SPECIFICATION_CHOICES: dict[str, dict[object, str]] = {
    "spread": {"effr_iorb_bp": "EFFR - IORB", "sofr_iorb_bp": "SOFR - IORB"},
    "ratio": {"bank_assets": "reserves / bank assets", "gdp": "reserves / GDP", "usd_bn": "reserves in USD bn"},
    "weekly": {"median": "weekly median", "mean": "weekly mean"},
    "exclude_sep2019": {False: "Sep-Oct 2019 in", True: "Sep-Oct 2019 out"},
    "form": {"levels": "levels", "changes": "weekly changes"},
    "admin": {"regimes": "regime intercepts", "position": "IORB/RRP positions in the range", "none": "no administered-rate control"},
    "calendar": {True: "calendar dummies", False: "no calendar dummies"},
    "shifter": {"deposits": "deposits shifter", "none": "no deposits shifter"},
    "inference": {m: m for m in HAR_METHODS},
    "bootstrap": {k: f"{k} bootstrap" for k in BOOTSTRAP_KINDS},
}


#: named alternatives to the headline for the robustness table: name -> (label, what changes)
_OLD_DEFAULT = {"ratio": "gdp", "start": "2009-01-01", "weekly": "mean", "admin": "none", "calendar": False,
                "shifter": "none"}
ROBUSTNESS_MENU: dict[str, tuple[str, dict[str, object]]] = {
    "sofr": ("SOFR - IORB (from 2018-04)", {"spread": "sofr_iorb_bp"}),
    "gdp": ("reserves / GDP", {"ratio": "gdp"}),
    "usd_bn": ("reserves in USD bn", {"ratio": "usd_bn"}),
    "sep2019_out": ("Sep-Oct 2019 weeks left out", {"exclude_sep2019": True}),
    "weekly_mean": ("weekly mean instead of median", {"weekly": "mean"}),
    "weekly_mean_sep2019_out": ("weekly mean, Sep-Oct 2019 out", {"weekly": "mean", "exclude_sep2019": True}),
    "from_2018": ("from 2018-01-01", {"start": "2018-01-01"}),
    "from_2009": ("from 2009-01-01 (zero-lower-bound years in)", {"start": "2009-01-01"}),
    "changes": ("weekly changes (adjustment weeks dropped)", {"form": "changes"}),
    "positions": ("IORB/RRP positions instead of regime intercepts", {"admin": "position"}),
    "no_admin": ("no administered-rate control", {"admin": "none"}),
    "no_calendar": ("no calendar dummies", {"calendar": False}),
    "no_deposits": ("no deposits shifter", {"shifter": "none"}),
    "wild_bootstrap": ("dependent wild bootstrap", {"bootstrap": "wild"}),
    "old_default": ("old default: EFFR on GDP from 2009, weekly mean, no controls", _OLD_DEFAULT),
    "old_default_sep2019_out": ("old default, Sep-Oct 2019 out", {**_OLD_DEFAULT, "exclude_sep2019": True}),
}


# --- data -----------------------------------------------------------------------------------

def weekly_mean_spread(daily: pd.Series, min_days: int = 3, how: str = "mean") -> pd.DataFrame:
    """Average a business-daily spread (bp) over weeks ending Wednesday.

    Returns columns ``mean`` (bp; the weekly median with ``how="median"``) and ``days`` (daily
    observations used), indexed by the Wednesday ending each week (the same weeks as WRESBAL's
    week averages). Weeks with fewer than ``min_days`` observations are dropped (not filled).
    """
    check_positive_int("min_days", min_days)
    check_choice("how", how, WEEKLY_STATISTICS)
    daily = as_series("daily", daily).dropna()
    grouped = daily.resample("W-WED", label="right", closed="right")
    weekly = pd.DataFrame({"mean": grouped.median() if how == "median" else grouped.mean(), "days": grouped.count()})
    weekly = weekly[weekly["days"] >= min_days]
    weekly.index.name = "date"
    return weekly


def _business_days(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    holidays = USFederalHolidayCalendar().holidays(first - pd.Timedelta(days=40), last + pd.Timedelta(days=40))
    return pd.bdate_range(first - pd.Timedelta(days=40), last + pd.Timedelta(days=40), freq="C", holidays=holidays)


def _week_ending(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The Wednesday ending the week (Thursday..Wednesday) that holds each date."""
    return pd.DatetimeIndex([d if d.day_of_week == 2 else d + pd.offsets.Week(weekday=2) for d in pd.DatetimeIndex(dates)])


def calendar_flags(weeks: pd.DatetimeIndex) -> pd.DataFrame:
    """Calendar dummies for weeks ending Wednesday (Thursday..Wednesday), after Copeland, Duffie
    and Yang (2021): the week holds ``month_end`` (the last business day of a month),
    ``quarter_end`` (of March, June, September, December), ``mid_month_settlement`` (the
    Treasury coupon settlement on the 15th, or the next business day) or a ``tax_date``
    (corporate and estimated taxes, April/June/September/December 15 or the next business day).
    US federal holidays are not business days."""
    weeks = pd.DatetimeIndex(weeks)
    if len(weeks) == 0:
        return pd.DataFrame(columns=list(CALENDAR_COLUMNS), index=weeks, dtype=float)
    bdays = _business_days(weeks.min() - pd.Timedelta(days=7), weeks.max())
    s = pd.Series(bdays, index=bdays)
    month_last = s.groupby(s.index.to_period("M")).max()
    fifteenth = pd.DatetimeIndex([pd.Timestamp(p.year, p.month, 15) for p in month_last.index])
    mid = bdays[np.minimum(bdays.searchsorted(fifteenth), len(bdays) - 1)]
    days = {
        "month_end": pd.DatetimeIndex(month_last.to_numpy()),
        "quarter_end": pd.DatetimeIndex([d for d in month_last.to_numpy() if pd.Timestamp(d).month in (3, 6, 9, 12)]),
        "mid_month_settlement": pd.DatetimeIndex(mid),
        "tax_date": pd.DatetimeIndex([d for d, p in zip(mid, month_last.index) if p.month in (4, 6, 9, 12)]),
    }
    out = pd.DataFrame(index=weeks)
    for name, dates in days.items():
        out[name] = weeks.isin(_week_ending(dates)).astype(float)
    out.index.name = weeks.name
    return out


def _drop_blips(values: pd.Series, min_run: int = 3) -> pd.Series:
    """Replace runs shorter than ``min_run`` observations by the value before them (one-day
    misalignments of FOMC-day rate changes between the range and the administered rates)."""
    v = values.copy()
    runs = (v != v.shift()).cumsum()
    size = v.groupby(runs).transform("size")
    v[(size < min_run) & (runs > runs.iloc[0])] = np.nan
    return v.ffill()


def administered_rate_settings(loader: Loader | None = None) -> pd.DataFrame:
    """The administered rates' place in the target range, daily, from the data.

    Columns: ``iorb_position_bp`` (IORB, IOER before 2021-07-29, minus the bottom of the
    target range, bp), ``rrp_position_bp`` (ON RRP award rate minus the bottom of the range,
    bp; missing before 2013-09; carried between operation days and after the last published
    rate, as the setting holds until changed), ``setting`` (a label of both) and ``changed``
    (True on the first day of a new setting). One- and two-day blips (FOMC-day misalignments
    between the range and the administered rates) are dropped.
    """
    loader = loader or Loader()
    ioer, iorb = loader.common("ioer").dropna(), loader.common("iorb").dropna()
    reserve_rate = pd.concat([ioer[ioer.index < IORB_START], iorb[iorb.index >= IORB_START]]).sort_index()
    lower = loader.common("fed_target_lower").dropna()
    rrp = loader.common("on_rrp_award_rate").dropna()
    frame = pd.DataFrame({"rate": reserve_rate, "lower": lower, "rrp": rrp}).dropna(subset=["rate", "lower"])
    out = pd.DataFrame(index=frame.index)
    out["iorb_position_bp"] = _drop_blips(((frame["rate"] - frame["lower"]) * 100).round(0))
    # the ON RRP rate is published on operation days only: its position in the range is an administered
    # setting that holds until the next change, so it is carried between observations (and after the last)
    rrp_pos = _drop_blips(((frame["rrp"] - frame["lower"]) * 100).round(0).dropna())
    out["rrp_position_bp"] = rrp_pos.reindex(out.index, method="ffill")
    out["setting"] = [f"IORB {i:+.0f}bp, RRP {r:+.0f}bp" if np.isfinite(r) else f"IORB {i:+.0f}bp, no RRP"
                      for i, r in zip(out["iorb_position_bp"], out["rrp_position_bp"].fillna(np.inf))]
    out["changed"] = out["setting"] != out["setting"].shift()
    out.iloc[0, out.columns.get_loc("changed")] = False
    out.index.name = "date"
    return out


def reserve_panel(loader: Loader | None = None, start: object = "2009-01-01", end: object = None,
                  min_days: int = 3) -> pd.DataFrame:
    """Weekly panel (weeks ending Wednesday) of reserves, their ratios, the spreads and controls.

    Columns: ``reserves_bn`` (WRESBAL week average, USD bn), ``gdp_bn`` (nominal GDP SAAR of
    the latest completed quarter, USD bn), ``bank_assets_bn`` and ``deposits_bn`` (H.8
    commercial banks, Wednesday levels, USD bn; to 2026-04 in the snapshot),
    ``reserves_to_gdp_pct``, ``reserves_to_bank_assets_pct`` (percent), the deposit shifters of
    the previous week (``deposits_to_bank_assets_pct``, ``deposits_to_gdp_pct``, percent, and
    ``deposits_bn``), ``effr_iorb_bp`` and ``sofr_iorb_bp`` (weekly means of the daily spreads
    to IORB/IOER, bp) with ``*_median`` (weekly medians) and ``effr_days``/``sofr_days``; the
    administered-rate setting on the week's Wednesday (``iorb_position_bp``,
    ``rrp_position_bp``, ``setting``) and ``setting_changed`` (the setting changed during the
    week); calendar dummies (:func:`calendar_flags`). Rows are the weeks on which reserves were
    observed; other columns may be missing there (they are not filled): GDP is the latest
    completed quarter (carried at most 66 business days by :func:`plumbing.load`), bank assets
    only where H.8 has a level for the same Wednesday.
    """
    loader = loader or Loader()
    start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
    # rows: the weeks on which WRESBAL itself was observed (no week carried past its end);
    # GDP: the latest completed quarter, carried by load() (at most 66 business days);
    # bank assets and deposits: the H.8 Wednesday level of the same Wednesday only (never carried)
    reserves = loader.common("reserves").dropna()
    bank_assets = loader.common("bank_assets").dropna()
    deposits = loader.common("bank_deposits").dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # loaded with reserves so that load()'s weekly calendar reaches the last reserve week
        gdp = loader.load(["reserves", "gdp"], freq="W")["gdp"]
    panel = pd.DataFrame({
        "reserves_bn": reserves,
        "gdp_bn": gdp.reindex(reserves.index),
        "bank_assets_bn": bank_assets.reindex(reserves.index),
    })
    panel["reserves_to_gdp_pct"] = panel["reserves_bn"] / panel["gdp_bn"] * 100
    panel["reserves_to_bank_assets_pct"] = panel["reserves_bn"] / panel["bank_assets_bn"] * 100
    # the deposits shifter of the previous H.8 Wednesday (exactly one week earlier, never carried further)
    previous = reserves.index - pd.Timedelta(days=7)
    dep_prev = deposits.reindex(previous).to_numpy()
    panel["deposits_bn"] = dep_prev
    panel["deposits_to_bank_assets_pct"] = dep_prev / bank_assets.reindex(previous).to_numpy() * 100
    panel["deposits_to_gdp_pct"] = dep_prev / gdp.reindex(previous).to_numpy() * 100
    for name, short in (("effr_iorb_bp", "effr"), ("sofr_iorb_bp", "sofr")):
        daily = quantity(name, loader=loader)
        weekly = weekly_mean_spread(daily, min_days=min_days)
        panel[name] = weekly["mean"].reindex(panel.index)
        panel[f"{name}_median"] = weekly_mean_spread(daily, min_days=min_days, how="median")["mean"].reindex(panel.index)
        panel[f"{short}_days"] = weekly["days"].reindex(panel.index)
    settings = administered_rate_settings(loader)
    on_wednesday = settings.reindex(panel.index, method="ffill", tolerance=pd.Timedelta(days=6))
    for column in ("iorb_position_bp", "rrp_position_bp", "setting"):
        panel[column] = on_wednesday[column]
    change_days = settings.index[settings["changed"]]
    panel["setting_changed"] = panel.index.isin(_week_ending(change_days))
    panel = panel.join(calendar_flags(panel.index))
    panel = panel[panel["reserves_bn"].notna()]
    panel = panel.loc[start_ts:end_ts]
    panel.index.name = "date"
    panel.attrs = {"frequency": "weekly, weeks ending Wednesday", "min_days": min_days}
    return panel


# --- the hinge regression --------------------------------------------------------------------

@dataclass
class HingeResult(ModelResult):
    """A hinge regression: ``table`` rows are the parameters of the hinge.

    ``table`` columns: ``description``, ``estimate``, ``ci_low``/``ci_high`` (the headline
    interval: the percentile interval of the fixed-regressor moving-block bootstrap that
    re-estimates the kink; the HAR interval when the bootstrap is skipped), ``se_har``,
    ``ci_low_har``/``ci_high_har`` (EWC, fixed-b or naive Newey-West from the linearised model,
    by ``inference``; none for the kink), ``ci_low_naive``/``ci_high_naive`` (Newey-West with
    the textbook lags and normal critical values, for comparison only: it under-covers),
    ``ci_low_profile``/``ci_high_profile`` (kink only:
    profile likelihood, i.i.d. errors). ``controls``: the control coefficients with headline
    intervals. ``sup_f``: the test that a kink exists (statistic, bootstrap p-value, 95%
    bootstrap critical value, reps). Extra frames: ``profile`` (kink grid, SSR, likelihood-ratio
    and F statistics), ``data`` (x, y, fitted, residual on the estimation rows; in changes,
    the changes; in levels also ``hinge``, the fitted hinge with the controls at zero, and
    ``y_net``, y net of the controls' estimated effects), ``bootstrap`` (each bootstrap
    replication's kink and slopes).
    """

    kink: float = float("nan")
    kink_ci: tuple[float, float] = (float("nan"), float("nan"))
    kink_ci_profile: tuple[float, float] = (float("nan"), float("nan"))
    #: the search grid's first and last candidate kink (units of x)
    kink_grid: tuple[float, float] = (float("nan"), float("nan"))
    #: shares of bootstrap kinks on the lowest / highest admissible grid point
    boot_share_at_edge: tuple[float, float] = (float("nan"), float("nan"))
    #: whether the bootstrap interval's lower / upper bound is set by the grid (it would reach further)
    kink_ci_truncated: tuple[bool, bool] = (False, False)
    sup_f: dict = field(default_factory=dict)
    controls: pd.DataFrame = field(default_factory=pd.DataFrame)
    inference: str = "ewc"
    inference_label: str = ""
    residual_ar1: float = float("nan")
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    bootstrap: pd.DataFrame = field(default_factory=pd.DataFrame)


def _consecutive(index: pd.DatetimeIndex) -> np.ndarray:
    """True where a row follows the previous one at the series' regular step (its modal gap)."""
    if len(index) < 2:
        return np.zeros(len(index), dtype=bool)
    gaps = np.diff(index.asi8)
    values, counts = np.unique(gaps, return_counts=True)
    step = values[np.argmax(counts)]
    return np.concatenate([[False], gaps == step])


class _HingeGrid:
    """The hinge problem on a fixed grid of kinks with fixed regressors, solved for many y at once.

    Base regressors ``B`` = [1, controls, x] (levels) or their changes [1, d controls, d x];
    the kink adds one column, ``h_k = max(x - k, 0)`` (or its change). With ``Q`` an
    orthonormal basis of ``B``, ``SSR_k(y) = |M y|^2 - (h~_k' M y)^2 / |h~_k|^2`` where ``h~_k =
    M h_k``: one matrix product per batch of y, which makes bootstraps that re-estimate the kink
    cheap.
    """

    def __init__(self, x_level: np.ndarray, base: np.ndarray, grid: np.ndarray, rows: np.ndarray | None,
                 min_side: int, x_for_sides: np.ndarray):
        hinge = np.maximum(x_level[None, :] - grid[:, None], 0.0)
        self.h = hinge if rows is None else hinge[:, rows] - hinge[:, rows - 1]
        self.base = base
        self.q, self.r = np.linalg.qr(base)
        self.h_res = self.h - (self.h @ self.q) @ self.q.T
        self.hh = (self.h_res ** 2).sum(axis=1)
        below = (x_for_sides[None, :] < grid[:, None]).sum(axis=1)
        self.ok = (below >= min_side) & (len(x_for_sides) - below >= min_side) & (self.hh > 1e-10 * max(self.hh.max(), 1e-300))
        self.grid = grid
        self.admissible = np.flatnonzero(self.ok)

    def residualize(self, ys: np.ndarray) -> np.ndarray:
        """Rows of ``ys`` (reps x n) minus their projection on the base regressors."""
        return ys - (ys @ self.q) @ self.q.T

    def ssr(self, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(SSR of the base model (reps), SSR at each kink (reps x grid, inf where inadmissible), h~'My)."""
        res = self.residualize(np.atleast_2d(ys))
        ssr0 = (res ** 2).sum(axis=1)
        hy = res @ self.h_res.T
        with np.errstate(divide="ignore", invalid="ignore"):
            ssr = ssr0[:, None] - hy ** 2 / self.hh[None, :]
        ssr[:, ~self.ok] = np.inf
        return ssr0, ssr, hy

    def best(self, ys: np.ndarray) -> dict[str, np.ndarray]:
        """Kink index, kink, slopes and base coefficients of each row of ``ys`` (reps x n)."""
        ys = np.atleast_2d(ys)
        _, ssr, hy = self.ssr(ys)
        j = np.argmin(ssr, axis=1)
        c = hy[np.arange(len(ys)), j] / self.hh[j]
        beta = np.linalg.solve(self.r, self.q.T @ (ys - c[:, None] * self.h[j]).T).T  # reps x p
        return {"index": j, "kink": self.grid[j], "c": c, "beta": beta}

    def sup_f(self, ys: np.ndarray) -> np.ndarray:
        """sup over admissible kinks of F_k = (SSR_0 - SSR_k) / (SSR_k / (n - p - 1)) per row."""
        ssr0, ssr, _ = self.ssr(ys)
        dof = self.base.shape[0] - self.base.shape[1] - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            f = (ssr0[:, None] - ssr) / (ssr / dof)
        f[:, ~self.ok] = -np.inf
        return f.max(axis=1)


def fit_hinge(x: pd.Series, y: pd.Series, *, controls: pd.DataFrame | None = None, form: str = "levels",
              drop: pd.Series | None = None, n_grid: int = 200, grid_quantiles: tuple[float, float] = (0.05, 0.95),
              min_side: int = 20, inference: str = "ewc", bootstrap: str = "sieve", bootstrap_reps: int = 499,
              block_length: int = 26, ci_level: float = 0.95, seed: int = 0, hac_lags: int | None = None,
              x_name: str = "x", y_name: str = "y", x_unit: str = "percent", y_unit: str = "bp") -> HingeResult:
    """Continuous piecewise-linear regression of ``y`` on ``x`` with one kink at an unknown point.

    Model (``form="levels"``): ``y = a + controls'g + b_below * min(x - k, 0) + b_above *
    max(x - k, 0) + e`` (``a``: the fitted ``y`` at the kink with the controls at zero; the
    slopes are per unit of ``x`` on each side). ``form="changes"``: the same model in first
    differences between consecutive rows (at the series' regular step), with a constant (drift)
    and the changes of the controls; ``a`` is then not identified.

    ``controls``: extra regressors on the same dates (dummies, shifters); all-zero columns
    (after differencing) are dropped. ``drop``: a boolean Series of rows to leave out (e.g.
    weeks in which an administered rate moved, or Sep-Oct 2019); in changes a difference needs
    both of its rows kept. Rows missing x, y or a control are dropped and counted.

    The kink: least squares over ``n_grid`` (200) evenly spaced candidates between the
    ``grid_quantiles`` (5th and 95th percentiles) of ``x``, each with at least ``min_side``
    (20) observations on either side.

    Inference (no t-statistics). The **headline intervals** of the kink, the slopes and the
    level are percentile intervals of a **fixed-regressor bootstrap** that re-estimates the
    kink: ``y* = fitted + u*`` with ``u*`` from the residuals by ``bootstrap`` (``"sieve"``,
    default: an AR(p) fitted to the residuals, p <= 8 by AIC, innovations redrawn i.i.d. after a
    burn-in; ``"block"``: moving blocks of ``block_length`` (26) rows; ``"wild"``: dependent wild
    bootstrap with bandwidth ``block_length``; ``"iid"``: for comparison only), ``bootstrap_reps``
    (499) times (0 skips the bootstraps). In a Monte Carlo on the real weekly design (n=531,
    real reserve path and controls, AR(0.9) errors, 200 replications; :data:`BOOTSTRAP_MONTE_CARLO`)
    the 5% sup-F test rejects a true line 9.5% of the time with the sieve (19% with blocks of 26),
    and nominal 95% intervals cover 86% (kink) and 83% (slope below) with the sieve (86% and 78%
    with blocks); textbook Newey-West covers about 60%. The intervals are therefore somewhat
    too narrow, not near nominal, and sup-F p-values near 0.05 are not reliable. Beside them: ``inference`` (``"ewc"``, default; ``"nw_fixed_b"``;
    ``"nw"``) standard errors and intervals from the linearised model with the kink's
    derivative, and the naive Newey-West interval. The same bootstrap under H0 (a straight line
    with the same controls: ``y* = u0*`` from the line's residuals) gives the p-value of the
    **sup-F test** that a kink exists (Hansen 1996, 2017). The profile likelihood interval of
    the kink (``n log(SSR(k)/SSR_min) <= chi2_1``) assumes i.i.d. errors
    and is shown beside the bootstrap interval, not instead of it.
    """
    check_positive_int("n_grid", n_grid, 3)
    check_positive_int("min_side", min_side, 2)
    check_positive_int("bootstrap_reps", bootstrap_reps, 0)
    check_positive_int("block_length", block_length, 1)
    check_fraction("ci_level", ci_level)
    check_choice("form", form, FORMS)
    check_choice("inference", inference, HAR_METHODS)
    check_choice("bootstrap", bootstrap, BOOTSTRAP_KINDS)
    if (not isinstance(grid_quantiles, (tuple, list)) or len(grid_quantiles) != 2
            or not 0 <= grid_quantiles[0] < grid_quantiles[1] <= 1):
        raise ValueError(f"grid_quantiles={grid_quantiles!r} is not valid; give (low, high) with 0 <= low < high <= 1")
    x, y = as_series("x", x), as_series("y", y)
    parts = {"x": x, "y": y}
    control_names: list[str] = []
    if controls is not None and len(controls.columns):
        control_names = [str(c) for c in controls.columns]
        parts.update({f"c:{c}": controls[c].astype(float) for c in controls.columns})
    both = pd.concat(parts, axis=1, sort=True)
    dropped = int(both.isna().any(axis=1).sum())
    both = both.dropna()
    excluded = 0
    if drop is not None:
        mask = drop.reindex(both.index).fillna(False).astype(bool)
        excluded = int(mask.sum())
        both = both[~mask.to_numpy()]
    xv, yv = both["x"].to_numpy(), both["y"].to_numpy()
    cv = both[[f"c:{c}" for c in control_names]].to_numpy() if control_names else np.zeros((len(both), 0))
    if form == "changes":
        rows = np.flatnonzero(_consecutive(both.index))
        yt = yv[rows] - yv[rows - 1]
        xt = xv[rows] - xv[rows - 1]
        ct = cv[rows] - cv[rows - 1]
        x_sides = xv[rows]
        dates = both.index[rows]
    else:
        rows = None
        yt, xt, ct, x_sides, dates = yv, xv, cv, xv, both.index
    # keep the controls that vary and are not collinear with the constant, x and the controls before them
    keep: list[int] = []
    for i in range(ct.shape[1]):
        trial = np.column_stack([np.ones(len(yt)), ct[:, keep + [i]], xt])
        if np.any(ct[:, i] != ct[0, i]) and np.linalg.matrix_rank(trial) == trial.shape[1]:
            keep.append(i)
    used_controls = [control_names[i] for i in keep]
    ct = ct[:, keep]
    n = len(yt)
    if n < 2 * min_side + 3 + ct.shape[1]:
        raise ValueError(f"only {n} complete observations; the hinge needs at least {2 * min_side + 3 + ct.shape[1]} "
                         f"(min_side={min_side} on each side of the kink)")
    base = np.column_stack([np.ones(n), ct, xt])
    lo, hi = np.quantile(x_sides, grid_quantiles)
    grid = np.linspace(lo, hi, n_grid)
    problem = _HingeGrid(xv, base, grid, rows, min_side, x_sides)
    if not problem.ok.any():
        raise ValueError("no grid kink leaves min_side observations on both sides; widen grid_quantiles or lower min_side")
    ssr0_arr, ssr_arr, _ = problem.ssr(yt[None, :])
    ssr, ssr0 = ssr_arr[0], float(ssr0_arr[0])
    best = int(np.argmin(ssr))
    kink = float(grid[best])

    # the reported parametrisation at the estimated kink: [1, controls, min(d,0), max(d,0)]
    d = xv - kink
    below_l, above_l = np.minimum(d, 0.0), np.maximum(d, 0.0)
    if form == "changes":
        below_t, above_t = below_l[rows] - below_l[rows - 1], above_l[rows] - above_l[rows - 1]
    else:
        below_t, above_t = below_l, above_l
    design = np.column_stack([np.ones(n), ct, below_t, above_t])
    fit = sm.OLS(yt, design).fit()
    params = fit.params
    resid = fit.resid
    fitted = yt - resid
    b_below, b_above = float(params[-2]), float(params[-1])
    deriv_l = -(b_below * (d < 0) + b_above * (d >= 0))
    deriv_t = deriv_l[rows] - deriv_l[rows - 1] if form == "changes" else deriv_l
    jac = np.column_stack([design, deriv_t])
    cov, crit, dof, label = sandwich(jac, resid, inference, ci_level, hac_lags)
    naive_cov, naive_crit, _, naive_label = sandwich(jac, resid, "nw", ci_level)
    k_c = ct.shape[1]

    def std_error(vector: np.ndarray, matrix: np.ndarray) -> float:
        return float(np.sqrt(max(float(vector @ matrix @ vector), 0.0)))

    p = len(params)
    e_below, e_above, e_const = np.zeros(p), np.zeros(p), np.zeros(p)
    e_below[-2], e_above[-1], e_const[0] = 1.0, 1.0, 1.0
    contrasts = {"slope_below": e_below, "slope_above": e_above, "slope_change": e_below - e_above, "at_kink": e_const}

    # profile likelihood (i.i.d. errors)
    lr = n * np.log(ssr / ssr[best])
    inside = grid[np.isfinite(lr) & (lr <= float(stats.chi2.ppf(ci_level, 1)))]
    kink_ci_profile = (float(inside.min()), float(inside.max()))
    dof_f = n - base.shape[1] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        f_grid = np.where(problem.ok, (ssr0 - ssr) / (ssr / dof_f), np.nan)
    sup_f_stat = float(np.nanmax(f_grid))

    # fixed-regressor bootstraps: the kink re-estimated (alternative) and the sup-F under H0 (a line)
    rng = np.random.default_rng(seed)
    alpha = (1 - ci_level) / 2
    boot = pd.DataFrame(columns=["kink", "at_kink", "slope_below", "slope_above", "slope_change", "at_low_edge",
                                 "at_high_edge"])
    sup_f = {"statistic": sup_f_stat, "p_value": float("nan"), "crit_95": float("nan"), "reps": bootstrap_reps,
             "bootstrap": bootstrap, "block_length": block_length, "tuning": bootstrap_tuning(bootstrap, block_length)}
    if bootstrap_reps:
        ustar = resample_residuals(resid, bootstrap, block_length, bootstrap_reps, rng)
        out = problem.best(fitted[None, :] + ustar)
        slope_b = out["beta"][:, -1]
        at_k = out["beta"][:, 0] + slope_b * out["kink"] if form == "levels" else np.full(bootstrap_reps, np.nan)
        boot = pd.DataFrame({"kink": out["kink"], "at_kink": at_k, "slope_below": slope_b,
                             "slope_above": slope_b + out["c"], "slope_change": -out["c"],
                             "at_low_edge": out["index"] == problem.admissible[0],
                             "at_high_edge": out["index"] == problem.admissible[-1]})
        null_resid = problem.residualize(yt[None, :])[0]
        null_draws = problem.sup_f(resample_residuals(null_resid, bootstrap, block_length, bootstrap_reps, rng))
        sup_f.update(p_value=float((1 + (null_draws >= sup_f_stat).sum()) / (1 + bootstrap_reps)),
                     crit_95=float(np.quantile(null_draws, 0.95)))

    def boot_ci(column: str) -> tuple[float, float]:
        if len(boot) < 2 or boot[column].isna().all():
            return (float("nan"), float("nan"))
        values = boot[column].to_numpy(dtype=float)
        return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))

    per_x = "percentage point" if x_unit.startswith("percent") else ("unit" if x_unit in ("", "x") else x_unit)
    descriptions = {
        "kink": f"kink k ({x_name}, {x_unit}; bootstrap interval, no SE)",
        "slope_below": f"slope below k ({y_unit} per {per_x} of {x_name})",
        "slope_above": f"slope above k ({y_unit} per {per_x} of {x_name})",
        "slope_change": "slope below - slope above",
        "at_kink": f"fitted {y_name} at k ({y_unit}; reference regime, ordinary week)",
    }
    rows_out = []
    kink_boot = boot_ci("kink")
    use_boot = len(boot) >= 2
    rows_out.append({"parameter": "kink", "estimate": kink, "ci_low": kink_boot[0], "ci_high": kink_boot[1],
                     "se_har": np.nan, "ci_low_har": np.nan, "ci_high_har": np.nan,
                     "ci_low_naive": np.nan, "ci_high_naive": np.nan,
                     "ci_low_profile": kink_ci_profile[0], "ci_high_profile": kink_ci_profile[1]})
    for name, vec in contrasts.items():
        vec_j = np.concatenate([vec, [0.0]])
        est = float(vec @ params)
        if name == "at_kink" and form == "changes":
            est = float("nan")
        se, nse = std_error(vec_j, cov), std_error(vec_j, naive_cov)
        har = (est - crit * se, est + crit * se)
        headline = boot_ci(name) if use_boot else har
        rows_out.append({"parameter": name, "estimate": est, "ci_low": headline[0], "ci_high": headline[1],
                         "se_har": se if np.isfinite(est) else np.nan, "ci_low_har": har[0], "ci_high_har": har[1],
                         "ci_low_naive": est - naive_crit * nse, "ci_high_naive": est + naive_crit * nse,
                         "ci_low_profile": np.nan, "ci_high_profile": np.nan})
    table = pd.DataFrame(rows_out).set_index("parameter")
    table.insert(0, "description", [descriptions[k] for k in table.index])
    boot_label = (f"percentile interval of a fixed-regressor {bootstrap} bootstrap ({bootstrap_reps} reps, "
                  f"{bootstrap_tuning(bootstrap, block_length)}) re-estimating the kink")
    table.attrs = {"headline": boot_label if use_boot else label, "har": label, "naive": naive_label,
                   "level": ci_level}
    names = ["constant" if form == "levels" else "drift"] + used_controls + ["slope_below", "slope_above", "kink_derivative"]
    controls_table = coefficient_table(np.concatenate([params, [0.0]]), cov, crit, dof, names, inference, label, n)
    controls_table = controls_table.loc[used_controls] if used_controls else controls_table.iloc[0:0]

    share_low = float(boot["at_low_edge"].mean()) if len(boot) else float("nan")
    share_high = float(boot["at_high_edge"].mean()) if len(boot) else float("nan")
    truncated = (bool(share_low > alpha), bool(share_high > alpha))
    r = resid - resid.mean()
    ar1 = float((r[1:] @ r[:-1]) / (r @ r)) if n > 2 else float("nan")
    linear_r2 = 1 - ssr0 / float(((yt - yt.mean()) ** 2).sum()) if form == "levels" else float("nan")
    notes = [f"residual AR(1) coefficient {ar1:.2f}: " + ("strongly persistent errors, so only EWC/fixed-b or bootstrap "
                                                         "intervals are credible" if ar1 > 0.5 else "moderate persistence"),
             f"sup-F test of a kink (H0: a straight line with the same controls): sup-F = {sup_f_stat:.1f}, "
             + (f"{bootstrap} bootstrap p = {sup_f['p_value']:.3f} ({bootstrap_reps} reps)" if bootstrap_reps
                else "no bootstrap p-value (0 reps)"),
             monte_carlo_note(bootstrap)]
    if form == "levels":
        notes.append(f"R2 hinge {1 - ssr[best] / float(((yt - yt.mean()) ** 2).sum()):.3f} vs line {linear_r2:.3f} "
                     "(descriptive only: the kink is chosen to maximise the first)")
    if best in (problem.admissible[0], problem.admissible[-1]):
        notes.append("the kink is at the edge of the admissible grid: the data do not locate it inside the range")
    if len(boot):
        cut = [side for side, flag in zip(("lower", "upper"), truncated) if flag]
        notes.append(f"{share_low:.1%} of bootstrap kinks sit on the lowest admissible grid point (grid starts at "
                     f"{grid[problem.admissible[0]]:.3f}) and {share_high:.1%} on the highest (ends at "
                     f"{grid[problem.admissible[-1]]:.3f})" +
                     ("; more than the interval's tail share ({:.1%}) is there, so the bootstrap interval's {} bound is "
                      "truncated by the search grid (the data would put it further out)".format(alpha, " and ".join(cut))
                      if cut else "; the bootstrap interval is not truncated by the grid"))
    grid_step = float(grid[1] - grid[0])
    spec = (f"OLS hinge {y_name} = a + controls + b_below*min({x_name}-k,0) + b_above*max({x_name}-k,0) + e"
            + (" in weekly changes (first differences of consecutive rows, with a drift)" if form == "changes" else "")
            + (f"; controls: {', '.join(c.replace('_', ' ') for c in used_controls)}" if used_controls
               else "; no controls")
            + f"; k by grid search over {n_grid} points from the {grid_quantiles[0]:.0%} to {grid_quantiles[1]:.0%} "
            f"quantile of {x_name} ({lo:.3f}..{hi:.3f}, step {grid_step:.4f}), >= {min_side} obs each side. "
            f"Inference: {ci_level:.0%} percentile intervals of a fixed-regressor {bootstrap} bootstrap "
            f"({bootstrap_reps} reps, {bootstrap_tuning(bootstrap, block_length)}, seed "
            f"{seed}) re-estimating k (headline), beside {HAR_LABELS[inference]} [{label}] from the linearised model "
            f"incl. the kink; sup-F test of a kink with the same bootstrap under H0; no t-statistics")
    sample = (f"{date_span(dates)}, n={n}" + (f" {'changes' if form == 'changes' else 'weeks'}")
              + (f"; {dropped} rows dropped (missing x, y or a control)" if dropped else "")
              + (f"; {excluded} rows left out by request" if excluded else ""))
    data = pd.DataFrame({"x": xv if form == "levels" else xv[rows], "y": yt, "fitted": fitted, "residual": resid},
                        index=dates)
    if form == "changes":
        data["x_change"] = xt
    else:  # the hinge alone (controls at zero) and y net of the controls' estimated effects, for charts
        data["hinge"] = params[0] + b_below * below_t + b_above * above_t
        data["y_net"] = data["hinge"] + resid
    profile = pd.DataFrame({"kink": grid, "ssr": ssr, "lr": lr, "f": f_grid})
    return HingeResult(name=f"Hinge regression of {y_name} on {x_name}", table=table, sample=sample, spec=spec,
                       n=n, start=dates[0], end=dates[-1], notes=notes, kink=kink, kink_ci=kink_boot,
                       kink_ci_profile=kink_ci_profile,
                       kink_grid=(float(grid[problem.admissible[0]]), float(grid[problem.admissible[-1]])),
                       boot_share_at_edge=(share_low, share_high), kink_ci_truncated=truncated, sup_f=sup_f,
                       controls=controls_table, inference=inference, inference_label=label, residual_ar1=ar1,
                       profile=profile, data=data, bootstrap=boot)


# --- benchmarks ----------------------------------------------------------------------------------

def ratio_to_usd_bn(ratio_pct: float, denominator_bn: float) -> float:
    """A reserve ratio (percent of GDP or of bank assets) in USD bn at a stated denominator."""
    return ratio_pct / 100.0 * denominator_bn


def usd_bn_to_ratio(usd_bn: float, denominator_bn: float) -> float:
    """USD bn as a percent of a stated denominator (GDP or bank assets, USD bn)."""
    return usd_bn / denominator_bn * 100.0


def kink_benchmarks(fit: HingeResult, ratio: str, denominator_bn: float, denominator_label: str,
                    latest_reserves_bn: float | None = None, latest_date: object = None,
                    bank_assets_to_gdp: float | None = None, bank_assets_to_gdp_label: str = "",
                    bank_assets_to_gdp_stale: bool = False) -> pd.DataFrame:
    """The estimated kink beside the article's USD 3tn line and the NY Fed's 12-13%.

    ``ratio`` says what the hinge's x was: ``"gdp"`` (reserves, percent of GDP),
    ``"bank_assets"`` (percent of bank assets) or ``"usd_bn"`` (reserves in USD bn). Each
    row gives the level as a percent of the stated denominator (``ratio_pct``) and in USD bn
    (``usd_bn``), with the bootstrap or profile interval where there is one. The denominator
    (``denominator_bn``) is GDP SAAR for ``"gdp"`` and ``"usd_bn"``, bank assets for
    ``"bank_assets"``. The NY Fed finding is in percent of bank assets; against GDP it is
    converted with ``bank_assets_to_gdp`` (bank assets / GDP at a stated date, a fraction,
    labelled by ``bank_assets_to_gdp_label``). With ``bank_assets_to_gdp_stale=True`` (the
    ratio's date lags the latest reserves by more than :data:`STALE_RATIO_WEEKS` weeks) those
    rows have ``indicative=True`` and say so in ``note``.
    """
    check_choice("ratio", ratio, RATIOS)
    if not denominator_bn > 0:
        raise ValueError(f"denominator_bn={denominator_bn!r} must be a positive number of USD bn")
    in_usd = ratio == "usd_bn"

    def from_pct(pct: float) -> float:  # a percent of the denominator in the units of x
        return pct / 100.0 * denominator_bn if in_usd else pct

    rows = []
    lo, hi = fit.kink_ci
    rows.append(("estimated kink", fit.kink, lo, hi, False,
                 f"hinge estimate, fixed-regressor bootstrap CI; conversion at {denominator_label}"))
    plo, phi = fit.kink_ci_profile
    rows.append(("estimated kink (profile CI)", fit.kink, plo, phi, False,
                 "same point estimate, profile-likelihood CI (i.i.d. errors)"))
    red_line = RESERVES_RED_LINE_BN if in_usd else usd_bn_to_ratio(RESERVES_RED_LINE_BN, denominator_bn)
    rows.append((f"article red line USD {RESERVES_RED_LINE_BN:,.0f}bn", red_line, np.nan, np.nan, False,
                 f"USD 3tn; ratio at {denominator_label}"))
    for pct in NYFED_STEEPENING_PCT_OF_BANK_ASSETS:
        if ratio == "bank_assets":
            rows.append((f"NY Fed steepening {pct:g}% of bank assets", pct, np.nan, np.nan, False,
                         "Afonso et al. (NY Fed SR 1019): the curve steepens below roughly 12-13% of bank assets"))
        elif bank_assets_to_gdp is not None and np.isfinite(bank_assets_to_gdp):
            converted = f"converted with bank assets / GDP = {bank_assets_to_gdp:.3f} ({bank_assets_to_gdp_label})"
            note = (f"INDICATIVE ONLY: stale bank assets / GDP; {converted}; the ratio has changed since, so this level "
                    "is approximate" if bank_assets_to_gdp_stale
                    else f"Afonso et al. (NY Fed SR 1019) in percent of bank assets, {converted}")
            rows.append((f"NY Fed steepening {pct:g}% of bank assets", from_pct(pct * bank_assets_to_gdp), np.nan, np.nan,
                         bank_assets_to_gdp_stale, note))
    if latest_reserves_bn is not None:
        when = pd.Timestamp(latest_date).date() if latest_date is not None else "latest"
        latest = latest_reserves_bn if in_usd else usd_bn_to_ratio(latest_reserves_bn, denominator_bn)
        rows.append((f"latest reserves ({when})", latest, np.nan, np.nan, False,
                     f"USD {latest_reserves_bn:,.0f}bn; ratio at {denominator_label}"))
    raw = pd.DataFrame(rows, columns=["benchmark", "x", "ci_low", "ci_high", "indicative", "note"]).set_index("benchmark")
    out = pd.DataFrame(index=raw.index)
    if in_usd:
        for col, src in (("usd_bn", "x"), ("ci_low_usd_bn", "ci_low"), ("ci_high_usd_bn", "ci_high")):
            out[col] = raw[src]
        for col, src in (("ratio_pct", "x"), ("ci_low_pct", "ci_low"), ("ci_high_pct", "ci_high")):
            out[col] = raw[src] / denominator_bn * 100
    else:
        for col, src in (("ratio_pct", "x"), ("ci_low_pct", "ci_low"), ("ci_high_pct", "ci_high")):
            out[col] = raw[src]
        for col, src in (("usd_bn", "x"), ("ci_low_usd_bn", "ci_low"), ("ci_high_usd_bn", "ci_high")):
            out[col] = raw[src] / 100 * denominator_bn
    out["denominator_bn"] = denominator_bn
    out["indicative"] = raw["indicative"].astype(bool)
    out["note"] = raw["note"]
    if ratio == "bank_assets":
        nyfed_conversion = "no conversion (the x axis is already in percent of bank assets)"
    elif bank_assets_to_gdp is not None and np.isfinite(bank_assets_to_gdp):
        nyfed_conversion = (f"bank assets / GDP = {bank_assets_to_gdp:.3f} ({bank_assets_to_gdp_label})"
                            + (", a stale ratio: indicative only" if bank_assets_to_gdp_stale else ""))
    else:
        nyfed_conversion = "no bank assets / GDP ratio available, so the NY Fed levels are not shown"
    out.attrs = {"denominator": denominator_label, "ratio": ratio, "nyfed_conversion": nyfed_conversion}
    return out[["ratio_pct", "ci_low_pct", "ci_high_pct", "usd_bn", "ci_low_usd_bn", "ci_high_usd_bn",
                "denominator_bn", "indicative", "note"]]


# --- a slope that drifts: state space --------------------------------------------------------------

class TimeVaryingRegression(MLEModel):
    """``y_t = a + b_t x_t + e_t`` with the slope ``b_t`` a random walk (a statsmodels ``MLEModel``).

    The intercept ``a`` is a state with no innovation (a constant, estimated by the filter);
    with ``random_intercept=True`` it is a random walk too (which then tends to absorb the
    slope's variation). Parameters: the variances of ``e`` and of the states' innovations, by
    maximum likelihood (diffuse initial states). Missing ``y`` are skipped by the Kalman filter.
    """

    def __init__(self, endog: np.ndarray, exog: np.ndarray, random_intercept: bool = False):
        exog = np.column_stack([np.ones(len(exog)), np.asarray(exog, dtype=float)])
        super().__init__(np.asarray(endog, dtype=float), k_states=2, exog=exog, initialization="diffuse")
        self.random_intercept = random_intercept
        self["design"] = exog.T[np.newaxis, :, :]
        self["transition"] = np.eye(2)
        self["selection"] = np.eye(2)

    @property
    def param_names(self) -> list[str]:
        return ["sigma2.obs", "sigma2.slope"] + (["sigma2.intercept"] if self.random_intercept else [])

    @property
    def start_params(self) -> np.ndarray:
        var = float(np.nanvar(self.endog[:, 0])) or 1.0
        return np.array([var / 2, var / 1000] + ([var / 100] if self.random_intercept else []))

    def transform_params(self, unconstrained: np.ndarray) -> np.ndarray:
        return np.asarray(unconstrained) ** 2

    def untransform_params(self, constrained: np.ndarray) -> np.ndarray:
        return np.asarray(constrained) ** 0.5

    def update(self, params, **kwargs):
        params = super().update(params, **kwargs)
        self["obs_cov", 0, 0] = params[0]
        self["state_cov"] = np.diag([params[2] if self.random_intercept else 0.0, params[1]])


def time_varying_slope(x: pd.Series, y: pd.Series, level: float = 0.95, random_intercept: bool = False) -> pd.DataFrame:
    """The smoothed random-walk slope of ``y`` on ``x`` (:class:`TimeVaryingRegression`), weekly.

    Columns ``slope`` (units of y per unit of x), ``low``/``high`` (a pointwise ``level``
    band from the smoothed state variance, conditional on the estimated variances),
    ``intercept``. ``attrs``: the estimated variances, the log likelihood and n. Rows: the
    dates of ``x`` from the first with both; a missing ``y`` is skipped, not filled.
    """
    check_fraction("level", level)
    both = pd.concat({"x": as_series("x", x), "y": as_series("y", y)}, axis=1, sort=True).dropna(subset=["x"])
    both = both.loc[both["y"].first_valid_index():]
    model = TimeVaryingRegression(both["y"].to_numpy(), both["x"].to_numpy(), random_intercept=random_intercept)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(disp=False, maxiter=200)
    z = float(stats.norm.ppf(0.5 + level / 2))
    slope = fit.smoothed_state[1]
    sd = np.sqrt(np.clip(fit.smoothed_state_cov[1, 1], 0, None))
    out = pd.DataFrame({"slope": slope, "low": slope - z * sd, "high": slope + z * sd,
                        "intercept": fit.smoothed_state[0]}, index=both.index)
    out.attrs = {"params": dict(zip(model.param_names, map(float, fit.params))), "llf": float(fit.llf),
                 "n": int(both["y"].notna().sum()), "level": level, "random_intercept": random_intercept}
    return out


# --- convenience on the real data --------------------------------------------------------------

@dataclass
class ReserveDemandResult(HingeResult):
    """:class:`HingeResult` on the real data plus ``benchmarks`` (kink vs USD 3tn and the NY
    Fed's 12-13%), ``rolling`` (trailing-window slope with EWC intervals), ``tvp`` (state-space
    slope, if asked for), ``panel`` (the weekly data) and ``choices`` (the specification)."""

    benchmarks: pd.DataFrame = field(default_factory=pd.DataFrame)
    rolling: pd.DataFrame = field(default_factory=pd.DataFrame)
    tvp: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel: pd.DataFrame = field(default_factory=pd.DataFrame)
    choices: dict = field(default_factory=dict)


def hinge_inputs(panel: pd.DataFrame, *, spread: str, ratio: str, weekly: str, exclude_sep2019: bool, admin: str,
                 calendar: bool, shifter: str | None) -> tuple[pd.Series, pd.Series, pd.DataFrame, pd.Series, list[str]]:
    """x, y, controls, rows to drop and plain-text pieces of the specification, from the weekly panel."""
    check_choice("spread", spread, SPREADS)
    check_choice("ratio", ratio, RATIOS)
    check_choice("weekly", weekly, WEEKLY_STATISTICS)
    check_choice("admin", admin, ADMIN_CONTROLS)
    check_choice("shifter", "none" if shifter is None else shifter, SHIFTERS)
    x = panel[RATIO_COLUMNS[ratio]]
    y = panel[spread if weekly == "mean" else f"{spread}_median"]
    controls = pd.DataFrame(index=panel.index)
    words = []
    usable = panel.index[x.notna() & y.notna()]
    drop = pd.Series(False, index=panel.index)
    if admin == "regimes":
        settings = panel.loc[usable, "setting"].dropna()
        reference = settings.iloc[-1] if len(settings) else None
        for label in dict.fromkeys(settings):
            if label != reference:
                controls[f"regime: {label}"] = (panel["setting"] == label).astype(float).where(panel["setting"].notna())
        words.append(f"one intercept per administered-rate setting (IORB and RRP minus the bottom of the range, from "
                     f"the data; reference: {reference}); weeks in which the setting changed left out")
        drop |= panel["setting_changed"].astype(bool)
    elif admin == "position":
        controls["iorb_position_bp"] = panel["iorb_position_bp"]
        controls["rrp_position_bp"] = panel["rrp_position_bp"]
        words.append("IORB and RRP minus the bottom of the target range (bp) as linear controls; weeks in which they "
                     "changed left out")
        drop |= panel["setting_changed"].astype(bool)
    else:
        words.append("no administered-rate control")
    if calendar:
        for column in CALENDAR_COLUMNS:
            controls[column] = panel[column]
        words.append("calendar dummies (month end, quarter end, mid-month coupon settlement, tax dates)")
    if shifter == "deposits":
        column = DEPOSIT_COLUMNS[ratio]
        dep = panel[column]
        last = dep.loc[usable].dropna()
        anchor = float(last.iloc[-1]) if len(last) else 0.0
        controls["deposits (previous week, from latest)"] = dep - anchor
        words.append(f"deposits shifter: {DEPOSIT_LABELS[ratio]} of the previous week minus its latest value "
                     f"({anchor:,.2f})")
    if exclude_sep2019:
        lo, hi = map(pd.Timestamp, SEP2019_WEEKS)
        drop |= (panel.index >= lo) & (panel.index <= hi)
        words.append(f"weeks ending {(lo + pd.offsets.Week(weekday=2)).date()}..{hi.date()} (Sep-Oct 2019) left out")
    return x, y, controls, drop, words


def run_reserve_demand(loader: Loader | None = None, *, spread: str = HEADLINE["spread"], ratio: str = HEADLINE["ratio"],
                       start: object = HEADLINE["start"], end: object = None, weekly: str = HEADLINE["weekly"],
                       exclude_sep2019: bool = HEADLINE["exclude_sep2019"], form: str = HEADLINE["form"],
                       admin: str = HEADLINE["admin"], calendar: bool = HEADLINE["calendar"],
                       shifter: str | None = HEADLINE["shifter"], inference: str = HEADLINE["inference"],
                       bootstrap: str = HEADLINE["bootstrap"], block_length: int = HEADLINE["block_length"],
                       bootstrap_reps: int = 499, n_grid: int = 200,
                       grid_quantiles: tuple[float, float] = (0.05, 0.95), min_side: int = 20, ci_level: float = 0.95,
                       seed: int = 0, min_days: int = 3, rolling_window: int = 104, tvp: bool = False,
                       denominator_bn: float | None = None, denominator_date: object = None,
                       panel: pd.DataFrame | None = None) -> ReserveDemandResult:
    """The hinge regression of a money-market spread on a reserve ratio, on the real data, weekly.

    The defaults are the headline (:data:`HEADLINE`, described in the module docstring): EFFR -
    IORB (weekly median) on reserves / bank assets from the 2015 liftoff, with regime
    intercepts, calendar dummies and the deposits shifter, EWC intervals and a sieve (AR) bootstrap.

    ``spread``: ``"effr_iorb_bp"`` or ``"sofr_iorb_bp"`` (from 2018-04). ``ratio``:
    ``"bank_assets"`` (percent of H.8 commercial bank assets; the snapshot's end in April
    2026), ``"gdp"`` (percent of GDP) or ``"usd_bn"`` (reserves in USD bn, the article's own
    terms). ``weekly``: ``"median"`` or ``"mean"`` of the business days. ``exclude_sep2019``
    leaves out the weeks of :data:`SEP2019_WEEKS`. ``form``: ``"levels"`` or ``"changes"``.
    ``admin``: ``"regimes"`` (intercepts), ``"position"`` (linear in the positions) or
    ``"none"``. ``calendar``: the calendar dummies. ``shifter``: ``"deposits"`` or ``"none"`` (or None).
    ``inference``/``bootstrap``/``block_length``/``bootstrap_reps`` and the grid: see
    :func:`fit_hinge`. ``rolling_window`` weeks for :func:`plumbing.models._base.rolling_slope`
    (EWC intervals); ``tvp=True`` adds :func:`time_varying_slope` of the spread net of the
    estimated control effects, with a random-walk level and slope.

    ``denominator_bn`` converts between the ratio and USD bn; by default the latest GDP (or,
    for ``ratio="bank_assets"``, bank assets) observation in the data, whose date is stated.
    ``denominator_date`` only labels a user-supplied denominator. ``panel``: a weekly panel from
    :func:`reserve_panel` to reuse (cut to ``start``..``end`` here).
    """
    check_choice("spread", spread, SPREADS)
    check_choice("ratio", ratio, RATIOS)
    loader = loader or Loader()
    if panel is None:
        panel = reserve_panel(loader, start=start, end=end, min_days=min_days)
    else:
        panel = panel.loc[as_timestamp("start", start):as_timestamp("end", end)]
    x_col = RATIO_COLUMNS[ratio]
    x, y, controls, drop, words = hinge_inputs(panel, spread=spread, ratio=ratio, weekly=weekly,
                                               exclude_sep2019=exclude_sep2019, admin=admin, calendar=calendar,
                                               shifter=shifter)
    fit = fit_hinge(x, y, controls=controls, form=form, drop=drop, n_grid=n_grid, grid_quantiles=grid_quantiles,
                    min_side=min_side, inference=inference, bootstrap=bootstrap, bootstrap_reps=bootstrap_reps,
                    block_length=block_length, ci_level=ci_level, seed=seed,
                    x_name=SPECIFICATION_CHOICES["ratio"][ratio], y_name=SPECIFICATION_CHOICES["spread"][spread],
                    x_unit=RATIO_UNITS[ratio], y_unit="bp")
    y_col = spread if weekly == "mean" else f"{spread}_median"
    rolling = rolling_slope(panel[x_col], panel[y_col], window=rolling_window, method=inference, level=ci_level)
    tvp_frame = pd.DataFrame()
    if tvp:  # the spread net of the estimated control effects, on the ratio, level and slope random walks
        used = fit.controls.index
        adjusted = y - (controls[used] * fit.controls["estimate"]).sum(axis=1) if len(used) else y
        tvp_frame = time_varying_slope(x, adjusted.where(~drop), level=ci_level, random_intercept=True)

    on_gdp = ratio in ("gdp", "usd_bn")
    raw_den = loader.common("gdp" if on_gdp else "bank_assets").dropna()
    if denominator_bn is None:
        denominator_bn = float(raw_den.iloc[-1])
        when = raw_den.index[-1]
        period = f"{when.year}Q{when.quarter} (SAAR)" if on_gdp else f"{when.date()}"
        denominator_label = f"{'nominal GDP' if on_gdp else 'commercial bank assets'} {period} = USD {denominator_bn:,.0f}bn"
    else:
        denominator_label = (f"stated {'GDP' if on_gdp else 'bank assets'} USD {denominator_bn:,.0f}bn"
                             + (f" ({pd.Timestamp(denominator_date).date()})" if denominator_date is not None else ""))
    reserves = panel["reserves_bn"].dropna()
    ba_to_gdp, ba_label, ba_stale = None, "", False
    if on_gdp:
        both = panel[["bank_assets_bn", "gdp_bn"]].dropna()
        if len(both):
            ba_to_gdp = float(both["bank_assets_bn"].iloc[-1] / both["gdp_bn"].iloc[-1])
            ba_stale = bool(reserves.index[-1] - both.index[-1] > pd.Timedelta(weeks=STALE_RATIO_WEEKS))
            ba_label = (f"week of {both.index[-1].date()}, the latest with H.8 bank assets; "
                        f"USD {both['bank_assets_bn'].iloc[-1]:,.0f}bn over GDP USD {both['gdp_bn'].iloc[-1]:,.0f}bn")
    benchmarks = kink_benchmarks(fit, ratio, denominator_bn, denominator_label, float(reserves.iloc[-1]),
                                 reserves.index[-1], ba_to_gdp, ba_label, ba_stale)

    no_spread = int(panel[spread].isna().sum())
    sample = (f"weekly (weeks ending Wednesday), {fit.sample}; spread weeks need >= {min_days} daily observations "
              f"({no_spread} of {len(panel)} reserve weeks in {date_span(panel.index)} lack the spread)")
    conversion = (f"kink in percent of GDP = kink USD bn / {denominator_label}" if ratio == "usd_bn"
                  else f"kink in USD bn = kink% x {denominator_label}")
    spec = (f"{SPECIFICATION_CHOICES['spread'][spread]} (weekly {weekly} of business days, bp) on "
            f"{SPECIFICATION_CHOICES['ratio'][ratio]} ({RATIO_UNITS[ratio]}); " + "; ".join(words)
            + ". " + fit.spec + f". Rolling slope: trailing {rolling_window} weeks, {HAR_LABELS[inference]}. {conversion}.")
    notes = list(fit.notes) + [
        "only reserves / bank assets is the NY Fed's ratio; other x's are compared with it through the benchmarks table",
    ] + ([] if admin != "none" else [
        "IOER/IORB was moved within the target range by technical adjustments (2018-06, 2018-12, 2019-05, 2020-01, "
        "2021-06): without administered-rate controls the spread is not a pure price of reserve scarcity"]) + (
        [f"the NY Fed rows convert 12-13% of bank assets to GDP terms with bank assets / GDP = {ba_to_gdp:.3f} "
         f"({ba_label})" + ("; that ratio is stale (more than "
                            f"{STALE_RATIO_WEEKS} weeks before the latest reserves), so those rows are indicative only"
                            if ba_stale else "")] if ba_to_gdp is not None else [])
    choices = {"spread": spread, "ratio": ratio, "start": str(as_timestamp("start", start).date()) if start else None,
               "weekly": weekly, "exclude_sep2019": exclude_sep2019, "form": form, "admin": admin,
               "calendar": calendar, "shifter": shifter, "inference": inference, "bootstrap": bootstrap,
               "block_length": block_length}
    return ReserveDemandResult(
        name=f"Reserve demand: hinge of {spread} on {x_col}", table=fit.table, sample=sample, spec=spec, n=fit.n,
        start=fit.start, end=fit.end, notes=notes, kink=fit.kink, kink_ci=fit.kink_ci,
        kink_ci_profile=fit.kink_ci_profile, kink_grid=fit.kink_grid, boot_share_at_edge=fit.boot_share_at_edge,
        kink_ci_truncated=fit.kink_ci_truncated, sup_f=fit.sup_f, controls=fit.controls, inference=fit.inference,
        inference_label=fit.inference_label, residual_ar1=fit.residual_ar1, profile=fit.profile, data=fit.data,
        bootstrap=fit.bootstrap, benchmarks=benchmarks, rolling=rolling, tvp=tvp_frame, panel=panel, choices=choices)


# --- robustness -----------------------------------------------------------------------------------

def describe_change(change: dict) -> str:
    """A short label of an alternative specification, e.g. ``"SOFR - IORB; Sep-Oct 2019 out"``."""
    parts = []
    for key, value in change.items():
        if key == "start":
            parts.append(f"from {as_timestamp('start', value).date()}")
        elif key == "end":
            parts.append(f"to {as_timestamp('end', value).date()}")
        elif key in SPECIFICATION_CHOICES and value in SPECIFICATION_CHOICES[key]:
            parts.append(SPECIFICATION_CHOICES[key][value])
        else:
            parts.append(f"{key}={value}")
    return "; ".join(parts) or "headline"


def robustness_table(loader: Loader | None = None, alternatives: list[str | dict] | tuple = (), *,
                     base: dict | None = None, bootstrap_reps: int = 499, n_grid: int = 200,
                     seed: int = 0) -> pd.DataFrame:
    """The headline (``base``, default :data:`HEADLINE`) and each alternative, one row each.

    ``alternatives``: names from :data:`ROBUSTNESS_MENU` (``"sofr"``, ``"sep2019_out"``, ...)
    or dicts of :func:`run_reserve_demand` arguments that differ from the base, e.g.
    ``{"spread": "sofr_iorb_bp"}``. Columns: ``specification`` (label), ``sample`` (dates and
    n), ``kink`` with its bootstrap interval, the kink in USD bn (at the latest denominator)
    with its interval, ``slope_below`` and ``slope_above`` with their headline (bootstrap)
    intervals, ``sup_f`` and ``sup_f_p`` (bootstrap p-value of the kink test),
    ``residual_ar1``, ``x_unit``. ``attrs["inference"]`` says how.
    """
    loader = loader or Loader()
    base = {**HEADLINE, **(base or {})}
    specs = specifications(alternatives, ROBUSTNESS_MENU, base, set(run_reserve_demand.__kwdefaults__) - {"panel"},
                           describe=describe_change)
    full = reserve_panel(loader, start=None, min_days=3)
    rows = []
    for label, spec in specs:
        result = run_reserve_demand(loader, panel=full, bootstrap_reps=bootstrap_reps, n_grid=n_grid, seed=seed, **spec)
        t, bench = result.table, result.benchmarks.loc["estimated kink"]
        rows.append({
            "specification": label,
            "sample": f"{result.start.date()}..{result.end.date()}, n={result.n}",
            "x_unit": RATIO_UNITS[spec["ratio"]],
            "kink": result.kink, "kink_ci_low": result.kink_ci[0], "kink_ci_high": result.kink_ci[1],
            "kink_usd_bn": bench["usd_bn"], "kink_ci_low_usd_bn": bench["ci_low_usd_bn"],
            "kink_ci_high_usd_bn": bench["ci_high_usd_bn"],
            "slope_below": t.loc["slope_below", "estimate"], "slope_below_ci_low": t.loc["slope_below", "ci_low"],
            "slope_below_ci_high": t.loc["slope_below", "ci_high"],
            "slope_above": t.loc["slope_above", "estimate"], "slope_above_ci_low": t.loc["slope_above", "ci_low"],
            "slope_above_ci_high": t.loc["slope_above", "ci_high"],
            "sup_f": result.sup_f["statistic"], "sup_f_p": result.sup_f["p_value"], "residual_ar1": result.residual_ar1,
        })
    out = pd.DataFrame(rows).set_index("specification")
    out.attrs = {"inference": (f"kink, slopes: {base.get('ci_level', 0.95):.0%} percentile "
                               f"intervals of a fixed-regressor {base['bootstrap']} bootstrap re-estimating the kink "
                               f"({bootstrap_reps} reps, {bootstrap_tuning(base['bootstrap'], base['block_length'])}); sup-F p-value from the same bootstrap under a straight line "
                               "with the same controls"),
                 "base": describe_change({k: v for k, v in base.items() if k in SPECIFICATION_CHOICES}),
                 "reps": bootstrap_reps}
    return out


def what_survives(table: pd.DataFrame, alpha: float = 0.05) -> list[str]:
    """Sentences, computed from :func:`robustness_table`, on which conclusions hold across specifications.

    Three conclusions of the headline are checked in every alternative: a kink exists (sup-F
    p < ``alpha``); below the kink the spread rises as reserves fall (slope below negative with
    an interval excluding zero); the kink, in USD bn, lies inside the headline's bootstrap
    interval (in USD bn).
    """
    head = table.iloc[0]
    alts = table.iloc[1:]
    lo, hi = head["kink_ci_low_usd_bn"], head["kink_ci_high_usd_bn"]
    x_unit = str(head.get("x_unit", ""))
    per_x = ("USD bn of reserves" if x_unit == "USD bn" else
             f"percentage point of reserves / {x_unit.removeprefix('percent of ')}" if x_unit.startswith("percent of ")
             else "unit of the reserve ratio")
    return [
        survival_sentence(f"A kink exists (sup-F bootstrap p < {alpha:g}; headline p = {p_text(head['sup_f_p'])})",
                          bool(head["sup_f_p"] < alpha), alts["sup_f_p"] < alpha),
        survival_sentence(f"The spread rises as reserves fall below the kink (slope below < 0, interval excluding "
                          f"zero; headline {head['slope_below']:.2f} [{head['slope_below_ci_low']:.2f}, "
                          f"{head['slope_below_ci_high']:.2f}] bp per {per_x})",
                          bool(head["slope_below_ci_high"] < 0), alts["slope_below_ci_high"] < 0),
        survival_sentence(f"The kink lies at the headline's level (inside its bootstrap interval USD {lo:,.0f}-"
                          f"{hi:,.0f}bn at today's denominator; headline USD {head['kink_usd_bn']:,.0f}bn)",
                          True, alts["kink_usd_bn"].between(lo, hi)),
        survival_sentence("Above the kink the curve is flat (slope above's interval includes zero)",
                          bool(head["slope_above_ci_low"] <= 0 <= head["slope_above_ci_high"]),
                          (alts["slope_above_ci_low"] <= 0) & (alts["slope_above_ci_high"] >= 0)),
    ]
