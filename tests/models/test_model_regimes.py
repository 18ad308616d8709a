"""Liquidity x dollar quadrants: known quadrant means are recovered; the snapshot runs."""

import numpy as np
import pandas as pd
import pytest

from plumbing.models.regimes import REGIMES, monthly_returns, regime_path, returns_by_regime, run_regimes

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


def test_quadrant_means_are_recovered_with_hac_standard_errors():
    returns, regime = simulated()
    result = returns_by_regime(returns, regime, hac_lags=3)
    a = result.table.loc["a"]
    for label, mean in TRUE_MEANS.items():
        # tolerance: within 3 HAC standard errors of the true mean
        assert abs(a.loc[label, "mean"] - mean) < 3 * a.loc[label, "se_hac"]
        assert a.loc[label, "n"] == (regime == label).sum()
        assert a.loc[label, "mean"] == pytest.approx(returns.loc[regime == label, "a"].mean())
    assert (result.table["se_hac"] > 0).all()
    assert result.equality.loc["a", "p_value"] < 1e-4   # the means differ
    assert result.equality.loc["b", "p_value"] > 0.01   # asset b does not depend on the quadrant
    assert "a: n=240" in result.sample and "3 lags" in result.spec


def test_lagged_quadrants_predict_when_the_truth_is_lagged():
    returns, regime = simulated(seed=22, lag=1)
    lagged = returns_by_regime(returns, regime, lag=1).table.loc["a"]
    for label, mean in TRUE_MEANS.items():
        assert abs(lagged.loc[label, "mean"] - mean) < 3 * lagged.loc[label, "se_hac"]
    assert lagged["n"].sum() == len(MONTHS) - 1


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
    return run_regimes(loader)


def test_real_regimes_run_with_finite_results(real):
    table = real.table
    assert np.isfinite(table[["mean", "se_hac", "t_hac"]].to_numpy(dtype=float)).all()
    assert set(table.index.get_level_values("asset")) == {"spx", "iwm", "nasdaq", "gold", "btc", "nikkei", "dollar_broad"}
    assert set(real.counts.index) == set(REGIMES)
    months = int(real.counts["months"].sum())
    assert 220 <= months <= 250  # broad dollar index from 2006, three-month changes
    assert table.loc["spx", "n"].sum() == months
    assert 120 <= table.loc["btc", "n"].sum() < months   # bitcoin from 2014-09
    assert real.start.year == 2006 and "months" in real.sample


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
