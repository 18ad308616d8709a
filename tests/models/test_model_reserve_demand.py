"""Reserve demand: the hinge recovers a known kink on simulated data; it runs on the snapshot."""

import numpy as np
import pandas as pd
import pytest

from plumbing.models import ModelResult
from plumbing.models.reserve_demand import (fit_hinge, kink_benchmarks, ratio_to_usd_bn, rolling_slope,
                                            run_reserve_demand, usd_bn_to_ratio, weekly_mean_spread)

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
    # the bootstrap interval brackets the estimate and lies within 0.5 of the truth (a Monte Carlo
    # of 40 seeds gave 90% coverage for the 95% bootstrap interval with 50 reps, 58% for the i.i.d.
    # profile interval); the kink's location gets no delta-method SE
    assert pd.isna(fit.table.loc["kink", "se_hac"])  # no delta-method SE for the kink's location
    lo, hi = fit.kink_ci
    assert lo <= fit.kink <= hi and abs(lo - 10.0) < 0.5 and abs(hi - 10.0) < 0.5
    plo, phi = fit.kink_ci_profile
    assert plo <= fit.kink <= phi
    assert (fit.table.drop(index="kink")["se_hac"] > 0).all()
    assert fit.n == len(WEEKS) and "n=700" in fit.sample
    assert "bootstrap" in fit.spec and "60 reps" in fit.spec
    assert len(fit.bootstrap) == 60
    assert "kink" in fit.report()


def test_hinge_bootstrap_is_reproducible_with_a_seed_and_can_be_skipped():
    x, y = simulated_kink(seed=5)
    a = fit_hinge(x, y, n_grid=100, bootstrap_reps=10, seed=7)
    b = fit_hinge(x, y, n_grid=100, bootstrap_reps=10, seed=7)
    pd.testing.assert_frame_equal(a.table, b.table)
    none = fit_hinge(x, y, n_grid=100, bootstrap_reps=0)
    assert np.isnan(none.kink_ci[0]) and np.isfinite(none.kink)


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


def test_rolling_slope_tracks_a_slope_that_changes():
    rng = np.random.default_rng(2)
    n = 400
    x = pd.Series(rng.normal(0, 1, n), index=WEEKS[:n])
    slope = np.where(np.arange(n) < 200, -1.0, -3.0)
    y = pd.Series(slope * x.to_numpy() + rng.normal(0, 0.5, n), index=WEEKS[:n])
    out = rolling_slope(x, y, window=104)
    assert len(out) == n - 104 + 1
    assert out["slope"].iloc[0] == pytest.approx(-1.0, abs=0.2)   # window entirely in the first regime
    assert out["slope"].iloc[-1] == pytest.approx(-3.0, abs=0.2)  # ... in the second
    assert (out["se"] > 0).all() and (out["n"] == 104).all()
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
    return run_reserve_demand(loader, bootstrap_reps=20, n_grid=120)


def test_real_reserve_demand_runs_with_finite_results(real, snapshot, raw, coverage):
    assert np.isfinite(real.table[["estimate", "ci_low_boot", "ci_high_boot"]].to_numpy()).all()
    assert np.isfinite(real.table.drop(index="kink")["se_hac"].to_numpy()).all()
    assert 850 <= real.n <= 950  # weekly 2009-01 .. 2026, minus weeks without GDP or spread
    assert real.start >= pd.Timestamp("2009-01-01")
    # the latest GDP quarter holds until the next quarter end (exclusive): the last week is the
    # last Wednesday before the end of the quarter after the latest GDP's quarter
    gdp_quarter_end = pd.Timestamp(coverage("fred/GDP.csv")[1]) + pd.offsets.QuarterEnd(0)
    holds_until = gdp_quarter_end + pd.offsets.QuarterEnd(1)
    assert real.end == min(holds_until - pd.offsets.Week(weekday=2),
                           pd.Timestamp(coverage("fred/WRESBAL.csv")[1]))
    assert "weekly" in real.sample and "n=" in real.sample and "effr_iorb_bp" in real.spec
    lo, hi = real.panel["reserves_to_gdp_pct"].quantile([0.05, 0.95])
    assert lo - 1e-9 <= real.kink <= hi + 1e-9
    bench = real.benchmarks
    assert bench.loc["article red line USD 3,000bn", "usd_bn"] == pytest.approx(3000.0)
    kink_usd = bench.loc["estimated kink", "usd_bn"]
    assert 1000 < kink_usd < 7000 and np.isfinite(bench.loc["estimated kink", ["ci_low_usd_bn", "ci_high_usd_bn"]]).all()
    assert "GDP" in bench.attrs["denominator"]
    assert {"NY Fed steepening 12% of bank assets", "NY Fed steepening 13% of bank assets"} <= set(bench.index)
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
    assert not any("stale" in note for note in real.notes)
    assert len(real.rolling) > 500 and np.isfinite(real.rolling["slope"]).all()


def test_real_reserve_demand_on_bank_assets_ends_with_the_h8_data(loader, snapshot, raw, coverage):
    result = run_reserve_demand(loader, ratio="bank_assets", bootstrap_reps=10, n_grid=80)
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
    assert result.start >= pd.Timestamp("2018-04-01") and 350 <= result.n <= 450
    assert np.isfinite(result.kink)


def test_real_reserve_demand_in_usd_bn_uses_the_articles_terms(loader):
    result = run_reserve_demand(loader, ratio="usd_bn", bootstrap_reps=10, n_grid=80)
    bench = result.benchmarks
    assert bench.loc["estimated kink", "usd_bn"] == pytest.approx(result.kink)
    assert bench.loc["article red line USD 3,000bn", "usd_bn"] == pytest.approx(3000.0)
    gdp = bench["denominator_bn"].iloc[0]
    assert bench.loc["estimated kink", "ratio_pct"] == pytest.approx(result.kink / gdp * 100)
    assert 500 < result.kink < 4500 and "USD bn" in result.spec


def test_real_reserve_demand_rejects_unknown_names(loader):
    with pytest.raises(ValueError, match="spread='sofr'.*effr_iorb_bp"):
        run_reserve_demand(loader, spread="sofr")
    with pytest.raises(ValueError, match="ratio='m2'"):
        run_reserve_demand(loader, ratio="m2")


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
    assert pd.isna(low.table.loc["kink", "t_hac"])
