"""Net liquidity and equities: does "net liquidity drive stocks"?

Net liquidity = Fed total assets - TGA (week average) - ON RRP, USD bn, **weekly**
(Wednesdays; :func:`plumbing.quantities.quantity` ``"net_liquidity"``). Equity indexes are
the Wednesday closes of the S&P 500 and the Nasdaq Composite (index points; a holiday
Wednesday takes the close at most 2 business days earlier, as :func:`plumbing.load` does).

1. **Levels mislead.** Both series trend. ADF unit-root tests on levels and on changes, and
   the Engle-Granger cointegration test of the index on net liquidity (in levels and in
   logs): without cointegration, the high R-squared of a regression in levels is the
   spurious-regression result of Granger and Newbold (1974), not evidence.
2. **Work in changes.** Weekly log returns of the index (percent) against the weekly change
   of net liquidity (percent log change by default, or USD bn): the regression beta with
   HAC standard errors, a rolling beta (an elasticity when liquidity is in percent), Granger
   causality in both directions in a bivariate VAR whose lag is chosen by an information
   criterion (heteroskedasticity-robust Wald tests, also without the Feb-Jul 2020 weeks,
   beside the classical F test), and the VAR's impulse responses.
3. **The "fair value" rule** that circulated from late 2022, ``S&P 500 = net liquidity (USD
   bn) / 1.1 - 1625``, evaluated after it began circulating: the error (percent and
   points), the hit rate of its +/- band, the drift of the error over time and its
   persistence, as descriptive numbers (no t-statistics; see :func:`evaluate_fair_value_rule`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tsa.api import VAR
from statsmodels.tsa.stattools import adfuller, coint

from ..panel import Loader, as_timestamp
from ..quantities import quantity
from ._base import (ModelResult, as_series, check_choice, check_positive_int, date_span,
                    last_contiguous_block, newey_west_lags, ordered_index, rolling_slope, specifications,
                    survival_sentence)

ASSETS = ("spx", "nasdaq")
LIQUIDITY_CHANGES = ("pct", "bn")
INFORMATION_CRITERIA = ("aic", "bic", "hqic", "fpe")
#: the popular rule: S&P 500 = net liquidity (USD bn) / 1.1 - 1625
FAIR_VALUE_DIVISOR = 1.1
FAIR_VALUE_OFFSET = 1625.0
WEEKLY = "W-WED"


# --- data ------------------------------------------------------------------------------------

def weekly_panel(net_liquidity_bn: pd.Series, prices: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Net liquidity (USD bn) and index levels on common Wednesdays, the last contiguous run.

    ``net_liquidity_bn``: weekly Series on Wednesdays; ``prices``: index levels with a
    DatetimeIndex (Wednesdays). Returns the frame (``net_liquidity_bn`` plus one column per
    price) restricted to the last run of consecutive Wednesdays on which every column is
    known, and a sentence saying what was left out (weekly net liquidity has gaps before
    2013-09, when ON RRP did not operate every week; gaps are dropped, never filled).
    """
    nl = as_series("net_liquidity_bn", net_liquidity_bn).rename("net_liquidity_bn")
    if not isinstance(prices, pd.DataFrame) or not isinstance(prices.index, pd.DatetimeIndex):
        raise TypeError("prices must be a DataFrame with a DatetimeIndex")
    frame = pd.concat([nl, prices.astype(float)], axis=1, sort=True).dropna(how="all")
    frame = frame[frame.index.day_of_week == 2]
    block, left_out = last_contiguous_block(frame, WEEKLY)
    if block.empty:
        raise ValueError("no Wednesday has net liquidity and every price")
    note = (f"last run of consecutive complete Wednesdays {date_span(block.index)} (n={len(block)}); "
            f"{left_out} complete earlier Wednesdays before a gap left out")
    block.index.name = "date"
    return block, note


def weekly_changes(panel: pd.DataFrame, liquidity_change: str = "pct") -> pd.DataFrame:
    """Weekly changes: ``d_net_liquidity`` and one log return (percent) per index column.

    ``liquidity_change="pct"``: 100 x log change of net liquidity (percent); ``"bn"``: the
    change in USD bn. Index returns are 100 x log change of the Wednesday close (percent).
    The first week (no change) is dropped.
    """
    check_choice("liquidity_change", liquidity_change, LIQUIDITY_CHANGES)
    if "net_liquidity_bn" not in panel:
        raise KeyError("panel lacks the column net_liquidity_bn; build it with weekly_panel()")
    nl = panel["net_liquidity_bn"]
    if liquidity_change == "pct":
        if (nl <= 0).any():
            raise ValueError("net liquidity is not positive on every date; use liquidity_change='bn'")
        d_nl = 100 * np.log(nl).diff()
    else:
        d_nl = nl.diff()
    out = pd.DataFrame({"d_net_liquidity": d_nl})
    for column in panel.columns.drop("net_liquidity_bn"):
        out[column] = 100 * np.log(panel[column]).diff()
    out = out.iloc[1:]
    out.attrs = {"liquidity_change": liquidity_change}
    return out


# --- 1. levels mislead ----------------------------------------------------------------------

def unit_root_table(panel: pd.DataFrame, changes: pd.DataFrame, regression_levels: str = "ct",
                    regression_changes: str = "c", autolag: str = "AIC", maxlag: int | None = None) -> ModelResult:
    """Augmented Dickey-Fuller tests on the levels (logs for indexes) and on the weekly changes.

    Levels: net liquidity in USD bn and the log of each index, ADF with constant and trend
    (``regression_levels="ct"``); changes: with a constant (``"c"``). Lags chosen by
    ``autolag`` (AIC) up to ``maxlag`` (statsmodels default 12 (n/100)^(1/4)). H0: unit root.
    """
    for name, value in (("regression_levels", regression_levels), ("regression_changes", regression_changes)):
        check_choice(name, value, ("c", "ct", "ctt", "n"))
    check_choice("autolag", autolag, ("AIC", "BIC", "t-stat", None))
    rows = []
    level_series = {"net_liquidity_bn": panel["net_liquidity_bn"]}
    level_series.update({f"log_{c}": np.log(panel[c]) for c in panel.columns if c != "net_liquidity_bn"})
    for name, series in level_series.items():
        rows.append(_adf_row(name, "level", series, regression_levels, autolag, maxlag))
    for name in changes.columns:
        rows.append(_adf_row(name, "weekly change", changes[name], regression_changes, autolag, maxlag))
    table = ordered_index(pd.DataFrame(rows), ["series", "form"])
    return ModelResult(
        name="ADF unit-root tests", table=table,
        sample=f"weekly, levels {date_span(panel.index)} (n={len(panel)}), changes {date_span(changes.index)} (n={len(changes)})",
        spec=(f"ADF, H0 unit root; levels with regression='{regression_levels}', changes with '{regression_changes}'; "
              f"lags by {autolag} (maxlag {maxlag if maxlag is not None else 'statsmodels default'}); MacKinnon p-values"),
        n=len(panel), start=panel.index[0], end=panel.index[-1])


def _adf_row(name: str, form: str, series: pd.Series, regression: str, autolag: str, maxlag: int | None) -> dict:
    values = series.dropna().to_numpy()
    try:  # statsmodels >= 0.15 asks for the return type; 0.14 does not know the argument
        out = adfuller(values, maxlag=maxlag, regression=regression, autolag=autolag, result_object=False)
    except TypeError:
        out = adfuller(values, maxlag=maxlag, regression=regression, autolag=autolag)
    stat, pvalue, lags, nobs, crit = out[:5]
    return {"series": name, "form": form, "adf_stat": stat, "p_value": pvalue, "lags": lags, "nobs": nobs,
            "crit_5pct": crit["5%"], "regression": regression}


def levels_vs_changes(panel: pd.DataFrame, changes: pd.DataFrame, asset: str, trend: str = "c",
                      hac_lags: int | None = None) -> ModelResult:
    """The regression in levels beside the Engle-Granger test and the regression in changes.

    Rows: ``levels`` (index points on net liquidity USD bn, OLS; naive and HAC SEs, R2,
    Durbin-Watson), ``logs`` (log index on log net liquidity), each with the Engle-Granger
    cointegration p-value (``coint``, ``trend``, lags by AIC; H0: no cointegration) and the
    ADF statistic of its residual; ``changes`` (weekly log return on the weekly liquidity
    change, HAC SEs). A high levels R2 with a large cointegration p-value and a Durbin-Watson
    far below 2 is the signature of a spurious regression.
    """
    check_choice("asset", asset, [c for c in panel.columns if c != "net_liquidity_bn"])
    check_choice("trend", trend, ("c", "ct", "ctt", "n"))
    lags = newey_west_lags(len(panel)) if hac_lags is None else hac_lags
    rows = []
    for form, y, x in (("levels", panel[asset], panel["net_liquidity_bn"]),
                       ("logs", np.log(panel[asset]), np.log(panel["net_liquidity_bn"]))):
        design = sm.add_constant(x.to_numpy())
        naive = sm.OLS(y.to_numpy(), design).fit()
        hac = sm.OLS(y.to_numpy(), design).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
        eg_stat, eg_p, _ = coint(y.to_numpy(), x.to_numpy(), trend=trend, autolag="aic")
        rows.append({"form": form, "slope": naive.params[1], "se_naive": naive.bse[1], "se_hac": hac.bse[1],
                     "t_naive": naive.tvalues[1], "t_hac": hac.tvalues[1], "r2": naive.rsquared,
                     "durbin_watson": durbin_watson(naive.resid), "coint_stat": eg_stat, "coint_p": eg_p,
                     "n": int(naive.nobs)})
    design = sm.add_constant(changes["d_net_liquidity"].to_numpy())
    fit = sm.OLS(changes[asset].to_numpy(), design).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    naive = sm.OLS(changes[asset].to_numpy(), design).fit()
    rows.append({"form": "changes", "slope": fit.params[1], "se_naive": naive.bse[1], "se_hac": fit.bse[1],
                 "t_naive": naive.tvalues[1], "t_hac": fit.tvalues[1], "r2": fit.rsquared,
                 "durbin_watson": durbin_watson(fit.resid), "coint_stat": np.nan, "coint_p": np.nan,
                 "n": int(fit.nobs)})
    table = pd.DataFrame(rows).set_index("form")
    unit = "percent log change" if changes.attrs.get("liquidity_change", "pct") == "pct" else "USD bn change"
    return ModelResult(
        name=f"{asset} on net liquidity: levels vs changes", table=table,
        sample=f"weekly (Wednesdays), levels {date_span(panel.index)} n={len(panel)}; changes n={len(changes)}",
        spec=(f"OLS {asset} = c + slope x net liquidity: levels (points on USD bn), logs (log on log), changes "
              f"(weekly log return % on weekly net liquidity {unit}); HAC Newey-West {lags} lags; Engle-Granger "
              f"cointegration (statsmodels coint, trend '{trend}', AIC lags), H0 no cointegration"),
        n=len(panel), start=panel.index[0], end=panel.index[-1])


# --- 2. changes: rolling beta, Granger, VAR --------------------------------------------------

def rolling_beta(returns: pd.Series, liquidity_change: pd.Series, window: int = 52, method: str = "ewc") -> pd.DataFrame:
    """Trailing ``window``-week OLS beta of weekly index returns on weekly liquidity changes.

    Columns ``slope`` (percent return per unit of liquidity change), ``se``, ``low``/``high``
    (95% interval by ``method``, EWC by default), ``dof``, ``n``, ``window_start``; see
    :func:`plumbing.models._base.rolling_slope`.
    """
    return rolling_slope(liquidity_change, returns, window=window, method=method)


def select_var_lag(data: pd.DataFrame, maxlags: int = 8, ic: str = "aic") -> tuple[int, dict[str, int]]:
    """The VAR lag chosen by ``ic`` among 1..``maxlags`` (a choice of 0 is raised to 1).

    Returns the lag and the lags every criterion would choose.
    """
    check_positive_int("maxlags", maxlags, 1)
    check_choice("ic", ic, INFORMATION_CRITERIA)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns about the frequency of the index
        orders = VAR(data.reset_index(drop=True)).select_order(maxlags).selected_orders
    return max(1, int(orders[ic])), {k: int(v) for k, v in orders.items()}


GRANGER_COV_TYPES = ("HC0", "HC1", "HC2", "HC3", "HAC")
#: the weeks left out by the robustness row of the Granger table: the pandemic months
GRANGER_EXCLUDE = ("2020-02-01", "2020-07-31")


def robust_granger_test(data: pd.DataFrame, caused: str, causing: str, lag: int, cov_type: str = "HC1",
                        hac_lags: int | None = None) -> dict:
    """Heteroskedasticity-robust Granger test of ``causing`` -> ``caused`` at ``lag`` lags.

    OLS of ``caused`` on a constant and lags 1..``lag`` of both variables (one equation of the
    VAR); a Wald test that the ``lag`` coefficients on ``causing``'s lags are jointly zero, with
    a robust covariance: ``cov_type`` ``"HC1"`` (default; White with the small-sample factor)
    or ``"HC0"``/``"HC2"``/``"HC3"``/``"HAC"`` (Newey-West, ``hac_lags``, default the
    Newey-West rule). Rows with a missing value in the variable or any of its lags are left
    out, so blanking weeks (NaN) removes them both as observations and as lags. Returns the
    statistic in F form (Wald chi2 / ``lag``), its p-value (F(``lag``, n - k)), the chi2 form
    and its p-value, and n.
    """
    check_choice("cov_type", cov_type, GRANGER_COV_TYPES)
    check_positive_int("lag", lag, 1)
    lagged = {f"{column}_l{k}": data[column].shift(k) for column in (caused, causing) for k in range(1, lag + 1)}
    frame = pd.concat({"y": data[caused], **lagged}, axis=1).dropna()
    if len(frame) < 4 * lag + 10:
        raise ValueError(f"only {len(frame)} complete weeks for a Granger test with {lag} lags")
    kwargs = {}
    if cov_type == "HAC":
        kwargs = {"cov_kwds": {"maxlags": newey_west_lags(len(frame)) if hac_lags is None else hac_lags}}
    fit = sm.OLS(frame["y"], sm.add_constant(frame.drop(columns="y"))).fit(cov_type=cov_type, **kwargs)
    restriction = ", ".join(f"{causing}_l{k} = 0" for k in range(1, lag + 1))
    f_test = fit.wald_test(restriction, use_f=True, scalar=True)
    chi2_test = fit.wald_test(restriction, use_f=False, scalar=True)
    return {"wald_f": float(f_test.statistic), "p_value": float(f_test.pvalue),
            "wald_chi2": float(chi2_test.statistic), "p_value_chi2": float(chi2_test.pvalue), "n": int(fit.nobs)}


def granger_both_ways(changes: pd.DataFrame, asset: str, liquidity: str = "d_net_liquidity", maxlags: int = 8,
                      ic: str = "aic", cov_type: str = "HC1",
                      exclude: tuple[object, object] | None = GRANGER_EXCLUDE) -> pd.DataFrame:
    """Granger causality in a bivariate VAR, both directions, lag chosen by ``ic``.

    Returns two rows (``liquidity -> asset`` and ``asset -> liquidity``), each with:

    * ``lag`` (chosen by ``ic`` on the full sample, and kept for every test below) and the
      lags every criterion would have chosen (``lags_by_ic``);
    * ``p_value_robust`` (the main test): :func:`robust_granger_test` with ``cov_type``
      (default HC1), statistic ``wald_f_robust`` (F form);
    * ``p_value_robust_excl`` and ``n_excl``: the same robust test with the weeks from
      ``exclude[0]`` to ``exclude[1]`` left out, as observations and as lags (default
      2020-02-01..2020-07-31, the pandemic weeks in which both series made their largest
      moves; None skips it);
    * ``f_stat``, ``df_num``, ``df_den``, ``p_value``: the classical VAR F test (statsmodels
      ``test_causality``), which assumes homoskedastic errors, for comparison.
    """
    check_choice("cov_type", cov_type, GRANGER_COV_TYPES)
    data = changes[[liquidity, asset]].dropna()
    lag, orders = select_var_lag(data, maxlags, ic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = VAR(data.reset_index(drop=True)).fit(lag)
    trimmed, excluded = None, ""
    if exclude is not None:
        lo, hi = as_timestamp("exclude[0]", exclude[0]), as_timestamp("exclude[1]", exclude[1])
        if lo is None or hi is None or hi < lo:
            raise ValueError(f"exclude={exclude!r} is not valid; give (first, last) ISO dates with first <= last")
        trimmed = data.copy()
        trimmed.loc[lo:hi] = np.nan  # blanked weeks drop out as observations and as lags of later weeks
        excluded = f"{lo.date()}..{hi.date()}"
    rows = []
    for caused, causing in ((asset, liquidity), (liquidity, asset)):
        test = fit.test_causality(caused, causing, kind="f")
        robust = robust_granger_test(data, caused, causing, lag, cov_type)
        excl = robust_granger_test(trimmed, caused, causing, lag, cov_type) if trimmed is not None else None
        rows.append({"asset": asset, "direction": f"{causing} -> {caused}", "lag": lag, "ic": ic,
                     "cov_type": cov_type, "wald_f_robust": robust["wald_f"], "p_value_robust": robust["p_value"],
                     "n": robust["n"], "excluded": excluded,
                     "p_value_robust_excl": excl["p_value"] if excl else np.nan,
                     "n_excl": excl["n"] if excl else 0,
                     "f_stat": float(test.test_statistic), "df_num": int(test.df[0]), "df_den": int(test.df[1]),
                     "p_value": float(test.pvalue),
                     "lags_by_ic": ", ".join(f"{k}={v}" for k, v in orders.items())})
    return pd.DataFrame(rows)


def var_impulse_responses(changes: pd.DataFrame, asset: str, liquidity: str = "d_net_liquidity", lag: int | None = None,
                          maxlags: int = 8, ic: str = "aic", periods: int = 12, orth: bool = True) -> pd.DataFrame:
    """Impulse responses of a bivariate VAR (liquidity ordered first), with asymptotic SEs.

    ``orth=True``: responses to a one-standard-deviation orthogonalised (Cholesky) shock with
    liquidity ordered first (liquidity may move the index within the week, not the reverse);
    ``orth=False``: to a one-unit reduced-form shock. Tidy columns: impulse, response,
    horizon (weeks), irf, se, lower, upper (pointwise 95% interval at each horizon, +/-1.96
    asymptotic se; not a joint band over horizons), cum_irf, cum_se, and ``shock_size``: the
    size of the impulse in the impulse variable's units (one standard deviation of its
    orthogonalised innovation, the Cholesky diagonal, or 1 when ``orth=False``). Units: the
    response variable's (percent, or USD bn for a liquidity change in bn).
    """
    check_positive_int("periods", periods, 1)
    data = changes[[liquidity, asset]].dropna()
    if lag is None:
        lag, _ = select_var_lag(data, maxlags, ic)
    check_positive_int("lag", lag, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = VAR(data.reset_index(drop=True)).fit(lag)
        irf = fit.irf(periods)
        values = irf.orth_irfs if orth else irf.irfs
        se = irf.stderr(orth=orth)
        cum = irf.orth_cum_effects if orth else irf.cum_effects
        cum_se = irf.cum_effect_stderr(orth=orth)
    names = list(data.columns)
    sizes = np.diag(np.linalg.cholesky(np.asarray(fit.sigma_u))) if orth else np.ones(len(names))
    rows = []
    for i, response in enumerate(names):
        for j, impulse in enumerate(names):
            for h in range(periods + 1):
                rows.append({"impulse": impulse, "response": response, "horizon": h, "irf": values[h, i, j],
                             "se": se[h, i, j], "cum_irf": cum[h, i, j], "cum_se": cum_se[h, i, j],
                             "shock_size": float(sizes[j])})
    out = pd.DataFrame(rows)
    out["lower"] = out["irf"] - 1.96 * out["se"]
    out["upper"] = out["irf"] + 1.96 * out["se"]
    out.attrs = {"lag": lag, "orth": orth, "order": names, "n": int(fit.nobs)}
    return out


# --- 3. the fair-value rule --------------------------------------------------------------------

@dataclass
class FairValueResult(ModelResult):
    """The rule's error table plus ``path``: weekly net liquidity, S&P 500, fair value, errors."""

    path: pd.DataFrame = field(default_factory=pd.DataFrame)


def fair_value(net_liquidity_bn: pd.Series, divisor: float = FAIR_VALUE_DIVISOR,
               offset: float = FAIR_VALUE_OFFSET) -> pd.Series:
    """The popular rule: S&P 500 "fair value" = net liquidity (USD bn) / ``divisor`` - ``offset``."""
    if not divisor > 0:
        raise ValueError(f"divisor={divisor!r} must be a positive number")
    return (as_series("net_liquidity_bn", net_liquidity_bn) / divisor - offset).rename("fair_value")


def evaluate_fair_value_rule(net_liquidity_bn: pd.Series, spx: pd.Series, start: object = "2022-11-01",
                             end: object = None, band_pct: float = 10.0, divisor: float = FAIR_VALUE_DIVISOR,
                             offset: float = FAIR_VALUE_OFFSET, before_start: object = "2020-01-01") -> FairValueResult:
    """The fair-value rule out of sample, from ``start`` (default 2022-11-01, when it circulated).

    Weekly (the dates of ``net_liquidity_bn`` that also have an S&P 500 close). Error =
    S&P 500 - fair value, in points and in percent of fair value. For the window before
    ``start`` (from ``before_start``, default 2020-01-01: the period the rule was drawn on)
    and for ``start``..``end`` (out of sample) the table gives descriptive numbers only: mean
    error (percent and points), mean absolute and root-mean-square error (percent), the hit
    rate of the +/- ``band_pct`` band (share of weeks with |error| <= band), the drift of the
    percent error (OLS slope on time in years, percentage points per year), the first-order
    autocorrelation of the weekly percent error (OLS AR(1) coefficient) and the first and last
    errors. No standard errors or t-statistics: testing a hit rate against zero answers no
    question, and an error whose AR(1) coefficient is close to one behaves like a random walk,
    for which HAC t-statistics on its mean or time trend are not valid (they reject far too
    often, the spurious-trend problem). The weekly path is in ``.path``.
    """
    start_ts = as_timestamp("start", start)
    end_ts = as_timestamp("end", end)
    before_ts = as_timestamp("before_start", before_start)
    if start_ts is None:
        raise ValueError("start=None is not valid; give the date the rule began circulating, e.g. '2022-11-01'")
    if not (isinstance(band_pct, (int, float)) and band_pct > 0):
        raise ValueError(f"band_pct={band_pct!r} is not valid; it must be a positive percentage such as 10")
    if before_ts is not None and before_ts >= start_ts:
        raise ValueError(f"before_start={before_ts.date()} must be before start={start_ts.date()}")
    fv = fair_value(net_liquidity_bn, divisor, offset)
    frame = pd.concat({"net_liquidity_bn": as_series("net_liquidity_bn", net_liquidity_bn), "spx": as_series("spx", spx),
                       "fair_value": fv}, axis=1, sort=True).dropna()
    frame = frame.loc[:end_ts]
    frame["error_pts"] = frame["spx"] - frame["fair_value"]
    frame["error_pct"] = (frame["spx"] / frame["fair_value"] - 1) * 100
    frame["log_gap_pct"] = 100 * np.log(frame["spx"] / frame["fair_value"].where(frame["fair_value"] > 0))
    frame["within_band"] = (frame["error_pct"].abs() <= band_pct).astype(float)
    windows = {"out_of_sample": frame.loc[start_ts:]}
    if before_ts is not None:
        windows = {"before_start": frame.loc[before_ts:start_ts - pd.Timedelta(days=1)], **windows}
    if len(windows["out_of_sample"]) < 5:
        raise ValueError(f"only {len(windows['out_of_sample'])} weeks from {start_ts.date()}; choose an earlier start")
    rows = []
    for period, part in windows.items():
        if len(part) < 5:
            continue
        error = part["error_pct"].to_numpy()
        years = ((part.index - part.index[0]).days / 365.25).to_numpy()
        drift = float(np.polyfit(years, error, 1)[0])
        ar1 = float(sm.OLS(error[1:], sm.add_constant(error[:-1])).fit().params[1])
        for metric, value, description in (
            ("mean_error_pct", float(error.mean()), "mean of S&P 500 / fair value - 1 (%)"),
            ("mean_error_pts", float(part["error_pts"].mean()), "mean of S&P 500 - fair value (index points)"),
            ("mean_abs_error_pct", float(np.abs(error).mean()), "mean absolute error (%)"),
            ("rmse_pct", float(np.sqrt((error ** 2).mean())), "root-mean-square error (%)"),
            (f"hit_rate_band_{band_pct:g}pct", float(part["within_band"].mean()),
             f"share of weeks with |error| <= {band_pct:g}% (0-1)"),
            ("drift_pct_per_year", drift, "OLS slope of the error on time (percentage points per year)"),
            ("error_ar1", ar1, "AR(1) coefficient of the weekly error (1 = random walk)"),
            ("mean_log_gap_pct", float(part["log_gap_pct"].mean()),
             "mean of 100 x log(S&P 500 / fair value) (percent log points; symmetric, no blow-up near zero fair value)"),
            ("last_log_gap_pct", float(part["log_gap_pct"].iloc[-1]), "log gap in the last week (percent log points)"),
            ("first_error_pct", float(error[0]), "error in the first week (%)"),
            ("last_error_pct", float(error[-1]), "error in the last week (%)"),
        ):
            rows.append({"period": period, "metric": metric, "estimate": value, "description": description,
                         "n": len(part), "first": part.index[0].date(), "last": part.index[-1].date()})
    table = ordered_index(pd.DataFrame(rows), ["period", "metric"])
    oos = windows["out_of_sample"]
    ar1_oos = float(table.loc[("out_of_sample", "error_ar1"), "estimate"])
    return FairValueResult(
        name="Fair-value rule S&P 500 = net liquidity/1.1 - 1625, out of sample", table=table,
        sample=(f"weekly, out of sample {date_span(oos.index)} (n={len(oos)})"
                + (f"; before start {date_span(windows['before_start'].index)} (n={len(windows['before_start'])})"
                   if "before_start" in windows else "")),
        spec=(f"fair value = net liquidity (USD bn) / {divisor:g} - {offset:g}; error = S&P 500 - fair value (points) "
              f"and S&P 500 / fair value - 1 (percent); band +/-{band_pct:g}%; out of sample from {start_ts.date()}; "
              "descriptive statistics only (no standard errors); drift = OLS slope of the percent error on years "
              "since the window start; persistence = OLS AR(1) coefficient of the weekly percent error"),
        n=len(oos), start=oos.index[0], end=oos.index[-1], path=frame,
        notes=[f"no standard errors or t-statistics: the out-of-sample weekly error has an AR(1) coefficient of "
               f"{ar1_oos:.2f}, close to a random walk, so HAC t-statistics on its mean or its drift would overstate "
               "precision badly; and a hit rate is a share to read, not a number to test against zero"])


# --- 4. the headline: cumulative local projections with release timing ------------------------------

def release_days(wednesdays: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The H.4.1 release day for each Wednesday: the Thursday after it (4:30pm ET), or the next
    business day when that Thursday is a US federal holiday."""
    from pandas.tseries.holiday import USFederalHolidayCalendar

    wednesdays = pd.DatetimeIndex(wednesdays)
    thursdays = wednesdays + pd.Timedelta(days=1)
    if len(wednesdays) == 0:
        return thursdays
    holidays = USFederalHolidayCalendar().holidays(thursdays.min(), thursdays.max() + pd.Timedelta(days=10))
    business = pd.offsets.CustomBusinessDay(holidays=holidays)
    return pd.DatetimeIndex([d if d not in holidays else d + business for d in thursdays])


def release_timed_returns(prices: pd.Series, wednesdays: pd.DatetimeIndex) -> pd.DataFrame:
    """Returns measured from the first close after each H.4.1 release, one row per Wednesday.

    H.4.1 data for Wednesday ``t`` are public on :func:`release_days` (Thursday 4:30pm ET, after
    the close), so the first close that can reflect them, and the first at which one could trade
    on them, is the next trading day's (``base_date``, normally Friday). Columns:
    ``base_date``, ``week_return`` (100 x log change from the previous Wednesday's base close to
    this one's: the week's return, ending at the first close after this week's release),
    ``release_reaction`` (100 x log change from the last close on or before the release day to
    the base close: the market's move over the release), ``wed_return`` (Wednesday-to-Wednesday
    close, the timing the release makes look-ahead). Percent log points; missing where a close is
    missing.
    """
    prices = as_series("prices", prices).dropna()
    wednesdays = pd.DatetimeIndex(wednesdays)
    releases = release_days(wednesdays)
    idx = prices.index
    after = idx.searchsorted(releases, side="right")          # first trading day strictly after the release day
    before = idx.searchsorted(releases, side="right") - 1     # last close on or before the release day
    wed = idx.searchsorted(wednesdays, side="right") - 1      # the Wednesday close (or the last before it)
    logp = 100 * np.log(prices.to_numpy())
    ok_after = after < len(idx)
    base_dates = pd.Series(idx[np.minimum(after, len(idx) - 1)], index=wednesdays).where(ok_after)
    base = np.where(ok_after, logp[np.minimum(after, len(idx) - 1)], np.nan)
    pre = np.where(before >= 0, logp[np.maximum(before, 0)], np.nan)
    # the Wednesday close, or the close at most 2 business days earlier (a holiday Wednesday), as load() does
    wed_ok = (wed >= 0) & (idx[np.maximum(wed, 0)] >= wednesdays - pd.offsets.BDay(2))
    wed_close = np.where(wed_ok, logp[np.maximum(wed, 0)], np.nan)
    # a base close more than a week after the release (a gap in the prices) is not the release's
    base = np.where(base_dates.to_numpy() <= (releases + pd.Timedelta(days=7)).to_numpy(), base, np.nan)
    out = pd.DataFrame({"base_date": base_dates, "base_log": base, "release_reaction": base - pre,
                        "wed_log": wed_close}, index=wednesdays)
    regular = out.reindex(pd.date_range(wednesdays.min(), wednesdays.max(), freq=WEEKLY))
    out["week_return"] = regular["base_log"].diff().reindex(wednesdays)
    out["wed_return"] = regular["wed_log"].diff().reindex(wednesdays)
    out.index.name = "date"
    return out[["base_date", "week_return", "release_reaction", "wed_return"]]


def _lags(series: pd.Series, lags: range, name: str) -> dict[str, pd.Series]:
    return {f"{name}_l{k}": series.shift(k) for k in lags}


def cumulative_lp(outcome: pd.Series, shock: pd.Series, horizons: Sequence[int], *, lags: int = 4,
                  augment: bool = True, outcome_lags_from: int = 1, method: str = "ewc", level: float = 0.95,
                  exclude: tuple[object, object] | None = None) -> pd.DataFrame:
    """Cumulative local projections (Jorda 2005) of ``outcome`` on ``shock``, weekly.

    For each horizon ``h`` >= 1: ``sum_{j=1..h} outcome_{t+j} = a_h + b_h shock_t +
    sum_{l=1..p} (c_l shock_{t-l} + d_l outcome_{t+1-outcome_lags_from-l}) + e``, with ``p =
    lags + 1`` when ``augment`` (lag augmentation, Montiel Olea and Plagborg-Moller 2021: one lag
    more than the dynamics need) and ``p = lags`` otherwise. ``outcome_lags_from=1`` starts the
    outcome's lags at ``t - 1`` (use it when ``outcome_t`` already contains the reaction to
    ``shock_t``, so it is not controlled for); 0 starts at ``t``. Both series are weekly on a
    regular Wednesday calendar (gaps give missing rows, which are dropped, never bridged).
    ``exclude``: (first, last) dates of ``t`` left out. The overlapping ``h``-week sums make the
    errors MA(h-1): intervals by ``method`` (EWC by default; see
    :func:`plumbing.models.inference.sandwich`), with the naive Newey-West interval beside it.
    Rows: horizon, ``estimate`` (b_h, outcome units per unit of shock), ``se``, ``ci_low``,
    ``ci_high``, ``p_value``, ``ci_low_naive``, ``ci_high_naive``, ``p_naive``, ``n``, first, last.
    """
    from .inference import coefficient_table, sandwich

    check_positive_int("lags", lags, 0)
    check_choice("outcome_lags_from", outcome_lags_from, (0, 1))
    frame = pd.concat({"y": as_series("outcome", outcome), "s": as_series("shock", shock)}, axis=1, sort=True)
    frame = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq=WEEKLY))
    p = lags + 1 if augment else lags
    controls = {**_lags(frame["s"], range(1, p + 1), "shock"),
                **_lags(frame["y"], range(outcome_lags_from, outcome_lags_from + p), "outcome")}
    rows = []
    for h in horizons:
        check_positive_int("horizon", h, 1)
        lead = sum(frame["y"].shift(-j) for j in range(1, h + 1))
        data = pd.concat({"lead": lead, "shock": frame["s"], **controls}, axis=1)
        if exclude is not None:
            lo, hi = as_timestamp("exclude[0]", exclude[0]), as_timestamp("exclude[1]", exclude[1])
            data.loc[lo:hi] = np.nan
        data = data.dropna()
        if len(data) < 30 + 2 * p:
            raise ValueError(f"only {len(data)} complete weeks for the local projection at horizon {h}")
        design = np.column_stack([np.ones(len(data)), data.drop(columns="lead").to_numpy()])
        fit = sm.OLS(data["lead"].to_numpy(), design).fit()
        cov, crit, dof, label = sandwich(design, fit.resid, method, level)
        head = coefficient_table(fit.params, cov, crit, dof, ["const", *data.columns[1:]], method, label,
                                 int(fit.nobs)).loc["shock"]
        ncov, ncrit, ndof, nlabel = sandwich(design, fit.resid, "nw", level, lags=max(h - 1, newey_west_lags(len(data))))
        naive = coefficient_table(fit.params, ncov, ncrit, ndof, ["const", *data.columns[1:]], "nw", nlabel,
                                  int(fit.nobs)).loc["shock"]
        rows.append({"horizon": h, "estimate": head["estimate"], "se": head["se"], "ci_low": head["ci_low"],
                     "ci_high": head["ci_high"], "p_value": head["p_value"], "ci_low_naive": naive["ci_low"],
                     "ci_high_naive": naive["ci_high"], "p_naive": naive["p_value"], "n": int(fit.nobs),
                     "first": data.index[0].date(), "last": data.index[-1].date(), "inference": label})
    out = pd.DataFrame(rows).set_index("horizon")
    out.attrs = {"lags": p, "augment": augment, "method": method, "level": level}
    return out


def qlr_test(outcome: pd.Series, shock: pd.Series, *, lags: int = 4, augment: bool = True, outcome_lags_from: int = 1,
             trim: float = 0.15, hac_lags: int | None = None) -> dict:
    """Andrews (1993) QLR (sup-Wald) test for a break at an unknown date in the one-week LP coefficient.

    The horizon-1 projection of :func:`cumulative_lp`, with ``shock_t x 1(t >= tau)`` added for
    every ``tau`` in the middle ``1 - 2 trim`` of the sample; Wald statistics of that one
    coefficient with Newey-West covariance (``hac_lags``, default the textbook rule; a consistent
    estimator, as Andrews' distribution needs). Returns the sup-Wald statistic, the break date at
    the supremum, its simulated asymptotic p-value and Andrews' 10/5/1% critical values (q = 1).
    """
    from .inference import ANDREWS_QLR_15PCT, sup_wald_pvalue

    frame = pd.concat({"y": as_series("outcome", outcome), "s": as_series("shock", shock)}, axis=1, sort=True)
    frame = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq=WEEKLY))
    p = lags + 1 if augment else lags
    data = pd.concat({"lead": frame["y"].shift(-1), "shock": frame["s"],
                      **_lags(frame["s"], range(1, p + 1), "shock"),
                      **_lags(frame["y"], range(outcome_lags_from, outcome_lags_from + p), "outcome")}, axis=1).dropna()
    n = len(data)
    design = np.column_stack([np.ones(n), data.drop(columns="lead").to_numpy()])
    y = data["lead"].to_numpy()
    lags_nw = newey_west_lags(n) if hac_lags is None else hac_lags
    first, last = int(np.floor(trim * n)), int(np.ceil((1 - trim) * n))
    stats_by_date = []
    for tau in range(first, last):
        post = np.zeros(n)
        post[tau:] = 1.0
        x = np.column_stack([design, design[:, 1] * post])
        fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags_nw})
        stats_by_date.append((data.index[tau], float(fit.tvalues[-1] ** 2)))
    dates, values = zip(*stats_by_date)
    best = int(np.argmax(values))
    crit = ANDREWS_QLR_15PCT[1] if abs(trim - 0.15) < 1e-9 else {}
    return {"sup_wald": float(values[best]), "break_date": pd.Timestamp(dates[best]).date(),
            "p_value": sup_wald_pvalue(values[best], 1, trim), "crit_10": crit.get(0.10, np.nan),
            "crit_5": crit.get(0.05, np.nan), "crit_1": crit.get(0.01, np.nan), "n": n, "trim": trim,
            "hac_lags": lags_nw, "path": pd.Series(values, index=pd.DatetimeIndex(dates), name="wald")}


# --- 5. the fair-value gap ------------------------------------------------------------------------

def fair_value_gap(net_liquidity_bn: pd.Series, spx: pd.Series, divisor: float = FAIR_VALUE_DIVISOR,
                   offset: float = FAIR_VALUE_OFFSET) -> pd.Series:
    """The rule's log gap, 100 x log(S&P 500 / fair value), in percent log points.

    Unlike the percent error, which explodes as net liquidity nears ``divisor x offset`` (USD
    1,788bn, where fair value is zero), the log gap is symmetric and additive; dates with a fair
    value at or below zero are missing.
    """
    fv = fair_value(net_liquidity_bn, divisor, offset)
    both = pd.concat({"spx": as_series("spx", spx), "fv": fv}, axis=1, sort=True).dropna()
    both = both[both["fv"] > 0]
    return (100 * np.log(both["spx"] / both["fv"])).rename("log_gap")


def gap_predicts_returns(gap: pd.Series, week_return: pd.Series, horizon: int = 4, reps: int = 999,
                         block_length: int = 8, seed: int = 0) -> dict:
    """Does the fair-value gap predict returns? ``R_{t,h} = a + c gap_t + e`` with a bootstrap under H0.

    ``gap``: weekly log gap (percent) on Wednesdays; ``week_return``: weekly returns (percent)
    from the first close after each release (:func:`release_timed_returns`), so ``R_{t,h}``, the
    sum of the next ``horizon`` weekly returns, starts when the gap of week ``t`` is public. The
    gap is persistent, so OLS ``c`` is biased (Stambaugh 1999) and HAC t-statistics over-reject:
    the p-value comes from a bootstrap that imposes H0 (returns unpredictable, ``r = mean +
    e``) and keeps the gap's own AR(1) dynamics, resampling the pairs (``e_{t+1}``, gap
    innovation ``v_t``) in moving blocks of ``block_length`` weeks and rebuilding the gap
    recursively. One-sided p (a rich gap predicts lower returns: ``c < 0``) and two-sided p.
    """
    from .inference import block_indices

    check_positive_int("horizon", horizon, 1)
    check_positive_int("reps", reps, 1)
    frame = pd.concat({"gap": as_series("gap", gap), "r": as_series("week_return", week_return)}, axis=1, sort=True)
    frame = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq=WEEKLY))
    frame["r_next"] = frame["r"].shift(-1)
    block, left_out = last_contiguous_block(frame[["gap", "r_next"]], WEEKLY)
    g, r = block["gap"].to_numpy(), block["r_next"].to_numpy()
    n = len(g)
    if n < 60:
        raise ValueError(f"only {n} consecutive weeks with a gap and a next-week return")

    def slope(gaps: np.ndarray, rets: np.ndarray) -> np.ndarray:
        """OLS slope of the h-week forward sum of ``rets`` on ``gaps``, row by row (reps x n)."""
        csum = np.concatenate([np.zeros((rets.shape[0], 1)), np.cumsum(rets, axis=1)], axis=1)
        lead = csum[:, horizon:] - csum[:, :-horizon]       # sum of r_next over t..t+h-1 = returns t+1..t+h
        x = gaps[:, : lead.shape[1]]
        xd = x - x.mean(axis=1, keepdims=True)
        return (xd * (lead - lead.mean(axis=1, keepdims=True))).sum(axis=1) / (xd ** 2).sum(axis=1)

    c_hat = float(slope(g[None, :], r[None, :])[0])
    ar = sm.OLS(g[1:], sm.add_constant(g[:-1])).fit()
    alpha, rho = ar.params
    v = np.concatenate([[0.0], ar.resid])
    e = r - r.mean()
    rng = np.random.default_rng(seed)
    idx = block_indices(n, block_length, reps, rng)
    v_star, e_star = v[idx], e[idx]
    g_star = np.empty((reps, n))
    g_star[:, 0] = g[0]
    for t in range(1, n):
        g_star[:, t] = alpha + rho * g_star[:, t - 1] + v_star[:, t]
    c_star = slope(g_star, r.mean() + e_star)
    lead = pd.Series(r).rolling(horizon).sum().shift(-(horizon - 1)).to_numpy()[: n - horizon + 1]
    fit = sm.OLS(lead, sm.add_constant(g[: n - horizon + 1])).fit(cov_type="HAC",
                                                                  cov_kwds={"maxlags": max(horizon, newey_west_lags(n))})
    return {"slope": c_hat, "slope_bias_under_h0": float(c_star.mean()),
            "p_one_sided": float((1 + (c_star <= c_hat).sum()) / (1 + reps)),
            "p_two_sided": float((1 + (np.abs(c_star - c_star.mean()) >= abs(c_hat - c_star.mean())).sum()) / (1 + reps)),
            "p_naive_hac": float(fit.pvalues[1]), "gap_ar1": float(rho), "horizon": horizon, "n": n - horizon + 1,
            "first": block.index[0].date(), "last": block.index[-1].date(), "reps": reps, "block_length": block_length,
            "left_out": left_out}


def gap_forecasts_out_of_sample(gap: pd.Series, week_return: pd.Series, start: object, horizon: int = 4,
                                min_train: int = 104, benchmark: str = "zero") -> dict:
    """Clark-West test of the gap regression against a random walk, recursive, from ``start``.

    For every week ``t`` from ``start``: fit ``R_{s,h} = a + c gap_s`` on the weeks ``s`` whose
    ``h``-week return was complete by ``t`` (``s <= t - h``; at least ``min_train``) and
    forecast ``R_{t,h}`` with ``a + c gap_t``. The benchmark: ``"zero"``, the random walk (a zero
    log return), or ``"mean"``, the random walk with drift (the mean ``h``-week return of the same
    training weeks), which isolates what the gap adds beyond a drift. Clark-West (2007) adjusts
    the MSPE difference for the noise of estimating the nesting model; one-sided, the gap model
    better if positive (:func:`plumbing.models.inference.clark_west`).
    """
    from .inference import clark_west

    check_choice("benchmark", benchmark, ("zero", "mean"))
    start_ts = as_timestamp("start", start)
    frame = pd.concat({"gap": as_series("gap", gap), "r": as_series("week_return", week_return)}, axis=1, sort=True)
    frame = frame.reindex(pd.date_range(frame.index.min(), frame.index.max(), freq=WEEKLY))
    frame["lead"] = sum(frame["r"].shift(-j) for j in range(1, horizon + 1))
    frame = frame.dropna(subset=["gap"])
    dates = frame.index[(frame.index >= start_ts) & frame["lead"].notna().to_numpy()]
    actual, small, large, used = [], [], [], []
    for t in dates:
        train = frame.loc[:t - pd.Timedelta(weeks=horizon)].dropna(subset=["lead"])
        if len(train) < min_train:
            continue
        fit = np.polyfit(train["gap"].to_numpy(), train["lead"].to_numpy(), 1)
        actual.append(frame.at[t, "lead"])
        small.append(0.0 if benchmark == "zero" else float(train["lead"].mean()))
        large.append(float(np.polyval(fit, frame.at[t, "gap"])))
        used.append(t)
    if len(actual) < 20:
        raise ValueError(f"only {len(actual)} out-of-sample forecasts from {start_ts.date()}")
    out = clark_west(np.array(actual), np.array(small), np.array(large), horizon=horizon)
    out.update({"benchmark": "random walk" if benchmark == "zero" else "random walk with drift", "horizon": horizon,
                "first": used[0].date(), "last": used[-1].date(),
                "oos_r2_vs_benchmark": 1 - out["mspe_large"] / out["mspe_small"]})
    return out


# --- 6. the headline table, its alternatives and what survives ------------------------------------

DIRECTIONS = ("liquidity -> asset", "asset -> liquidity")
TIMINGS = ("release", "wednesday")
#: the headline local projection: the defaults of run_net_liquidity_equities, stated once here
LP_HEADLINE: dict[str, object] = {"timing": "release", "liquidity_change": "pct", "lags": 4, "augment": True,
                                  "method": "ewc", "horizon": 4, "exclude": None, "start": None}
#: named alternatives to the headline local projection: name -> (label, what changes)
LP_ROBUSTNESS_MENU: dict[str, tuple[str, dict[str, object]]] = {
    "wednesday_timing": ("Wednesday-close returns (start before the data are public)", {"timing": "wednesday"}),
    "usd_bn": ("liquidity change in USD 100bn", {"liquidity_change": "bn"}),
    "no_augmentation": ("no lag augmentation", {"augment": False}),
    "lags_1": ("1 lag (+1 augmentation)", {"lags": 1}),
    "lags_8": ("8 lags (+1 augmentation)", {"lags": 8}),
    "horizon_1": ("horizon 1 week", {"horizon": 1}),
    "horizon_12": ("horizon 12 weeks", {"horizon": 12}),
    "without_2020": ("without Feb-Jul 2020", {"exclude": GRANGER_EXCLUDE}),
    "from_2018": ("from 2018-01-01", {"start": "2018-01-01"}),
    "fixed_b": ("fixed-b Newey-West intervals", {"method": "nw_fixed_b"}),
    "naive_nw": ("naive Newey-West (for comparison only)", {"method": "nw"}),
}


def weekly_lp_data(net_liquidity_bn: pd.Series, prices: dict[str, pd.Series]) -> pd.DataFrame:
    """The weekly frame of the local projections, on Wednesdays (the last contiguous run of net liquidity).

    Columns: ``d_nl_pct`` (100 x log change of net liquidity), ``d_nl_100bn`` (change in USD
    100bn) and, per asset, ``{asset}_week_return``, ``{asset}_release_reaction`` and
    ``{asset}_wed_return`` from :func:`release_timed_returns` (daily closes in ``prices``).
    """
    nl = as_series("net_liquidity_bn", net_liquidity_bn).dropna()
    nl = nl[nl.index.day_of_week == 2]
    block, left_out = last_contiguous_block(nl.to_frame("nl"), WEEKLY)
    nl = block["nl"]
    out = pd.DataFrame({"d_nl_pct": 100 * np.log(nl).diff(), "d_nl_100bn": nl.diff() / 100})
    for asset, series in prices.items():
        timed = release_timed_returns(series, out.index)
        for column in ("week_return", "release_reaction", "wed_return"):
            out[f"{asset}_{column}"] = timed[column]
    out = out.iloc[1:]
    out.index.name = "date"
    out.attrs = {"left_out": left_out}
    return out


def lp_estimates(weekly: pd.DataFrame, asset: str, *, direction: str = "liquidity -> asset",
                 horizons: Sequence[int] = (4,), timing: str = "release", liquidity_change: str = "pct", lags: int = 4,
                 augment: bool = True, method: str = "ewc", exclude: tuple[object, object] | None = None,
                 start: object = None, level: float = 0.95) -> pd.DataFrame:
    """:func:`cumulative_lp` on the weekly frame of :func:`weekly_lp_data` for one asset and direction.

    ``"liquidity -> asset"``: cumulative asset returns (percent) from the first close after the
    release of week ``t`` (``timing="release"``) or from Wednesday ``t``'s close
    (``"wednesday"``, which starts before the data are public) on the week's net liquidity change
    (percent, or USD 100bn with ``liquidity_change="bn"``); the return of week ``t`` itself holds
    the release-day reaction, so the outcome's lags start at ``t - 1``. ``"asset -> liquidity"``:
    the cumulative net liquidity change over the next ``h`` weeks on the Wednesday-to-Wednesday
    return of week ``t`` (both observed by Wednesday ``t``), own lags from ``t``.
    """
    check_choice("direction", direction, DIRECTIONS)
    check_choice("timing", timing, TIMINGS)
    check_choice("liquidity_change", liquidity_change, LIQUIDITY_CHANGES)
    frame = weekly.loc[as_timestamp("start", start):]
    liquidity = frame["d_nl_pct" if liquidity_change == "pct" else "d_nl_100bn"]
    if direction == "liquidity -> asset":
        outcome = frame[f"{asset}_week_return" if timing == "release" else f"{asset}_wed_return"]
        return cumulative_lp(outcome, liquidity, horizons, lags=lags, augment=augment, outcome_lags_from=1,
                             method=method, level=level, exclude=exclude)
    return cumulative_lp(liquidity, frame[f"{asset}_wed_return"], horizons, lags=lags, augment=augment,
                         outcome_lags_from=0, method=method, level=level, exclude=exclude)


def lp_headline_table(weekly: pd.DataFrame, assets: Sequence[str], spec: dict | None = None) -> pd.DataFrame:
    """The cumulative response at the headline horizon for every asset and both directions, with
    Holm-adjusted p-values across those tests (``p_holm``) and Benjamini-Hochberg beside them."""
    from .inference import adjust_pvalues

    spec = {**LP_HEADLINE, **(spec or {})}
    horizon = int(spec["horizon"])
    rows = []
    for asset in assets:
        for direction in DIRECTIONS:
            lp = lp_estimates(weekly, asset, direction=direction, horizons=[horizon],
                              **{k: v for k, v in spec.items() if k != "horizon"}).loc[horizon]
            rows.append({"asset": asset, "direction": direction.replace("asset", asset), "horizon": horizon,
                         **lp.drop(labels=["ci_low_naive", "ci_high_naive"]).to_dict()})
    table = pd.DataFrame(rows)
    table["p_holm"] = adjust_pvalues(table["p_value"], "holm")
    table["p_bh"] = adjust_pvalues(table["p_value"], "fdr_bh")
    return ordered_index(table, ["asset", "direction"])


def lp_robustness(weekly: pd.DataFrame, assets: Sequence[str], alternatives: Sequence[str | dict] = (),
                  base: dict | None = None) -> pd.DataFrame:
    """The headline response (liquidity -> asset) and each alternative, per asset, one row each.

    ``alternatives``: names from :data:`LP_ROBUSTNESS_MENU` or dicts of changes to the base
    (:data:`LP_HEADLINE`). Columns: ``estimate`` (cumulative response at the row's horizon),
    ``ci_low``, ``ci_high``, ``p_value`` (by the row's method), ``horizon``, ``n``, ``sample``.
    """
    rows = []
    for label, spec in specifications(alternatives, LP_ROBUSTNESS_MENU, {**LP_HEADLINE, **(base or {})}, LP_HEADLINE):
        for asset in assets:
            h = int(spec["horizon"])
            row = lp_estimates(weekly, asset, horizons=[h], **{k: v for k, v in spec.items() if k != "horizon"}).loc[h]
            rows.append({"specification": label, "asset": asset, "horizon": h, "estimate": row["estimate"],
                         "ci_low": row["ci_low"], "ci_high": row["ci_high"], "p_value": row["p_value"],
                         "n": row["n"], "sample": f"{row['first']}..{row['last']}", "inference": row["inference"],
                         "shock_unit": "USD 100bn" if spec["liquidity_change"] == "bn" else "1% of net liquidity"})
    return ordered_index(pd.DataFrame(rows), ["specification", "asset"])


def lp_what_survives(table: pd.DataFrame) -> list[str]:
    """Sentences, computed from :func:`lp_robustness`, on which conclusions hold per asset.

    Two conclusions per asset: the cumulative response is positive with its interval above
    zero (each row's own method and level), and the response is positive (sign only).
    """
    from ..present import short_name  # the index's name as a reader knows it ("S&P 500", not "spx")

    out = []
    for asset in table.index.get_level_values("asset").unique():
        part = table.xs(asset, level="asset")
        head, alts = part.iloc[0], part.iloc[1:]
        name = short_name(asset)
        out.append(survival_sentence(
            f"{name}: net liquidity growth is followed by higher returns (positive cumulative response, interval above "
            f"zero; headline {head['estimate']:+.2f}% per {head['shock_unit']} at {int(head['horizon'])} weeks, "
            f"[{head['ci_low']:+.2f}%, {head['ci_high']:+.2f}%])", bool(head["ci_low"] > 0), alts["ci_low"] > 0))
        out.append(survival_sentence(f"{name}: the response is positive (sign only)", bool(head["estimate"] > 0),
                                     alts["estimate"] > 0))
    return out


# --- convenience on the real data --------------------------------------------------------------

@dataclass
class NetLiquidityEquitiesResult(ModelResult):
    """The headline ``table``: the cumulative local-projection response at the headline horizon
    per asset and direction, with Holm-adjusted p-values. Parts: ``lp`` (the responses at every
    horizon, tidy), ``robustness`` (the headline beside the alternatives), ``qlr`` (stability
    test per asset), ``gap_test`` (does the fair-value gap predict returns, bootstrap),
    ``gap_oos`` (Clark-West against a random walk and a random walk with drift),
    ``weekly`` (the weekly frame of the projections), and the older parts, each a
    :class:`ModelResult` or frame: ``summary`` (one row per index: levels, Granger), ``unit_roots``,
    ``levels`` per asset, ``granger``, ``irf``, ``rolling_beta`` (per asset, EWC bands),
    ``fair_value`` (descriptive, with the log gap), ``fair_value_path``, ``panel``, ``changes``."""

    lp: pd.DataFrame = field(default_factory=pd.DataFrame)
    robustness: pd.DataFrame = field(default_factory=pd.DataFrame)
    qlr: pd.DataFrame = field(default_factory=pd.DataFrame)
    gap_test: dict = field(default_factory=dict)
    gap_oos: pd.DataFrame = field(default_factory=pd.DataFrame)
    weekly: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    unit_roots: ModelResult | None = None
    levels: dict[str, ModelResult] = field(default_factory=dict)
    granger: pd.DataFrame = field(default_factory=pd.DataFrame)
    irf: pd.DataFrame = field(default_factory=pd.DataFrame)
    rolling_beta: dict[str, pd.DataFrame] = field(default_factory=dict)
    fair_value: FairValueResult | None = None
    fair_value_path: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_net_liquidity_equities(loader: Loader | None = None, *, assets: tuple[str, ...] = ASSETS, start: object = None,
                               end: object = None, liquidity_change: str = "pct", maxlags: int = 8, ic: str = "aic",
                               beta_window: int = 52, irf_periods: int = 12, fair_value_start: object = "2022-11-01",
                               band_pct: float = 10.0, fair_value_before_start: object = "2020-01-01",
                               hac_lags: int | None = None, granger_cov: str = "HC1",
                               granger_exclude: tuple[object, object] | None = GRANGER_EXCLUDE,
                               horizon: int = LP_HEADLINE["horizon"], max_horizon: int = 12,
                               lp_lags: int = LP_HEADLINE["lags"], robustness: Sequence[str | dict] = (),
                               gap_reps: int = 999, seed: int = 0) -> NetLiquidityEquitiesResult:
    """Everything above on the real data, weekly (Wednesdays).

    **Headline** (:data:`LP_HEADLINE`): cumulative local projections of each index's return,
    measured from the first close after the H.4.1 release, on the week's net liquidity change
    (percent), ``lp_lags`` (4) lags of both plus one (lag augmentation), EWC intervals, at
    ``horizon`` (4) weeks, for both directions (the index's Wednesday return predicting
    liquidity), Holm-adjusted across assets and directions; the responses at 1..``max_horizon``
    weeks; ``robustness``: names from :data:`LP_ROBUSTNESS_MENU` (or dicts); the Andrews QLR
    test for a break in the one-week response. The fair-value gap: log gap, the
    gap-predicts-returns regression at ``horizon`` weeks with a bootstrap under H0 (``gap_reps``
    replications, ``seed``), Clark-West from ``fair_value_start``.

    The rest: ``assets``: any of ``"spx"``, ``"nasdaq"`` (index closes). ``start``/``end`` cut
    the sample (default: the last contiguous run of weekly net liquidity, from 2013-09). The VAR
    lag is chosen by ``ic`` (default AIC) up to ``maxlags`` (8 weeks), separately per asset;
    ``beta_window`` weeks for the rolling beta (52, EWC bands); ``irf_periods`` weeks of impulse
    responses (12). Granger tests: heteroskedasticity-robust Wald tests with ``granger_cov``
    (HC1) on the full sample and without ``granger_exclude`` (2020-02-01..2020-07-31; None
    skips it), beside the classical F test (:func:`granger_both_ways`). The ``summary``'s
    ``granger_p_*`` columns are the robust p-values (``*_excl``: without the excluded weeks;
    ``granger_f_p_*``: the classical F test). The fair-value rule is evaluated from
    ``fair_value_start`` (2022-11-01) with a +/- ``band_pct`` (10%) band on the full weekly
    history (not cut by ``start``).
    """
    if isinstance(assets, str):
        assets = (assets,)
    for asset in assets:
        check_choice("assets item", asset, ASSETS)
    check_positive_int("horizon", horizon, 1)
    check_positive_int("max_horizon", max_horizon, horizon)
    loader = loader or Loader()
    start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
    nl = quantity("net_liquidity", loader=loader)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prices = loader.load(list(assets), freq="W")
    window_nl = nl.loc[start_ts:end_ts]
    panel, note = weekly_panel(window_nl, prices.loc[start_ts:end_ts])
    changes = weekly_changes(panel, liquidity_change)
    unit_roots = unit_root_table(panel, changes)
    levels, granger_rows, irfs, betas, summary = {}, [], [], {}, []
    for asset in assets:
        levels[asset] = levels_vs_changes(panel, changes, asset, hac_lags=hac_lags)
        granger = granger_both_ways(changes, asset, maxlags=maxlags, ic=ic, cov_type=granger_cov,
                                    exclude=granger_exclude)
        granger_rows.append(granger)
        irf = var_impulse_responses(changes, asset, lag=int(granger["lag"].iloc[0]), periods=irf_periods)
        irfs.append(irf.assign(asset=asset))
        betas[asset] = rolling_beta(changes[asset], changes["d_net_liquidity"], window=beta_window)
        lv = levels[asset].table
        to_asset = granger[granger["direction"].str.startswith("d_net_liquidity")].iloc[0]
        to_liq = granger[~granger["direction"].str.startswith("d_net_liquidity")].iloc[0]
        summary.append({"asset": asset, "levels_r2": lv.loc["levels", "r2"], "levels_t_naive": lv.loc["levels", "t_naive"],
                        "levels_durbin_watson": lv.loc["levels", "durbin_watson"],
                        "coint_p_levels": lv.loc["levels", "coint_p"], "coint_p_logs": lv.loc["logs", "coint_p"],
                        "beta_changes": lv.loc["changes", "slope"], "beta_changes_se_hac": lv.loc["changes", "se_hac"],
                        "r2_changes": lv.loc["changes", "r2"], "var_lag": int(to_asset["lag"]),
                        "granger_p_liquidity_to_asset": to_asset["p_value_robust"],
                        "granger_p_liquidity_to_asset_excl": to_asset["p_value_robust_excl"],
                        "granger_f_p_liquidity_to_asset": to_asset["p_value"],
                        "granger_p_asset_to_liquidity": to_liq["p_value_robust"],
                        "granger_p_asset_to_liquidity_excl": to_liq["p_value_robust_excl"],
                        "granger_f_p_asset_to_liquidity": to_liq["p_value"]})
    summary_table = pd.DataFrame(summary).set_index("asset")
    summary_table.attrs = {"granger_cov": granger_cov, "granger_excluded": granger["excluded"].iloc[0]}
    full_panel, _ = weekly_panel(nl, prices[["spx"]]) if "spx" in prices else (None, "")
    fv = None
    fv_path = pd.DataFrame()
    if full_panel is not None:
        fv = evaluate_fair_value_rule(full_panel["net_liquidity_bn"], full_panel["spx"], start=fair_value_start,
                                      band_pct=band_pct, before_start=fair_value_before_start)
        fv_path = fv.path

    # the headline: cumulative local projections with returns from the first close after the release
    daily = {asset: loader.common(asset).dropna() for asset in assets}
    weekly = weekly_lp_data(window_nl, daily)
    base = {**LP_HEADLINE, "liquidity_change": liquidity_change, "lags": lp_lags, "horizon": horizon}
    headline = lp_headline_table(weekly, assets, base)
    lp_rows = []
    for asset in assets:
        for direction in DIRECTIONS:
            path = lp_estimates(weekly, asset, direction=direction, horizons=range(1, max_horizon + 1),
                                **{k: v for k, v in base.items() if k != "horizon"})
            lp_rows.append(path.reset_index().assign(asset=asset, direction=direction.replace("asset", asset)))
    lp = pd.concat(lp_rows, ignore_index=True)
    robust = lp_robustness(weekly, assets, robustness, base)
    qlr_rows = []
    for asset in assets:
        q = qlr_test(weekly[f"{asset}_week_return"], weekly["d_nl_pct" if liquidity_change == "pct" else "d_nl_100bn"],
                     lags=lp_lags)
        qlr_rows.append({"asset": asset, **{k: v for k, v in q.items() if k != "path"}})
    qlr = pd.DataFrame(qlr_rows).set_index("asset")
    gap_test, gap_oos = {}, pd.DataFrame()
    if "spx" in assets:
        gap = fair_value_gap(nl, prices["spx"].dropna())
        gap_test = gap_predicts_returns(gap, weekly["spx_week_return"], horizon=horizon, reps=gap_reps, seed=seed)
        gap_oos = pd.DataFrame([gap_forecasts_out_of_sample(gap, weekly["spx_week_return"], fair_value_start,
                                                            horizon=horizon, benchmark=b) for b in ("zero", "mean")]
                               ).set_index("benchmark")

    unit = "100 x log change (percent)" if liquidity_change == "pct" else "change in USD 100bn"
    lp_spec = (f"cumulative local projections (Jorda 2005): sum of the next h weekly index log returns (percent), "
               f"measured from the first close after the H.4.1 release of week t (Thursday 4:30pm ET -> normally "
               f"Friday's close), on the week-t net liquidity {unit}, with {lp_lags} lags of both + 1 (lag "
               f"augmentation), a constant; reverse direction: the cumulative net liquidity change on the week-t "
               f"Wednesday-to-Wednesday return; headline horizon {horizon} weeks; Holm adjustment across "
               f"{len(assets)} assets x 2 directions")
    spec = (lp_spec + ". Also: levels vs changes (ADF, Engle-Granger), bivariate VAR per index (net liquidity first), "
            f"lag by {ic.upper()} up to {maxlags}; Granger tests both ways ({granger_cov} Wald, full sample and "
            + (f"without {granger_exclude[0]}..{granger_exclude[1]}" if granger_exclude is not None else "no exclusion")
            + f"); orthogonalised IRFs {irf_periods} weeks; rolling beta {beta_window} weeks (EWC); fair-value "
            f"rule: log gap, gap-predicts-returns with a bootstrap under H0, Clark-West from {fair_value_start}")
    first = headline.iloc[0]
    return NetLiquidityEquitiesResult(
        name="Net liquidity and equities", table=headline,
        sample=(f"weekly, local projections {first['first']}..{first['last']} (n={int(first['n'])} at {horizon} weeks; "
                f"the last contiguous run of weekly net liquidity, {weekly.attrs['left_out']} earlier weeks before a gap "
                f"left out); levels/Granger: {note}; changes n={len(changes)}"),
        spec=spec, n=int(first["n"]), start=pd.Timestamp(first["first"]), end=pd.Timestamp(first["last"]),
        notes=["weekly net liquidity has gaps before 2013-09 (ON RRP absent on non-operation days); they are dropped",
               "returns start at the first close after the H.4.1 release, so no return starts before the data are "
               "public (a Wednesday-close return would; see the robustness rows)",
               "a predictive response is not causation: both series respond to Fed policy news"],
        lp=lp, robustness=robust, qlr=qlr, gap_test=gap_test, gap_oos=gap_oos, weekly=weekly, summary=summary_table,
        unit_roots=unit_roots, levels=levels, granger=pd.concat(granger_rows, ignore_index=True),
        irf=pd.concat(irfs, ignore_index=True), rolling_beta=betas, fair_value=fv, fair_value_path=fv_path,
        panel=panel, changes=changes)
