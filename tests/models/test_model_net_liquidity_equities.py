"""Net liquidity and equities: spurious levels, a known causal lag and beta, the fair-value rule."""

import numpy as np
import pandas as pd
import pytest

import statsmodels.api as sm

from plumbing.models.net_liquidity_equities import (evaluate_fair_value_rule, fair_value, granger_both_ways,
                                                    levels_vs_changes, robust_granger_test, rolling_beta,
                                                    run_net_liquidity_equities, unit_root_table,
                                                    var_impulse_responses, weekly_changes, weekly_panel)

WEDNESDAYS = pd.date_range("2010-01-06", periods=800, freq="W-WED")


def random_walk(rng, n, start, step_sd, drift=0.0):
    return start + np.cumsum(drift + rng.normal(0, step_sd, n))


def test_independent_random_walks_look_related_in_levels_but_are_not_cointegrated():
    rng = np.random.default_rng(11)
    nl = pd.Series(random_walk(rng, 800, 4000, 40, drift=2.0), index=WEDNESDAYS)
    spx = pd.Series(np.exp(random_walk(rng, 800, np.log(2000), 0.02, drift=0.0015)), index=WEDNESDAYS)
    panel, note = weekly_panel(nl, pd.DataFrame({"spx": spx}))
    assert len(panel) == 800 and "n=800" in note
    changes = weekly_changes(panel)
    result = levels_vs_changes(panel, changes, "spx")
    table = result.table
    assert table.loc["levels", "coint_p"] > 0.10           # no cointegration (the truth)
    assert table.loc["levels", "durbin_watson"] < 0.5      # the spurious-regression signature
    assert abs(table.loc["changes", "t_hac"]) < 2.5        # and nothing in changes
    roots = unit_root_table(panel, changes).table
    assert roots.loc[("net_liquidity_bn", "level"), "p_value"] > 0.05
    assert roots.loc[("spx", "weekly change"), "p_value"] < 0.01


def test_a_cointegrated_pair_is_detected():
    rng = np.random.default_rng(12)
    nl = random_walk(rng, 800, 4000, 40, drift=2.0)
    u = np.zeros(800)
    for i in range(1, 800):
        u[i] = 0.5 * u[i - 1] + rng.normal(0, 30)
    spx = pd.Series(0.9 * nl - 1000 + u, index=WEDNESDAYS)
    panel, _ = weekly_panel(pd.Series(nl, index=WEDNESDAYS), pd.DataFrame({"spx": spx}))
    table = levels_vs_changes(panel, weekly_changes(panel), "spx").table
    assert table.loc["levels", "coint_p"] < 0.01
    assert table.loc["levels", "slope"] == pytest.approx(0.9, abs=0.02)


def simulated_lagged_effect(seed=13, n=800, beta_lag2=0.5):
    """Weekly liquidity changes (iid) that move returns two weeks later with coefficient 0.5."""
    rng = np.random.default_rng(seed)
    d_nl = rng.normal(0, 1, n)
    ret = rng.normal(0, 1, n)
    ret[2:] += beta_lag2 * d_nl[:-2]
    return pd.DataFrame({"d_net_liquidity": d_nl, "spx": ret}, index=WEDNESDAYS[:n])


def test_granger_finds_the_true_direction_and_lag():
    changes = simulated_lagged_effect()
    table = granger_both_ways(changes, "spx", maxlags=8, ic="aic")
    forward = table[table["direction"] == "d_net_liquidity -> spx"].iloc[0]
    backward = table[table["direction"] == "spx -> d_net_liquidity"].iloc[0]
    assert forward["lag"] >= 2                 # the information criterion keeps the true lag
    assert forward["p_value"] < 1e-6
    assert backward["p_value"] > 0.01
    assert forward["n"] == 800 - forward["lag"]


def test_var_impulse_response_recovers_the_lagged_coefficient():
    changes = simulated_lagged_effect()
    irf = var_impulse_responses(changes, "spx", lag=2, periods=6, orth=False)
    path = irf[(irf["impulse"] == "d_net_liquidity") & (irf["response"] == "spx")].set_index("horizon")
    # tolerance 0.1: the true responses to a unit liquidity shock are 0, 0, 0.5, 0, ...
    assert path.loc[2, "irf"] == pytest.approx(0.5, abs=0.1)
    assert path.loc[0, "irf"] == pytest.approx(0.0, abs=1e-12)  # no contemporaneous effect in the reduced form
    assert abs(path.loc[1, "irf"]) < 0.1 and abs(path.loc[4, "irf"]) < 0.1
    assert (path.loc[1:, "se"] > 0).all()
    assert path.loc[2, "lower"] < 0.5 < path.loc[2, "upper"]


def test_rolling_beta_recovers_a_known_beta():
    rng = np.random.default_rng(14)
    d_nl = pd.Series(rng.normal(0, 1, 400), index=WEDNESDAYS[:400])
    ret = 0.8 * d_nl + rng.normal(0, 1, 400)
    out = rolling_beta(ret, d_nl, window=52)
    assert len(out) == 400 - 52 + 1
    assert out["slope"].mean() == pytest.approx(0.8, abs=0.1)
    assert ((out["slope"] - 0.8).abs() < 4 * out["se"]).mean() > 0.95


def test_fair_value_formula():
    nl = pd.Series([6000.0, 5500.0], index=WEDNESDAYS[:2])
    assert fair_value(nl).tolist() == pytest.approx([6000 / 1.1 - 1625, 5500 / 1.1 - 1625])
    with pytest.raises(ValueError, match="divisor=0"):
        fair_value(nl, divisor=0)


def test_fair_value_evaluation_recovers_a_known_error_drift_and_hit_rate():
    rng = np.random.default_rng(15)
    dates = pd.date_range("2020-01-01", "2026-06-24", freq="W-WED")
    nl = pd.Series(random_walk(rng, len(dates), 6000, 30), index=dates)
    fv = nl / 1.1 - 1625
    years_after = np.clip((dates - pd.Timestamp("2022-11-02")).days / 365.25, 0, None)
    error_pct = rng.normal(0, 2, len(dates)) + 10 * years_after   # +10 percentage points a year from the start
    spx = fv * (1 + error_pct / 100)
    result = evaluate_fair_value_rule(nl, spx, start="2022-11-01", band_pct=10.0)
    table = result.table
    oos = table.loc["out_of_sample"]
    assert oos.loc["drift_pct_per_year", "estimate"] == pytest.approx(10.0, abs=0.5)
    assert table.loc[("before_start", "mean_error_pct"), "estimate"] == pytest.approx(0.0, abs=0.6)
    assert table.loc[("before_start", "hit_rate_band_10pct"), "estimate"] == 1.0
    # out of sample the error passes 10% after about a year: hit rate near (1 year)/(3.6 years)
    assert oos.loc["hit_rate_band_10pct", "estimate"] == pytest.approx(1.0 / 3.64, abs=0.06)
    assert (oos["n"] == len(result.path.loc["2022-11-01":])).all()
    assert result.start >= pd.Timestamp("2022-11-01")
    with pytest.raises(ValueError, match="band_pct=-5"):
        evaluate_fair_value_rule(nl, spx, band_pct=-5)
    with pytest.raises(ValueError, match="start='soon'"):
        evaluate_fair_value_rule(nl, spx, start="soon")


def test_weekly_panel_keeps_the_last_contiguous_run_and_reports_the_gap():
    rng = np.random.default_rng(16)
    nl = pd.Series(random_walk(rng, 100, 4000, 10), index=WEDNESDAYS[:100])
    nl.iloc[30] = np.nan
    spx = pd.Series(random_walk(rng, 100, 2000, 10), index=WEDNESDAYS[:100])
    panel, note = weekly_panel(nl, pd.DataFrame({"spx": spx}))
    assert panel.index[0] == WEDNESDAYS[31] and len(panel) == 69
    assert "30 complete earlier Wednesdays" in note
    with pytest.raises(ValueError, match="liquidity_change='usd'"):
        weekly_changes(panel, liquidity_change="usd")


# --- real snapshot --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(loader):
    return run_net_liquidity_equities(loader)


def test_real_net_liquidity_equities_runs_with_finite_results(real):
    table = real.table
    assert list(table.index) == ["spx", "nasdaq"]
    assert np.isfinite(table.to_numpy(dtype=float)).all()
    assert ((table["coint_p_levels"] >= 0) & (table["coint_p_levels"] <= 1)).all()
    assert table["var_lag"].between(1, 8).all()
    # weekly net liquidity is contiguous from 2013-09-25 (ON RRP reported every week from then)
    assert real.panel.index[0] == pd.Timestamp("2013-09-25")
    assert 600 <= real.n <= 700 and "n=" in real.sample
    assert set(real.granger["direction"]) == {"d_net_liquidity -> spx", "spx -> d_net_liquidity",
                                              "d_net_liquidity -> nasdaq", "nasdaq -> d_net_liquidity"}
    assert np.isfinite(real.irf[["irf", "se"]].to_numpy()).all()
    assert len(real.rolling_beta["spx"]) > 500
    assert real.unit_roots.table["p_value"].between(0, 1).all()


def test_real_granger_without_feb_jul_2020_runs(real):
    granger = real.granger
    assert (granger["excluded"] == "2020-02-01..2020-07-31").all()
    assert granger[["p_value", "p_value_robust", "p_value_robust_excl"]].stack().between(0, 1).all()
    # 26 Wednesdays from 2020-02-05 to 2020-07-29, plus the VAR lag's weeks after them
    assert (granger["n"] - granger["n_excl"] == 26 + granger["lag"]).all()
    assert np.isfinite(real.table[["granger_p_liquidity_to_asset_excl", "granger_f_p_liquidity_to_asset"]]).all().all()


def test_real_fair_value_rule_out_of_sample(real):
    fv = real.fair_value
    assert fv.start >= pd.Timestamp("2022-11-01") and fv.start <= pd.Timestamp("2022-11-09")
    assert 150 <= fv.n <= 200  # weekly from Nov 2022 to the last weekly net liquidity
    oos = fv.table.loc["out_of_sample"]
    assert 0 <= oos.loc["hit_rate_band_10pct", "estimate"] <= 1
    assert np.isfinite(oos["estimate"]).all()
    # the rule is checked by hand on one week of the path
    row = fv.path.iloc[-1]
    assert row["fair_value"] == pytest.approx(row["net_liquidity_bn"] / 1.1 - 1625)


def test_real_rejects_unknown_asset(loader):
    with pytest.raises(ValueError, match="'gold'"):
        run_net_liquidity_equities(loader, assets=("gold",))


def heteroskedastic_lagged_effect(seed=11, n=600, beta_lag2=0.5):
    """Liquidity changes lead returns by two weeks (coefficient 0.5), both with volatility bursts."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2012-01-04", periods=n, freq="W-WED")
    scale = np.where(np.arange(n) % 100 < 10, 5.0, 1.0)  # bursts of volatility
    x = rng.normal(0, 1, n) * scale
    y = np.zeros(n)
    y[2:] = beta_lag2 * x[:-2]
    y += rng.normal(0, 1, n) * scale
    return pd.DataFrame({"d_net_liquidity": x, "asset": y}, index=index)


def test_robust_granger_finds_a_known_lag_under_heteroskedastic_noise():
    frame = heteroskedastic_lagged_effect()
    table = granger_both_ways(frame, "asset", maxlags=4, exclude=("2014-01-01", "2014-06-30")).set_index("direction")
    forward, backward = table.loc["d_net_liquidity -> asset"], table.loc["asset -> d_net_liquidity"]
    assert forward["lag"] >= 2                     # the information criterion keeps the true lag
    assert forward["p_value_robust"] < 1e-6        # the true direction, robust Wald test
    assert backward["p_value_robust"] > 0.01       # and not the reverse
    assert forward["p_value_robust_excl"] < 1e-6   # still there without the excluded half-year
    assert forward["cov_type"] == "HC1" and forward["excluded"] == "2014-01-01..2014-06-30"


def test_robust_granger_without_a_window_drops_its_weeks_as_observations_and_lags():
    frame = heteroskedastic_lagged_effect()
    lag = 2
    full = robust_granger_test(frame, "asset", "d_net_liquidity", lag)
    table = granger_both_ways(frame, "asset", maxlags=2, ic="bic", exclude=("2014-01-01", "2014-06-30"))
    assert table["lag"].iloc[0] == lag
    inside = int(((frame.index >= "2014-01-01") & (frame.index <= "2014-06-30")).sum())
    # the excluded weeks, plus the `lag` weeks after them whose lags fall inside the window
    assert (table["n"] == full["n"]).all() and full["n"] == len(frame) - lag
    assert (table["n_excl"] == full["n"] - inside - lag).all()
    assert table["p_value_robust_excl"].between(0, 1).all()
    skipped = granger_both_ways(frame, "asset", maxlags=2, exclude=None)
    assert skipped["p_value_robust_excl"].isna().all() and (skipped["n_excl"] == 0).all()
    with pytest.raises(ValueError, match="exclude="):
        granger_both_ways(frame, "asset", maxlags=2, exclude=("2014-06-30", "2014-01-01"))
    with pytest.raises(ValueError, match="cov_type='OLS'"):
        granger_both_ways(frame, "asset", maxlags=2, cov_type="OLS")


def test_robust_granger_keeps_its_size_when_the_classical_f_test_does_not():
    # no causality in the mean, but the variance of y rises with last week's x^2: the classical
    # F test then rejects "x does not Granger-cause y" far too often; the HC1 Wald test does not.
    rng = np.random.default_rng(17)
    n, reps, lag = 300, 300, 1
    index = pd.date_range("2012-01-04", periods=n, freq="W-WED")
    rejected_f = rejected_robust = 0
    for _ in range(reps):
        x = rng.standard_t(4, n)
        y = rng.normal(0, 1, n) * np.concatenate([[1.0], 0.2 + np.abs(x[:-1]) ** 1.5])
        frame = pd.DataFrame({"x": x, "y": y}, index=index)
        rejected_robust += robust_granger_test(frame, "y", "x", lag)["p_value"] < 0.05
        design = pd.concat({"y": frame["y"], "y_l1": frame["y"].shift(1), "x_l1": frame["x"].shift(1)}, axis=1).dropna()
        fit = sm.OLS(design["y"], sm.add_constant(design[["y_l1", "x_l1"]])).fit()
        rejected_f += fit.f_test("x_l1 = 0").pvalue < 0.05
    # nominal 5%: HC1 is mildly oversized with heavy tails at n=300 (about 8% with this seed; seeds
    # 1 and 2 give 7-8%), the classical F test rejects in about 60% of samples. Bounds leave
    # room for the Monte Carlo error (s.e. about 1.6 points at 8% with 300 replications).
    assert rejected_robust / reps < 0.12
    assert rejected_f / reps > 0.30


def test_impulse_responses_state_the_shock_size():
    changes = simulated_lagged_effect()
    irf = var_impulse_responses(changes, "spx", lag=2, periods=4)
    first = irf[(irf["impulse"] == "d_net_liquidity") & (irf["response"] == "d_net_liquidity")]
    # with liquidity ordered first, its own response on impact is the shock itself: one s.d.
    assert first["shock_size"].iloc[0] == pytest.approx(first.loc[first["horizon"] == 0, "irf"].iloc[0])
    assert first["shock_size"].iloc[0] == pytest.approx(1.0, abs=0.1)  # the simulated innovation s.d. is 1


def test_fair_value_table_has_no_t_statistics_and_measures_persistence():
    rng = np.random.default_rng(18)
    dates = pd.date_range("2020-01-01", "2026-06-24", freq="W-WED")
    nl = pd.Series(random_walk(rng, len(dates), 6000, 30), index=dates)
    error_pct = np.cumsum(rng.normal(0, 1.5, len(dates)))          # a random-walk error
    spx = (nl / 1.1 - 1625) * (1 + error_pct / 100)
    result = evaluate_fair_value_rule(nl, spx, start="2022-11-01")
    assert not {"se_hac", "t_hac"} & set(result.table.columns)
    assert result.table.loc[("out_of_sample", "error_ar1"), "estimate"] > 0.9
    assert "no standard errors" in result.notes[0]


def test_normal_band_is_estimate_plus_minus_z_se():
    import pandas as pd

    from plumbing.models._base import with_normal_band

    band = with_normal_band(pd.DataFrame({"slope": [1.0, None], "se": [0.5, 0.1]}))
    assert len(band) == 1
    assert band.loc[0, "low"] == pytest.approx(1.0 - 1.959964 * 0.5, abs=1e-5)
    assert band.loc[0, "high"] == pytest.approx(1.0 + 1.959964 * 0.5, abs=1e-5)
