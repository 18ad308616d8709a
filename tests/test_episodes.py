"""Episodes, events and event-time alignment."""

import copy

import pandas as pd
import pytest
import yaml

from plumbing.episodes import (EPISODES_PATH, EpisodeError, event_time, get_episode, load_episodes,
                               load_events, parse_episodes)

REQUIRED = {"2019-09-repo-spike", "2020-03-dash-for-cash", "2023-03-svb", "2025-04-tariff-shock",
            "2025-10-tga-shutdown", "2026-02-crash"}


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load(EPISODES_PATH.read_text(encoding="utf-8"))


def test_the_required_episodes_are_defined_with_their_windows(catalog):
    episodes = load_episodes(catalog=catalog)
    assert REQUIRED <= set(episodes)
    shutdown = episodes["2025-10-tga-shutdown"]
    assert shutdown.t0 == pd.Timestamp("2025-10-31")
    assert shutdown.start <= pd.Timestamp("2025-10-01") and shutdown.end >= pd.Timestamp("2025-11-04")
    for episode in episodes.values():
        assert episode.start <= episode.t0 <= episode.end
        assert episode.summary and episode.series


def test_a_user_adds_an_episode_with_one_entry(document, catalog, tmp_path):
    extended = copy.deepcopy(document)
    extended["episodes"].append({"id": "2024-08-yen-carry", "title": "August 2024 yen carry unwind",
                                 "t0": "2024-08-05", "before": 20, "after": 20,
                                 "summary": "USDJPY fell and the Nikkei dropped 12% on 2024-08-05.",
                                 "series": ["usdjpy", "nikkei", "us2y_jp2y_bp"]})
    episodes = parse_episodes(extended, tmp_path / "episodes.yaml", catalog)
    assert episodes["2024-08-yen-carry"].end == pd.Timestamp("2024-09-02")


@pytest.mark.parametrize("change, message", [
    (lambda e: e.update(series=["sofr", "sofr_iorb"]), r"'2019-09-repo-spike' field 'series': unknown series key 'sofr_iorb'; did you mean sofr_iorb_bp"),
    (lambda e: e.update(start="2019-10-01", end="2019-12-31"), r"'2019-09-repo-spike' field 't0': 2019-09-17 is outside its window"),
    (lambda e: e.update(before=-5), r"'2019-09-repo-spike' field 'before'"),
    (lambda e: e.update(t0="2019-09-15"), r"field 't0': 2019-09-15 is a weekend"),
    (lambda e: e.update(t0="someday"), r"field 't0'"),
    (lambda e: e.pop("summary"), r"'2019-09-repo-spike': field 'summary' is missing"),
])
def test_bad_entries_name_the_entry_and_the_field(document, catalog, tmp_path, change, message):
    broken = copy.deepcopy(document)
    change(broken["episodes"][0])
    with pytest.raises(EpisodeError, match=message):
        parse_episodes(broken, tmp_path / "episodes.yaml", catalog)


def test_a_duplicate_id_is_rejected(document, catalog, tmp_path):
    broken = copy.deepcopy(document)
    broken["episodes"].append(copy.deepcopy(broken["episodes"][0]))
    with pytest.raises(EpisodeError, match="'2019-09-repo-spike' field 'id': duplicate id"):
        parse_episodes(broken, tmp_path / "episodes.yaml", catalog)


def test_unknown_episode_id_names_close_ids():
    with pytest.raises(KeyError, match="2019-09-repo-spike"):
        get_episode("2019-09-repo")


def test_events_cover_fomc_policy_and_cme_with_sources():
    events = load_events("2019-01-01", "2026-08-31")
    assert {"fomc_decision", "qt_end", "rmp_start", "shutdown_start", "shutdown_end", "debt_ceiling",
            "cme_margin"} <= set(events["kind"])
    assert events["source"].notna().all() and events["source_url"].notna().all()
    fomc = events[events["kind"] == "fomc_decision"]
    assert "FOMC -25bp 3.75-4.00%" in set(fomc.loc[fomc["date"] == "2025-10-29", "label"])
    silver = events[(events["kind"] == "cme_margin") & (events["date"] == "2026-02-06")]
    assert any("silver initial margin -> 18% of notional" in label for label in silver["label"])


def test_every_fomc_change_shows_in_the_target_range_the_next_day(loader):
    events = pd.read_csv(EPISODES_PATH.parent / "events" / "fomc.csv", parse_dates=["date"])
    upper = loader.load("fed_target_upper")["fed_target_upper"]
    for _, row in events[events["change_bp"] != 0].iterrows():
        assert upper.loc[row["date"] + pd.Timedelta(days=1)] == pytest.approx(row["upper"]), row["date"]


def test_event_time_levels_and_changes(loader):
    frame = event_time(["sofr", "sofr_iorb_bp"], ["2019-09-repo-spike", "2025-10-tga-shutdown"], "level", loader=loader)
    at = frame.set_index(["episode", "quantity", "day"])["value"]
    assert at[("2019-09-repo-spike", "sofr", 0)] == pytest.approx(5.25)
    assert at[("2025-10-tga-shutdown", "sofr_iorb_bp", 0)] == pytest.approx(32.0)
    assert frame.loc[frame["day"] == 0, "date"].isin([pd.Timestamp("2019-09-17"), pd.Timestamp("2025-10-31")]).all()
    changes = event_time("sofr", "2019-09-repo-spike", "change", loader=loader).set_index("day")["value"]
    assert changes[0] == 0 and changes[-1] == pytest.approx(2.43 - 5.25)
    pct = event_time("spx", "2025-10-tga-shutdown", "pct_change", loader=loader).set_index("date")["value"]
    spx = loader.load("spx", "2025-10-31", "2025-11-04")["spx"]
    assert pct.loc["2025-11-04"] == pytest.approx((spx.loc["2025-11-04"] / spx.loc["2025-10-31"] - 1) * 100)


def test_event_time_rejects_a_bad_mode(loader):
    with pytest.raises(ValueError, match="mode='levels'"):
        event_time("sofr", "2019-09-repo-spike", "levels", loader=loader)


def test_event_time_never_uses_a_monthly_average_before_its_month_ends(loader):
    frame = event_time(["reserves_monthly", "gdp"], "2019-09-repo-spike", "level", loader=loader).set_index(["quantity", "date"])["value"]
    # the September 2019 average is dated 2019-09-30: before that, August's is the latest known
    assert frame[("reserves_monthly", pd.Timestamp("2019-09-17"))] == frame[("reserves_monthly", pd.Timestamp("2019-09-03"))]
    assert frame[("reserves_monthly", pd.Timestamp("2019-09-30"))] != frame[("reserves_monthly", pd.Timestamp("2019-09-27"))]
    # on t0 the latest completed quarter is Q2 2019 (FRED date 2019-04-01), not Q3
    gdp = loader.load("gdp")["gdp"]
    assert frame[("gdp", pd.Timestamp("2019-09-17"))] == gdp.loc["2019-04-01"]


def test_event_time_auto_mode_and_a_pre_event_baseline(loader, snapshot, raw):
    frame = event_time(["spx", "sofr_iorb_bp"], "2019-09-repo-spike", "auto", baseline_day=-5, loader=loader)
    spx = frame[frame["quantity"] == "spx"].set_index("day")
    assert set(spx["mode"]) == {"pct_change"} and spx.loc[-5, "value"] == 0
    base, t0 = raw(snapshot, "yahoo/_GSPC.csv", "2019-09-10", "Close"), raw(snapshot, "yahoo/_GSPC.csv", "2019-09-17", "Close")
    assert spx.loc[0, "value"] == pytest.approx((t0 / base - 1) * 100)
    spread = frame[frame["quantity"] == "sofr_iorb_bp"].set_index("day")
    assert set(spread["mode"]) == {"change"} and spread.loc[0, "value"] == pytest.approx(315 - 4)  # 5.25-2.10 vs 2.14-2.10 on 09-10


def test_the_comparison_grid_reads_changes_since_the_baseline_by_indicator_and_episode(raw, snapshot):
    """04's tables: one row per indicator, one column per episode; SOFR - IORB on the 2019 t0 is
    its change since day -10 (315bp on 2019-09-17 less the spread on the baseline day), not the level."""
    from plumbing import views

    tidy = event_time(["sofr_iorb_bp", "spx"], ["2019-09-repo-spike", "2025-10-tga-shutdown"], "auto", baseline_day=-10)
    summary = views.event_window_summary(tidy, (-10, 10))
    grid = views.event_window_grid(summary, "at_t0", {"sofr_iorb_bp": "SOFR - IORB", "spx": "S&P 500"},
                                   {"2019-09-repo-spike": "Sep 2019", "2025-10-tga-shutdown": "Oct 2025"})
    assert list(grid.index) == ["SOFR - IORB", "S&P 500"] and list(grid.columns) == ["Sep 2019", "Oct 2025"]
    base = tidy[(tidy["episode"] == "2019-09-repo-spike") & (tidy["quantity"] == "sofr_iorb_bp") & (tidy["day"] == -10)]
    base_day = str(base["date"].iloc[0].date())
    spread_t0 = round((raw(snapshot, "fred/SOFR.csv", "2019-09-17") - raw(snapshot, "fred/IOER.csv", "2019-09-17")) * 100)
    spread_base = round((raw(snapshot, "fred/SOFR.csv", base_day) - raw(snapshot, "fred/IOER.csv", base_day)) * 100)
    assert spread_t0 == 315
    assert grid.loc["SOFR - IORB", "Sep 2019"] == pytest.approx(spread_t0 - spread_base)
    spx_t0, spx_base = (raw(snapshot, "yahoo/_GSPC.csv", day, "Close") for day in ("2019-09-17", base_day))
    assert grid.loc["S&P 500", "Sep 2019"] == pytest.approx((spx_t0 / spx_base - 1) * 100, abs=1e-6)
