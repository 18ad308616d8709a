"""Event studies: a known abnormal return and market beta are recovered; margin signs; binomial test."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plumbing.models.event_study import (HIKE_ROBUSTNESS_MENU, _poisson_binomial_sf, aggregate_cars, calendar_clusters,
                                         event_study, hike_what_survives, log_returns, margin_changes,
                                         margin_hike_binomial, margin_hikes_by_cluster, run_episode_event_study,
                                         run_margin_event_study, wild_cluster_bootstrap_mean)

DAYS = pd.bdate_range("2010-01-04", periods=3000)


def simulated_returns(seed=31, mean=0.05, sd=1.0):
    rng = np.random.default_rng(seed)
    return pd.Series(rng.normal(mean, sd, len(DAYS)), index=DAYS, name="asset")


def event_dates(first=200, step=150, count=18):
    return [DAYS[first + step * i] for i in range(count)]


def test_constant_mean_model_recovers_a_known_abnormal_return():
    returns = simulated_returns()
    dates = event_dates()
    returns.loc[dates] += 5.0                                  # +5% on day 0 of every event
    result = event_study(returns, dates)
    table = result.table
    # tolerance: the mean CAR within 3 cross-sectional SEs of the truth; t far above 2
    day0 = table.loc["[+0,+0]"]
    assert abs(day0["mean_car"] - 5.0) < 3 * day0["se_cs"] and day0["t_cs"] > 10
    before = table.loc["[-10,-1]"]
    assert abs(before["mean_car"]) < 3 * before["se_cs"]
    assert abs(table.loc["[+0,+9]", "mean_car"] - 5.0) < 3 * table.loc["[+0,+9]", "se_cs"]
    per_event = result.events[result.events["window"] == "[+0,+0]"]
    # the CAR SE of one day is sigma * sqrt(1 + 1/110) (estimation error of the mean included)
    expected = per_event["sigma_est"] * np.sqrt(1 + 1 / 110)
    assert np.allclose(per_event["se"], expected, rtol=1e-9)
    assert result.n == 18 and not result.events["contaminated"].any()
    assert len(result.abnormal) == 18 * 31
    assert "[-120,-11]" in result.spec and "18 events" in result.sample


def test_market_model_recovers_beta_and_the_abnormal_return():
    rng = np.random.default_rng(32)
    market = pd.Series(rng.normal(0.03, 1.0, len(DAYS)), index=DAYS)
    returns = 0.1 + 1.5 * market + rng.normal(0, 0.5, len(DAYS))
    dates = event_dates(count=15)
    shifted = [DAYS[DAYS.get_loc(d) + 1] for d in dates]
    returns.loc[shifted] += 3.0                                # +3% on day +1
    result = event_study(returns, dates, model="market", market_returns=market)
    betas = result.events.drop_duplicates("event")["beta_market"]
    assert betas.mean() == pytest.approx(1.5, abs=0.05)
    row = result.table.loc["[+0,+4]"]
    assert abs(row["mean_car"] - 3.0) < 3 * row["se_cs"]
    with pytest.raises(ValueError, match="market_returns"):
        event_study(returns, dates, model="market")


def test_events_outside_the_data_are_dropped_and_reported():
    returns = simulated_returns()
    dates = event_dates(count=3) + [DAYS[-5], DAYS[50], pd.Timestamp("2030-01-01")]
    result = event_study(returns, dates)
    assert result.n == 3
    reasons = result.dropped.set_index("event")["reason"]
    assert "ends after the data" in reasons[str(DAYS[-5].date())]
    assert "before the data" in reasons[str(DAYS[50].date())]
    assert "no trading day" in reasons["2030-01-01"]
    assert "3 events dropped" in result.sample


def test_contaminated_events_are_flagged_and_groups_aggregate():
    returns = simulated_returns()
    events = pd.DataFrame({"date": [DAYS[300], DAYS[340], DAYS[900]], "event": ["a", "b", "c"],
                           "kind": ["x", "x", "y"]})
    result = event_study(returns, events, group_by="kind")
    flags = result.events.drop_duplicates("event").set_index("event")["contaminated"]
    assert flags.to_dict() == {"a": False, "b": True, "c": False}  # a (day 300) is inside b's estimation window
    assert set(result.table.index.get_level_values("kind")) == {"x", "y"}
    assert result.table.loc[("x", "[+0,+0]"), "n"] == 2
    again = aggregate_cars(result.events, ["kind"])
    pd.testing.assert_frame_equal(again, result.table)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"estimation_window": (-120, 0)}, "must end before"),
    ({"car_windows": ((0, 30),)}, "not inside event_window"),
    ({"model": "fama_french"}, "model='fama_french'"),
    ({"event_window": (5, -5)}, "event_window=\\(5, -5\\)"),
])
def test_bad_windows_and_models_are_named(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        event_study(simulated_returns(), event_dates(count=2), **kwargs)


def test_log_returns_are_percent_on_own_dates():
    prices = pd.Series([100.0, 110.0, np.nan, 121.0], index=DAYS[:4])
    out = log_returns(prices)
    assert out.iloc[0] == pytest.approx(100 * np.log(1.1))
    assert out.index[1] == DAYS[3] and out.iloc[1] == pytest.approx(100 * np.log(1.1))


def margin_table():
    rows = [
        # date, metal, unit, old_i, new_i, old_m, new_m, change_pct, notes
        ("2011-01-03", "gold", "USD per contract", 5000, 6000, 4000, 4800, 20.0, None),
        ("2011-02-01", "gold", "USD per contract", 6000, 5400, None, None, None, None),
        ("2011-03-01", "gold", "USD per contract -> percent of notional", 5400, 5.0, None, None, None, None),
        ("2011-04-01", "silver", "USD per contract", None, None, None, None, None, "raise of about USD 1000"),
        ("2011-05-02", "silver", "percent of notional", 9.0, None, 9.0, None, None, None),
        ("2011-06-01", "silver", "percent of notional", 11.0, 15.0, 11.0, 15.0, None, None),
        ("2011-07-01", "silver", "USD per contract", None, None, 20000, 18000, None, None),
        ("2011-08-01", "silver", "USD per contract", None, None, None, None, None, None),
    ]
    table = pd.DataFrame(rows, columns=["effective_date", "metal", "unit", "old_initial", "new_initial",
                                        "old_maintenance", "new_maintenance", "change_pct", "notes"])
    table["effective_date"] = pd.to_datetime(table["effective_date"])
    return table


def test_margin_change_signs_follow_the_stated_rules():
    gold_price = pd.Series([1400.0], index=[pd.Timestamp("2011-02-28")])  # 5% x 1400 x 100 oz = USD 7,000 > 5,400
    out = margin_changes(margin_table(), {"gold": gold_price}).set_index("event")
    assert out.loc["gold 2011-01-03", ["direction", "sign_source"]].tolist() == ["raise", "change_pct"]
    assert out.loc["gold 2011-02-01", "direction"] == "cut"
    assert out.loc["gold 2011-02-01", "change_pct"] == pytest.approx(-10.0)
    assert out.loc["gold 2011-03-01", "direction"] == "raise"
    assert out.loc["gold 2011-03-01", "change_pct"] == pytest.approx((7000 / 5400 - 1) * 100)
    assert out.loc["gold 2011-03-01", "sign_source"].startswith("unit switch")
    assert out.loc["silver 2011-04-01", ["direction", "sign_source"]].tolist() == ["raise", "notes"]
    assert out.loc["silver 2011-05-02", "direction"] == "raise"          # 9% -> 11% stated by the next change
    assert out.loc["silver 2011-05-02", "sign_source"].startswith("next change")
    assert out.loc["silver 2011-07-01", ["direction", "sign_source"]].tolist() == ["cut", "new vs old maintenance"]
    assert out.loc["silver 2011-08-01", "direction"] == "unknown"
    # without a price the unit switch cannot be signed
    assert margin_changes(margin_table()).set_index("event").loc["gold 2011-03-01", "direction"] == "unknown"


def test_binomial_test_detects_hikes_followed_by_falls():
    returns = simulated_returns(seed=33, mean=0.0)
    dates = event_dates(count=18)
    for d in dates:
        start = DAYS.get_loc(d)
        returns.iloc[start:start + 10] = -0.5 + 0.1 * returns.iloc[start:start + 10]
    changes = pd.DataFrame({"date": dates, "metal": "gold", "direction": "raise",
                            "event": [f"gold {d.date()}" for d in dates]})
    result = margin_hike_binomial({"gold": returns}, changes, window=(0, 9))
    row = result.table.loc[("all", "gold")]
    assert row["n"] == 18 and row["k_negative"] == 18
    assert row["baseline_share"] == pytest.approx(0.5, abs=0.05)
    assert row["p_value"] == pytest.approx(row["baseline_share"] ** 18)  # P(all 18 negative) under H0
    assert row["p_value"] < 1e-4
    assert row["ci_low"] < 1.0 and row["ci_high"] == 1.0
    assert result.table.loc[("all", "pooled"), "p_value"] == pytest.approx(row["p_value"], rel=1e-6)
    assert result.table.loc[("non_overlapping", "gold"), "n"] == 18   # 150 days apart: no overlap


def test_poisson_binomial_matches_the_binomial_with_equal_probabilities():
    assert _poisson_binomial_sf(7, np.full(12, 0.4)) == pytest.approx(stats.binom.sf(6, 12, 0.4))


# --- real snapshot --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def margins(loader):
    return run_margin_event_study(loader, robustness=list(HIKE_ROBUSTNESS_MENU), reps=1999)


def test_real_margin_changes_are_all_signed(margins):
    changes = margins.changes.set_index("event")
    assert len(changes) == 31
    assert (changes["direction"] != "unknown").all()
    assert changes.loc["gold 2011-06-20", "direction"] == "cut"
    assert changes.loc["silver 2020-07-24", ["direction", "sign_source"]].tolist() == ["raise", "notes"]
    assert changes.loc["silver 2026-01-28", "direction"] == "raise"       # 9% -> 11% (next notice's old level)
    assert changes.loc["silver 2026-02-06", "change_pct"] == pytest.approx(20.0)  # 15% -> 18%


def test_real_margin_event_study_runs_with_finite_results(margins):
    table = margins.table
    assert np.isfinite(table[["mean_car", "se_pooled", "t_pooled"]].to_numpy()).all()
    raises = table.loc[("all", "raise")]
    assert (raises["n"] == margins.changes["direction"].eq("raise").sum()).all()
    assert margins.n == 31 and len(margins.dropped) == 0
    assert np.isfinite(margins.events[["car", "se", "t"]].to_numpy()).all()
    binomial = margins.binomial.table
    assert binomial["p_value"].between(0, 1).all()
    assert binomial.loc[("all", "pooled"), "n"] == 27
    assert 0.3 < binomial.loc[("all", "gold"), "baseline_share"] < 0.6


def test_real_episode_event_study(loader):
    result = run_episode_event_study(loader)
    assert result.n == 7 * 5 and len(result.dropped) == 0
    assert np.isfinite(result.table[["car", "se", "t"]].to_numpy(dtype=float)).all()
    assert result.table.loc[("spx", "2020-03-dash-for-cash", "[+0,+0]"), "raw_return"] == pytest.approx(
        100 * np.log(2386.13 / 2711.02), abs=0.05)  # S&P 500 2020-03-16 close vs 03-13
    assert set(result.aggregate.index.get_level_values("asset")) == {"spx", "nasdaq", "gold", "silver", "btc"}
    with pytest.raises(ValueError, match="market='spx'"):
        run_episode_event_study(loader, model="market")


def test_zero_mean_model_keeps_the_raw_return_after_a_run_up():
    # a steady rally before each event (which a fitted mean would carry into the event window),
    # then a known -2% return on day 0 and flat afterwards
    days = pd.bdate_range("2020-01-01", periods=600)
    rng = np.random.default_rng(3)
    returns = pd.Series(rng.normal(0, 0.2, len(days)), index=days)
    events = [days[200], days[400]]
    for event in events:
        position = days.get_loc(event)
        returns.iloc[position - 120:position - 10] += 0.5  # the run-up inside the estimation window
        returns.iloc[position] = -2.0
    zero = event_study(returns, events, model="zero_mean", estimation_window=(-120, -11), event_window=(-10, 20),
                       car_windows=[(0, 0)])
    fitted = event_study(returns, events, model="constant_mean", estimation_window=(-120, -11), event_window=(-10, 20),
                         car_windows=[(0, 0)])
    assert zero.events["car"].to_numpy() == pytest.approx([-2.0, -2.0])
    assert (fitted.events["car"] < -2.3).all()  # the fitted mean (~0.5/day) is wrongly subtracted
    assert {"raw_cum", "day"} <= set(zero.abnormal.columns)


def test_zero_mean_model_recovers_a_known_abnormal_return():
    returns = simulated_returns(seed=34, mean=0.0)
    dates = event_dates()
    returns.loc[dates] += 5.0                                  # +5% on day 0 of every event
    events = pd.DataFrame({"date": dates, "direction": ["raise", "cut"] * 9})
    result = event_study(returns, events, model="zero_mean", group_by="direction")
    for direction in ("raise", "cut"):
        day0 = result.table.loc[(direction, "[+0,+0]")]
        # tolerance: within 3 cross-sectional SEs of the truth, with t far above 2
        assert abs(day0["mean_car"] - 5.0) < 3 * day0["se_cs"] and day0["t_cs"] > 10
        before = result.table.loc[(direction, "[-10,-1]")]
        assert abs(before["mean_car"]) < 3 * before["se_cs"]
        # zero-mean: the CAR is the raw return, so the two columns agree exactly
        assert result.table.loc[direction, "mean_car"].to_numpy() == pytest.approx(
            result.table.loc[direction, "mean_raw_return"].to_numpy())
    # no estimated drift: the one-day CAR SE is the root mean square of the estimation returns
    per_event = result.events[result.events["window"] == "[+0,+0]"].reset_index(drop=True)
    positions = [DAYS.get_loc(d) for d in dates]
    rms = [np.sqrt(np.mean(returns.iloc[p - 120:p - 10].to_numpy() ** 2)) for p in positions]
    assert np.allclose(per_event["se"], rms, rtol=1e-9)
    # the abnormal-return frame: raw return equals AR, carries the direction, cumulates from day -10
    ab = result.abnormal
    assert {"direction", "ret", "raw_cum", "contaminated", "overlaps_event_window"} <= set(ab.columns)
    assert np.allclose(ab["ar"], ab["ret"]) and np.allclose(ab["car"], ab["raw_cum"])
    assert set(ab.loc[ab["direction"] == "raise", "event"]) == {str(d.date()) for d in dates[::2]}
    assert "zero-mean model" in result.spec and "no estimated drift" in result.spec
    # the constant-mean model subtracts the estimation-window mean: its CARs differ from the raw ones
    fitted = event_study(returns, events, model="constant_mean")
    assert not np.allclose(fitted.events["car"], fitted.events["raw_return"])


def test_events_inside_each_others_event_window_are_flagged_and_counted():
    returns = simulated_returns()
    # b is on a's day +10 (event windows overlap); a and b are on c's days -100 and -90 (inside
    # c's estimation window [-120, -11]); e is alone
    events = pd.DataFrame({"date": [DAYS[300], DAYS[310], DAYS[400], DAYS[900]], "event": ["a", "b", "c", "e"]})
    result = event_study(returns, events, model="zero_mean")
    flags = result.events.drop_duplicates("event").set_index("event")
    assert flags["overlaps_event_window"].to_dict() == {"a": True, "b": True, "c": False, "e": False}
    assert flags["contaminated"].to_dict() == {"a": False, "b": False, "c": True, "e": False}
    row = result.table.loc["[+0,+0]"]
    assert row["n"] == 4 and row["n_contaminated"] == 1 and row["n_overlapping"] == 2
    # main (cross-sectional) columns come before the secondary pooled test
    columns = list(result.table.columns)
    assert columns.index("p_cs") < columns.index("p_pooled") and columns[-1] == "p_pooled"
    assert any("estimated variance" in note for note in result.notes)
    assert any("event window" in note for note in result.notes)


def test_real_margin_study_defaults_to_raw_returns_and_reads_as_sentences(margins):
    assert "zero-mean model" in margins.spec
    raises = margins.table.loc[("all", "raise")]
    assert np.allclose(raises["mean_car"], raises["mean_raw_return"])
    assert set(margins.abnormal["direction"]) == {"raise", "cut"}
    text = " ".join(margins.notes) + margins.sample + margins.binomial.sample
    assert "{" not in text and "}" not in text  # no raw Python dicts in the notes
    assert any(note.startswith("the sign of each change") for note in margins.notes)


# --- margin hikes by calendar cluster -------------------------------------------------------------------

def test_calendar_clusters_chain_events_within_the_gap():
    days = pd.bdate_range("2011-04-01", "2011-06-30")
    dates = ["2011-04-26", "2011-04-29", "2011-05-03", "2011-05-09", "2011-05-09", "2011-06-20"]
    labels = calendar_clusters(dates, days, gap=10)
    assert labels.tolist() == ["2011-04-26..2011-05-09"] * 5 + ["2011-06-20..2011-06-20"]
    same_date = calendar_clusters(dates, days, gap=0)
    assert same_date.nunique() == 5 and same_date.iloc[3] == same_date.iloc[4]


def clustered_sample(rng, clusters=9, size=4, mean=0.0, rho=0.9):
    """Event values sharing a cluster shock (within-cluster correlation ``rho``)."""
    shocks = np.repeat(rng.normal(0, np.sqrt(rho), clusters), size)
    return mean + shocks + rng.normal(0, np.sqrt(1 - rho), clusters * size), np.repeat(np.arange(clusters), size)


def test_wild_cluster_bootstrap_keeps_its_size_where_the_iid_test_does_not():
    rng = np.random.default_rng(41)
    reject_boot, reject_iid, reps = 0, 0, 200
    for k in range(reps):
        values, clusters = clustered_sample(rng)
        test = wild_cluster_bootstrap_mean(values, clusters, reps=399, seed=k)
        reject_boot += test["p_boot"] < 0.05
        reject_iid += test["p_iid"] < 0.05
    assert reject_boot / reps <= 0.10
    assert reject_iid / reps >= 0.25  # 36 correlated values treated as independent
    power = [wild_cluster_bootstrap_mean(*clustered_sample(rng, mean=1.5), reps=399, seed=k)["p_boot"] < 0.05
             for k in range(40)]
    assert np.mean(power) >= 0.7
    with pytest.raises(ValueError, match="at least two clusters"):
        wild_cluster_bootstrap_mean(np.ones(3), [0, 0, 0])


def test_the_matched_baseline_removes_the_run_up_state():
    # returns fall after top-decile run-ups whatever CME does: hikes placed on such days look like
    # falls in raw returns, and like nothing against the matched-state baseline
    rng = np.random.default_rng(42)
    r = rng.normal(0, 1, len(DAYS))
    runup = np.full(len(DAYS), np.nan)
    for t in range(20, len(DAYS)):
        runup[t] = r[t - 20:t].sum()
        if runup[t] > 7.0:
            r[t] -= 1.0
    returns = pd.Series(r, index=DAYS)
    hot = np.flatnonzero(runup > np.nanquantile(runup, 0.9))
    picks = hot[np.linspace(0, len(hot) - 40, 24).astype(int)]
    changes = pd.DataFrame({"date": DAYS[picks], "metal": "gold", "direction": "raise",
                            "event": [f"gold {d.date()}" for d in DAYS[picks]]})
    matched = margin_hikes_by_cluster({"gold": returns}, changes, windows=[(0, 4)], reps=999, exclusion=(0, 0))
    raw = margin_hikes_by_cluster({"gold": returns}, changes, windows=[(0, 4)], baseline="zero", reps=999)
    assert raw.table.loc["[+0,+4]", "mean_raw_return"] < -1.0 and raw.table.loc["[+0,+4]", "p_boot"] < 0.05
    assert abs(matched.table.loc["[+0,+4]", "mean_abnormal"]) < 0.8 and matched.table.loc["[+0,+4]", "p_boot"] > 0.05
    assert matched.table.loc["[+0,+4]", "share_top_runup"] == pytest.approx(1.0, abs=0.05)


def test_real_margin_hikes_by_cluster_sit_in_tight_bands(margins):
    clustered = margins.clustered
    table = clustered.table
    # 27 raises (18 silver, 9 gold) in 9 calendar clusters; 59% after a top-decile 20-day run-up
    assert (table["events"] == 27).all() and (table["clusters"] == 9).all()
    assert table["share_top_runup"].iloc[0] == pytest.approx(16 / 27, abs=0.01)
    row = table.loc["[+0,+9]"]
    # against the matched baseline, hikes are followed by nothing: +0.8% over ten days, p 0.88
    assert -1.0 <= row["mean_abnormal"] <= 3.0 and row["p_boot"] > 0.5
    assert row["mean_baseline"] < 0  # after top-decile run-ups metals tend to give some back
    assert (table["p_holm"] >= table["p_boot"] - 1e-12).all() and (table["p_holm"] > 0.3).all()
    robust = margins.robustness
    assert len(robust) == 1 + len(HIKE_ROBUSTNESS_MENU) and robust.loc["clusters: same date only", "clusters"] == 20
    words = hike_what_survives(robust)
    assert words[0].startswith("Hikes are followed by a fall") and "no, neither in the headline nor in any of the 10 alternatives" in words[0]


def test_the_report_parameters_offer_the_models_alternatives():
    from plumbing.reports.params import SCHEMAS

    assert SCHEMAS["09_event_studies"].params["robustness"].item.options == tuple(HIKE_ROBUSTNESS_MENU)


def test_the_baseline_sampling_error_is_redrawn_and_added():
    # i.i.d. N(0, 1) daily returns and an all-days baseline over 5-day windows: the baseline mean is
    # about 5 x the mean daily return, so its standard error is about 5 / sqrt(days) whatever the code does
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2000-01-03", periods=1500)
    returns = pd.Series(rng.normal(0, 1, len(days)), index=days)
    picks = np.arange(100, 1400, 100)
    changes = pd.DataFrame({"date": days[picks], "metal": "gold", "direction": "raise",
                            "event": [f"gold {d.date()}" for d in days[picks]]})
    fit = margin_hikes_by_cluster({"gold": returns}, changes, windows=[(0, 4)], baseline="all_days", reps=1999,
                                  exclusion=(0, 0))
    row = fit.table.loc["[+0,+4]"]
    expected = 5 / np.sqrt(len(days))
    assert 0.7 * expected <= row["se_baseline"] <= 1.3 * expected
    assert row["se"] == pytest.approx(np.hypot(row["se_cr1"], row["se_baseline"]))
    assert 0.7 * expected <= fit.baseline["se_baseline_mean"].iloc[0] <= 1.3 * expected
    raw = margin_hikes_by_cluster({"gold": returns}, changes, windows=[(0, 4)], baseline="zero", reps=199)
    assert raw.table.loc["[+0,+4]", "se_baseline"] == 0.0
    with pytest.raises(ValueError, match="offsets has shape"):
        wild_cluster_bootstrap_mean(np.arange(4.0), [0, 0, 1, 1], reps=9, offsets=np.zeros((9, 3)))


def test_notes_shared_by_assets_are_said_once_naming_the_assets_in_words():
    from plumbing.models.event_study import notes_by_asset

    notes = [("spx", "2 of 7 events overlap"), ("nasdaq", "2 of 7 events overlap"), ("gold", "8 of 12 events overlap")]
    assert notes_by_asset(notes) == ["S&P 500 and Nasdaq: 2 of 7 events overlap", "Gold: 8 of 12 events overlap"]
