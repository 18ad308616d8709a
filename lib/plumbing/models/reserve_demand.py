"""Reserves and the "red line": where do reserves stop being abundant?

Question (article 004, brief): is "$3tn of reserves" a red line below which the price of
overnight cash rises? The estimate follows the reserve-demand-curve idea of the NY Fed
(Afonso, Giannone, La Spada and Williams, "Scarce, Abundant, or Ample? A Time-Varying Model
of the Reserve Demand Curve", NY Fed Staff Report 1019, 2022, revised 2024), whose published
finding is that the curve steepens once reserves fall below roughly 12-13% of commercial
bank assets. Here, much more simply:

* data, **weekly** (weeks ending Wednesday): reserves (WRESBAL, week average, USD bn);
  reserves as a percent of nominal GDP (latest completed quarter, SAAR) and, where H.8 bank
  assets exist (in the snapshot 1973 to April 2026), as a percent of commercial bank assets;
  the spreads EFFR - IORB and SOFR - IORB (IOER before 2021-07-29), in bp, averaged over the
  business days of the same week (weeks with fewer than ``min_days`` daily spreads are
  dropped and counted, never filled);
* a **hinge (piecewise-linear, continuous) regression** of the spread on the reserve ratio,
  ``spread = a + b_below * min(x - k, 0) + b_above * max(x - k, 0) + e``, with the kink
  ``k`` found by least squares over a fixed grid; confidence intervals for ``k`` from a
  moving-block bootstrap of the weekly pairs (the main interval) and from the profile
  likelihood (which assumes i.i.d. errors, so it is too narrow under autocorrelation), with
  the share of bootstrap kinks piled on an edge of the search grid (then the interval is cut
  by the grid); Newey-West (HAC) standard errors of the slopes and the level at the kink from
  the linearised model (none for ``k``: the fit is not smooth in the kink's location, so a
  delta-method standard error of ``k`` means nothing);
* a **rolling-window slope** of the spread on the ratio (trailing window of weeks, HAC
  standard errors): a time-varying semi-elasticity, bp per percentage point of the ratio;
* **benchmarks**: the kink converted back to USD bn at a stated denominator (GDP or bank
  assets of a stated date), beside the article's USD 3,000bn line, the NY Fed's 12% and
  13% of bank assets and the latest reserves. Against GDP the NY Fed's levels need bank
  assets / GDP, taken at the latest week with H.8 bank assets; when that week lags the
  latest reserves by more than ``STALE_RATIO_WEEKS`` those rows are flagged ``indicative``. The hinge can also be run on reserves in
  USD bn (``ratio="usd_bn"``), the article's own terms.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from ..indicators import RESERVES_RED_LINE_BN
from ..panel import Loader, as_timestamp
from ..quantities import quantity
from ._base import (ModelResult, as_series, check_choice, check_fraction, check_positive_int,
                    date_span, newey_west_lags, rolling_slope)

SPREADS = ("effr_iorb_bp", "sofr_iorb_bp")
RATIOS = ("gdp", "bank_assets", "usd_bn")
#: a bank assets / GDP ratio older than this (weeks before the latest reserves) is stale for conversions
STALE_RATIO_WEEKS = 26
RATIO_COLUMNS = {"gdp": "reserves_to_gdp_pct", "bank_assets": "reserves_to_bank_assets_pct", "usd_bn": "reserves_bn"}
RATIO_UNITS = {"gdp": "percent of GDP", "bank_assets": "percent of bank assets", "usd_bn": "USD bn"}
#: NY Fed (Afonso et al. 2022): the demand curve steepens below roughly 12-13% of bank assets
NYFED_STEEPENING_PCT_OF_BANK_ASSETS = (12.0, 13.0)


# --- data -----------------------------------------------------------------------------------

def weekly_mean_spread(daily: pd.Series, min_days: int = 3) -> pd.DataFrame:
    """Average a business-daily spread (bp) over weeks ending Wednesday.

    Returns columns ``mean`` (bp) and ``days`` (daily observations averaged), indexed by the
    Wednesday ending each week (the same weeks as WRESBAL's week averages). Weeks with fewer
    than ``min_days`` observations are dropped (not filled).
    """
    check_positive_int("min_days", min_days)
    daily = as_series("daily", daily).dropna()
    grouped = daily.resample("W-WED", label="right", closed="right")
    weekly = pd.DataFrame({"mean": grouped.mean(), "days": grouped.count()})
    weekly = weekly[weekly["days"] >= min_days]
    weekly.index.name = "date"
    return weekly


def reserve_panel(loader: Loader | None = None, start: object = "2009-01-01", end: object = None,
                  min_days: int = 3) -> pd.DataFrame:
    """Weekly panel (weeks ending Wednesday) of reserves, their ratios and the spreads.

    Columns: ``reserves_bn`` (WRESBAL week average, USD bn), ``gdp_bn`` (nominal GDP SAAR of
    the latest completed quarter, USD bn), ``bank_assets_bn`` (H.8 total assets of commercial
    banks, Wednesday level, USD bn; to 2026-04 in the snapshot), ``reserves_to_gdp_pct``,
    ``reserves_to_bank_assets_pct`` (percent), ``effr_iorb_bp`` and ``sofr_iorb_bp`` (weekly
    means of the daily spreads to IORB/IOER, bp) with ``effr_days`` and ``sofr_days``. Rows
    are the weeks on which reserves were observed; other columns may be missing there (they
    are not filled): GDP is the latest completed quarter (carried at most 66 business days by
    :func:`plumbing.load`), bank assets only where H.8 has a level for the same Wednesday.
    """
    loader = loader or Loader()
    start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
    # rows: the weeks on which WRESBAL itself was observed (no week carried past its end);
    # GDP: the latest completed quarter, carried by load() (at most 66 business days);
    # bank assets: the H.8 Wednesday level of the same Wednesday only (never carried)
    reserves = loader.common("reserves").dropna()
    bank_assets = loader.common("bank_assets").dropna()
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
    for name, short in (("effr_iorb_bp", "effr"), ("sofr_iorb_bp", "sofr")):
        weekly = weekly_mean_spread(quantity(name, loader=loader), min_days=min_days)
        panel[name] = weekly["mean"].reindex(panel.index)
        panel[f"{short}_days"] = weekly["days"].reindex(panel.index)
    panel = panel[panel["reserves_bn"].notna()]
    panel = panel.loc[start_ts:end_ts]
    panel.index.name = "date"
    panel.attrs = {"frequency": "weekly, weeks ending Wednesday", "min_days": min_days}
    return panel


# --- the hinge regression --------------------------------------------------------------------

@dataclass
class HingeResult(ModelResult):
    """A hinge regression: ``table`` rows are the parameters.

    Extra frames: ``profile`` (kink grid, SSR, likelihood-ratio statistic), ``data`` (x, y,
    fitted, residual), ``bootstrap`` (the kink and slopes of each bootstrap replication).
    """

    kink: float = float("nan")
    kink_ci: tuple[float, float] = (float("nan"), float("nan"))
    kink_ci_profile: tuple[float, float] = (float("nan"), float("nan"))
    #: the search grid's first and last candidate kink (units of x)
    kink_grid: tuple[float, float] = (float("nan"), float("nan"))
    #: shares of bootstrap kinks on the lowest / highest admissible grid point of their replication
    boot_share_at_edge: tuple[float, float] = (float("nan"), float("nan"))
    #: whether the bootstrap interval's lower / upper bound is set by the grid (it would reach further)
    kink_ci_truncated: tuple[bool, bool] = (False, False)
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    bootstrap: pd.DataFrame = field(default_factory=pd.DataFrame)


def _hinge_fit_grid(x: np.ndarray, y: np.ndarray, grid: np.ndarray, min_side: int) -> tuple[np.ndarray, np.ndarray]:
    """SSR and coefficients (a, b_below, b_above) of the hinge model at every grid kink."""
    d = x[None, :] - grid[:, None]
    design = np.stack([np.ones_like(d), np.minimum(d, 0.0), np.maximum(d, 0.0)], axis=-1)
    xtx = np.einsum("gni,gnj->gij", design, design)
    xty = np.einsum("gni,n->gi", design, y)
    below = (d < 0).sum(axis=1)
    ok = (below >= min_side) & ((len(x) - below) >= min_side)
    ssr = np.full(len(grid), np.inf)
    coef = np.full((len(grid), 3), np.nan)
    if ok.any():
        beta = np.linalg.solve(xtx[ok], xty[ok][..., None])[..., 0]
        resid = y[None, :] - np.einsum("gni,gi->gn", design[ok], beta)
        ssr[ok] = np.einsum("gn,gn->g", resid, resid)
        coef[ok] = beta
    return ssr, coef


def fit_hinge(x: pd.Series, y: pd.Series, *, n_grid: int = 400, grid_quantiles: tuple[float, float] = (0.05, 0.95),
              min_side: int = 20, bootstrap_reps: int = 499, block_length: int = 26, ci_level: float = 0.95,
              hac_lags: int | None = None, seed: int = 0, x_name: str = "x", y_name: str = "y",
              x_unit: str = "percent", y_unit: str = "bp") -> HingeResult:
    """Continuous piecewise-linear regression of ``y`` on ``x`` with one kink at an unknown point.

    Model: ``y = a + b_below * min(x - k, 0) + b_above * max(x - k, 0) + e`` (so ``a`` is the
    fitted ``y`` at the kink and the slopes are per unit of ``x`` on each side).

    Parameters (defaults are the specification, fixed in advance):
    ``n_grid`` (400) evenly spaced candidate kinks between the ``grid_quantiles`` (5th and
    95th percentiles) of ``x``, each with at least ``min_side`` (20) observations on either
    side; ``bootstrap_reps`` (499) moving-block bootstrap replications of the (x, y) pairs in
    time order with blocks of ``block_length`` (26) observations, refitted on the same grid
    (percentile intervals at ``ci_level``, 0.95; 0 reps skips the bootstrap); ``hac_lags``
    Newey-West lags for the standard errors (default: floor(4 (n/100)^(2/9))); ``seed`` for
    the bootstrap.

    The profile-likelihood interval is the range of grid kinks with
    ``n log(SSR(k)/SSR_min) <= chi2_1(ci_level)``; it assumes i.i.d. errors and is reported
    beside the bootstrap interval, not instead of it. ``x`` and ``y`` are aligned on their
    dates; rows missing either are dropped and counted.
    """
    check_positive_int("n_grid", n_grid, 3)
    check_positive_int("min_side", min_side, 2)
    check_positive_int("bootstrap_reps", bootstrap_reps, 0)
    check_positive_int("block_length", block_length, 1)
    check_fraction("ci_level", ci_level)
    if (not isinstance(grid_quantiles, (tuple, list)) or len(grid_quantiles) != 2
            or not 0 <= grid_quantiles[0] < grid_quantiles[1] <= 1):
        raise ValueError(f"grid_quantiles={grid_quantiles!r} is not valid; give (low, high) with 0 <= low < high <= 1")
    x, y = as_series("x", x), as_series("y", y)
    both = pd.concat({"x": x, "y": y}, axis=1, sort=True)
    dropped = int(both.isna().any(axis=1).sum())
    both = both.dropna()
    n = len(both)
    if n < 2 * min_side + 3:
        raise ValueError(f"only {n} complete observations; the hinge needs at least {2 * min_side + 3} "
                         f"(min_side={min_side} on each side of the kink)")
    xv, yv = both["x"].to_numpy(), both["y"].to_numpy()
    lo, hi = np.quantile(xv, grid_quantiles)
    grid = np.linspace(lo, hi, n_grid)
    ssr, coef = _hinge_fit_grid(xv, yv, grid, min_side)
    if not np.isfinite(ssr).any():
        raise ValueError("no grid kink leaves min_side observations on both sides; widen grid_quantiles or lower min_side")
    best = int(np.argmin(ssr))
    kink = float(grid[best])
    a, b_below, b_above = coef[best]
    fitted = a + b_below * np.minimum(xv - kink, 0) + b_above * np.maximum(xv - kink, 0)
    resid = yv - fitted

    # profile likelihood
    lr = n * np.log(ssr / ssr[best])
    crit = float(stats.chi2.ppf(ci_level, 1))
    inside = grid[np.isfinite(lr) & (lr <= crit)]
    kink_ci_profile = (float(inside.min()), float(inside.max()))

    # HAC standard errors from the linearised (NLS) model
    lags = newey_west_lags(n) if hac_lags is None else hac_lags
    check_positive_int("hac_lags", lags, 0)
    d = xv - kink
    jac = np.column_stack([np.ones(n), np.minimum(d, 0), np.maximum(d, 0),
                           -(b_below * (d < 0) + b_above * (d >= 0))])
    cov = sm.OLS(resid, jac).fit(cov_type="HAC", cov_kwds={"maxlags": lags}).cov_params()
    se = np.sqrt(np.diag(cov))
    se_change = float(np.sqrt(cov[1, 1] + cov[2, 2] - 2 * cov[1, 2]))

    # moving-block bootstrap of the pairs
    rng = np.random.default_rng(seed)
    boot_rows = []
    length = min(block_length, n)
    n_blocks = int(np.ceil(n / length))
    for _ in range(bootstrap_reps):
        starts = rng.integers(0, n - length + 1, size=n_blocks)
        idx = (starts[:, None] + np.arange(length)[None, :]).ravel()[:n]
        b_ssr, b_coef = _hinge_fit_grid(xv[idx], yv[idx], grid, min_side)
        if not np.isfinite(b_ssr).any():
            continue
        j = int(np.argmin(b_ssr))
        admissible = np.flatnonzero(np.isfinite(b_ssr))
        boot_rows.append((grid[j], b_coef[j, 0], b_coef[j, 1], b_coef[j, 2],
                          j == admissible[0], j == admissible[-1]))
    bootstrap = pd.DataFrame(boot_rows, columns=["kink", "at_kink", "slope_below", "slope_above",
                                                 "at_low_edge", "at_high_edge"])
    bootstrap["slope_change"] = bootstrap["slope_below"] - bootstrap["slope_above"]
    alpha = (1 - ci_level) / 2

    def boot_ci(column: str) -> tuple[float, float]:
        if len(bootstrap) < 2:
            return (float("nan"), float("nan"))
        values = bootstrap[column].to_numpy()
        return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))

    estimates = {
        "kink": (kink, se[3], boot_ci("kink")),
        "slope_below": (b_below, se[1], boot_ci("slope_below")),
        "slope_above": (b_above, se[2], boot_ci("slope_above")),
        "slope_change": (b_below - b_above, se_change, boot_ci("slope_change")),
        "at_kink": (a, se[0], boot_ci("at_kink")),
    }
    per_x = "percentage point" if x_unit.startswith("percent") else ("unit" if x_unit in ("", "x") else x_unit)
    descriptions = {
        "kink": f"kink k ({x_name}, {x_unit}; bootstrap and profile intervals only, no SE)",
        "slope_below": f"slope below k ({y_unit} per {per_x} of {x_name})",
        "slope_above": f"slope above k ({y_unit} per {per_x} of {x_name})",
        "slope_change": "slope below - slope above",
        "at_kink": f"fitted {y_name} at k ({y_unit})",
    }
    table = pd.DataFrame({
        "description": [descriptions[k] for k in estimates],
        "estimate": [v[0] for v in estimates.values()],
        # the kink's location has no meaningful delta-method SE (the SSR is not smooth in k):
        # its uncertainty is the bootstrap and profile intervals only
        "se_hac": [np.nan if name == "kink" else v[1] for name, v in estimates.items()],
        "t_hac": [np.nan if name == "kink" or v[1] <= 0 else v[0] / v[1] for name, v in estimates.items()],
        "ci_low_boot": [v[2][0] for v in estimates.values()],
        "ci_high_boot": [v[2][1] for v in estimates.values()],
        "ci_low_profile": [kink_ci_profile[0]] + [np.nan] * 4,
        "ci_high_profile": [kink_ci_profile[1]] + [np.nan] * 4,
    }, index=pd.Index(list(estimates), name="parameter"))

    linear = sm.OLS(yv, sm.add_constant(xv)).fit()
    r2_hinge = 1 - ssr[best] / float(((yv - yv.mean()) ** 2).sum())
    grid_step = float(grid[1] - grid[0])
    edge = best in (0, len(grid) - 1) or not np.isfinite(ssr[max(best - 1, 0)]) or not np.isfinite(ssr[min(best + 1, len(grid) - 1)])
    notes = [f"R2 hinge {r2_hinge:.3f} vs linear {linear.rsquared:.3f}",
             f"{len(bootstrap)} of {bootstrap_reps} bootstrap replications usable"]
    if edge:
        notes.append("the kink is at the edge of the admissible grid: the data do not locate it inside the range")
    # bootstrap kinks piled on an edge of the grid mean the interval is cut by the grid, not by the data
    if len(bootstrap):
        share_low, share_high = float(bootstrap["at_low_edge"].mean()), float(bootstrap["at_high_edge"].mean())
    else:
        share_low = share_high = float("nan")
    truncated = (bool(share_low > alpha), bool(share_high > alpha))
    if len(bootstrap):
        edge_note = (f"{share_low:.1%} of bootstrap kinks sit on the lowest admissible grid point (grid starts at "
                     f"{grid[0]:.3f}) and {share_high:.1%} on the highest (grid ends at {grid[-1]:.3f})")
        cut = [side for side, flag in zip(("lower", "upper"), truncated) if flag]
        edge_note += ("; more than the interval's tail share ({:.1%}) is there, so the bootstrap interval's {} bound "
                      "is truncated by the search grid (the data would put it further out)".format(alpha, " and ".join(cut))
                      if cut else "; the bootstrap interval is not truncated by the grid")
        notes.append(edge_note)
    spec = (f"OLS hinge {y_name} = a + b_below*min({x_name}-k,0) + b_above*max({x_name}-k,0) + e; k by grid search "
            f"over {n_grid} points from the {grid_quantiles[0]:.0%} to {grid_quantiles[1]:.0%} quantile of {x_name} "
            f"({lo:.3f}..{hi:.3f}, step {grid_step:.4f}), >= {min_side} obs each side; HAC (Newey-West, {lags} lags) "
            f"SEs of the slopes and level from the linearised model (no SE for k); {ci_level:.0%} CIs: moving-block bootstrap of pairs ({bootstrap_reps} reps, "
            f"blocks of {length}, seed {seed}, percentile) and profile likelihood for k (chi2(1), i.i.d. errors)")
    sample = f"{date_span(both.index)}, n={n}" + (f"; {dropped} rows dropped (missing x or y)" if dropped else "")
    data = both.assign(fitted=fitted, residual=resid)
    profile = pd.DataFrame({"kink": grid, "ssr": ssr, "lr": lr})
    return HingeResult(name=f"Hinge regression of {y_name} on {x_name}", table=table, sample=sample, spec=spec,
                       n=n, start=both.index[0], end=both.index[-1], notes=notes, kink=kink,
                       kink_ci=(table.loc["kink", "ci_low_boot"], table.loc["kink", "ci_high_boot"]),
                       kink_ci_profile=kink_ci_profile, kink_grid=(float(grid[0]), float(grid[-1])),
                       boot_share_at_edge=(share_low, share_high), kink_ci_truncated=truncated,
                       profile=profile, data=data, bootstrap=bootstrap)


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
    rows.append(("estimated kink", fit.kink, lo, hi, False, f"hinge estimate, bootstrap CI; conversion at {denominator_label}"))
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


# --- convenience on the real data --------------------------------------------------------------

@dataclass
class ReserveDemandResult(HingeResult):
    """:class:`HingeResult` on the real data plus ``benchmarks`` (kink vs USD 3tn and the NY
    Fed's 12-13%), ``rolling`` (time-varying slope) and ``panel`` (the weekly data)."""

    benchmarks: pd.DataFrame = field(default_factory=pd.DataFrame)
    rolling: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_reserve_demand(loader: Loader | None = None, *, spread: str = "effr_iorb_bp", ratio: str = "gdp",
                       start: object = "2009-01-01", end: object = None, min_days: int = 3,
                       n_grid: int = 400, grid_quantiles: tuple[float, float] = (0.05, 0.95), min_side: int = 20,
                       bootstrap_reps: int = 499, block_length: int = 26, ci_level: float = 0.95,
                       hac_lags: int | None = None, seed: int = 0, rolling_window: int = 104,
                       denominator_bn: float | None = None, denominator_date: object = None) -> ReserveDemandResult:
    """The hinge regression of a money-market spread on a reserve ratio, on the real data, weekly.

    ``spread``: ``"effr_iorb_bp"`` (default; the NY Fed's measure) or ``"sofr_iorb_bp"``
    (from 2018-04), bp, weekly mean of business days. ``ratio``: ``"gdp"`` (reserves / GDP,
    percent, default), ``"bank_assets"`` (reserves / commercial bank assets, percent; the
    snapshot's H.8 bank assets end in April 2026) or ``"usd_bn"`` (reserves in USD bn, the
    article's own terms, which ignore the growth of the economy and the banks). ``start`` defaults to 2009-01-01 (IOER
    began 2008-10-09; its first weeks had a floor that did not hold). Other parameters: see
    :func:`fit_hinge` and :func:`rolling_slope` (``rolling_window`` weeks, HAC lags 4).

    ``denominator_bn`` converts between the ratio and USD bn; by default the latest GDP (or,
    for ``ratio="bank_assets"``, bank assets) observation in the data, whose date is stated. ``denominator_date`` only labels a
    user-supplied denominator.
    """
    check_choice("spread", spread, SPREADS)
    check_choice("ratio", ratio, RATIOS)
    loader = loader or Loader()
    panel = reserve_panel(loader, start=start, end=end, min_days=min_days)
    x_col = RATIO_COLUMNS[ratio]
    fit = fit_hinge(panel[x_col], panel[spread], n_grid=n_grid, grid_quantiles=grid_quantiles, min_side=min_side,
                    bootstrap_reps=bootstrap_reps, block_length=block_length, ci_level=ci_level, hac_lags=hac_lags,
                    seed=seed, x_name=x_col, y_name=spread, x_unit=RATIO_UNITS[ratio], y_unit="bp")
    rolling = rolling_slope(panel[x_col], panel[spread], window=rolling_window, hac_lags=4)

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
    spec = (f"{spread} (weekly mean, bp) on {x_col} ({RATIO_UNITS[ratio]}). " + fit.spec +
            f". Rolling slope: trailing {rolling_window} weeks, HAC 4 lags. {conversion}.")
    notes = list(fit.notes) + [
        "IOER/IORB was moved within the target range by technical adjustments (2018-06, 2018-12, 2019-05, 2021-06), "
        "and the 2009-2015 zero-lower-bound years had EFFR below IOER for institutional reasons (GSE lending): "
        "the spread is not a pure price of reserve scarcity",
        "only reserves / bank assets is the NY Fed's ratio; other x's are compared with it through the benchmarks table",
    ] + ([f"the NY Fed rows convert 12-13% of bank assets to GDP terms with bank assets / GDP = {ba_to_gdp:.3f} "
          f"({ba_label})" + ("; that ratio is stale (more than "
                             f"{STALE_RATIO_WEEKS} weeks before the latest reserves), so those rows are indicative only"
                             if ba_stale else "")] if ba_to_gdp is not None else [])
    return ReserveDemandResult(
        name=f"Reserve demand: hinge of {spread} on {x_col}", table=fit.table, sample=sample, spec=spec, n=fit.n,
        start=fit.start, end=fit.end, notes=notes, kink=fit.kink, kink_ci=fit.kink_ci,
        kink_ci_profile=fit.kink_ci_profile, kink_grid=fit.kink_grid, boot_share_at_edge=fit.boot_share_at_edge,
        kink_ci_truncated=fit.kink_ci_truncated, profile=fit.profile, data=fit.data, bootstrap=fit.bootstrap,
        benchmarks=benchmarks, rolling=rolling, panel=panel)
