"""Liquidity x dollar quadrants: known quadrant means and lagged effects are recovered, intervals are
HAC (not OLS), the 28 means are adjusted; the snapshot's headline sits in tight bands."""

import numpy as np
import pandas as pd
import pytest

import statsmodels.api as sm

from plumbing.models.inference import adjust_pvalues
from plumbing.models.regimes import (REGIME_ROBUSTNESS_MENU, REGIMES, markov_switching, monthly_returns,
                                     regime_path, regime_regression, regime_what_survives, returns_by_regime,
                                     run_regimes)

MONTHS = pd.date_range("2006-01-31", periods=240, freq="ME")
TRUE_MEANS = dict(zip(REGIMES, (2.0, 0.5, 1.0, -1.5)))


def simulated(seed=21, lag=0):
    rng = np.random.default_rng(seed)
    # quadrants persist: a Markov chain that keeps its state with probability 0.8
    labels = [REGIMES[0]]
    for _ in range(len(MONTHS) - 1):
        labels.append(labels[-1] if rng.random() < 0.8 else REGIMES[rng.integers(4)])
    regime = pd.Series(labels, index=MONTHS)
    driver = regime.shift(lag) if lag else regime
    mean = driver.map(TRUE_MEANS)
    returns = pd.DataFrame({"a": mean + rng.normal(0, 2.0, len(MONTHS)),
                            "b": rng.normal(0.3, 2.0, len(MONTHS))}, index=MONTHS)
    return returns, regime


def test_quadrant_means_are_recovered_with_ewc_intervals():
    returns, regime = simulated()
    result = returns_by_regime(returns, regime, hac_lags=3)
    a = result.table.loc["a"]
    for label, mean in TRUE_MEANS.items():
        # tolerance: within 3 EWC standard errors of the true mean
        assert abs(a.loc[label, "mean"] - mean) < 3 * a.loc[label, "se"]
        assert a.loc[label, "n"] == (regime == label).sum()
        assert a.loc[label, "mean"] == pytest.approx(returns.loc[regime == label, "a"].mean())
    assert (result.table["se"] > 0).all()
    assert result.equality.loc["a", "p_value"] < 1e-4   # the means differ
    assert result.equality.loc["b", "p_value"] > 0.01   # asset b does not depend on the quadrant
    assert "a: n=240" in result.sample and "EWC" in result.spec and "lags" not in result.spec
    # the p-values against zero are adjusted across all 8 (asset, quadrant) means
    assert result.table["p_holm"].to_numpy() == pytest.approx(adjust_pvalues(result.table["p_value"], "holm"))
    assert (result.table["p_bh"] <= result.table["p_holm"] + 1e-12).all()
    assert (result.table["p_holm"] >= result.table["p_value"]).all()


def cycling(seed=23, n=240, lag=1):
    """Quadrants that cycle through the four labels month by month; returns follow the quadrant of
    ``lag`` months earlier. Without the lag, each quadrant's months hold another quadrant's returns."""
    rng = np.random.default_rng(seed)
    regime = pd.Series([REGIMES[i % 4] for i in range(n)], index=MONTHS[:n])
    mean = regime.shift(lag).map(TRUE_MEANS)
    returns = pd.DataFrame({"a": mean + rng.normal(0, 0.5, n)}, index=MONTHS[:n])
    return returns, regime


def test_lagged_quadrants_predict_when_the_truth_is_lagged():
    returns, regime = cycling()
    lagged = returns_by_regime(returns, regime, lag=1).table.loc["a"]
    for label, mean in TRUE_MEANS.items():
        assert lagged.loc[label, "mean"] == pytest.approx(mean, abs=0.25)
    assert lagged["n"].sum() == len(MONTHS) - 1
    # the same data paired without the lag put each quadrant's returns on its predecessor
    unlagged = returns_by_regime(returns, regime, lag=0).table.loc["a"]
    assert unlagged.loc[REGIMES[1], "mean"] == pytest.approx(TRUE_MEANS[REGIMES[0]], abs=0.25)


def test_the_regression_recovers_lagged_state_effects_only_with_the_lag():
    returns, regime = cycling()
    states = pd.DataFrame({"easing": regime.str.startswith("easing"), "dollar_weakening": regime.str.endswith("weak dollar")})
    table = regime_regression(returns, states, lag=1).loc["a"]
    # true means 2.0 (E+W), 0.5 (E+S), 1.0 (T+W), -1.5 (T+S): best minus worst 3.5, interaction -1.0
    assert table.loc["best_minus_worst", "estimate"] == pytest.approx(3.5, abs=0.3)
    assert table.loc["interaction", "estimate"] == pytest.approx(-1.0, abs=0.4)
    assert table.loc["easing", "estimate"] == pytest.approx(1.25, abs=0.3)
    assert table.loc["best_minus_worst", "ci_low"] > 0 and "EWC" in table.loc["easing", "inference"]
    same = regime_regression(returns, states, lag=0).loc["a"]
    assert abs(same.loc["best_minus_worst", "estimate"] - 3.5) > 1.5


def test_regression_intervals_are_hac_not_ols():
    # persistent states and AR(0.7) errors: EWC covers near nominal, plain OLS standard errors do not
    rng = np.random.default_rng(24)
    hits_ewc, hits_ols, reps, n = 0, 0, 150, 240
    for _ in range(reps):
        e_state = np.zeros(n, dtype=bool)
        w_state = np.zeros(n, dtype=bool)
        u = np.zeros(n)
        shocks = rng.normal(0, 1, n)
        for t in range(1, n):
            e_state[t] = e_state[t - 1] if rng.random() < 0.95 else not e_state[t - 1]
            w_state[t] = w_state[t - 1] if rng.random() < 0.95 else not w_state[t - 1]
            u[t] = 0.7 * u[t - 1] + shocks[t]
        states = pd.DataFrame({"easing": e_state, "dollar_weakening": w_state}, index=MONTHS[:n])
        returns = pd.DataFrame({"a": u}, index=MONTHS[:n])   # no effect at all: every contrast is 0
        row = regime_regression(returns, states, lag=1).loc[("a", "best_minus_worst")]
        hits_ewc += row["ci_low"] <= 0 <= row["ci_high"]
        lagged = states.shift(1).dropna().astype(float)
        x = sm.add_constant(np.column_stack([lagged["easing"], lagged["dollar_weakening"],
                                             lagged["easing"] * lagged["dollar_weakening"]]))
        ols = sm.OLS(u[1:], x).fit()
        c = np.array([0, 1, 1, 1.0])
        se = float(np.sqrt(c @ ols.cov_params() @ c))
        hits_ols += abs(c @ ols.params) <= 1.97 * se
    assert hits_ewc / reps >= 0.85
    assert hits_ols / reps <= 0.80


def test_bad_inputs_are_named():
    returns, regime = simulated()
    with pytest.raises(ValueError, match="unknown labels"):
        returns_by_regime(returns, regime.replace(REGIMES[0], "boom"))
    with pytest.raises(ValueError, match="hac_lags=-1"):
        returns_by_regime(returns, regime, hac_lags=-1)


def test_monthly_returns_need_both_month_ends():
    levels = pd.DataFrame({"x": [100.0, 110.0, np.nan, 121.0]}, index=MONTHS[:4])
    out = monthly_returns(levels)["x"]
    assert out.iloc[1] == pytest.approx(10.0)
    assert np.isnan(out.iloc[2]) and np.isnan(out.iloc[3])   # not bridged over the missing month


# --- real snapshot --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(loader):
    return run_regimes(loader, robustness=list(REGIME_ROBUSTNESS_MENU), markov=True)


def test_real_regimes_run_with_finite_results(real):
    table = real.quadrants
    assert np.isfinite(table[["mean", "se", "ci_low", "ci_high", "p_holm", "p_bh"]].to_numpy(dtype=float)).all()
    assert set(table.index.get_level_values("asset")) == {"spx", "iwm", "nasdaq", "gold", "btc", "nikkei", "dollar_broad"}
    assert len(table) == 28
    assert "t_hac" not in table and "se_hac" not in table   # EWC intervals, no t-statistics
    assert (table["ci_low"] < table["mean"]).all() and (table["mean"] < table["ci_high"]).all()
    assert set(real.counts.index) == set(REGIMES)
    months = int(real.counts["months"].sum())
    assert 220 <= months <= 250  # broad dollar index from 2006, three-month changes
    assert months - 3 <= table.loc["spx", "n"].sum() <= months  # lagged one month
    assert 120 <= table.loc["btc", "n"].sum() < months   # bitcoin from 2014-09
    assert real.start.year == 2006 and "months" in real.sample and "lagged 1 month" in real.spec


def test_real_headline_regression_sits_in_tight_bands(real):
    spx = real.table.loc["spx"]
    # lagged one month, nothing: article 004's best-minus-worst spread is -0.43% a month, p 0.4
    assert -1.0 <= spx.loc["best_minus_worst", "estimate"] <= 0.2 and spx.loc["best_minus_worst", "p_value"] > 0.2
    assert spx.loc["easing", "p_value"] > 0.2 and spx.loc["weak_dollar", "p_value"] > 0.3
    assert 235 <= spx.loc["easing", "n"] <= 250
    robust = real.robustness
    same = robust.loc[("same month (lag 0: co-movement, not a forecast)", "weak_dollar")]
    # in the same month the dollar leg moves with stocks (p 0.035), the liquidity leg does not (p 0.58)
    assert same["p_value"] < 0.06 and same["estimate"] > 0.5
    assert robust.loc[("same month (lag 0: co-movement, not a forecast)", "easing"), "p_value"] > 0.3
    words = regime_what_survives(robust)
    assert words[0].startswith("Easing + weak dollar beats tight + strong dollar") and "no, neither in the headline nor in any of the 9 alternatives" in words[0]
    # no S&P 500 quadrant mean survives the Holm adjustment across the 28 means
    assert (real.quadrants.loc["spx", "p_holm"] > 0.05).all()
    markov = real.markov
    assert len(markov) == 2 and markov["share_of_months"].sum() == pytest.approx(1.0)
    assert markov["sd"].iloc[0] > markov["sd"].iloc[1]  # the low-mean state is the volatile one
    assert list(markov.index) == ["low-return state", "high-return state"]
    # fitted on the headline's months (a lagged quadrant known), not the S&P 500's whole history
    assert markov.attrs["n"] == spx.loc["easing", "n"] and markov.attrs["first"] >= "2006-01-01"


def test_real_regime_path_for_2025_2026(real):
    path = real.path
    assert path.index[0] == pd.Timestamp("2025-01-31")
    classified = path["regime"].dropna()
    assert set(classified) <= set(REGIMES)
    assert classified.index[-1] >= pd.Timestamp("2026-01-31")
    assert (path.loc[path["regime"].isna(), "missing"] != "").all()
    # every classified month agrees with its inputs
    for _, row in path.dropna(subset=["regime"]).iterrows():
        assert row["regime"].startswith("easing" if row["liquidity_change_bn"] > 0 else "tight")
        assert row["regime"].endswith("weak dollar" if row["dollar_change_pct"] < 0 else "strong dollar")


def test_real_regimes_with_net_liquidity_and_a_lag(loader):
    result = run_regimes(loader, liquidity="net_liquidity", lag=1)
    assert 130 <= result.counts["months"].sum() <= 160  # weekly net liquidity is contiguous from 2013-09
    assert "lagged 1 month" in result.spec
    with pytest.raises(ValueError, match="liquidity='m2'"):
        run_regimes(loader, liquidity="m2")


def test_regime_path_says_why_a_month_is_missing():
    regimes = pd.DataFrame({"liquidity_change_bn": [1.0, np.nan], "dollar_change_pct": [-1.0, 0.5],
                            "easing": [True, None], "dollar_weakening": [True, None],
                            "regime": [REGIMES[0], None]}, index=MONTHS[:2])
    path = regime_path(regimes, start=MONTHS[0])
    assert path["missing"].iloc[0] == "" and "liquidity" in path["missing"].iloc[1]


def test_the_report_parameters_offer_the_models_alternatives():
    from plumbing.reports.params import SCHEMAS

    assert SCHEMAS["08_liquidity_regimes"].params["robustness"].item.options == tuple(REGIME_ROBUSTNESS_MENU)
