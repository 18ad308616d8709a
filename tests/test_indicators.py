"""Indicators against values computed by hand from the raw snapshot files."""

import csv
import warnings

import numpy as np
import pandas as pd
import pytest

from plumbing import indicators as ind
from plumbing.quantities import QUANTITIES, quantity


@pytest.fixture(scope="module")
def q(loader):
    return lambda name, start=None, end=None: quantity(name, start, end, loader=loader)


def test_weekly_net_liquidity_by_hand_from_the_raw_files(q, snapshot, raw):
    for wednesday in ("2019-09-18", "2025-10-29", "2026-01-28"):
        by_hand = ((raw(snapshot, "fred/WALCL.csv", wednesday) - raw(snapshot, "fred/WTREGEN.csv", wednesday)) / 1000
                   - raw(snapshot, "fred/RRPONTSYD.csv", wednesday))
        assert q("net_liquidity", wednesday, wednesday).iloc[0] == pytest.approx(by_hand, abs=1e-9)


def test_daily_net_liquidity_uses_the_daily_tga_and_the_last_wednesday_fed_assets(q, snapshot, raw):
    friday = "2025-10-31"
    by_hand = (raw(snapshot, "fred/WALCL.csv", "2025-10-29") / 1000
               - raw(snapshot, "treasury/TGA_CLOSING_BALANCE.csv", friday) / 1000
               - raw(snapshot, "fred/RRPONTSYD.csv", friday))
    assert q("net_liquidity_daily", friday, friday).iloc[0] == pytest.approx(by_hand, abs=1e-9)


def test_decomposition_adds_up_to_the_change(loader):
    frame = loader.load(["fed_assets", "tga_weekly", "on_rrp"], freq="W")
    parts = ind.decompose_net_liquidity_change(frame, "2025-09-24", "2025-10-29")
    net = ind.net_liquidity(frame)
    assert parts["total"] == pytest.approx(net.loc["2025-10-29"] - net.loc["2025-09-24"])
    assert parts[["fed", "tga", "rrp"]].sum() == pytest.approx(parts["total"])
    assert parts["tga"] < 0  # the TGA rose over the shutdown: a drain


def test_ioer_iorb_splice_switches_on_2021_07_29(loader, snapshot, raw):
    frame = loader.load(["sofr", "iorb", "ioer"]).loc["2021-07-26":"2021-08-03"]
    rate = ind.reserve_rate(frame)
    assert rate.loc["2021-07-28", "rate_name"] == "IOER" and rate.loc["2021-07-29", "rate_name"] == "IORB"
    assert rate.loc["2021-07-28", "rate"] == raw(snapshot, "fred/IOER.csv", "2021-07-28")
    assert rate.loc["2021-07-29", "rate"] == raw(snapshot, "fred/IORB.csv", "2021-07-29")
    spread = ind.sofr_minus_reserve_rate_bp(frame)
    assert spread.loc["2021-07-29"] == pytest.approx(
        (raw(snapshot, "fred/SOFR.csv", "2021-07-29") - raw(snapshot, "fred/IORB.csv", "2021-07-29")) * 100)


@pytest.mark.parametrize("name, date, expected", [
    ("sofr_iorb_bp", "2025-10-31", 32.0),          # 4.22 - 3.90
    ("sofr_iorb_bp", "2019-09-17", 315.0),         # 5.25 - IOER 2.10
    ("effr_target_upper_bp", "2019-09-17", 5.0),   # EFFR 2.30 above the 2.25 top of the range
    ("sofr_target_upper_bp", "2019-09-17", 300.0),
])
def test_spreads_on_the_article_dates(q, name, date, expected):
    assert q(name, date, date).iloc[0] == pytest.approx(expected, abs=1e-6)


def test_other_spreads_by_hand(q, snapshot, raw):
    day = "2025-10-31"
    assert q("tgcr_iorb_bp", day, day).iloc[0] == pytest.approx(
        (raw(snapshot, "fred/TGCRRATE.csv", day) - raw(snapshot, "fred/IORB.csv", day)) * 100)
    assert q("sofr_p99_p1_bp", day, day).iloc[0] == pytest.approx(
        (raw(snapshot, "fred/SOFR99.csv", day) - raw(snapshot, "fred/SOFR1.csv", day)) * 100)
    assert q("us2y_jp2y_bp", "2025-11-04", "2025-11-04").iloc[0] == pytest.approx(
        (raw(snapshot, "fred/DGS2.csv", "2025-11-04") - raw(snapshot, "japan/jgb_yields.csv", "2025-11-04", "2Y")) * 100)


@pytest.mark.parametrize("wednesday", ["2022-09-28", "2023-01-04", "2025-10-01", "2025-10-29"])
def test_reserves_below_the_3tn_line_on_the_dates_the_articles_name(q, snapshot, raw, wednesday):
    distance = q("reserves_minus_red_line", wednesday, wednesday).iloc[0]
    assert distance == pytest.approx(raw(snapshot, "fred/WRESBAL.csv", wednesday) / 1000 - 3000)
    assert distance < 0


def test_reserves_to_gdp_uses_the_last_completed_quarter(q, snapshot, raw):
    value = q("reserves_to_gdp", "2025-10-29", "2025-10-29").iloc[0]
    gdp_q3 = raw(snapshot, "fred/GDP.csv", "2025-07-01")  # Q3 2025, complete on 2025-09-30
    assert value == pytest.approx(raw(snapshot, "fred/WRESBAL.csv", "2025-10-29") / 1000 / gdp_q3 * 100)


def _csv_dates(snapshot, file):
    with open(snapshot.path(file), newline="", encoding="utf-8") as handle:
        return [row[0] for row in list(csv.reader(handle))[1:]]


@pytest.fixture(scope="module")
def buffett(loader):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ind.buffett_indicator(loader.load(["wilshire5000", "wilshire5000_yahoo", "gdp"]))


def test_buffett_indicator_splices_fred_wilshire_with_yahoo_after_fred_stops(buffett, snapshot, raw):
    fred_last = max(_csv_dates(snapshot, "fred/WILL5000PRFC.csv"))
    yahoo_after = min(d for d in _csv_dates(snapshot, "yahoo/_W5000.csv") if d > fred_last)
    assert buffett.splice.splice_date == pd.Timestamp(yahoo_after) == pd.Timestamp("2023-02-09")
    assert str(buffett.splice.splice_date.date()) in buffett.method
    assert buffett.splice.overlap_days > 8000 and abs(buffett.splice.median_ratio - 1) < 1e-4
    assert buffett.available_until == pd.Timestamp(max(_csv_dates(snapshot, "yahoo/_W5000.csv")))
    assert buffett.label == "Wilshire 5000 proxy for market cap" and buffett.label in buffett.method
    # before the splice: FRED's copy over the GDP of Q3 2019 (published 30 days after 2019-09-30)
    assert buffett.series.loc["2019-12-30"] == pytest.approx(
        raw(snapshot, "fred/WILL5000PRFC.csv", "2019-12-30") / raw(snapshot, "fred/GDP.csv", "2019-07-01") * 100)
    # late 2025: Yahoo's copy over Q3 2025 GDP; finite
    late_2025 = buffett.series.loc["2025-11-04"]
    assert np.isfinite(late_2025) and late_2025 == pytest.approx(
        raw(snapshot, "yahoo/_W5000.csv", "2025-11-04", "Close") / raw(snapshot, "fred/GDP.csv", "2025-07-01") * 100)
    # the 4-day gap in March 2026 stays a gap
    assert pd.Timestamp("2026-03-05") not in buffett.series.index


def test_buffett_indicator_divides_by_the_gdp_published_by_each_date(buffett, snapshot, raw):
    # 2026-01-15: Q4 2025 has ended (2025-12-31) but is not published until about 2026-01-30,
    # so the denominator is still Q3 2025 (a "latest completed quarter" rule would use Q4)
    assert buffett.gdp_quarter.loc["2026-01-15"] == pd.Timestamp("2025-09-30")
    assert buffett.series.loc["2026-01-15"] == pytest.approx(
        raw(snapshot, "yahoo/_W5000.csv", "2026-01-15", "Close") / raw(snapshot, "fred/GDP.csv", "2025-07-01") * 100)
    assert buffett.gdp_quarter.loc["2026-02-06"] == pd.Timestamp("2025-12-31")
    assert buffett.series.loc["2026-02-06"] == pytest.approx(
        raw(snapshot, "yahoo/_W5000.csv", "2026-02-06", "Close") / raw(snapshot, "fred/GDP.csv", "2025-10-01") * 100)


def test_buffett_indicator_without_the_continuation_stops_with_fred(loader):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ind.buffett_indicator(loader.load(["wilshire5000", "gdp"]))
    assert result.available_until == pd.Timestamp("2023-02-08") and result.splice is None


def test_a_splice_of_copies_that_disagree_is_refused():
    days = pd.bdate_range("2020-01-01", periods=400)
    primary = pd.Series(np.linspace(100, 140, 400), index=days, name="a")
    shifted = pd.Series(primary.to_numpy() * 1.01, index=days + pd.offsets.BDay(20), name="b")
    with pytest.raises(ind.SpliceMismatch, match="median"):
        ind.splice_continuation(primary.iloc[:300], shifted)
    with pytest.raises(ind.SpliceMismatch, match="share 0 dates"):
        ind.splice_continuation(primary.iloc[:100], primary.iloc[200:].rename("b"))
    ok = ind.splice_continuation(primary.iloc[:300], primary.rename("b"))
    assert ok.splice_date == days[300] and len(ok.series) == 400 and ok.series.equals(primary)


def test_missing_inputs_fail_with_the_load_call_to_make():
    with pytest.raises(KeyError, match="lacks column.*on_rrp"):
        ind.net_liquidity(pd.DataFrame({"fed_assets": [1.0], "tga_weekly": [1.0]}))


def test_stress_composite_is_the_mean_of_signed_trailing_zscores():
    index = pd.bdate_range("2020-01-01", periods=400)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({c: rng.normal(size=400).cumsum() for c in
                          ("net_liquidity", "sofr_iorb_bp", "move", "us2y_jp2y_bp", "hy_oas")}, index=index)
    scores = ind.stress_composite(frame, window=60)
    day = index[300]
    hy = frame["hy_oas"].iloc[241:301]
    assert scores.loc[day, "hy_oas"] == pytest.approx((hy.iloc[-1] - hy.mean()) / hy.std())
    nl_change = frame["net_liquidity"] - frame["net_liquidity"].shift(21)
    window = nl_change.iloc[241:301]
    assert scores.loc[day, "net_liquidity_change"] == pytest.approx(-(window.iloc[-1] - window.mean()) / window.std())
    assert scores.loc[day, "composite"] == pytest.approx(scores.loc[day, [c for c, _, _ in ind.STRESS_COMPONENTS]].mean())
    assert scores.loc[day, "n_components"] == 5


def test_stress_composite_on_real_data_peaks_in_march_2020(loader):
    from plumbing.quantities import liquidity_stress

    scores = liquidity_stress("2019-01-01", "2026-06-30", loader=loader)
    march = scores["composite"].loc["2020-03-09":"2020-03-31"]
    assert march.max() > 1.0
    assert march.max() > scores["composite"].loc["2019-01-01":"2019-12-31"].quantile(0.9)
    assert (scores.loc[scores["composite"].notna(), "n_components"] >= 4).all()
    assert pd.isna(scores.loc["2022-04-15", "composite"])  # Good Friday: too few inputs that day


def test_regimes_on_a_constructed_frame():
    months = pd.date_range("2024-01-31", periods=5, freq="ME")
    monthly = pd.DataFrame({"fed_assets": [100, 100, 100, 130, 90], "dollar_broad": [100, 100, 100, 95, 110]}, index=months)
    regimes = ind.liquidity_dollar_regimes(monthly, months=3)
    assert regimes["regime"].iloc[:3].isna().all()
    assert regimes["regime"].iloc[3] == "easing + weak dollar"
    assert regimes["regime"].iloc[4] == "tight + strong dollar"


def test_regimes_on_real_data_label_every_month_with_inputs(loader):
    monthly = loader.load(["fed_assets", "dollar_broad"], "2021-01-01", "2026-06-30", freq="M")
    regimes = ind.liquidity_dollar_regimes(monthly)
    assert set(regimes["regime"].dropna()) <= set(ind.REGIME_LABELS.values())
    assert regimes["regime"].loc["2022-10-31"] == "tight + strong dollar"  # QT and a dollar at its high


def test_every_named_quantity_computes_on_the_snapshot(q):
    for name in QUANTITIES:
        assert q(name).notna().sum() > 50, name


def test_repo_take_up_is_zero_on_days_without_an_operation_but_not_on_holidays(q, snapshot):
    with open(snapshot.path("nyfed/NYFED_SRF_ACCEPTED.csv"), newline="", encoding="utf-8") as handle:
        published = {row[0] for row in csv.reader(handle)}
    filled = ind.zero_where_no_operation(q("repo_take_up", "2019-09-01", "2019-10-31"), "2019-09-01", "2019-10-31")
    assert "2019-09-16" not in published and filled.loc["2019-09-16"] == 0.0  # before the first operation: 0
    assert filled.loc["2019-09-17"] == pytest.approx(53.15)
    assert pd.Timestamp("2019-10-14") not in filled.index  # Columbus Day: no business day, not a zero
    assert pd.Timestamp("2019-09-02") not in filled.index  # Labor Day
    last = q("repo_take_up").index.max()
    after = ind.zero_where_no_operation(q("repo_take_up", last - pd.Timedelta(days=10)), last - pd.Timedelta(days=10),
                                        last + pd.Timedelta(days=20))
    assert after.loc[last + pd.Timedelta(days=1):].isna().all()  # after the data: unknown, never 0
