"""The claims audit (issue 10): each defect class, each check kind, point in time, export.

Expected values are read from the raw snapshot CSVs (and data/events/*.csv) with the csv module
or computed by hand, never by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import pandas as pd
import pytest
import yaml

from plumbing import config, views
from plumbing.claims import (CHECK_KINDS, Claim, ClaimChecker, ClaimError, VintageLoader, calendar_days,
                             check_claims, load_claims, load_document, main, parse_document, scorecard,
                             verdict_counts)

SHARED = config.REPO_ROOT.parent / "shared"
EVENTS = config.DATA_DIR / "events"


# --- raw readers (no project code) --------------------------------------------------------------

def raw_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def raw_series(snapshot, file: str, column: str | None = None) -> dict[str, float]:
    """date -> value of a snapshot CSV (empty cells skipped)."""
    rows = raw_rows(snapshot.path(file))
    date_col = list(rows[0])[0]
    column = column or list(rows[0])[1]
    return {r[date_col]: float(r[column]) for r in rows if r[column] not in ("", ".")}


def between(series: dict[str, float], first: str, last: str) -> dict[str, float]:
    return {d: v for d, v in series.items() if first <= d <= last}


@pytest.fixture(scope="module")
def table(loader):
    return check_claims(loader=loader).set_index("id")


@pytest.fixture(scope="module")
def checker(loader):
    return ClaimChecker(loader)


def claim(check, quantity="", unit="", **params):
    return Claim(id=f"t_{check}", article="test", claim="test claim", quantity=quantity, check=check, unit=unit, params=params)


# --- class 8: attribution; quotes verbatim ------------------------------------------------------

def test_every_quote_is_verbatim_from_the_text_that_makes_it():
    if not (SHARED / "seeds").is_dir():
        pytest.skip("the seed articles are not beside the repository")
    brief = re.sub(r"\s+", " ", (SHARED / "BRIEF.md").read_text(encoding="utf-8"))
    for c in load_claims():
        assert c.quote, c.id
        if c.article == "BRIEF.md":
            assert re.sub(r"\s+", " ", c.quote) in brief, c.id
        else:
            assert c.quote in (SHARED / "seeds" / c.article).read_text(encoding="utf-8"), c.id


def test_sept_2019_figures_are_the_briefs_and_article_001_says_the_fed_shrank_too_far(table):
    ids = set(table.index)
    assert not any(i.startswith("a001_sep2019") for i in ids)
    brief = table[table["article"] == "BRIEF.md"]
    assert {"brief_sep2019_sofr_5_25", "brief_sep2019_ioer_2_10"} <= set(brief.index)
    own = next(c for c in load_claims() if c.id == "a001_fed_shrank_too_far_2019")
    assert own.article.startswith("001") and own.quote == "点明了2019年是美联储缩表过头"
    assert "reserves" in {p.quantity for p in own.parts}
    assert table.loc["a001_fed_shrank_too_far_2019", "verdict"] == "supported"


# --- class 9: episodes by explicit id ---------------------------------------------------------------

def test_every_episode_id_exists_and_pages_find_claims_by_id(loader):
    episodes = yaml.safe_load((config.DATA_DIR / "episodes.yaml").read_text(encoding="utf-8"))["episodes"]
    known = {e["id"]: pd.Timestamp(e["t0"]) for e in episodes}
    for c in load_claims():
        assert set(c.episodes) <= set(known), c.id
    march_2020 = views.claims_table(episode="2020-03-dash-for-cash", loader=loader, point_in_time=False)
    assert list(march_2020["id"]) == ["a001_sofr_iorb_widest_since_mar2020"]
    from plumbing.episodes import get_episode

    march = get_episode("2020-03-dash-for-cash")  # the episode template asks with the episode's own window
    by_window = views.claims_table(start=march.start, end=march.end, loader=loader, point_in_time=False)
    assert list(by_window["id"]) == ["a001_sofr_iorb_widest_since_mar2020"]
    window = views.claims_table(start="2019-12-01", end="2020-06-30", loader=loader, point_in_time=False)
    assert "a003_nasdaq_15pct_a_year" not in set(window["id"])  # 2009-2023 overlaps 2020, but is not about it
    assert "a001_sofr_iorb_widest_since_mar2020" in set(window["id"])


# --- class 1: one-sided bands ----------------------------------------------------------------------

def test_the_normal_band_is_checked_one_sided_and_two_sided(table, snapshot):
    sofr, iorb = raw_series(snapshot, "fred/SOFR.csv"), raw_series(snapshot, "fred/IORB.csv")
    spread = [round((sofr[d] - iorb[d]) * 100, 6) for d in sorted(sofr) if d in iorb and "2021-07-29" <= d <= "2025-08-28"]
    above_at_most_5 = sum(s <= 5 for s in spread) / len(spread)  # "not more than 5bp above IORB"
    within_5 = sum(abs(s) <= 5 for s in spread) / len(spread)    # "almost coincides"
    row = table.loc["a001_sofr_iorb_normally_within_5bp"]
    assert row["verdict"] == "partly"
    assert f"{above_at_most_5:.0%} of {len(spread)} observations" in row["detail"]
    assert f"{within_5:.0%} of {len(spread)} observations" in row["detail"]
    assert above_at_most_5 >= 0.9 > within_5


def test_falls_back_is_one_sided_and_window_medians_skip_the_calendar(table, snapshot):
    sofr, iorb = raw_series(snapshot, "fred/SOFR.csv"), raw_series(snapshot, "fred/IORB.csv")

    def median_spread(first, last):
        return float(pd.Series([(sofr[d] - iorb[d]) * 100 for d in sofr if first <= d <= last and d in iorb]).round(6).median())

    before, after = median_spread("2025-10-27", "2025-11-12"), median_spread("2025-11-13", "2025-12-23")
    row = table.loc["a001_reopen_spread_normalises"]
    assert f"{before:g} bp (the median of" in row["detail"] and f"→ {after:g} bp (the median of" in row["detail"]
    assert after < before
    assert "(3) the SOFR - IORB spread falls back after the reopening supported" in row["detail"]
    assert "(2) ON RRP refills after the reopening contradicted" in row["detail"]
    assert row["verdict"] == "partly" and row["role"] == "forecast"


# --- class 2: spans, not points -------------------------------------------------------------------

def test_swelled_to_nearly_1tn_is_the_peak_of_the_shutdown(table, snapshot):
    tga = between(raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv"), "2025-10-01", "2025-11-12")
    peak_day = max(tga, key=tga.get)
    row = table.loc["a002_tga_near_1tn"]
    assert peak_day == "2025-10-30"
    assert row["computed"] == pytest.approx(tga[peak_day] / 1000)
    assert f"highest {peak_day}" in row["data"] and row["verdict"] == "supported"


# --- class 3: plans and forecasts -------------------------------------------------------------------

def test_a_plan_is_checked_against_the_published_plan_and_its_outcome_separately(table, snapshot):
    plan_rows = [r for r in raw_rows(EVENTS / "policy.csv") if r["date"] == "2026-02-02" and r["kind"] == "refunding"]
    stated = float(re.search(r"end-March cash balance of (\d+)bn", plan_rows[0]["title"]).group(1))
    plan = table.loc["a000_tga_end_march_850"]
    assert plan["role"] == "plan" and plan["verdict"] == "supported" and plan["computed"] == stated == 850
    assert "SB0377" in plan["data"]
    realised = table.loc["a000_tga_end_march_850_realised"]
    dts = raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv")
    assert realised["role"] == "forecast" and realised["computed"] == pytest.approx(dts["2026-03-31"] / 1000)
    assert realised["verdict_asof"] == "forecast"
    for c in load_claims():  # every quoted plan has its forecast check, with the same quote
        if c.role == "plan":
            assert any(o.role == "forecast" and o.quote == c.quote for o in load_claims()), c.id


def test_the_april_peak_forecast_is_the_tax_season_maximum(table, snapshot):
    season = between(raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv"), "2026-04-15", "2026-04-30")
    assert table.loc["a000_tga_end_april_1025_realised", "computed"] == pytest.approx(max(season.values()) / 1000)


# --- class 4: bounds and units of counting ------------------------------------------------------------

def test_still_as_high_as_is_a_lower_bound_on_the_daily_total(table, snapshot, checker):
    total = raw_series(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv")["2025-11-03"]
    row = table.loc["a001_srf_early_week_14_75bn"]
    assert total > 14.75 and row["computed"] == pytest.approx(total) and row["verdict"] == "supported"
    lower = claim("value", "repo_take_up", "usd_bn", date="2025-11-03", claimed=30, tolerance=0.25, bound="lower")
    assert checker.check(lower).verdict == "contradicted"  # a total below the bound still contradicts


# --- class 5: size words --------------------------------------------------------------------------------

def peak_to_trough_rank(snapshot, file: str, peak: str, trough: str) -> tuple[float, float, int]:
    closes = raw_series(snapshot, file, "Close")
    dates = sorted(closes)
    end, steps = dates.index(trough), dates.index(trough) - dates.index(peak)
    move = (closes[dates[end]] / closes[dates[end - steps]] - 1) * 100
    history = [(closes[dates[j]] / closes[dates[j - steps]] - 1) * 100 for j in range(steps, len(dates))
               if "2021-02-05" <= dates[j] < trough]
    return move, sum(h <= move for h in history) / len(history) * 100, len(history)


def test_a_size_word_ranks_the_move_in_the_series_own_history(table, snapshot):
    # "dived": peak to trough before the article (2026-02-07), the closes picked by hand from the raw files
    ixic, gspc = raw_series(snapshot, "yahoo/_IXIC.csv", "Close"), raw_series(snapshot, "yahoo/_GSPC.csv", "Close")
    for closes, peak in ((ixic, "2026-01-28"), (gspc, "2026-01-27")):
        january = between(closes, "2026-01-20", "2026-02-06")
        after = between(closes, peak, "2026-02-06")
        assert max(january, key=january.get) == peak and min(after, key=after.get) == "2026-02-05"  # the trough after the peak
    detail = table.loc["a000_us_stocks_dive", "detail"]
    move, rank, n = peak_to_trough_rank(snapshot, "yahoo/_IXIC.csv", "2026-01-28", "2026-02-05")
    assert f"{move:.4g}%" in detail and f"{rank:.1f}% of {n} comparable moves" in detail and rank < 10
    move, rank, n = peak_to_trough_rank(snapshot, "yahoo/_GSPC.csv", "2026-01-27", "2026-02-05")
    assert f"{move:.4g}%" in detail and f"{rank:.1f}% of {n} comparable moves" in detail and rank > 10
    assert table.loc["a000_us_stocks_dive", "verdict"] == "partly"  # the Nasdaq dived; the S&P fell, not unusually


def test_size_grades_sign_and_size(checker):
    base = dict(measure="pct_change", start="2026-01-29", end="2026-01-30", percentile=1, lookback_years=10)
    assert checker.check(claim("size", "silver", "usd", expected="down", **base)).verdict == "supported"
    assert checker.check(claim("size", "silver", "usd", expected="up", **base)).verdict == "contradicted"
    ordinary = dict(base, start="2026-02-04", end="2026-02-05")
    sign = checker.check(claim("size", "spx", "index", expected="down", **ordinary))
    assert sign.verdict == "partly" and "not an unusual size" in sign.detail


def test_dried_up_is_a_level_percentile(table, snapshot):
    rrp = raw_series(snapshot, "fred/RRPONTSYD.csv")
    week = sorted(between(rrp, "2025-10-27", "2025-11-04").values())
    assert len(week) == 7
    median = week[3]  # the week's median, not one day (the 10-31 month-end print is the week's highest)
    history = [v for d, v in rrp.items() if "2022-10-27" <= d < "2025-10-27"]
    rank = sum(v <= median for v in history) / len(history) * 100
    row = table.loc["a001_rrp_dried_up"]
    assert f"ON RRP (median from 2025-10-27 to 2025-11-04): USD {median:,.1f}bn" in row["detail"]
    assert f"{rank:.1f}% of {len(history)} comparable levels" in row["detail"] and rank < 5 and row["verdict"] == "supported"


def test_a_compound_claim_checks_every_part(table, snapshot):
    usdjpy = raw_series(snapshot, "fred/DEXJPUS.csv")
    row = table.loc["a000_yen_carry_unwind_early_feb"]
    assert usdjpy["2026-02-06"] > usdjpy["2026-01-29"]  # the yen weakened
    assert "(2) the yen strengthens (fewer yen per dollar) over the crash window contradicted" in row["detail"]
    assert "(1) the US 2Y - Japan 2Y spread falls over the crash window supported" in row["detail"]
    assert row["verdict"] == "partly" and row["computed"] == 1


def test_compound_verdict_rules(checker):
    up = dict(check="direction", quantity="tga_daily", unit="usd_bn", start="2025-09-30", end="2025-10-30")

    def compound(*expected):
        parts = tuple(Claim(id=f"c.{n}", article="t", claim=f"part {n}", quantity="tga_daily", check="direction",
                            unit="usd_bn", params={k: v for k, v in up.items() if k in ("start", "end")} | {"expected": e})
                      for n, e in enumerate(expected, 1))
        return checker.check(Claim(id="c", article="t", claim="c", quantity="", check="compound", unit="",
                                   params={"parts": parts})).verdict

    assert compound("up", "up") == "supported"
    assert compound("up", "down") == "partly"
    assert compound("down", "down") == "contradicted"


# --- class 6: calendar effects -------------------------------------------------------------------------

@pytest.mark.parametrize("day, expected", [
    ("2025-12-31", ["year-end"]), ("2025-09-30", ["quarter-end"]), ("2025-10-31", ["month-end"]),
    ("2025-11-28", ["month-end"]),   # the last business day of November 2025 (Friday after Thanksgiving)
    ("2025-06-16", ["tax date"]),    # June 15 2025 is a Sunday
    ("2025-11-27", []),              # Thanksgiving
    ("2025-12-23", []),
])
def test_calendar_days(day, expected):
    assert calendar_days(pd.Timestamp(day)) == expected


def test_no_claim_keeps_an_unexplained_calendar_date(table):
    unexplained = table[table["calendar"].str.startswith("calendar:")]
    assert unexplained.empty, unexplained["calendar"].to_dict()
    assert table.loc["a001_rrp_51bn", "calendar"].startswith("calendar date accepted: 2025-10-31 month-end")
    for claim_id in ("a001_reopen_spread_normalises", "a001_reopen_trillion_returns"):  # off the year-end
        assert "2025-12-31" not in table.loc[claim_id, "rule"] and "2025-12-23" in table.loc[claim_id, "rule"]


def test_a_window_used_by_two_claims_is_named_once():
    inline: dict[tuple, set[str]] = {}
    for c in load_claims():
        for item in (c, *c.parts):
            for name in ("window", "start", "end", "base"):
                value = item.get(name)
                named = item.get("window_name" if name == "window" else f"{name}_name")
                if isinstance(value, list) and value[0] != value[1] and not named:
                    inline.setdefault(tuple(value), set()).add(c.id)
    assert {w: ids for w, ids in inline.items() if len(ids) > 1} == {}
    tga_700 = [p for c in load_claims() if c.id in ("a001_tga_300_to_1000_since_shutdown", "a002_fiscal_qt_700bn")
               for p in c.parts if p.get("label", "").startswith("the cause")]
    assert len(tga_700) == 2 and {(p.get("window_name"), p.get("base_name")) for p in tga_700} == {("shutdown", "pre_shutdown")}


# --- class 7: no false "not checkable" ----------------------------------------------------------------

def test_catalog_keys_and_event_tables_are_used_not_called_missing(table, catalog):
    reasons = table.loc[table["verdict"] == "not_checkable", "detail"]
    assert not reasons.str.contains("vocabulary").any()
    for claim_id in ("a000_figma_xpeng_minus_70", "a001_oracle_plus_40_on_deal", "a002_pltr_minus_8", "a003_tesla_299_to_210",
                     "a003_dow_6469_to_40000", "a004_large_caps_lag_small_caps", "a004_kospi_record_jan2026",
                     "a000_cme_six_margin_raises", "a004_cme_margin_raises_december", "a001_qt_end_announced",
                     "a002_qt_end_announced_six_days_before", "a002_shutdown_35_days", "a001_shutdown_30_days"):
        assert table.loc[claim_id, "verdict"] != "not_checkable", claim_id


# --- event tables: event_count, duration, plan ---------------------------------------------------------

def test_six_cme_raises_counted_from_the_raw_table(table, snapshot):
    rows = [r for r in raw_rows(snapshot.path("events/cme_metals_margins.csv")) if "2025-12-26" <= r["effective_date"] <= "2026-02-07"]
    # by hand: change_pct > 0, or a higher new level, or (2026-01-28) the next silver row's old level 11 > 9,
    # or (2026-01-13) silver 9% of the notional at the last close before above the old USD 32,500
    silver_close = raw_series(snapshot, "yahoo/SI=F.csv", "Close")
    before = max(d for d in silver_close if d < "2026-01-13")
    assert 0.09 * silver_close[before] * 5000 > 32500
    assert sorted({r["effective_date"] for r in rows}) == ["2025-12-29", "2025-12-31", "2026-01-13", "2026-01-28",
                                                           "2026-02-02", "2026-02-06"]
    row = table.loc["a000_cme_six_margin_raises"]
    assert row["computed"] == 6 and row["verdict"] == "supported"


def test_duration_counts_days_from_the_event_table(table):
    starts = [r["date"] for r in raw_rows(EVENTS / "policy.csv") if r["kind"] == "shutdown_start"]
    assert starts == ["2018-12-22", "2025-10-01"]
    days = (dt.date(2025, 11, 4) - dt.date.fromisoformat(starts[1])).days + 1
    assert table.loc["a002_shutdown_35_days", "computed"] == days == 35
    assert table.loc["a002_shutdown_fifth_week", "computed"] == -(-days // 7) == 5
    # the 2018-19 lapse: 2018-12-22..2019-01-25 is 10 + 25 = 35 days, both ends counted (CRS: 35 days)
    ends = [r["date"] for r in raw_rows(EVENTS / "policy.csv") if r["kind"] == "shutdown_end"]
    assert ends == ["2019-01-25", "2025-11-12"]
    assert (dt.date(2019, 1, 25) - dt.date(2018, 12, 22)).days + 1 == 35
    row = table.loc["a001_shutdown_second_longest"]
    assert row["verdict"] == "supported" and "days from 2018-12-22 to 2019-01-25 (35 days" in row["detail"]
    assert "days from 2025-10-01 to 2025-10-30 (30 days" in row["detail"]


def test_an_announcement_is_an_event_row(table):
    rows = [r for r in raw_rows(EVENTS / "policy.csv") if r["kind"] == "qt_end" and r["date"] == "2025-10-29"]
    assert len(rows) == 1 and "2025-12-01" in rows[0]["title"]
    assert table.loc["a001_qt_end_announced", "verdict"] == "supported" and "2025-10-29" in table.loc["a001_qt_end_announced", "data"]


# --- the other new check kinds, values from raw files ---------------------------------------------------

def test_span_rise_from_a_base_and_the_nearest_reading(table, snapshot):
    tga = raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv")
    base = float(pd.Series(between(tga, "2025-09-16", "2025-09-29")).median())
    peak = max(between(tga, "2025-10-01", "2025-11-12").values())
    rebuild = between(tga, "2025-07-07", "2025-11-12")
    row = table.loc["a001_tga_300_to_1000_since_shutdown"]
    # one sentence: the levels hold (about 300bn -> about 1tn), the cause (a 700bn rise during the shutdown) does not
    low, high = min(rebuild.values()) / 1000, max(rebuild.values()) / 1000
    assert f"TGA bottomed at USD {low:,.1f}bn on " in row["detail"] and "against the USD 300.0bn claimed" in row["detail"]
    assert f"TGA peaked at USD {high:,.1f}bn on " in row["detail"] and "against the USD 1tn claimed" in row["detail"]
    assert f"TGA rose USD {(peak - base) / 1000:,.1f}bn (USD {base / 1000:,.1f}bn → USD {peak / 1000:,.1f}bn on " in row["detail"]
    assert "from 2025-10-01 to 2025-11-12, against the USD 700.0bn claimed" in row["detail"]
    assert row["verdict"] == "partly" and "(3) it holds measured from 2025-0" in row["nearest"]
    pre = float(pd.Series(between(tga, "2025-06-04", "2025-07-02")).median())
    fiscal = table.loc["a002_fiscal_qt_700bn"]
    assert f"TGA rose USD {(max(rebuild.values()) - pre) / 1000:,.1f}bn (USD {pre / 1000:,.1f}bn → " in fiscal["detail"]
    assert "from 2025-07-07 to 2025-11-12, against the USD 700.0bn claimed" in fiscal["detail"]
    assert fiscal["verdict"] == "partly" and "1 of 2 parts hold" in fiscal["detail"]


def test_span_drawdown_from_the_highest_close(table, snapshot):
    fig = between(raw_series(snapshot, "yahoo/FIG.csv", "Close"), "2025-07-31", "2026-02-06")
    last = fig[max(fig)]
    assert f"fell {(1 - last / max(fig.values())) * 100:.4g}% from its highest close" in table.loc["a000_figma_xpeng_minus_70", "detail"]


def test_annualised_growth(table, snapshot):
    closes = raw_series(snapshot, "yahoo/_IXIC.csv", "Close")
    years = (dt.date(2023, 12, 29) - dt.date(2009, 3, 9)).days / 365.25
    rate = ((closes["2023-12-29"] / closes["2009-03-09"]) ** (1 / years) - 1) * 100
    assert table.loc["a003_nasdaq_15pct_a_year", "computed"] == pytest.approx(rate)


def test_change_per_month(table, snapshot):
    walcl = raw_series(snapshot, "fred/WALCL.csv")
    months = (dt.date(2025, 10, 22) - dt.date(2025, 4, 2)).days / 30.4375
    assert table.loc["a001_qt_pace_tens_of_bn_month", "computed"] == pytest.approx(
        (walcl["2025-10-22"] - walcl["2025-04-02"]) / 1000 / months)


def test_extreme_over_a_window_takes_the_windows_low(table, snapshot):
    rrp = raw_series(snapshot, "fred/RRPONTSYD.csv")
    window = between(rrp, "2025-10-01", "2025-11-04")
    low_day = min(window, key=window.get)
    assert rrp["2025-10-31"] > window[low_day]  # the quoted month-end print is not the low
    assert all(v >= window[low_day] for d, v in rrp.items() if "2022-01-01" <= d <= low_day)
    row = table.loc["a001_rrp_lowest_since_2021"]
    assert row["data_date"] == low_day and row["verdict"] == "supported"


def test_relative_performance_uses_the_ratio(table, snapshot):
    spx, n225 = raw_series(snapshot, "yahoo/_GSPC.csv", "Close"), raw_series(snapshot, "yahoo/_N225.csv", "Close")
    ratio = lambda d: spx[d] / n225[d] * 100  # noqa: E731
    assert ratio("2026-01-16") < ratio("2025-12-30")
    assert f"{ratio('2025-12-30'):.4g} on 2025-12-30 → {ratio('2026-01-16'):.4g} on 2026-01-16" in table.loc["a004_us_lags_world", "detail"]


# --- every verdict explains itself ----------------------------------------------------------------------

def test_every_verdict_carries_its_rule_and_data(table):
    checked = table[table["verdict"] != "not_checkable"]
    assert (checked["rule"].str.len() > 20).all()
    assert (checked["data"].str.len() > 5).all()
    assert "SOFR peaked at 4.31% on 2025-10-28 (from 2025-10-27 to 2025-11-04), as claimed" in table.loc["a002_sofr_4_31", "detail"]
    assert table.loc["a002_srf_penalty_rate_4_5", "nearest"] == "it last held on 2025-09-17 (4.5%)"
    assert "lowest" in table.loc["a001_tga_300_to_1000_since_shutdown", "data"]


# --- point in time ----------------------------------------------------------------------------------------

def test_the_vintage_loader_drops_what_was_not_published_yet(loader, snapshot):
    dts = sorted(raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv"))
    # the DTS for Friday 2026-01-30 comes out on Monday 2026-02-02
    assert VintageLoader(loader, "2026-02-02").common("tga_daily").index[-1] == pd.Timestamp("2026-01-30")
    assert VintageLoader(loader, "2026-02-01").common("tga_daily").index[-1] == pd.Timestamp("2026-01-29")
    # H.4.1: Wednesday data on Thursday
    assert VintageLoader(loader, "2025-11-05").common("reserves").index[-1] == pd.Timestamp("2025-10-29")
    assert VintageLoader(loader, "2025-11-06").common("reserves").index[-1] == pd.Timestamp("2025-11-05")
    # GDP: the quarter that ends 2025-12-31 counts as published 30 days later
    assert VintageLoader(loader, "2026-01-29").common("gdp").index[-1] == pd.Timestamp("2025-07-01")
    assert VintageLoader(loader, "2026-01-30").common("gdp").index[-1] == pd.Timestamp("2025-10-01")
    assert "2026-01-30" in dts


def test_publication_lag_changes_a_verdict(loader, snapshot):
    sofr, top = raw_series(snapshot, "fred/SOFR.csv"), raw_series(snapshot, "fred/DFEDTARU.csv")
    above_on_1104 = claim("threshold", "sofr_target_upper_bp", "bp", level=0, direction="above",
                          window=["2025-11-04", "2025-11-04"], share=1.0)
    assert (sofr["2025-11-04"] - top["2025-11-04"]) * 100 == pytest.approx(0)  # today: at the top, not above
    assert ClaimChecker(loader).check(above_on_1104).verdict == "contradicted"
    # by the end of 2025-11-04 the latest SOFR published was 2025-11-03's, above the range
    then = ClaimChecker(loader, as_of="2025-11-04").check(above_on_1104)
    assert then.verdict == "supported"
    assert f"highest 2025-11-03: {(sofr['2025-11-03'] - top['2025-11-03']) * 100:g} bp" in "; ".join(then.observations)


def test_the_corridor_and_4_31_are_read_over_the_week(table, snapshot):
    sofr, top = raw_series(snapshot, "fred/SOFR.csv"), raw_series(snapshot, "fred/DFEDTARU.csv")
    week = {d: round((sofr[d] - top[d]) * 100) for d in between(sofr, "2025-10-27", "2025-11-04")}
    assert {d: bp for d, bp in week.items() if bp > 5} == {"2025-10-28": 6, "2025-10-31": 22, "2025-11-03": 13}
    assert max(between(sofr, "2025-10-27", "2025-11-04").values()) == sofr["2025-10-28"] == 4.31
    for claim_id in ("a002_sofr_above_corridor", "a002_sofr_4_31"):
        row = table.loc[claim_id]
        assert row["verdict"] == row["verdict_asof"] == "supported", claim_id


def test_right_direction_wrong_size_is_partly(table, snapshot, checker):
    ixic, eth = raw_series(snapshot, "yahoo/_IXIC.csv", "Close"), raw_series(snapshot, "yahoo/ETH-USD.csv", "Close")
    for claim_id, closes, claimed in (("a002_nasdaq_1104", ixic, -1.6), ("a002_eth_1104", eth, -6.7)):
        move = (closes["2025-11-04"] / closes["2025-11-03"] - 1) * 100
        assert 0.5 <= move / claimed <= 2  # same sign, within a factor of two (-2.04 / -8.60)
        row = table.loc[claim_id]
        assert row["verdict"] == "partly" and "the right direction" in row["detail"], claim_id
        assert "within a factor of 2 of the claimed size is partly" in row["rule"]
    # the same rule for a value check of a percent change, and the wrong sign stays contradicted
    up = checker.check(claim("pct_change", "nasdaq", "pct_change", start="2025-11-03", end="2025-11-04", claimed=1.6, tolerance=0.1))
    assert up.verdict == "contradicted"
    far = checker.check(claim("pct_change", "nasdaq", "pct_change", start="2025-11-03", end="2025-11-04", claimed=-0.5, tolerance=0.1))
    assert far.verdict == "contradicted"  # -2.04 is four times -0.5


def test_a_share_threshold_half_met_is_partly(table, snapshot):
    reserves = between(raw_series(snapshot, "fred/WRESBAL.csv"), "2026-01-01", "2026-03-31")
    above = [d for d, v in reserves.items() if v > 3_000_000]
    assert (len(above), len(reserves)) == (4, 12)  # 33%: below the claimed 50%, above half of it
    row = table.loc["a004_reserves_back_above_3tn_q1_2026"]
    assert row["verdict"] == "partly" and "at least half that share, 25%" in row["rule"]


def test_market_value_loss_is_bounded_by_the_price_move(table, snapshot):
    nvda = raw_series(snapshot, "yahoo/NVDA.csv", "Close")
    move = (nvda["2025-11-04"] / nvda["2025-11-03"] - 1) * 100
    assert -4.5 < move < -3.5  # about -4%: about $0.2tn of about $5tn, not $1.99tn (a fall of 39% or more)
    row = table.loc["a002_nvda_mcap_loss_1_99tn"]
    assert row["verdict"] == "contradicted" and f"{move:.4g}" in row["detail"]


def test_the_size_word_of_the_refunding_is_checked(table):
    rows = [r for r in raw_rows(EVENTS / "policy.csv") if r["kind"] == "refunding" and "2026-02-01" <= r["date"] <= "2026-02-07"]
    assert any("coupon sizes unchanged" in r["title"] for r in rows)
    row = table.loc["a000_refunding_early_feb"]
    assert row["verdict"] == "partly" and "1 of 2 parts hold" in row["detail"]


def test_post_fomc_windows_end_when_the_post_was_written(table):
    for c in load_claims():
        if c.id.startswith("a001_post_fomc_"):
            assert (str(c.get("end")), str(c.as_of.date())) == ("2025-10-29", "2025-10-30"), c.id


def test_every_forecast_is_labelled_in_english(table):
    forecasts = table[table["role"] == "forecast"]
    assert forecasts["claim"].str.startswith("FORECAST").all(), list(forecasts.loc[~forecasts["claim"].str.startswith("FORECAST"), "claim"])


def test_forecasts_and_undated_texts_have_no_point_in_time_verdict(table):
    forecasts = table[table["role"] == "forecast"]
    assert len(forecasts) >= 6 and (forecasts["verdict_asof"] == "forecast").all()
    assert table.loc[table["article"] == "BRIEF.md", "verdict_asof"].isna().all()


def test_release_dates(catalog):
    assert all(spec.release is not None for spec in catalog), [s.key for s in catalog if s.release is None]
    sofr, gdp, m2 = catalog.get("sofr").release, catalog.get("gdp").release, catalog.get("m2").release
    assert list(sofr.published(pd.DatetimeIndex(["2025-10-31", "2025-11-03"]), "business")) == \
        [pd.Timestamp("2025-11-03"), pd.Timestamp("2025-11-04")]  # Friday -> Monday
    assert gdp.published(pd.DatetimeIndex(["2025-10-01"]), "quarterly")[0] == pd.Timestamp("2026-01-30")
    assert m2.published(pd.DatetimeIndex(["2025-12-01"]), "monthly")[0] == pd.Timestamp("2026-01-25")


# --- scorecard and export -----------------------------------------------------------------------------

def test_scorecard_by_article_and_by_kind(table):
    flat = table.reset_index()
    for by in ("article", "check"):
        card = scorecard(flat, by=by)
        assert card.loc["total", ["supported", "partly", "contradicted", "not_checkable"]].tolist() == \
            verdict_counts(flat).tolist()
        assert card.loc["total", "total"] == len(flat)
    assert set(scorecard(flat, by="check").index) == set(CHECK_KINDS) | {"total"}
    assert scorecard(flat).loc["brief", "total"] == 4


def test_the_cli_exports_the_verdict_table_to_csv(tmp_path, warm_cache, monkeypatch, capsys):
    from plumbing.cli import main as cli_main

    monkeypatch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    target = tmp_path / "out" / "claims.csv"
    target.parent.mkdir()  # an output folder must exist (a missing one is refused, see test_faults_reports)
    assert cli_main(["claims", "--csv", str(target)]) == 0
    rows = raw_rows(target)
    assert len(rows) == len(load_claims())
    assert {"id", "article", "quote", "claim", "verdict", "rule", "data", "verdict_asof"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert by_id["a001_rrp_51bn"]["quote"] == "RRP余额仅剩约510亿美元"
    assert list(target.parent.iterdir()) == [target]  # written atomically: no temp file left behind
    assert f"wrote {target}" in capsys.readouterr().out
    assert main(["--article", "004", "--csv", str(target)]) == 0
    assert {r["article"] for r in raw_rows(target)} == {"004_eef1a6c36e23e68c.txt"}


# --- the YAML schema for the new fields -------------------------------------------------------------------

@pytest.mark.parametrize("entry, message", [
    ({"check": "span", "quantity": "tga_daily", "window": "nowhere", "stat": "max", "claimed": 1, "tolerance": 1},
     "field 'window': expected [start, end] or one of the windows: shutdown"),
    ({"check": "span", "quantity": "tga_daily", "window": [dt.date(2025, 10, 1), dt.date(2025, 11, 1)], "stat": "peak",
      "claimed": 1, "tolerance": 1}, "field 'stat': 'peak'"),
    ({"check": "event_count", "event": {"table": "nope"}, "window": [dt.date(2025, 1, 1), dt.date(2025, 2, 1)],
      "claimed": 1, "tolerance": 0}, "field 'event': expected a mapping with table"),
    ({"check": "compound", "parts": [{"check": "value", "quantity": "sofr", "date": dt.date(2025, 1, 2), "claimed": 1},
                                     {"check": "value", "quantity": "sofr", "date": dt.date(2025, 1, 2), "claimed": 1,
                                      "tolerance": 1}]}, "part 1 field 'tolerance' is required"),
    ({"check": "value", "quantity": "sofr", "date": dt.date(2025, 1, 2), "claimed": 1, "tolerance": 1, "role": "guess"},
     "field 'role': 'guess'"),
])
def test_new_fields_are_validated_naming_the_claim(tmp_path, entry, message):
    document = {"windows": {"shutdown": {"span": [dt.date(2025, 10, 1), dt.date(2025, 11, 12)]}},
                "claims": [{"id": "x1", "article": "a", "claim": "c", **entry}]}
    with pytest.raises(ClaimError, match=re.escape(message)):
        parse_document(document, tmp_path / "claims.yaml")


def test_the_document_has_articles_windows_and_explicit_episode_lists():
    document = load_document()
    assert {"000", "001", "002", "003", "004"} <= {a[:3] for a in document.articles}
    assert document.windows["shutdown"] == (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-12"))
    assert len(document.claims) >= 135


def test_the_batch_export_equals_checking_each_claim_alone(loader, table):
    """Each as-of date gets its own view of the data: the process memos of load() and
    quantity() must not hand one date's (or today's) truncation to another. Each claim is
    checked alone, with empty memos, and must read exactly as in the batch table."""
    from plumbing import panel, quantities

    dated = [c for c in load_claims() if c.as_of is not None and c.role != "forecast"]
    assert len(dated) > 40
    for item in reversed(dated):  # the opposite order to the batch
        panel._FRAMES.clear()
        quantities._SERIES.clear()
        alone = ClaimChecker(loader, as_of=item.as_of).check(item)
        row = table.loc[item.id]
        assert (item.id, alone.verdict, alone.detail, "; ".join(alone.observations)) == \
            (item.id, row["verdict_asof"], row["detail_asof"], row["data_asof"])
        today = ClaimChecker(loader).check(item)
        assert (item.id, today.verdict, today.detail) == (item.id, row["verdict"], row["detail"])


# --- what a reader sees: no code names (issue 12) ------------------------------------------------------

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def reader_cells(page: str) -> list[str]:
    """The text of every claims-table cell a reader sees (in view or folded): cells, the claim's
    small line and the folded quote, rule and data used."""
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>|<dd>(.*?)</dd>|<small>(.*?)</small>", page, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", "".join(cell)) for cell in cells]


def test_claims_tables_show_no_code_names(table):
    from plumbing import present

    flat = table.reset_index()
    page = present.claims_html(flat)
    cells = reader_cells(page)
    assert len(cells) > 5 * len(flat)
    windows = load_document().windows
    for text in cells:
        assert not SNAKE.search(text), (SNAKE.search(text).group(0), text[:300])  # a code name or a claim id
        assert "window '" not in text and " of kind " not in text and "whose title matches" not in text, text[:300]
        for key in windows:
            assert f"'{key}'" not in text, (key, text[:300])
    assert "Article 001: the TGA drain and the repo market" in page and "a001_" not in page
    row = flat.set_index("id").loc["a001_reopen_trillion_returns"]
    why = views.claims_for_display(flat[flat["id"] == "a001_reopen_trillion_returns"])["why"].iloc[0]
    assert why.startswith("TGA fell USD ") and "from 2025-11-13 to 2025-12-23, against the USD 1tn claimed" in why, why
    assert row["verdict"] == "contradicted"


def test_claimed_and_event_words_read_as_english(table):
    shown = views.claims_for_display(table.reset_index())
    claimed = " ".join(shown["claimed"])
    assert "usd_bn" not in claimed and "USD 3,000.0bn" in claimed
    assert "Reserves above USD 3,000.0bn on at least 50% of days" in claimed
    why = " ".join(shown["why"])
    assert 'Treasury refunding statements that say "coupon sizes increased or raised"' in why
    assert "policy.csv rows" not in why and "tga_daily" not in why
