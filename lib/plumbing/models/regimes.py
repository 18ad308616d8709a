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
* by quadrant: the number of months, the mean monthly return and its Newey-West (HAC)
  standard error (a regression of the returns on the four quadrant dummies), and a Wald
  test that the four means are equal;
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

from ..indicators import REGIME_LABELS, liquidity_dollar_regimes
from ..panel import FFILL_LIMIT_BDAYS, Loader, align_asof, as_timestamp
from ..quantities import quantity
from ._base import ModelResult, check_choice, check_positive_int, date_span, ordered_index

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
    """Mean monthly return by quadrant with Newey-West standard errors, per asset.

    ``returns``: monthly returns in percent (columns = assets); ``regime``: the quadrant
    label per month (missing = unclassified). ``lag`` (0 or more months): pair the return of
    month t with the quadrant of month t - lag. For each asset, OLS of the return on the
    quadrant dummies (no constant) over the months where both are known, HAC covariance with
    ``hac_lags`` lags: the coefficients are the quadrant means. ``table`` is indexed by
    (asset, regime) with n, mean, se_hac, t_hac, p_value, first, last; ``equality`` holds per
    asset the Wald chi2 test that the quadrant means are equal.
    """
    check_positive_int("hac_lags", hac_lags, 0)
    check_positive_int("lag", lag, 0)
    if not isinstance(returns, pd.DataFrame):
        raise TypeError("returns must be a DataFrame of monthly returns (percent), one column per asset")
    unknown = set(regime.dropna().unique()) - set(REGIMES)
    if unknown:
        raise ValueError(f"regime has unknown labels {sorted(unknown)}; valid: {', '.join(REGIMES)}")
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
        fit = sm.OLS(both["r"].to_numpy(), dummies.to_numpy()).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})
        for i, g in enumerate(present):
            rows.append({"asset": asset, "regime": g, "n": int(dummies[g].sum()), "mean": fit.params[i],
                         "se_hac": fit.bse[i], "t_hac": fit.tvalues[i], "p_value": fit.pvalues[i],
                         "first": both.index[0].date(), "last": both.index[-1].date()})
        if len(present) >= 2:
            restriction = np.zeros((len(present) - 1, len(present)))
            for i in range(len(present) - 1):
                restriction[i, 0], restriction[i, i + 1] = 1.0, -1.0
            wald = fit.wald_test(restriction, scalar=True)
            equality.append({"asset": asset, "wald_chi2": float(wald.statistic), "df": len(present) - 1,
                             "p_value": float(wald.pvalue), "n": int(len(both))})
    if not rows:
        raise ValueError("no month has both a return and a quadrant")
    table = ordered_index(pd.DataFrame(rows), ["asset", "regime"])
    note = ("lag=0 pairs a month with the quadrant measured over the months ending with it: co-movement, not a "
            "forecast" if lag == 0 else f"the quadrant is known {lag} month(s) before the return")
    return RegimeReturnsResult(
        name="Monthly returns by liquidity x dollar quadrant", table=table,
        sample="monthly; months with a return and a quadrant per asset: " + "; ".join(sizes),
        spec=(f"OLS of the monthly return (percent) on the quadrant dummies, no constant; Newey-West HAC SEs "
              f"({hac_lags} lags); Wald chi2 test that the quadrant means are equal; quadrant lagged {lag} month(s)"),
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


@dataclass
class RegimesResult(RegimeReturnsResult):
    """Returns by quadrant plus ``counts`` (months per quadrant), ``path`` (2025-2026 months),
    ``regimes`` (every month's quadrant and inputs) and ``returns`` (monthly returns)."""

    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    path: pd.DataFrame = field(default_factory=pd.DataFrame)
    regimes: pd.DataFrame = field(default_factory=pd.DataFrame)
    returns: pd.DataFrame = field(default_factory=pd.DataFrame)


def monthly_liquidity(loader: Loader, liquidity: str) -> pd.Series:
    """Month-end level of the liquidity measure, USD bn (Fed assets or weekly net liquidity).

    The last weekly observation on or before each month end, at most 5 business days old.
    """
    check_choice("liquidity", liquidity, LIQUIDITY_MEASURES)
    weekly = loader.common("fed_assets").dropna() if liquidity == "fed_assets" else quantity("net_liquidity", loader=loader)
    ends = pd.date_range(weekly.index[0] + pd.offsets.MonthEnd(0), weekly.index[-1] + pd.offsets.MonthEnd(0), freq="ME")
    return align_asof(weekly, ends, FFILL_LIMIT_BDAYS["weekly"]).rename(liquidity)


def run_regimes(loader: Loader | None = None, *, liquidity: str = "fed_assets", dollar: str = "dollar_broad",
                months: int = 3, liquidity_threshold_bn: float = 0.0, dollar_threshold_pct: float = 0.0,
                assets: tuple[str, ...] = tuple(ASSETS), start: object = None, end: object = None, lag: int = 0,
                hac_lags: int = 3, path_start: object = "2025-01-01") -> RegimesResult:
    """Article 004's quadrants and monthly returns by quadrant on the real data.

    ``liquidity``: ``"fed_assets"`` (default, H.4.1 total assets, USD bn) or
    ``"net_liquidity"``; ``dollar``: a catalog key of a dollar index (default the Fed's broad
    index). Quadrant inputs: change over ``months`` (3) months, thresholds
    ``liquidity_threshold_bn`` (0) and ``dollar_threshold_pct`` (0). Returns: month-end
    closes (:func:`plumbing.load` with ``freq="M"``, a close at most 2 business days before
    the month end) of ``assets``. ``start``/``end`` cut the months used for the table;
    ``path_start`` (2025-01-01) starts the month-by-month list.
    """
    for asset in assets:
        check_choice("assets item", asset, tuple(ASSETS))
    loader = loader or Loader()
    start_ts, end_ts = as_timestamp("start", start), as_timestamp("end", end)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        levels = loader.load(list(dict.fromkeys([dollar, *assets])), freq="M")
    monthly = pd.DataFrame({liquidity: monthly_liquidity(loader, liquidity)}).join(levels, how="outer")
    regimes = liquidity_dollar_regimes(monthly, liquidity=liquidity, dollar=dollar, months=months,
                                       liquidity_threshold_bn=liquidity_threshold_bn,
                                       dollar_threshold_pct=dollar_threshold_pct)
    returns = monthly_returns(monthly[list(assets)])
    classified_all = regimes["regime"].dropna()
    if classified_all.empty:
        raise ValueError(f"no month could be classified from {liquidity} and {dollar}")
    window = regimes.loc[start_ts or classified_all.index[0]:end_ts or classified_all.index[-1]]
    by_regime = returns_by_regime(returns.loc[start_ts:end_ts], window["regime"], hac_lags=hac_lags, lag=lag)
    counts = (window["regime"].value_counts().reindex(list(REGIMES), fill_value=0).rename("months").to_frame())
    counts["share"] = counts["months"] / counts["months"].sum()
    classified = window["regime"].dropna()
    counts.attrs = {"first": classified.index[0].date(), "last": classified.index[-1].date(),
                    "unclassified": int(window["regime"].isna().sum())}
    path = regime_path(regimes, path_start, end_ts)
    spec = (f"quadrant = ({liquidity} {months}-month change > {liquidity_threshold_bn:g} bn: easing else tight) x "
            f"({dollar} {months}-month % change < -{dollar_threshold_pct:g}: weak else strong), month-end levels; "
            + by_regime.spec)
    sample = (f"quadrants classified for {len(classified)} months {date_span(classified.index)} "
              f"({counts.attrs['unclassified']} months between them unclassified: an input missing at a month end); "
              + by_regime.sample)
    notes = list(by_regime.notes) + [f"{dollar}'s own return is mechanically linked to the dollar leg of the quadrant",
                                     "gold is the front-month future (roll effects), bitcoin trades 7 days a week"]
    return RegimesResult(name=by_regime.name, table=by_regime.table, sample=sample, spec=spec, n=by_regime.n,
                         start=classified.index[0], end=classified.index[-1], notes=notes,
                         equality=by_regime.equality, counts=counts, path=path, regimes=regimes, returns=returns)
