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
                    last_contiguous_block, newey_west_lags, ordered_index, rolling_slope)

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

def rolling_beta(returns: pd.Series, liquidity_change: pd.Series, window: int = 52, hac_lags: int = 4) -> pd.DataFrame:
    """Trailing ``window``-week OLS beta of weekly index returns on weekly liquidity changes.

    Columns ``slope`` (percent return per unit of liquidity change), ``se`` (HAC), ``n``,
    ``window_start``; see :func:`plumbing.models._base.rolling_slope`.
    """
    return rolling_slope(liquidity_change, returns, window=window, hac_lags=hac_lags)


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


# --- convenience on the real data --------------------------------------------------------------

@dataclass
class NetLiquidityEquitiesResult(ModelResult):
    """Summary ``table`` (one row per index) plus the parts, each a :class:`ModelResult`
    (``unit_roots``, ``levels`` per asset, ``fair_value``), and frames for plots: ``granger``,
    ``irf``, ``rolling_beta`` (per asset), ``panel`` (weekly levels), ``changes`` and
    ``fair_value_path``."""

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
                               granger_exclude: tuple[object, object] | None = GRANGER_EXCLUDE) -> NetLiquidityEquitiesResult:
    """Everything above on the real data, weekly (Wednesdays).

    ``assets``: any of ``"spx"``, ``"nasdaq"`` (index closes). ``start``/``end`` cut the
    sample (default: the last contiguous run of weekly net liquidity, from 2013-09). The
    VAR lag is chosen by ``ic`` (default AIC) up to ``maxlags`` (8 weeks), separately per
    asset; ``beta_window`` weeks for the rolling beta (52); ``irf_periods`` weeks of impulse
    responses (12). Granger tests: heteroskedasticity-robust Wald tests with ``granger_cov``
    (HC1) on the full sample and without ``granger_exclude`` (2020-02-01..2020-07-31; None
    skips it), beside the classical F test (:func:`granger_both_ways`). The summary ``table``'s
    ``granger_p_*`` columns are the robust p-values (``*_excl``: without the excluded weeks;
    ``granger_f_p_*``: the classical F test). The fair-value rule is evaluated from
    ``fair_value_start`` (2022-11-01) with a +/- ``band_pct`` (10%) band on the full weekly
    history (not cut by ``start``).
    """
    if isinstance(assets, str):
        assets = (assets,)
    for asset in assets:
        check_choice("assets item", asset, ASSETS)
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
    table = pd.DataFrame(summary).set_index("asset")
    table.attrs = {"granger_cov": granger_cov, "granger_excluded": granger["excluded"].iloc[0]}
    full_panel, _ = weekly_panel(nl, prices[["spx"]]) if "spx" in prices else (None, "")
    fv = None
    fv_path = pd.DataFrame()
    if full_panel is not None:
        fv = evaluate_fair_value_rule(full_panel["net_liquidity_bn"], full_panel["spx"], start=fair_value_start,
                                      band_pct=band_pct, before_start=fair_value_before_start)
        fv_path = fv.path
    unit = "100 x log change (percent)" if liquidity_change == "pct" else "change in USD bn"
    spec = (f"weekly (Wednesday) net liquidity (Fed assets - TGA week average - ON RRP, USD bn) and index closes; "
            f"changes: net liquidity {unit}, index 100 x log return; ADF and Engle-Granger on levels; "
            f"bivariate VAR per index (net liquidity first), lag by {ic.upper()} up to {maxlags}; Granger tests both "
            f"ways: Wald tests with {granger_cov} (heteroskedasticity-robust) covariance on the VAR equation, on the "
            f"full sample and "
            + (f"without {granger_exclude[0]}..{granger_exclude[1]}" if granger_exclude is not None else "(no exclusion)")
            + f", beside the classical F test; orthogonalised IRFs (one-s.d. Cholesky shocks, net liquidity first) "
            f"{irf_periods} weeks with asymptotic pointwise SEs; rolling beta {beta_window} weeks (HAC 4)")
    return NetLiquidityEquitiesResult(
        name="Net liquidity and equities", table=table, sample=f"weekly, {note}; changes n={len(changes)}", spec=spec,
        n=len(changes), start=changes.index[0], end=changes.index[-1],
        notes=["weekly net liquidity has gaps before 2013-09 (ON RRP absent on non-operation days); they are dropped",
               "Granger causality is predictive precedence, not causation; both series respond to Fed policy news"],
        unit_roots=unit_roots, levels=levels, granger=pd.concat(granger_rows, ignore_index=True),
        irf=pd.concat(irfs, ignore_index=True), rolling_beta=betas, fair_value=fv, fair_value_path=fv_path,
        panel=panel, changes=changes)
