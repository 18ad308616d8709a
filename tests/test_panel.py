"""load(): common units, alignment without look-ahead, clear errors."""

import numpy as np
import pandas as pd
import pytest

from plumbing.catalog import UnknownSeriesError
from plumbing.panel import FFILL_LIMIT_BDAYS, CoverageWarning, align_asof


def test_unknown_key_fails_with_close_matches(loader):
    with pytest.raises(UnknownSeriesError, match="'tga_dayly'.*tga_daily"):
        loader.load(["sofr", "tga_dayly"])


def test_end_before_start_fails(loader):
    with pytest.raises(ValueError, match="end 2025-01-01 is before start 2025-02-01"):
        loader.load("sofr", start="2025-02-01", end="2025-01-01")


@pytest.mark.parametrize("kwargs, message", [
    ({"freq": "hourly"}, "freq='hourly'"),
    ({"how": "median"}, "how='median'"),
    ({"start": "not a date"}, "start='not a date' is not a date"),
])
def test_bad_arguments_name_the_value_and_the_choices(loader, kwargs, message):
    with pytest.raises(ValueError, match=message):
        loader.load("sofr", **kwargs)


def test_window_beyond_coverage_warns_with_the_coverage(loader, coverage):
    first, last, _ = coverage("treasury/TGA_CLOSING_BALANCE.csv")
    with pytest.warns(CoverageWarning, match=rf"tga_daily covers {first}\.\.{last}"):
        frame = loader.load("tga_daily", start="2021-01-01", end="2022-12-31", freq="B")
    assert frame.index.min() == pd.Timestamp("2021-01-01")  # the window asked for...
    assert frame.loc[:"2022-04-15", "tga_daily"].isna().all()  # ...with nothing invented before coverage
    assert frame.loc["2022-04-18", "tga_daily"] == pytest.approx(841.253)


def test_native_frequency_outer_join_leaves_gaps_missing(loader):
    frame = loader.load(["fed_assets", "sofr"], "2025-10-27", "2025-10-31")
    assert frame["fed_assets"].notna().sum() == 1  # only the Wednesday
    assert frame.loc["2025-10-29", "fed_assets"] == pytest.approx(6587.034)


def test_weekly_levels_take_the_wednesday_value_of_daily_series(loader):
    daily = loader.load("tga_daily", "2025-09-01", "2025-12-31")["tga_daily"]
    weekly = loader.load(["tga_daily", "tga_wednesday"], "2025-09-01", "2025-12-31", freq="W")
    assert (weekly.index.day_of_week == 2).all()
    for wednesday, value in weekly["tga_daily"].items():
        assert value == daily.loc[:wednesday].iloc[-1]  # last observation on or before, never after
    # Treasury's Wednesday closing balance is the Fed's Wednesday TGA level
    assert np.allclose(weekly["tga_daily"], weekly["tga_wednesday"])


def test_weekly_mean_averages_the_week_ending_wednesday(loader, snapshot, raw):
    week = ["2025-10-23", "2025-10-24", "2025-10-27", "2025-10-28", "2025-10-29"]  # Thu..Wed
    by_hand = sum(raw(snapshot, "fred/SOFR.csv", day) for day in week) / len(week)
    weekly = loader.load("sofr", "2025-10-01", "2025-11-05", freq="W", how="mean")
    assert weekly.loc["2025-10-29", "sofr"] == pytest.approx(by_hand)


def test_business_daily_carries_weekly_levels_within_the_stated_limit(loader):
    frame = loader.load(["fed_assets", "sofr"], "2025-10-29", "2025-11-07", freq="B")
    assert frame.attrs["ffill_limit_bdays"]["fed_assets"] == FFILL_LIMIT_BDAYS["weekly"]
    assert (frame.loc["2025-10-29":"2025-11-04", "fed_assets"] == 6587.034).all()
    assert frame.loc["2025-11-05", "fed_assets"] == pytest.approx(6572.732)


def test_quarterly_gdp_is_dated_at_quarter_end_not_start(loader):
    frame = loader.load("gdp", "2025-06-01", "2025-10-31", freq="M")
    # the Q3 2025 figure (FRED date 2025-07-01) must not appear before the quarter ends
    q2, q3 = frame.loc["2025-06-30", "gdp"], frame.loc["2025-09-30", "gdp"]
    assert frame.loc["2025-07-31", "gdp"] == q2 and frame.loc["2025-08-31", "gdp"] == q2
    assert q3 != q2


def test_align_asof_stops_at_the_limit():
    obs = pd.Series([1.0, 2.0], index=pd.to_datetime(["2025-01-06", "2025-01-20"]))  # Mondays
    target = pd.bdate_range("2025-01-06", "2025-01-20")
    aligned = align_asof(obs, target, limit_bdays=2)
    assert aligned.loc["2025-01-08"] == 1.0 and np.isnan(aligned.loc["2025-01-09"])
    assert aligned.loc["2025-01-20"] == 2.0


def test_attrs_describe_units_sources_and_coverage(loader):
    frame = loader.load(["fed_assets", "hy_oas"], "2025-01-01", "2025-03-31", freq="W")
    assert frame.attrs["units"] == {"fed_assets": "usd_bn", "hy_oas": "bp"}
    assert frame.attrs["sources"] == {"fed_assets": "snapshot", "hy_oas": "snapshot"}
    assert frame.attrs["coverage"]["hy_oas"][0] == "1996-12-31"


def test_daily_series_are_not_carried_past_their_last_observation(loader, coverage):
    frame = loader.load(["wilshire5000", "fed_assets"], "2023-02-01", "2023-02-28", freq="B")
    assert frame["wilshire5000"].last_valid_index() == pd.Timestamp(coverage("fred/WILL5000PRFC.csv")[1])
    assert frame["fed_assets"].notna().all()  # weekly levels still carried between releases


def test_a_missing_period_is_not_filled_from_the_previous_one(loader, snapshot, raw, coverage):
    # M2 is published to 2026-06 (dated 2026-06-01): July 2026 has no value of its own
    monthly = loader.load("m2", "2026-04-01", "2026-08-31", freq="M")
    assert monthly.loc["2026-07-31":, "m2"].isna().all()
    assert monthly.loc["2026-06-30", "m2"] == raw(snapshot, "fred/M2SL.csv", "2026-06-01")
    # WTREGEN ends 2026-07-15 while WALCL runs to 2026-08-19: later weeks have no TGA
    weekly = loader.load(["tga_weekly", "fed_assets"], "2026-07-01", freq="W")
    assert weekly["tga_weekly"].last_valid_index() == pd.Timestamp(coverage("fred/WTREGEN.csv")[1])
    assert weekly.index.max() == pd.Timestamp(coverage("fred/WALCL.csv")[1])  # no row past the data


def test_weekly_values_hold_four_business_days_on_a_daily_grid(loader):
    frame = loader.load(["tga_weekly", "sofr"], "2026-07-13", "2026-07-24", freq="B")
    carried = frame["tga_weekly"].dropna()
    # the 07-08 value holds Mon-Tue, the 07-15 value Wed-Tue; no value for the week of 07-22
    assert list(carried.index.strftime("%m-%d")) == ["07-13", "07-14", "07-15", "07-16", "07-17", "07-20", "07-21"]
    assert (carried.loc["2026-07-15":] == carried.loc["2026-07-15"]).all()


def test_period_means_cover_complete_periods_only(loader, snapshot):
    monthly = loader.load("tga_daily", "2022-01-01", "2022-07-31", freq="M", how="mean")["tga_daily"]
    assert pd.isna(monthly.get(pd.Timestamp("2022-04-30")))  # the daily TGA starts 2022-04-18
    may = snapshot.read("treasury/TGA_CLOSING_BALANCE.csv").loc["2022-05"] / 1000
    assert monthly.loc["2022-05-31"] == pytest.approx(may.mean())
    tail = loader.load("sofr", "2026-06-01", freq="M", how="mean")["sofr"]
    assert tail.index.max() == pd.Timestamp("2026-07-31")  # August 2026 is incomplete (data end 08-20)


def test_a_window_after_the_series_ends_warns(loader):
    with pytest.warns(CoverageWarning, match="ioer covers 2008-10-09..2021-07-28"):
        frame = loader.load("ioer", start="2025-01-01")
    assert frame.empty


def test_native_frame_equals_pandas_outer_join_of_the_series(loader):
    """load()'s own union of dates must equal pandas' outer join of the same series: daily,
    weekly and quarterly calendars, over a window that starts between weekly observations."""
    keys = ["sofr", "reserves", "tga_wednesday", "gdp"]
    frame = loader.load(keys, start="2019-08-29", end="2019-12-31")
    expected = pd.concat({k: loader.common(k).loc["2019-08-29":"2019-12-31"] for k in keys}, axis=1, sort=True)
    pd.testing.assert_frame_equal(frame, expected, check_names=False, check_freq=False)
    assert frame.index.dtype == "datetime64[ns]" and frame.index.is_monotonic_increasing
    assert frame.loc["2019-10-01", "gdp"] == loader.common("gdp").loc["2019-10-01"]  # a quarter start kept
    assert np.isnan(frame.loc["2019-09-17", "reserves"])  # a Tuesday: no weekly value, nothing filled


def test_aligned_window_equals_the_same_dates_of_the_whole_history(loader):
    """Aligning only the window must carry the same observations in as aligning the whole
    history and cutting it afterwards (a weekly value from before the window's first day)."""
    keys = ["reserves", "sofr", "tga_wednesday"]
    whole = loader.load(keys, freq="B")
    window = loader.load(keys, start="2019-09-14", end="2019-10-20", freq="B")
    pd.testing.assert_frame_equal(window, whole.loc["2019-09-14":"2019-10-20"], check_freq=False)
    assert window.loc["2019-09-16", "reserves"] == loader.common("reserves").loc["2019-09-11"]
