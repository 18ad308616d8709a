"""Inference helpers: coverage under AR(0.9) errors, bootstrap dependence, sup-Wald, Clark-West, Holm.

The Monte Carlos are small (a few seconds) but discriminating: each asserts that the robust
method covers near nominal *and* that a naive variant (textbook Newey-West, an i.i.d.
bootstrap, zero HAC lags) does clearly worse, so a regression to the naive method fails.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plumbing.models.inference import (ANDREWS_QLR_15PCT, adjust_pvalues, clark_west, dependent_wild_multipliers,
                                       ewc_dof, fixed_b_critical_value, fixed_regressor_bootstrap_ci, robust_ols,
                                       sandwich, sup_wald_critical_value, sup_wald_pvalue)


def ar1(rng, n, rho, reps):
    """``reps`` x ``n`` stationary AR(1) paths with unit variance."""
    shocks = rng.standard_normal((reps, n + 100))
    out = np.zeros_like(shocks)
    for t in range(1, n + 100):
        out[:, t] = rho * out[:, t - 1] + shocks[:, t]
    return out[:, 100:] * np.sqrt(1 - rho ** 2)


def coverage(method_reps=200, n=300, rho=0.9, seed=0):
    """Coverage of 95% intervals for a slope when both the regressor and the error are AR(0.9)."""
    rng = np.random.default_rng(seed)
    xs, us = ar1(rng, n, rho, method_reps), ar1(rng, n, rho, method_reps)
    hits = {"ewc": 0, "nw_fixed_b": 0, "nw": 0, "nw_0_lags": 0, "block": 0, "sieve": 0, "iid": 0}
    for r in range(method_reps):
        design = np.column_stack([np.ones(n), xs[r]])
        y = 0.5 * xs[r] + us[r]
        for method in ("ewc", "nw_fixed_b", "nw"):
            row = robust_ols(y, design, method=method).iloc[1]
            hits[method] += row["ci_low"] <= 0.5 <= row["ci_high"]
        row = robust_ols(y, design, method="nw", lags=0).iloc[1]
        hits["nw_0_lags"] += row["ci_low"] <= 0.5 <= row["ci_high"]
        beta = np.linalg.lstsq(design, y, rcond=None)[0]
        resid = y - design @ beta
        for kind in ("block", "sieve", "iid"):
            low, high = fixed_regressor_bootstrap_ci(design, resid, kind=kind, length=26, reps=199, seed=r)
            hits[kind] += beta[1] + low[1] <= 0.5 <= beta[1] + high[1]
    return {k: v / method_reps for k, v in hits.items()}


@pytest.fixture(scope="module")
def ar09_coverage():
    return coverage()


def test_ewc_and_fixed_b_cover_near_nominal_at_ar09_where_naive_newey_west_does_not(ar09_coverage):
    cov = ar09_coverage
    # 200 replications of n=300, x and u both AR(0.9): EWC 0.885, fixed-b 0.885, textbook NW 0.72, NW(0) 0.455
    assert cov["ewc"] >= 0.87
    assert cov["nw_fixed_b"] >= 0.85
    assert cov["nw"] <= cov["ewc"] - 0.10 and cov["nw"] <= 0.80
    assert cov["nw_0_lags"] <= 0.60  # HAC lags set to 0: heteroskedasticity-robust only


def test_sieve_and_block_bootstraps_cover_where_an_iid_bootstrap_does_not(ar09_coverage):
    cov = ar09_coverage
    assert cov["sieve"] >= 0.87  # 0.90 here with the AR sieve (the hinge's default) and 199 reps
    assert cov["block"] >= 0.82  # 0.855 here with blocks of 26 and 199 reps
    assert cov["iid"] <= 0.60  # resampling single residuals destroys the serial correlation


def test_ewc_matches_its_formula_and_degrees_of_freedom():
    rng = np.random.default_rng(3)
    n = 250
    x = np.column_stack([np.ones(n), rng.standard_normal(n)])
    u = rng.standard_normal(n)
    cov, crit, dof, label = sandwich(x, u, "ewc")
    nu = ewc_dof(n)
    assert nu == round(0.4 * n ** (2 / 3)) == 16 and dof == nu and f"nu={nu}" in label
    assert crit == pytest.approx(stats.t.ppf(0.975, nu))
    # by hand: Omega = (1/nu) sum_j L_j L_j', L_j = sqrt(2/T) sum_t z_t cos(pi j (t - 1/2) / T)
    z = x * u[:, None]
    t = (np.arange(1, n + 1) - 0.5) / n
    lam = np.array([np.sqrt(2 / n) * (z * np.cos(np.pi * j * t)[:, None]).sum(axis=0) for j in range(1, nu + 1)])
    omega = lam.T @ lam / nu
    bread = np.linalg.inv(x.T @ x)
    assert cov == pytest.approx(bread @ (n * omega) @ bread)


def test_fixed_b_critical_values_grow_with_the_bandwidth():
    assert fixed_b_critical_value(0.0) == pytest.approx(1.96)
    assert fixed_b_critical_value(0.1) == pytest.approx(2.2606, abs=1e-3)   # Kiefer-Vogelsang (2005)
    assert fixed_b_critical_value(0.1, 0.90) < fixed_b_critical_value(0.1)
    with pytest.raises(ValueError, match="level=0.99"):
        fixed_b_critical_value(0.1, 0.99)


def test_dependent_wild_multipliers_have_the_bartlett_covariance():
    rng = np.random.default_rng(0)
    w = dependent_wild_multipliers(400, 10, 2000, rng)
    assert w.mean() == pytest.approx(0, abs=0.02) and w.var() == pytest.approx(1, abs=0.03)
    for lag, expected in ((1, 0.9), (5, 0.5), (10, 0.0)):
        corr = float((w[:, lag:] * w[:, :-lag]).mean())
        assert corr == pytest.approx(expected, abs=0.03)


def test_simulated_sup_wald_distribution_matches_andrews_table():
    for q in (1, 2):
        for level, alpha in ((0.90, 0.10), (0.95, 0.05), (0.99, 0.01)):
            assert sup_wald_critical_value(q, level) == pytest.approx(ANDREWS_QLR_15PCT[q][alpha], rel=0.03)
    assert sup_wald_pvalue(ANDREWS_QLR_15PCT[1][0.05], 1) == pytest.approx(0.05, abs=0.01)
    assert sup_wald_pvalue(2.0, 1) > 0.5


def test_clark_west_rejects_for_a_useful_predictor_and_not_for_noise():
    rng = np.random.default_rng(5)
    n = 600
    signal = rng.standard_normal(n)
    y = 0.3 * signal + rng.standard_normal(n)
    useful = clark_west(y, np.zeros(n), 0.3 * signal)
    noise = clark_west(rng.standard_normal(n), np.zeros(n), 0.3 * rng.standard_normal(n))
    assert useful["p_value"] < 0.01 and useful["cw_t"] > 2.3
    assert noise["p_value"] > 0.2


def test_holm_and_bh_adjustments():
    p = np.array([0.01, 0.04, 0.03, np.nan, 0.5])
    holm = adjust_pvalues(p, "holm")
    assert holm[0] == pytest.approx(0.04) and holm[2] == pytest.approx(0.09) and holm[1] == pytest.approx(0.09)
    assert np.isnan(holm[3]) and holm[4] == pytest.approx(0.5)
    bh = adjust_pvalues(pd.Series(p), "fdr_bh")
    assert bh[0] == pytest.approx(0.04) and bh[1] == pytest.approx(0.0533, abs=1e-3)
    rng = np.random.default_rng(9)
    many = rng.uniform(0, 0.2, 28)
    from statsmodels.stats.multitest import multipletests

    assert adjust_pvalues(many, "holm") == pytest.approx(multipletests(many, method="holm")[1])
    with pytest.raises(ValueError, match="method='bonf'"):
        adjust_pvalues(p, "bonf")


def test_sieve_recovers_an_ar09_and_its_draws_keep_the_persistence():
    from plumbing.models.inference import resample_residuals, sieve_ar_fit
    rng = np.random.default_rng(5)
    u = ar1(rng, 2000, 0.9, 1)[0]
    phi, innov = sieve_ar_fit(u)
    # an AR(1) with rho 0.9: the first coefficient near 0.9, the rest small; innovations centred, nearly white
    assert 0.85 <= phi[0] <= 0.95 and np.abs(phi[1:]).max(initial=0.0) < 0.1
    assert abs(innov.mean()) < 1e-10 and abs(np.corrcoef(innov[1:], innov[:-1])[0, 1]) < 0.08
    draws = resample_residuals(u, "sieve", 26, 200, np.random.default_rng(1))
    assert draws.shape == (200, 2000)
    lag1 = np.mean([np.corrcoef(d[1:], d[:-1])[0, 1] for d in draws])
    assert 0.85 <= lag1 <= 0.93            # moving blocks of 26 would give about 0.9 * 25/26; i.i.d. about 0
    assert 0.8 <= draws.std() / u.std() <= 1.2
    white = resample_residuals(rng.standard_normal(500), "sieve", 26, 50, np.random.default_rng(2))
    assert abs(np.mean([np.corrcoef(d[1:], d[:-1])[0, 1] for d in white])) < 0.05


def test_survival_sentences_name_the_alternatives_that_disagree_with_the_headline():
    import pandas as pd

    from plumbing.models._base import month_count, p_text, survival_sentence

    holds = pd.Series({"a": True, "b": False, "c": True})
    assert survival_sentence("X", True, holds) == "X: yes in the headline and in 2 of 3 alternatives; not in: b."
    assert survival_sentence("X", False, holds) == "X: not in the headline, but in 2 of 3 alternatives: a; c."
    assert survival_sentence("X", False, holds & False) == "X: no, neither in the headline nor in any of the 3 alternatives."
    assert survival_sentence("X", True, holds | True) == "X: yes, in the headline and in all 3 alternatives."
    assert [p_text(p) for p in (0.876, 0.0061, 0.0004, 0.05)] == ["0.88", "0.0061", "<0.001", "0.05"]
    assert (month_count(1), month_count(6)) == ("1 month", "6 months")
