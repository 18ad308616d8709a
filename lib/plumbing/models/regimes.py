"""Liquidity regimes (article 004): Fed liquidity x the dollar, and asset returns by quadrant.

Article 004 sorts markets into a 2x2: Fed liquidity easing or not x the US dollar weakening
or strengthening, and says which assets lead in each quadrant (easing + weak dollar: broad
rally; easing + strong dollar: US assets and small caps; tight + weak dollar: non-US assets;
tight + strong dollar: everything under pressure). Here, **monthly**:

* the quadrant of each month from :func:`plumbing.indicators.liquidity_dollar_regimes`
  (month-end levels; "easing" = the liquidity measure rose over the last ``months`` months,
  "weak dollar" = the broad dollar index fell over the same months; "tight" means "not
  easing", so it includes flat or shrinking balance sheets);
* simple monthly returns (percent, month-end to month-end close) of the S&P 500, small caps
  (IWM, adjusted), the Nasdaq Composite, gold, bitcoin, the Nikkei 225 and the broad dollar;
* by quadrant: the number of months, the mean monthly return, its EWC standard error and
  interval with t(nu) critical values (Lazarus, Lewis, Stock and Watson 2018; a regression of
  the returns on the four quadrant dummies), and an EWC Wald (F) test that the four means are equal;
* which quadrant each month of 2025-2026 was in.

By default (``lag=0``) a month's return is paired with the quadrant measured over the
three months *ending* that month, so the table describes co-movement, not a tradable
signal; ``lag=1`` pairs each return with the quadrant known at the end of the previous
month. The dollar's own return is mechanically tied to the dollar leg of the quadrant.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from ..indicators import REGIME_LABELS, liquidity_dollar_regimes
from ..panel import FFILL_LIMIT_BDAYS, Loader, align_asof, as_timestamp
from ..quantities import quantity
from ._base import (ModelResult, month_count, check_choice, check_positive_int, date_span, ordered_index, specifications,
                    survival_sentence)
from .inference import HAR_LABELS, HAR_METHODS, adjust_pvalues, sandwich

HAR_LABELS_SHORT = {"ewc": "EWC (t critical values)", "nw_fixed_b": "fixed-b Newey-West", "nw": "naive Newey-West"}

#: asset key -> label (catalog keys; IWM is split- and dividend-adjusted, the others are price indexes)
ASSETS: dict[str, str] = {
    "spx": "S&P 500",
    "iwm": "small caps (IWM)",
    "nasdaq": "Nasdaq Composite",
    "gold": "gold (front-month future)",
    "btc": "bitcoin",
    "nikkei": "Nikkei 225",
    "dollar_broad": "broad dollar index",
}
LIQUIDITY_MEASURES = ("fed_assets", "net_liquidity")
REGIMES = tuple(REGIME_LABELS[k] for k in ((True, True), (True, False), (False, True), (False, False)))


def monthly_returns(levels: pd.DataFrame) -> pd.DataFrame:
    """Simple monthly returns in percent from month-end levels (one column per asset).

    A month's return needs both its own and the previous month's level; otherwise it is
    missing (not filled).
    """
    if not isinstance(levels, pd.DataFrame) or not isinstance(levels.index, pd.DatetimeIndex):
        raise TypeError("levels must be a DataFrame of month-end levels with a DatetimeIndex")
    return (levels / levels.shift(1) - 1) * 100


@dataclass
class RegimeReturnsResult(ModelResult):
    """Returns by quadrant (``table``) plus ``equality`` (Wald tests per asset)."""

    equality: pd.DataFrame = field(default_factory=pd.DataFrame)


def returns_by_regime(returns: pd.DataFrame, regime: pd.Series, hac_lags: int = 3, lag: int = 0) -> RegimeReturnsResult:
    """Mean monthly return by quadrant with EWC standard errors and intervals, per asset.

    ``returns``: monthly returns in percent (columns = assets); ``regime``: the quadrant
    label per month (missing = unclassified). ``lag`` (0 or more months): pair the return of
    month t with the quadrant of month t - lag. For each asset, OLS of the return on the
    quadrant dummies (no constant) over the months where both are known, EWC long-run
    covariance (``nu = 0.4 T^(2/3)`` cosine terms) with t(nu) critical values and p-values: the
    coefficients are the quadrant means. ``table`` is indexed by (asset, regime) with n, mean,
    se, ci_low, ci_high (95%), dof, p_value, first, last (no t-statistics); ``equality`` holds per
    asset the EWC Wald test that the quadrant means are equal (``wald_chi2``, its F form
    ``f_ewc`` and the F(q, nu - q + 1) p-value). ``hac_lags`` is no longer used (kept so
    old calls run; EWC picks its own tuning). ``p_holm`` and ``p_bh``: the
    p-values against zero adjusted across every (asset, quadrant) mean in the table (Holm,
    family-wise; Benjamini-Hochberg, false discovery rate).
    """
    check_positive_int("hac_lags", hac_lags, 0)
    check_positive_int("lag", lag, 0)
    if not isinstance(returns, pd.DataFrame):
        raise TypeError("returns must be a DataFrame of monthly returns (percent), one column per asset")
    unknown = set(regime.dropna().unique()) - set(REGIMES)
    if unknown:
        raise ValueError(f"regime has unknown labels {sorted(unknown)}; valid: {', '.join(REGIMES)}")
    if lag and isinstance(regime.index, pd.DatetimeIndex) and regime.index.is_month_end.all():
        shifted = regime.shift(lag, freq="ME")  # by calendar months: the last months' returns keep their quadrant
    else:
        shifted = regime.shift(lag) if lag else regime
    rows, equality, sizes = [], [], []
    for asset in returns.columns:
        both = pd.DataFrame({"r": returns[asset], "regime": shifted}).dropna()
        present = [g for g in REGIMES if (both["regime"] == g).any()]
        if len(both) < 2 or not present:
            sizes.append(f"{asset}: n=0")
            continue
        sizes.append(f"{asset}: n={len(both)} {date_span(both.index)}")
        dummies = pd.DataFrame({g: (both["regime"] == g).astype(float) for g in present}, index=both.index)
        design = dummies.to_numpy()
        fit = sm.OLS(both["r"].to_numpy(), design).fit()
        cov, crit, nu, _ = sandwich(design, fit.resid, "ewc")
        se = np.sqrt(np.clip(np.diag(cov), 0, None))
        for i, g in enumerate(present):
            mean = float(fit.params[i])
            p_value = float(2 * stats.t.sf(abs(mean / se[i]), nu)) if se[i] > 0 else float("nan")
            rows.append({"asset": asset, "regime": g, "n": int(dummies[g].sum()), "mean": mean, "se": se[i],
                         "ci_low": mean - crit * se[i], "ci_high": mean + crit * se[i], "dof": nu,
                         "p_value": p_value, "first": both.index[0].date(), "last": both.index[-1].date()})
        if len(present) >= 2:
            q = len(present) - 1
            restriction = np.zeros((q, len(present)))
            for i in range(q):
                restriction[i, 0], restriction[i, i + 1] = 1.0, -1.0
            diff = restriction @ fit.params
            wald = float(diff @ np.linalg.pinv(restriction @ cov @ restriction.T) @ diff)
            # EWC Wald test: (nu - q + 1) / (nu q) W ~ F(q, nu - q + 1) (Lazarus, Lewis, Stock and Watson 2018)
            f_stat = (nu - q + 1) / (nu * q) * wald
            equality.append({"asset": asset, "wald_chi2": wald, "f_ewc": f_stat, "df": q,
                             "p_value": float(stats.f.sf(f_stat, q, nu - q + 1)), "n": int(len(both))})
    if not rows:
        raise ValueError("no month has both a return and a quadrant")
    frame = pd.DataFrame(rows)
    # every quadrant mean is a test against zero: adjusted across all of them (7 assets x 4 quadrants = 28)
    frame.insert(frame.columns.get_loc("p_value") + 1, "p_holm", adjust_pvalues(frame["p_value"], "holm"))
    frame.insert(frame.columns.get_loc("p_holm") + 1, "p_bh", adjust_pvalues(frame["p_value"], "fdr_bh"))
    table = ordered_index(frame, ["asset", "regime"])
    note = ("lag=0 pairs a month with the quadrant measured over the months ending with it: co-movement, not a "
            "forecast" if lag == 0 else f"the quadrant is known {month_count(lag)} before the return")
    return RegimeReturnsResult(
        name="Monthly returns by liquidity x dollar quadrant", table=table,
        sample="monthly; months with a return and a quadrant per asset: " + "; ".join(sizes),
        spec=(f"OLS of the monthly return (percent) on the quadrant dummies, no constant; {HAR_LABELS['ewc']}; "
              f"95% intervals, no t-statistics; EWC Wald (F) test that the quadrant means are equal; quadrant lagged {month_count(lag)}; "
              f"p-values against zero adjusted across all {len(frame)} quadrant means (Holm and "
              "Benjamini-Hochberg)"),
        n=int(table["n"].sum()), notes=[note],
        equality=pd.DataFrame(equality).set_index("asset") if equality else pd.DataFrame())


def regime_path(regimes: pd.DataFrame, start: object = "2025-01-01", end: object = None) -> pd.DataFrame:
    """The quadrant of each month from ``start`` to ``end`` (month-end dates).

    Months that cannot be classified keep a missing regime and say why in ``missing``; months
    after the last one with either input are not listed.
    """
    start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
    path = regimes.loc[start_ts:end_ts].copy()
    inputs = path[["liquidity_change_bn", "dollar_change_pct"]].notna().any(axis=1)
    if inputs.any():  # months after the last observation of both inputs are not listed
        path = path.loc[:inputs[inputs].index[-1]]
    reasons = []
    for _, row in path.iterrows():
        if isinstance(row["regime"], str):
            reasons.append("")
        else:
            parts = [name for name, col in (("liquidity", "liquidity_change_bn"), ("dollar", "dollar_change_pct"))
                     if pd.isna(row[col])]
            reasons.append(f"no {' or '.join(parts)} change (input not observed at both month ends)")
    path["missing"] = reasons
    return path


def monthly_liquidity(loader: Loader, liquidity: str) -> pd.Series:
    """Month-end level of the liquidity measure, USD bn (Fed assets or weekly net liquidity).

    The last weekly observation on or before each month end, at most 5 business days old.
    """
    check_choice("liquidity", liquidity, LIQUIDITY_MEASURES)
    weekly = loader.common("fed_assets").dropna() if liquidity == "fed_assets" else quantity("net_liquidity", loader=loader)
    ends = pd.date_range(weekly.index[0] + pd.offsets.MonthEnd(0), weekly.index[-1] + pd.offsets.MonthEnd(0), freq="ME")
    return align_asof(weekly, ends, FFILL_LIMIT_BDAYS["weekly"]).rename(liquidity)


# --- the headline: lagged liquidity x dollar regression ---------------------------------------------

#: the contrasts of the regression r = a + b_e E + b_w W + b_ew E x W + e reported per asset
CONTRASTS: dict[str, tuple[str, tuple[float, float, float, float]]] = {
    "easing": ("easing effect, averaged over the two dollar states", (0, 1, 0, 0.5)),
    "weak_dollar": ("weak-dollar effect, averaged over the two liquidity states", (0, 0, 1, 0.5)),
    "interaction": ("easing x weak dollar (interaction)", (0, 0, 0, 1)),
    "best_minus_worst": ("easing + weak dollar minus tight + strong dollar (article 004's spread)", (0, 1, 1, 1)),
}


def regime_regression(returns: pd.DataFrame, regimes: pd.DataFrame, lag: int = 1, method: str = "ewc",
                      level: float = 0.95) -> pd.DataFrame:
    """Monthly returns on the lagged liquidity and dollar states and their interaction, per asset.

    ``r_t = a + b_e E_{t-lag} + b_w W_{t-lag} + b_ew E_{t-lag} W_{t-lag} + e_t`` with ``E`` =
    1 when Fed liquidity was easing and ``W`` = 1 when the dollar was weakening (columns
    ``easing`` and ``dollar_weakening`` of ``regimes``, as from
    :func:`plumbing.indicators.liquidity_dollar_regimes`), ``lag`` months earlier (1 by default:
    the state is known before the month whose return it is paired with). Intervals and p-values
    by ``method`` (``"ewc"`` by default; ``"nw_fixed_b"``; ``"nw"``), for the contrasts of
    :data:`CONTRASTS`. Rows (asset, term): description, estimate (percent per month), se,
    ci_low, ci_high, p_value, n, first, last; ``p_holm``: Holm across assets for each term.
    """
    from .inference import coefficient_table

    check_positive_int("lag", lag, 0)
    check_choice("method", method, HAR_METHODS)
    states = regimes[["easing", "dollar_weakening"]].astype(float).shift(lag)
    rows = []
    for asset in returns.columns:
        data = pd.concat({"r": returns[asset], "E": states["easing"], "W": states["dollar_weakening"]}, axis=1,
                         sort=True).dropna()
        if len(data) < 24:
            continue
        design = np.column_stack([np.ones(len(data)), data["E"], data["W"], data["E"] * data["W"]])
        fit = sm.OLS(data["r"].to_numpy(), design).fit()
        cov, crit, dof, label = sandwich(design, fit.resid, method, level)
        names = list(CONTRASTS)
        weights = np.array([CONTRASTS[name][1] for name in names])
        table = coefficient_table(weights @ fit.params, weights @ cov @ weights.T, crit, dof, names, method, label,
                                  int(fit.nobs))
        for name in names:
            rows.append({"asset": asset, "term": name, "description": CONTRASTS[name][0],
                         **table.loc[name, ["estimate", "se", "ci_low", "ci_high", "p_value"]].to_dict(),
                         "n": int(fit.nobs), "first": data.index[0].date(), "last": data.index[-1].date(),
                         "inference": label})
    if not rows:
        raise ValueError("no asset has 24 months with a return and a lagged state")
    frame = pd.DataFrame(rows)
    frame["p_holm"] = frame.groupby("term")["p_value"].transform(lambda p: adjust_pvalues(p, "holm"))
    out = ordered_index(frame, ["asset", "term"])
    out.attrs = {"lag": lag, "method": method}
    return out


def markov_switching(returns: pd.Series, regime: pd.Series | None = None, k_regimes: int = 2) -> pd.DataFrame:
    """A Markov-switching mean and variance for monthly returns (statsmodels ``MarkovRegression``).

    Returns one row per state: mean return and its standard error, standard deviation, expected
    duration in months, and (with ``regime``, the quadrant labels on the same months) the average
    smoothed probability of each state within each quadrant. ``attrs``: the smoothed
    probabilities (``probabilities``) and n.
    """
    r = returns.dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.tsa.MarkovRegression(r.to_numpy(), k_regimes=k_regimes, switching_variance=True)
        fit = model.fit(disp=False, search_reps=20)
    probs = pd.DataFrame(fit.smoothed_marginal_probabilities, index=r.index,
                         columns=[f"state {i}" for i in range(k_regimes)])
    params = pd.Series(fit.params, index=model.param_names)
    bse = pd.Series(fit.bse, index=model.param_names)
    durations = np.atleast_1d(fit.expected_durations)
    rows = []
    for i in range(k_regimes):
        row = {"state": f"state {i}", "mean": params[f"const[{i}]"], "se_mean": bse[f"const[{i}]"],
               "sd": float(np.sqrt(params[f"sigma2[{i}]"])), "expected_duration_months": float(durations[i]),
               "share_of_months": float(probs.iloc[:, i].mean())}
        if regime is not None:
            aligned = regime.reindex(r.index)
            for label in REGIMES:
                mask = (aligned == label).to_numpy()
                row[f"prob in {label}"] = float(probs.iloc[mask, i].mean()) if mask.any() else np.nan
        rows.append(row)
    out = pd.DataFrame(rows).set_index("state").sort_values("mean")
    if k_regimes == 2:  # named by what they are, lowest mean first (the fit's own numbering is arbitrary)
        names = dict(zip(out.index, ["low-return state", "high-return state"]))
        out = out.rename(index=names)
        probs = probs.rename(columns=names)
    out.attrs = {"probabilities": probs, "n": len(r), "llf": float(fit.llf),
                 "first": r.index[0].date().isoformat(), "last": r.index[-1].date().isoformat()}
    return out


#: the headline regression: the defaults of run_regimes, stated once here
REGIME_HEADLINE: dict[str, object] = {"liquidity": "fed_assets", "dollar": "dollar_broad", "months": 3,
                                      "liquidity_threshold_bn": 0.0, "dollar_threshold_pct": 0.0, "lag": 1,
                                      "method": "ewc", "start": None}
#: named alternatives to the headline regression: name -> (label, what changes)
REGIME_ROBUSTNESS_MENU: dict[str, tuple[str, dict[str, object]]] = {
    "same_month": ("same month (lag 0: co-movement, not a forecast)", {"lag": 0}),
    "lag_2": ("states known two months before", {"lag": 2}),
    "net_liquidity": ("net liquidity instead of Fed assets (from 2013-09)", {"liquidity": "net_liquidity"}),
    "months_1": ("states over 1 month", {"months": 1}),
    "months_6": ("states over 6 months", {"months": 6}),
    "thresholds": ("thresholds: liquidity > USD 50bn, dollar < -1%",
                   {"liquidity_threshold_bn": 50.0, "dollar_threshold_pct": 1.0}),
    "dxy": ("ICE dollar index (DXY, from 2014) instead of the broad index", {"dollar": "dxy"}),
    "from_2010": ("from 2010-01-01", {"start": "2010-01-01"}),
    "newey_west": ("naive Newey-West intervals (for comparison only)", {"method": "nw"}),
}


def regime_robustness(monthly: pd.DataFrame, returns: pd.DataFrame, alternatives: list[str | dict] | tuple = (),
                      base: dict | None = None, asset: str = "spx") -> pd.DataFrame:
    """The headline regression (``base``, :data:`REGIME_HEADLINE`) and each alternative for ``asset``.

    ``monthly``: month-end levels holding every liquidity measure and dollar index the
    alternatives need; ``returns``: monthly returns (percent). Rows (specification, term) for the
    terms of :data:`CONTRASTS`.
    """
    rows = []
    for label, spec in specifications(alternatives, REGIME_ROBUSTNESS_MENU, {**REGIME_HEADLINE, **(base or {})},
                                      REGIME_HEADLINE):
        regimes = liquidity_dollar_regimes(monthly, liquidity=spec["liquidity"], dollar=spec["dollar"],
                                           months=spec["months"], liquidity_threshold_bn=spec["liquidity_threshold_bn"],
                                           dollar_threshold_pct=spec["dollar_threshold_pct"])
        start = as_timestamp("start", spec["start"])
        table = regime_regression(returns[[asset]].loc[start:], regimes, lag=spec["lag"], method=spec["method"])
        for term, row in table.loc[asset].iterrows():
            rows.append({"specification": label, "term": term, **row[["estimate", "ci_low", "ci_high", "p_value", "n",
                                                                       "first", "last", "inference"]].to_dict()})
    return ordered_index(pd.DataFrame(rows), ["specification", "term"])


def regime_what_survives(table: pd.DataFrame) -> list[str]:
    """Sentences, computed from :func:`regime_robustness`, on which conclusions hold."""
    out = []
    for term, claim in (("best_minus_worst", "Easing + weak dollar beats tight + strong dollar (interval above zero)"),
                        ("easing", "Lagged Fed easing predicts higher returns (interval above zero)"),
                        ("weak_dollar", "A weak dollar predicts higher returns (interval above zero)")):
        part = table.xs(term, level="term")
        head, alts = part.iloc[0], part.iloc[1:]
        out.append(survival_sentence(f"{claim}; headline {head['estimate']:+.2f}% a month [{head['ci_low']:+.2f}, "
                                     f"{head['ci_high']:+.2f}]", bool(head["ci_low"] > 0), alts["ci_low"] > 0))
    return out


@dataclass
class RegimesResult(RegimeReturnsResult):
    """The headline ``table``: the lagged regression of each asset's monthly return on the
    liquidity and dollar states (:func:`regime_regression`); ``quadrants``: mean returns by
    quadrant with EWC intervals and Holm/BH-adjusted p-values, and ``equality`` (Wald tests);
    ``robustness`` (the headline for ``robust_asset`` beside the alternatives), ``markov``
    (Markov-switching states), ``counts`` (months per quadrant), ``path`` (2025-2026 months),
    ``regimes`` (every month's quadrant and inputs) and ``returns`` (monthly returns)."""

    quadrants: pd.DataFrame = field(default_factory=pd.DataFrame)
    robustness: pd.DataFrame = field(default_factory=pd.DataFrame)
    markov: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    path: pd.DataFrame = field(default_factory=pd.DataFrame)
    regimes: pd.DataFrame = field(default_factory=pd.DataFrame)
    returns: pd.DataFrame = field(default_factory=pd.DataFrame)


def run_regimes(loader: Loader | None = None, *, liquidity: str = REGIME_HEADLINE["liquidity"],
                dollar: str = REGIME_HEADLINE["dollar"], months: int = REGIME_HEADLINE["months"],
                liquidity_threshold_bn: float = REGIME_HEADLINE["liquidity_threshold_bn"],
                dollar_threshold_pct: float = REGIME_HEADLINE["dollar_threshold_pct"],
                assets: tuple[str, ...] = tuple(ASSETS), start: object = None, end: object = None,
                lag: int = REGIME_HEADLINE["lag"], method: str = REGIME_HEADLINE["method"], hac_lags: int = 3,
                path_start: object = "2025-01-01", robustness: list[str | dict] | tuple = (),
                robust_asset: str = "spx", markov: bool = False) -> RegimesResult:
    """Article 004's quadrants and monthly returns on the real data; the headline is the lagged regression.

    **Headline** (:data:`REGIME_HEADLINE`): :func:`regime_regression` of each asset's monthly
    return on the liquidity and dollar states ``lag`` months earlier (1 by default) and their
    interaction, EWC intervals (``method``). Beside it: mean returns by quadrant (the same lag)
    with EWC errors and intervals and Holm/BH-adjusted p-values across the 28 means
    (:func:`returns_by_regime`); ``robustness`` (names of :data:`REGIME_ROBUSTNESS_MENU` or
    dicts) for ``robust_asset``; ``markov=True`` adds :func:`markov_switching` for the S&P 500.

    ``liquidity``: ``"fed_assets"`` (default, H.4.1 total assets, USD bn) or
    ``"net_liquidity"``; ``dollar``: a catalog key of a dollar index (default the Fed's broad
    index). Quadrant inputs: change over ``months`` (3) months, thresholds
    ``liquidity_threshold_bn`` (0) and ``dollar_threshold_pct`` (0). Returns: month-end
    closes (:func:`plumbing.load` with ``freq="M"``, a close at most 2 business days before
    the month end) of ``assets``. ``start``/``end`` cut the months used for the tables;
    ``path_start`` (2025-01-01) starts the month-by-month list.
    """
    for asset in assets:
        check_choice("assets item", asset, tuple(ASSETS))
    check_choice("liquidity", liquidity, LIQUIDITY_MEASURES)
    loader = loader or Loader()
    start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
    dollars = list(dict.fromkeys([dollar] + [alt[1].get("dollar") for name, alt in REGIME_ROBUSTNESS_MENU.items()
                                             if name in robustness and "dollar" in alt[1]]))
    measures = list(dict.fromkeys([liquidity] + [alt[1].get("liquidity") for name, alt in REGIME_ROBUSTNESS_MENU.items()
                                                 if name in robustness and "liquidity" in alt[1]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        levels = loader.load(list(dict.fromkeys([*dollars, *assets])), freq="M")
    monthly = pd.DataFrame({m: monthly_liquidity(loader, m) for m in measures}).join(levels, how="outer")
    regimes = liquidity_dollar_regimes(monthly, liquidity=liquidity, dollar=dollar, months=months,
                                       liquidity_threshold_bn=liquidity_threshold_bn,
                                       dollar_threshold_pct=dollar_threshold_pct)
    returns = monthly_returns(monthly[list(assets)])
    classified_all = regimes["regime"].dropna()
    if classified_all.empty:
        raise ValueError(f"no month could be classified from {liquidity} and {dollar}")
    window = regimes.loc[start_ts or classified_all.index[0]:end_ts or classified_all.index[-1]]
    cut = returns.loc[start_ts:end_ts]
    headline = regime_regression(cut, regimes, lag=lag, method=method)
    by_regime = returns_by_regime(cut, window["regime"], hac_lags=hac_lags, lag=lag)
    counts = (window["regime"].value_counts().reindex(list(REGIMES), fill_value=0).rename("months").to_frame())
    counts["share"] = counts["months"] / counts["months"].sum()
    classified = window["regime"].dropna()
    counts.attrs = {"first": classified.index[0].date(), "last": classified.index[-1].date(),
                    "unclassified": int(window["regime"].isna().sum())}
    path = regime_path(regimes, path_start, end_ts)
    base = {"liquidity": liquidity, "dollar": dollar, "months": months, "liquidity_threshold_bn": liquidity_threshold_bn,
            "dollar_threshold_pct": dollar_threshold_pct, "lag": lag, "method": method,
            "start": start_ts.date().isoformat() if start_ts is not None else None}
    robust = regime_robustness(monthly, returns.loc[:end_ts], robustness, base, asset=robust_asset) if robustness \
        else pd.DataFrame()
    states = pd.DataFrame()
    if markov and "spx" in returns:
        known = regimes["regime"].shift(lag).reindex(cut.index).dropna()  # the headline regression's months
        states = markov_switching(cut["spx"].reindex(known.index), known)
    quadrant = (f"quadrant = ({liquidity} {months}-month change > {liquidity_threshold_bn:g} bn: easing else tight) x "
                f"({dollar} {months}-month % change < -{dollar_threshold_pct:g}: weak else strong), month-end levels")
    spec = (f"OLS of each asset's monthly return (percent) on easing, weak dollar and easing x weak dollar, states "
            f"lagged {month_count(lag)}; {quadrant}; {HAR_LABELS_SHORT.get(method, method)} intervals; Holm across assets "
            f"per term. Beside it: " + by_regime.spec)
    sample = (f"quadrants classified for {len(classified)} months {date_span(classified.index)} "
              f"({counts.attrs['unclassified']} months between them unclassified: an input missing at a month end); "
              + by_regime.sample)
    notes = list(by_regime.notes) + [f"{dollar}'s own return is mechanically linked to the dollar leg of the quadrant",
                                     "gold is the front-month future (roll effects), bitcoin trades 7 days a week"]
    first = headline.iloc[0]
    return RegimesResult(name="Monthly returns on Fed liquidity and dollar states", table=headline, sample=sample,
                         spec=spec, n=int(first["n"]), start=classified.index[0], end=classified.index[-1], notes=notes,
                         equality=by_regime.equality, quadrants=by_regime.table, robustness=robust, markov=states,
                         counts=counts, path=path, regimes=regimes, returns=returns)
