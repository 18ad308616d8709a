"""Reserve demand: the hinge recovers a known kink, its intervals cover under AR(0.9) errors, the
sup-F test has size and power; on the snapshot the headline sits in tight bands."""

import numpy as np
import pandas as pd
import pytest

from plumbing.models import ModelResult
from plumbing.models.inference import ewc_dof, robust_ols
from plumbing.models.reserve_demand import (HEADLINE, administered_rate_settings, calendar_flags, fit_hinge,
                                            kink_benchmarks, ratio_to_usd_bn, robustness_table, rolling_slope,
                                            run_reserve_demand, time_varying_slope, usd_bn_to_ratio,
                                            weekly_mean_spread, what_survives)

WEEKS = pd.date_range("2009-01-07", periods=700, freq="W-WED")


def simulated_kink(seed: int = 1, kink: float = 10.0, slope_below: float = -4.0, slope_above: float = -0.2,
                   n: int = len(WEEKS)) -> tuple[pd.Series, pd.Series]:
    """A reserve ratio wandering between ~5 and ~19 and a spread with a kink, AR(1) errors."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    x = 12 + 6 * np.sin(t / 60) + rng.normal(0, 0.3, n)
    e = np.zeros(n)
    for i in range(1, n):
        e[i] = 0.5 * e[i - 1] + rng.normal(0, 1.0)
    y = -5 + slope_below * np.minimum(x - kink, 0) + slope_above * np.maximum(x - kink, 0) + e
    index = WEEKS[:n]
    return pd.Series(x, index=index, name="ratio"), pd.Series(y, index=index, name="spread")


def test_hinge_recovers_a_known_kink_and_slopes():
    x, y = simulated_kink()
    fit = fit_hinge(x, y, n_grid=200, bootstrap_reps=60, block_length=26, seed=3)
    assert isinstance(fit, ModelResult)
    # tolerances: kink within 0.5 ratio points, slopes within 0.6 bp per point
    assert fit.kink == pytest.approx(10.0, abs=0.5)
    assert fit.table.loc["slope_below", "estimate"] == pytest.approx(-4.0, abs=0.6)
    assert fit.table.loc["slope_above", "estimate"] == pytest.approx(-0.2, abs=0.6)
    assert fit.table.loc["at_kink", "estimate"] == pytest.approx(-5.0, abs=1.0)
    assert pd.isna(fit.table.loc["kink", "se_har"])  # no delta-method SE for the kink's location
    assert "t_hac" not in fit.table and not any(c.startswith("t_") for c in fit.table)  # no t-statistics
    lo, hi = fit.kink_ci
    assert lo <= fit.kink <= hi and abs(lo - 10.0) < 0.5 and abs(hi - 10.0) < 0.5
    assert (fit.table.loc["kink", ["ci_low", "ci_high"]].to_numpy() == fit.kink_ci).all()
    plo, phi = fit.kink_ci_profile
    assert plo <= fit.kink <= phi
    assert (fit.table.drop(index="kink")["se_har"] > 0).all()
    # the headline interval is the bootstrap's, the EWC one sits beside it with t(nu) critical values
    assert fit.table.attrs["headline"].startswith("percentile interval of a fixed-regressor sieve bootstrap")
    assert f"nu={ewc_dof(len(WEEKS))}" in fit.table.attrs["har"]
    assert fit.n == len(WEEKS) and "n=700" in fit.sample
    assert "bootstrap" in fit.spec and "60 reps" in fit.spec and "no t-statistics" in fit.spec
    assert len(fit.bootstrap) == 60
    assert fit.sup_f["p_value"] < 0.05 and fit.sup_f["statistic"] > fit.sup_f["crit_95"]
    assert "kink" in fit.report()


def simulated_smooth_path(seed: int, n: int = 500, rho: float = 0.9, linear: bool = False):
    """A smooth reserve-like path (one slow cycle) and AR(rho) errors of s.d. 2 around a hinge (or a line)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    x = 12 + 6 * np.sin(t / 50) + rng.normal(0, 0.3, n)
    shocks = rng.normal(0, 1, n)
    e = np.zeros(n)
    for i in range(1, n):
        e[i] = rho * e[i - 1] + shocks[i]
    e *= 2 * np.sqrt(1 - rho ** 2)
    mean = -5 - 1.0 * (x - 10) if linear else -5 - 4 * np.minimum(x - 10, 0) - 0.2 * np.maximum(x - 10, 0)
    index = pd.date_range("2009-01-07", periods=n, freq="W-WED")
    return pd.Series(x, index=index), pd.Series(mean + e, index=index)


def test_hinge_bootstrap_intervals_cover_at_ar09_where_naive_newey_west_does_not():
    # 80 replications of 500 weeks with AR(0.9) errors on a smooth path: the sieve bootstrap's (the default)
    # kink and slope intervals cover about 0.89-0.90 here (0.83-0.86 on the real design); textbook
    # Newey-West about 0.6; an i.i.d. bootstrap about 0.55
    hits = {"kink": 0, "slope_below": 0, "naive": 0, "iid": 0}
    reps = 80
    for seed in range(reps):
        x, y = simulated_smooth_path(seed)
        fit = fit_hinge(x, y, n_grid=60, bootstrap_reps=199, seed=seed)
        assert fit.sup_f["bootstrap"] == "sieve"
        row = fit.table.loc["slope_below"]
        hits["kink"] += fit.kink_ci[0] <= 10 <= fit.kink_ci[1]
        hits["slope_below"] += row["ci_low"] <= -4 <= row["ci_high"]
        hits["naive"] += row["ci_low_naive"] <= -4 <= row["ci_high_naive"]
        if seed < 40:
            iid = fit_hinge(x, y, n_grid=60, bootstrap_reps=199, bootstrap="iid", seed=seed).table.loc["slope_below"]
            hits["iid"] += iid["ci_low"] <= -4 <= iid["ci_high"]
    assert hits["kink"] / reps >= 0.84 and hits["slope_below"] / reps >= 0.84
    assert hits["naive"] / reps <= 0.70
    assert hits["iid"] / 40 <= 0.70


def test_sup_f_keeps_its_size_at_ar09_with_the_sieve_bootstrap():
    # 200 lines of 300 weeks with AR(0.9) errors: the default (sieve) bootstrap's 5% sup-F test rejects
    # about 8% (MC s.e. about 1.6 points at 5%); moving blocks of 26 reject about 13.5% on these draws
    reject = 0
    reps = 200
    for seed in range(reps):
        x, y = simulated_smooth_path(1000 + seed, n=300, rho=0.9, linear=True)
        reject += fit_hinge(x, y, n_grid=40, bootstrap_reps=99, seed=seed).sup_f["p_value"] < 0.05
    assert reject / reps <= 0.10


def test_sup_f_rejects_a_kink_and_keeps_its_size_on_a_line():
    # a line with AR(0.8) errors: the default bootstrap's 5% test rejects near 5%; an i.i.d. bootstrap,
    # blind to the serial correlation, rejects far too often (so the test below would catch it)
    reject, reject_iid = 0, 0
    reps = 60
    for seed in range(reps):
        x, y = simulated_smooth_path(1000 + seed, n=300, rho=0.8, linear=True)
        reject += fit_hinge(x, y, n_grid=60, bootstrap_reps=99, block_length=20, seed=seed).sup_f["p_value"] < 0.05
        if seed < 30:
            reject_iid += fit_hinge(x, y, n_grid=60, bootstrap_reps=99, bootstrap="iid",
                                    seed=seed).sup_f["p_value"] < 0.05
    assert reject / reps <= 0.12
    assert reject_iid / 30 >= 0.4
    power = [fit_hinge(*simulated_smooth_path(2000 + s, n=300, rho=0.8), n_grid=60, bootstrap_reps=99,
                       block_length=20, seed=s).sup_f["p_value"] < 0.05 for s in range(15)]
    assert np.mean(power) >= 0.9


def test_hinge_in_changes_recovers_the_slopes_and_drops_differences_across_gaps():
    x, y = simulated_kink(seed=8)
    drop = pd.Series(False, index=x.index)
    drop.iloc[[100, 300]] = True
    fit = fit_hinge(x, y, form="changes", drop=drop, n_grid=100, bootstrap_reps=20, seed=1)
    # 699 differences, minus the 2 x 2 that touch a dropped week
    assert fit.n == len(WEEKS) - 1 - 4 and "2 rows left out by request" in fit.sample
    assert fit.table.loc["slope_below", "estimate"] == pytest.approx(-4.0, abs=0.6)
    assert np.isnan(fit.table.loc["at_kink", "estimate"]) and "weekly changes" in fit.spec


def test_hinge_bootstrap_is_reproducible_with_a_seed_and_can_be_skipped():
    x, y = simulated_kink(seed=5)
    a = fit_hinge(x, y, n_grid=100, bootstrap_reps=10, seed=7)
    b = fit_hinge(x, y, n_grid=100, bootstrap_reps=10, seed=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    none = fit_hinge(x, y, n_grid=100, bootstrap_reps=0)
    assert np.isnan(none.kink_ci[0]) and np.isfinite(none.kink) and np.isnan(none.sup_f["p_value"])
    # without a bootstrap the slopes' headline interval falls back on EWC
    assert none.table.loc["slope_below", "ci_low"] == none.table.loc["slope_below", "ci_low_har"]


def test_hinge_drops_missing_rows_and_says_so():
    x, y = simulated_kink()
    y.iloc[[3, 10, 11]] = np.nan
    fit = fit_hinge(x, y, n_grid=50, bootstrap_reps=0)
    assert fit.n == len(WEEKS) - 3
    assert "3 rows dropped" in fit.sample


@pytest.mark.parametrize("kwargs, fragment", [
    ({"n_grid": 1}, "n_grid=1"),
    ({"ci_level": 1.5}, "ci_level=1.5"),
    ({"grid_quantiles": (0.9, 0.1)}, "grid_quantiles"),
    ({"bootstrap_reps": -1}, "bootstrap_reps=-1"),
    ({"min_side": 400}, "min_side=400"),
])
def test_hinge_rejects_bad_parameters_by_name(kwargs, fragment):
    x, y = simulated_kink()
    with pytest.raises(ValueError, match=fragment):
        fit_hinge(x, y, bootstrap_reps=kwargs.pop("bootstrap_reps", 0), **kwargs)


def test_rolling_slope_tracks_a_slope_that_changes_with_ewc_intervals():
    rng = np.random.default_rng(2)
    n = 400
    x = pd.Series(rng.normal(0, 1, n), index=WEEKS[:n])
    slope = np.where(np.arange(n) < 200, -1.0, -3.0)
    y = pd.Series(slope * x.to_numpy() + rng.normal(0, 0.5, n), index=WEEKS[:n])
    out = rolling_slope(x, y, window=104)
    assert len(out) == n - 104 + 1
    assert out["slope"].iloc[0] == pytest.approx(-1.0, abs=0.2)   # window entirely in the first regime
    assert out["slope"].iloc[-1] == pytest.approx(-3.0, abs=0.2)  # ... in the second
    assert (out["se"] > 0).all() and (out["n"] == 104).all() and (out["dof"] == ewc_dof(104)).all()
    # the band is the EWC interval of the last window's own regression, with t(9) critical values
    last = robust_ols(y.iloc[-104:].to_numpy(), np.column_stack([np.ones(104), x.iloc[-104:].to_numpy()])).iloc[1]
    assert out[["low", "high"]].iloc[-1].to_numpy() == pytest.approx([last["ci_low"], last["ci_high"]])
    assert last["crit"] == pytest.approx(2.262, abs=1e-3)
    naive = rolling_slope(x, y, window=104, method="nw")
    assert ((naive["high"] - naive["low"]) < (out["high"] - out["low"])).mean() > 0.7
    with pytest.raises(ValueError, match="min_obs=200"):
        rolling_slope(x, y, window=104, min_obs=200)


def test_weekly_mean_spread_averages_wednesday_weeks_and_drops_thin_weeks():
    days = pd.bdate_range("2025-01-02", "2025-01-31")
    daily = pd.Series(np.arange(len(days), dtype=float), index=days)
    weekly = weekly_mean_spread(daily, min_days=3)
    # the week ending Wed 2025-01-08 holds Thu 01-02 .. Wed 01-08 (5 business days)
    assert weekly.loc["2025-01-08", "days"] == 5
    assert weekly.loc["2025-01-08", "mean"] == pytest.approx(daily.loc["2025-01-02":"2025-01-08"].mean())
    # the last partial week (Thu 01-30, Fri 01-31) has 2 days: dropped, not filled
    assert pd.Timestamp("2025-02-05") not in weekly.index
    assert weekly.index.day_of_week.unique().tolist() == [2]
    daily.loc["2025-01-06"] = 100.0  # one spike: it moves the mean, not the median
    median = weekly_mean_spread(daily, min_days=3, how="median")
    assert median.loc["2025-01-08", "mean"] == pytest.approx(daily.loc["2025-01-02":"2025-01-08"].median())
    assert median.loc["2025-01-08", "mean"] < 5 < weekly_mean_spread(daily).loc["2025-01-08", "mean"]


def test_calendar_flags_mark_month_quarter_settlement_and_tax_weeks():
    weeks = pd.date_range("2019-09-04", "2019-10-30", freq="W-WED")
    flags = calendar_flags(weeks)
    # Sep 15 2019 was a Sunday: settlement and taxes on Monday 16th, in the week ending Wed 18th
    assert flags.loc["2019-09-18", ["mid_month_settlement", "tax_date"]].tolist() == [1.0, 1.0]
    # Sep 30 (Monday) ends the month and the quarter: the week ending Wed Oct 2
    assert flags.loc["2019-10-02", ["month_end", "quarter_end"]].tolist() == [1.0, 1.0]
    # Oct 15 (Tuesday) is a settlement date but not a tax date; Oct 31 ends the month, not a quarter
    assert flags.loc["2019-10-16", ["mid_month_settlement", "tax_date"]].tolist() == [1.0, 0.0]
    assert flags["month_end"].sum() == 2 and flags["quarter_end"].sum() == 1
    assert flags.loc["2019-09-11"].sum() == 0


def test_ratio_conversions_and_benchmarks():
    assert ratio_to_usd_bn(10.0, 30000.0) == pytest.approx(3000.0)
    assert usd_bn_to_ratio(3000.0, 30000.0) == pytest.approx(10.0)
    x, y = simulated_kink()
    fit = fit_hinge(x, y, n_grid=100, bootstrap_reps=10)
    bench = kink_benchmarks(fit, "bank_assets", 20000.0, "bank assets test", latest_reserves_bn=2900.0)
    assert bench.loc["estimated kink", "usd_bn"] == pytest.approx(fit.kink / 100 * 20000.0)
    assert bench.loc["article red line USD 3,000bn", "ratio_pct"] == pytest.approx(15.0)
    assert bench.loc["NY Fed steepening 12% of bank assets", "usd_bn"] == pytest.approx(2400.0)
    with pytest.raises(ValueError, match="ratio='gpd'"):
        kink_benchmarks(fit, "gpd", 20000.0, "x")


# --- real snapshot --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(loader):
    return run_reserve_demand(loader, bootstrap_reps=199, tvp=True)


def test_the_headline_is_the_like_for_like_nyfed_specification(real):
    assert run_reserve_demand.__kwdefaults__["spread"] == HEADLINE["spread"] == "effr_iorb_bp"
    assert run_reserve_demand.__kwdefaults__["ratio"] == HEADLINE["ratio"] == "bank_assets"
    assert real.choices["start"] == "2015-12-17" and real.start >= pd.Timestamp("2015-12-17")
    assert "deposits" in real.spec and "regime" in real.spec and "month end" in real.spec and "reserves / bank assets" in real.spec and "_bp" not in real.spec and "_pct" not in real.spec
    assert "percent of bank assets" in real.spec and "weekly median" in real.spec


def test_real_headline_estimates_sit_in_tight_bands(real):
    t = real.table
    # kink 13.6% of bank assets (bootstrap 12.5-14.9), slope below -1.73 bp per point, above flat
    assert 13.0 <= real.kink <= 14.2
    assert 11.8 <= real.kink_ci[0] <= 13.0 and 14.3 <= real.kink_ci[1] <= 15.5
    assert -2.0 <= t.loc["slope_below", "estimate"] <= -1.45
    assert t.loc["slope_below", "ci_high"] < -1.0
    assert t.loc["slope_above", "ci_low"] < 0.1 and t.loc["slope_above", "ci_high"] > -0.1
    assert -7.0 <= t.loc["at_kink", "estimate"] <= -4.5
    assert real.sup_f["p_value"] <= 0.01 and real.sup_f["statistic"] > 100
    assert 0.55 <= real.residual_ar1 <= 0.8
    # in USD bn at the latest H.8 bank assets: about 3.4tn, its interval about 3.1-3.8tn
    kink = real.benchmarks.loc["estimated kink"]
    assert 3200 <= kink["usd_bn"] <= 3600 and 2950 <= kink["ci_low_usd_bn"] and kink["ci_high_usd_bn"] <= 3950
    # the deposits shifter is a demand shifter with a positive sign (more deposits, higher spread)
    dep = real.controls.loc["deposits (previous week, from latest)"]
    assert dep["estimate"] > 0 and dep["ci_low"] > 0


def test_real_settings_of_the_administered_rates_are_read_from_the_data(loader):
    settings = administered_rate_settings(loader)
    changes = settings.index[settings["changed"] & (settings.index >= "2015-12-17")]
    # the liftoff (ON RRP from 5bp above the floor to the floor), the technical adjustments (2018-06, 2018-12,
    # 2019-05, 2020-01, 2021-06, RRP 2024-12) and the 2019-09 cut with an extra 5bp off IOER; the one-day
    # FOMC-day misalignments of 2015-12-16 and 2016-12-14 are not settings
    assert [d.date().isoformat() for d in changes] == ["2015-12-17", "2018-06-14", "2018-12-20", "2019-05-02", "2019-09-19",
                                                       "2020-01-30", "2021-06-17", "2024-12-19"]
    assert settings.loc["2019-05-10", "iorb_position_bp"] == 10 and settings.loc["2021-08-02", "iorb_position_bp"] == 15
    assert settings.loc["2025-01-02", "rrp_position_bp"] == 0 and settings.loc["2024-06-03", "rrp_position_bp"] == 5


def test_real_sep2019_and_the_old_default(loader):
    """What the Sep-Oct 2019 weeks do, and why the old default (EFFR on GDP from 2009, weekly mean,
    no controls) found no kink: its sup-F p-value is 0.2-0.3 with or without those weeks."""
    old = dict(ratio="gdp", start="2009-01-01", weekly="mean", admin="none", calendar=False, shifter=None)
    table = robustness_table(loader, [old, {**old, "exclude_sep2019": True}, {"exclude_sep2019": True},
                                      {"spread": "sofr_iorb_bp", "weekly": "mean"},
                                      {"spread": "sofr_iorb_bp", "weekly": "mean", "exclude_sep2019": True}],
                             bootstrap_reps=99)
    head, old_in, old_out, head_out, sofr_in, sofr_out = (table.iloc[i] for i in range(6))
    assert head["sup_f_p"] <= 0.02 and head_out["sup_f_p"] <= 0.02
    assert old_in["sup_f_p"] >= 0.1 and old_out["sup_f_p"] >= 0.1
    assert abs(head_out["kink"] - head["kink"]) < 0.5
    assert sofr_in["sup_f_p"] <= 0.1 and sofr_out["sup_f_p"] <= 0.1
    assert "Sep-Oct 2019 out" in table.index[2] and table.index[3] == "Sep-Oct 2019 out"
    words = what_survives(table)
    assert len(words) == 4 and words[0].startswith("A kink exists") and "not in:" in words[0]


def test_what_survives_is_computed_from_the_table():
    rows = {"headline": (0.001, -2.0, -2.5, -1.5, 3400, 3100, 3800, -0.3, -0.7, 0.1),
            "alt flat": (0.40, -0.5, -1.2, 0.2, 5000, 2000, 6000, 0.2, -0.1, 0.5),
            "alt same": (0.01, -1.8, -2.4, -1.2, 3300, 3000, 3700, -0.2, -0.6, 0.2)}
    cols = ["sup_f_p", "slope_below", "slope_below_ci_low", "slope_below_ci_high", "kink_usd_bn",
            "kink_ci_low_usd_bn", "kink_ci_high_usd_bn", "slope_above", "slope_above_ci_low", "slope_above_ci_high"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=cols)
    words = what_survives(table)
    assert words[0].endswith("yes in the headline and in 1 of 2 alternatives; not in: alt flat.")
    assert "in 1 of 2 alternatives; not in: alt flat." in words[1]
    assert "not in: alt flat." in words[2] and words[3].endswith("yes, in the headline and in all 2 alternatives.")


def test_real_reserve_demand_runs_with_finite_results(real, snapshot, raw, coverage):
    assert np.isfinite(real.table[["estimate", "ci_low", "ci_high"]].to_numpy()).all()
    assert np.isfinite(real.table.drop(index="kink")["se_har"].to_numpy()).all()
    assert 500 <= real.n <= 540  # weekly 2015-12 .. 2026-04, minus weeks in which an administered rate moved
    assert real.end == pd.Timestamp(coverage("fred/TLAACBW027SBOG.csv")[1])  # bank assets end the sample
    assert "weekly" in real.sample and "n=" in real.sample and "EFFR - IORB" in real.spec
    bench = real.benchmarks
    assert bench.loc["article red line USD 3,000bn", "usd_bn"] == pytest.approx(3000.0)
    assert "bank assets" in bench.attrs["denominator"]
    assert bench.loc["NY Fed steepening 12% of bank assets", "ratio_pct"] == 12.0
    assert not bench["indicative"].any()
    assert len(real.rolling) > 300 and np.isfinite(real.rolling[["slope", "low", "high"]]).all().all()
    assert (real.rolling["dof"] == ewc_dof(104)).all()
    # the state-space slope: where the data allow; here the level absorbs the drift (slope variance ~ 0)
    assert len(real.tvp) > 500 and set(real.tvp.attrs["params"]) == {"sigma2.obs", "sigma2.slope", "sigma2.intercept"}
    assert (real.tvp["low"] <= real.tvp["slope"]).all() and (real.tvp["slope"] <= real.tvp["high"]).all()


def test_real_reserve_demand_on_gdp_converts_the_nyfed_levels_with_the_latest_h8_ratio(loader, snapshot, raw,
                                                                                        coverage):
    result = run_reserve_demand(loader, ratio="gdp", bootstrap_reps=20, n_grid=120)
    # the latest GDP quarter holds until the next quarter end (exclusive): with the deposits shifter of
    # the previous H.8 week the sample ends with the H.8 data
    assert result.end <= pd.Timestamp(coverage("fred/WRESBAL.csv")[1])
    lo, hi = result.kink_grid
    assert lo - 1e-9 <= result.kink <= hi + 1e-9
    bench = result.benchmarks
    assert bench.loc["article red line USD 3,000bn", "usd_bn"] == pytest.approx(3000.0)
    kink_usd = bench.loc["estimated kink", "usd_bn"]
    assert 1000 < kink_usd < 7000 and np.isfinite(bench.loc["estimated kink", ["ci_low_usd_bn", "ci_high_usd_bn"]]).all()
    assert "GDP" in bench.attrs["denominator"]
    # against GDP the NY Fed rows convert with bank assets / GDP of the latest H.8 week (2026-04-15,
    # GDP 2026Q1): recent, so not flagged; the ratio is read from the raw files here
    last_h8 = coverage("fred/TLAACBW027SBOG.csv")[1]
    ratio = raw(snapshot, "fred/TLAACBW027SBOG.csv", last_h8) / raw(snapshot, "fred/GDP.csv", "2026-01-01")
    assert 0.75 < ratio < 0.83  # about 0.79, not the 0.943 of 2021
    nyfed = bench.loc[["NY Fed steepening 12% of bank assets", "NY Fed steepening 13% of bank assets"]]
    assert nyfed["ratio_pct"].to_numpy() == pytest.approx([12 * ratio, 13 * ratio])
    assert not nyfed["indicative"].any() and nyfed["note"].str.contains(last_h8).all()
    assert nyfed.loc["NY Fed steepening 12% of bank assets", "usd_bn"] == pytest.approx(
        12 * ratio / 100 * raw(snapshot, "fred/GDP.csv", "2026-01-01"))
    assert not bench["indicative"].any()
    assert not any("stale" in note for note in result.notes)


def test_real_reserve_demand_on_bank_assets_ends_with_the_h8_data(loader, snapshot, raw, coverage):
    result = run_reserve_demand(loader, ratio="bank_assets", start="2009-01-01", shifter=None, admin="none",
                                bootstrap_reps=10, n_grid=80)
    last_h8 = coverage("fred/TLAACBW027SBOG.csv")[1]
    assert result.end == pd.Timestamp(last_h8) and result.start >= pd.Timestamp("2009-01-01")
    assert 850 <= result.n <= 950  # weekly 2009-01 .. 2026-04
    assert result.benchmarks.loc["NY Fed steepening 12% of bank assets", "ratio_pct"] == 12.0
    assert last_h8 in result.benchmarks.attrs["denominator"]
    assert result.benchmarks["denominator_bn"].iloc[0] == pytest.approx(raw(snapshot, "fred/TLAACBW027SBOG.csv", last_h8))


def test_a_stale_bank_assets_ratio_is_flagged_indicative():
    x, y = simulated_kink()
    fit = fit_hinge(x, y, n_grid=100, bootstrap_reps=10)
    fresh = kink_benchmarks(fit, "gdp", 30000.0, "GDP test", bank_assets_to_gdp=0.8, bank_assets_to_gdp_label="recent")
    stale = kink_benchmarks(fit, "gdp", 30000.0, "GDP test", bank_assets_to_gdp=0.8, bank_assets_to_gdp_label="old",
                            bank_assets_to_gdp_stale=True)
    row = "NY Fed steepening 12% of bank assets"
    assert fresh.loc[row, "ratio_pct"] == pytest.approx(9.6) and not fresh.loc[row, "indicative"]
    assert stale.loc[row, "indicative"] and stale.loc[row, "note"].startswith("INDICATIVE ONLY: stale")


def test_real_reserve_demand_with_sofr_starts_in_2018(loader):
    result = run_reserve_demand(loader, spread="sofr_iorb_bp", bootstrap_reps=10, n_grid=80)
    assert result.start >= pd.Timestamp("2018-04-01") and 380 <= result.n <= 430
    assert np.isfinite(result.kink)


def test_real_reserve_demand_in_usd_bn_uses_the_articles_terms(loader):
    result = run_reserve_demand(loader, ratio="usd_bn", bootstrap_reps=10, n_grid=80)
    bench = result.benchmarks
    assert bench.loc["estimated kink", "usd_bn"] == pytest.approx(result.kink)
    assert bench.loc["article red line USD 3,000bn", "usd_bn"] == pytest.approx(3000.0)
    gdp = bench["denominator_bn"].iloc[0]
    assert bench.loc["estimated kink", "ratio_pct"] == pytest.approx(result.kink / gdp * 100)
    assert 2800 < result.kink < 3700 and "USD bn" in result.spec


def test_real_reserve_demand_rejects_unknown_names(loader):
    with pytest.raises(ValueError, match="spread='sofr'.*effr_iorb_bp"):
        run_reserve_demand(loader, spread="sofr")
    with pytest.raises(ValueError, match="ratio='m2'"):
        run_reserve_demand(loader, ratio="m2")
    with pytest.raises(ValueError, match="weekly='max'"):
        run_reserve_demand(loader, weekly="max")
    with pytest.raises(ValueError, match="unknown specification choice"):
        robustness_table(loader, [{"spreadd": "sofr_iorb_bp"}])


def test_bootstrap_kinks_on_the_grid_edge_are_counted_and_truncate_the_interval():
    # a well-located kink: no bootstrap kink on a grid edge, the interval is not truncated
    x, y = simulated_kink()
    inside = fit_hinge(x, y, n_grid=100, bootstrap_reps=40, seed=4)
    assert inside.boot_share_at_edge == (0.0, 0.0) and inside.kink_ci_truncated == (False, False)
    assert inside.kink_grid == pytest.approx(tuple(np.quantile(x, [0.05, 0.95])))
    assert any("not truncated" in note for note in inside.notes)
    # a steep kink at 6.0, right at the grid's lower edge (x's 5% quantile, 5.99): the bootstrap kinks
    # pile up on the lowest admissible grid point and the interval's lower bound is the grid edge
    x, y = simulated_kink(kink=6.0, slope_below=-20.0)
    low = fit_hinge(x, y, n_grid=100, bootstrap_reps=40, seed=4)
    assert low.boot_share_at_edge[0] > 0.5 and low.kink_ci_truncated == (True, False)
    assert low.kink_ci[0] == pytest.approx(low.kink_grid[0])
    assert any("lower bound is truncated by the search grid" in note for note in low.notes)
    assert pd.isna(low.table.loc["kink", "se_har"])


def test_the_report_parameters_offer_the_models_choices():
    from plumbing.models.reserve_demand import ADMIN_CONTROLS, FORMS, ROBUSTNESS_MENU, SHIFTERS, WEEKLY_STATISTICS
    from plumbing.reports.params import SCHEMAS

    params = SCHEMAS["06_reserves_red_line"].params
    assert params["robustness"].item.options == tuple(ROBUSTNESS_MENU)
    assert params["weekly"].options == WEEKLY_STATISTICS and params["form"].options == FORMS
    assert params["admin"].options == ADMIN_CONTROLS and params["shifter"].options == SHIFTERS
