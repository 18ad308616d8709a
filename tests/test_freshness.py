"""How old the data are: the newest observation, each series' age, the series that lag."""

import csv
import html
import re
from datetime import datetime, timezone

import pandas as pd
import pytest

from plumbing.freshness import assess, latest_covered_date, resolve_as_of
from plumbing.reports.html import header_markdown, index_html


def last_date(snapshot, file):
    with open(snapshot.path(file), newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[-1][0]


@pytest.fixture(scope="module")
def snapshot_lasts(snapshot, catalog):
    """{key: last date} of every catalog series whose snapshot column is the file's close/value."""
    out = {}
    for spec in catalog:
        if spec.snapshot.column in (None, "Close"):
            out[spec.key] = last_date(snapshot, spec.snapshot.file)
    return out


def test_gold_and_silver_are_named_as_lagging_the_daily_series(snapshot, snapshot_lasts):
    gold_last = last_date(snapshot, "yahoo/GC=F.csv")
    sofr_last = last_date(snapshot, "fred/SOFR.csv")
    fresh = assess({"gold": gold_last, "silver": last_date(snapshot, "yahoo/SI=F.csv"), "sofr": sofr_last},
                   "2026-12-02", reference_last=snapshot_lasts)
    named = {s.key for s in fresh.lagging}
    assert named == {"gold", "silver"}
    gold = next(s for s in fresh.series if s.key == "gold")
    assert gold.last == pd.Timestamp("2026-07-10") == pd.Timestamp(gold_last)
    assert gold.age_days == (pd.Timestamp("2026-12-02") - pd.Timestamp(gold_last)).days
    assert gold.behind_days > 30
    assert fresh.newest == pd.Timestamp(sofr_last)
    sentence = fresh.sentence()
    assert f"from {sofr_last}, {fresh.newest_age_days} days old on 2026-12-02" in sentence
    assert "Gold (last 2026-07-10" in sentence and "Silver" in sentence and "SOFR" not in sentence.split("frequency:")[1]


def test_lagging_is_judged_within_each_frequency(snapshot, snapshot_lasts):
    # GDP is quarterly and bank assets weekly: neither is compared with the daily series
    fresh = assess({"gdp": last_date(snapshot, "fred/GDP.csv"), "sofr": last_date(snapshot, "fred/SOFR.csv"),
                    "reserves": last_date(snapshot, "fred/WRESBAL.csv")}, "2026-12-02", reference_last=snapshot_lasts)
    assert fresh.lagging == []
    bank = assess({"bank_assets": last_date(snapshot, "fred/TLAACBW027SBOG.csv")}, "2026-12-02",
                  reference_last=snapshot_lasts)
    assert [s.key for s in bank.lagging] == ["bank_assets"]  # April 2026 against weekly series into August
    ended = assess({"ioer": last_date(snapshot, "fred/IOER.csv")}, "2026-12-02", reference_last=snapshot_lasts)
    assert "Ended or withdrawn: IOER (ended 2021-07-28)." in ended.sentence()


def test_report_header_says_how_old_the_data_are(snapshot_lasts):
    rows = [{"key": "gold", "title": "Gold", "source": "snapshot", "last": "2026-07-10"},
            {"key": "sofr", "title": "SOFR", "source": "snapshot", "last": "2026-08-20"}]
    text = header_markdown("T", {}, rows, datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc), "x.ipynb",
                           reference_last=snapshot_lasts)
    assert "The newest data in this report are from 2026-08-20, 104 days old on 2026-12-02 (SOFR)." in text
    top, appendix = text.split("<!-- plumbing:appendix -->")
    assert "How old the data are" in top and "<details" in appendix  # provenance folded at the end
    behind = re.search(r"<td><code>gold</code></td><td>Gold</td><td>snapshot</td><td>2026-07-10</td><td>145</td>"
                       r"<td>yes, (\d+) days behind</td>", appendix)
    assert behind and 25 <= int(behind.group(1)) <= 50  # most daily series run to mid/late August
    assert "<td>2026-08-20</td><td>104</td><td></td>" in appendix


def test_index_states_the_data_age_over_all_reports(snapshot_lasts):
    entries = [{"output": "a.html", "title": "A", "params": {}, "rendered_at": "2026-12-02 09:00",
                "as_of": [{"key": "gold", "last": "2026-07-10"}], "data_as_of": "2026-07-10"},
               {"output": "b.html", "title": "B", "params": {}, "rendered_at": "2026-12-02 09:00",
                "as_of": [{"key": "sofr", "last": "2026-08-20"}], "data_as_of": "2026-08-20"}]
    page = index_html(entries, datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc), reference_last=snapshot_lasts)
    assert "The newest data the reports read are from 2026-08-20, 104 days old on 2026-12-02 (SOFR)." in page
    assert re.search(r"Gold \(last 2026-07-10, \d\d days behind most daily series\)", page)


def test_the_monitor_date_is_the_latest_the_whole_watch_list_covers(loader, snapshot):
    # weekly net liquidity needs the week-average TGA, whose file ends first among the inputs
    names = ["net_liquidity", "sofr", "repo_take_up"]
    expected = min(pd.Timestamp(last_date(snapshot, f)) for f in
                   ("fred/WTREGEN.csv", "fred/WALCL.csv", "fred/RRPONTSYD.csv", "fred/SOFR.csv",
                    "nyfed/NYFED_SRF_ACCEPTED.csv"))
    assert latest_covered_date(names, loader=loader) == expected
    assert resolve_as_of("latest", names, loader=loader) == expected
    assert resolve_as_of("2026-02-06", names, loader=loader) == pd.Timestamp("2026-02-06")
    with pytest.raises(ValueError, match="as_of='yesterday'"):
        resolve_as_of("yesterday", names, loader=loader)


def test_a_series_that_stops_weeks_early_does_not_hold_the_watch_list_back(loader, snapshot):
    from plumbing.freshness import watch_list_coverage

    as_of, lagging = watch_list_coverage(["sofr", "iorb", "effr", "repo_take_up"], loader=loader)
    repo_last = pd.Timestamp(last_date(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv"))
    assert lagging == {"repo_take_up": repo_last}
    assert as_of == min(pd.Timestamp(last_date(snapshot, f)) for f in ("fred/SOFR.csv", "fred/IORB.csv", "fred/EFFR.csv"))
    assert as_of > repo_last + pd.Timedelta(days=10)


# --- the monitor's date: which series set it, how old it is; the watch list named first -------------

WATCH = ["net_liquidity_daily", "sofr", "sofr_iorb_bp", "move", "usdjpy", "us2y_jp2y_bp", "hy_oas", "reserves",
         "tga_daily", "on_rrp", "repo_take_up"]


def test_the_monitor_date_names_the_series_that_set_it(loader, snapshot):
    from plumbing.freshness import coverage, watch_list_sentence

    found = coverage(WATCH, loader=loader)
    yen, repo = last_date(snapshot, "fred/DEXJPUS.csv"), last_date(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv")
    move = last_date(snapshot, "yahoo/_MOVE.csv")
    assert str(found.date.date()) == yen and found.set_by == ("usdjpy",)  # the H.10 yen rate stops first
    assert found.lagging == {"repo_take_up": pd.Timestamp(repo)}
    assert move > yen  # the newest observation (MOVE) is not the monitor's date
    age = (pd.Timestamp("2026-12-02") - pd.Timestamp(yen)).days
    assert watch_list_sentence(found.date, "2026-12-02", found.set_by, found.lagging) == (
        f"The watch list stands on {yen}, {age} days old on 2026-12-02: USDJPY (DEXJPUS) ends there and sets the date. "
        f"Shown at their own earlier dates because their data stop early: Repo facility take-up ({repo}).")


def test_series_named_alone_never_read_as_a_fragment(catalog):
    from plumbing.freshness import series_name

    for key in catalog.keys():
        name = series_name(key)
        assert name and name.split()[0] not in ("of", "and", "which") and not name.startswith("("), key
    assert series_name("repo_treasury") == "Fed repo operations, Treasury collateral accepted"


def _index_with_monitor(snapshot, snapshot_lasts, monitor_records):
    watch = [{"key": k, "last": last_date(snapshot, f)} for k, f in
             (("usdjpy", "fred/DEXJPUS.csv"), ("repo_take_up", "nyfed/NYFED_SRF_ACCEPTED.csv"),
              ("move", "yahoo/_MOVE.csv"))]
    others = [{"key": k, "last": last_date(snapshot, f)} for k, f in
              (("bgcr", "nyfed/BGCR.csv"), ("gold", "yahoo/GC=F.csv"), ("repo_treasury", "fred/RPONTSYD.csv"))]
    entries = [{"output": "00_liquidity_monitor.html", "title": "Liquidity monitor", "params": {},
                "rendered_at": "2026-12-02 09:00", "as_of": watch, "summary": {"records": monitor_records}},
               {"output": "09_event_studies.html", "title": "Events", "params": {}, "rendered_at": "2026-12-02 09:00",
                "as_of": others}]
    return index_html(entries, datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc), reference_last=snapshot_lasts)


def test_the_index_leads_with_the_monitor_date_and_the_watch_lists_stale_series(snapshot, snapshot_lasts):
    yen, repo = last_date(snapshot, "fred/DEXJPUS.csv"), last_date(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv")
    page = html.unescape(_index_with_monitor(snapshot, snapshot_lasts, {
        "as_of": yen, "as_of_set_by": ["usdjpy"], "lagging": {"repo_take_up": repo}, "finding_1": "x"}))
    fresh = re.search(r'<p class="fresh">(.*?)</p>', page, re.DOTALL).group(1)
    age = (pd.Timestamp("2026-12-02") - pd.Timestamp(yen)).days
    assert fresh.startswith(f"<strong>How old the data are.</strong> <strong>The watch list stands on {yen}, {age} days "
                            "old on 2026-12-02: USDJPY (DEXJPUS) ends there and sets the date.</strong> ")
    move = last_date(snapshot, "yahoo/_MOVE.csv")
    assert f"The newest data the reports read are from {move}" in fresh and "(MOVE)" in fresh
    stale = fresh.split("Series that stop before the others of their frequency: ")[1]
    assert stale.startswith("on the watch list, Repo facility take-up (last ")  # before BGCR, gold, ...
    assert stale.index("elsewhere") < stale.index("Gold (last")
    assert "of which" not in fresh


def test_tiles_show_compact_units_their_own_date_and_an_age_badge(loader, snapshot):
    from plumbing import dashboard
    from plumbing.quantities import quantity

    yen = last_date(snapshot, "fred/DEXJPUS.csv")
    repo = last_date(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv")
    names = {"net_liquidity_daily": "usd_bn", "usdjpy": "jpy_per_usd", "move": "index", "repo_take_up": "usd_bn"}
    tiles = dashboard.monitor_tiles({n: quantity(n, loader=loader) for n in names}, names, yen)
    page = html.unescape(dashboard.tiles_html(tiles, today=datetime(2026, 12, 2, tzinfo=timezone.utc)))
    with open(snapshot.path("fred/DEXJPUS.csv"), newline="", encoding="utf-8") as handle:
        rate = float([r for r in csv.reader(handle) if r[0] == yen][0][1])
    with open(snapshot.path("yahoo/_MOVE.csv"), newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        level = float([r for r in reader if r[reader.fieldnames[0]] <= yen][-1]["Close"])
    assert f'<div class="value">¥{rate:,.2f}</div>' in page and "JPY per" not in page
    assert f'<div class="value">{level:,.2f}</div>' in page and " index<" not in page
    assert "USD " not in page and "USD/" not in page and re.search(r'<div class="value">[\d,]+\.\dbn</div>', page)
    age = (pd.Timestamp("2026-12-02") - pd.Timestamp(repo)).days
    gap = (pd.Timestamp(yen) - pd.Timestamp(repo)).days
    shown = html.unescape(page)  # dates and "N days" are kept unbroken with non-breaking characters
    repo_shown = repo.replace("-", "\u2011")
    assert f"last {repo_shown}, {age}\u00a0days old <span class=\"badge\">{gap} days before the monitor date</span>" in shown
    assert page.count('class="badge"') == 1


def test_tile_dates_and_ages_never_break_inside_a_date_or_a_count_of_days():
    from plumbing.dashboard import _unbroken

    text = _unbroken("31st percentile since 2022-04-18; last 2026-08-14, 110 days old")
    assert "2022-04-18" not in text and "2022&#8209;04&#8209;18" in text and "110&nbsp;days" in text
    assert html_unescape(text) == "31st percentile since 2022\u201104\u201118; last 2026\u201108\u201114, 110\u00a0days old"


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)
