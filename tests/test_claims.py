"""Claims: every kind of check, every verdict, computed from data and never from the YAML."""

import dataclasses

import pytest
import yaml

from plumbing.claims import (CHECK_KINDS, CLAIMS_PATH, VERDICTS, Claim, ClaimChecker, ClaimError,
                             check_claims, parse_claims, verdict_counts)


@pytest.fixture(scope="module")
def checker(loader):
    return ClaimChecker(loader)


@pytest.fixture(scope="module")
def table(loader):
    return check_claims(loader=loader)


def claim(check, quantity, unit="", **params):
    return Claim(id=f"t_{check}", article="test", claim="test claim", quantity=quantity, check=check, unit=unit, params=params)


def test_at_least_thirty_claims_each_with_a_value_or_a_reason(table):
    assert len(table) >= 30
    assert set(table["verdict"]) <= set(VERDICTS)
    checkable = table[table["verdict"] != "not_checkable"]
    assert len(checkable) >= 30
    assert checkable["computed"].notna().all()
    assert (table["detail"].str.len() > 10).all()
    assert table.loc[table["verdict"] == "not_checkable", "detail"].str.contains("missing|no observation|no data").all()


def test_the_yaml_holds_no_verdicts_or_data_values():
    raw = yaml.safe_load(CLAIMS_PATH.read_text(encoding="utf-8"))
    for entry in raw["claims"]:
        assert not {"verdict", "computed", "actual", "data_value"} & set(entry), entry["id"]


def test_the_claims_the_issue_names_are_present(table):
    ids = set(table["id"])
    for expected in ("a001_rrp_lowest_since_2021", "a002_sofr_4_31", "a001_srf_1031_record", "a001_tga_300_to_1000_since_shutdown",
                     "a002_reserves_2_8tn", "a001_sofr_iorb_normally_within_5bp", "a004_reserves_first_below_3tn",
                     "a000_tga_early_feb_893", "a002_nasdaq_1104", "a000_silver_margin_11_to_18"):
        assert expected in ids


@pytest.mark.parametrize("claim_id, verdict", [
    ("a001_sofr_iorb_1031_32bp", "supported"),        # 4.22 - 3.90
    ("a000_tga_early_feb_893", "supported"),          # DTS 2026-01-30 = 893,245 million
    ("a001_rrp_lowest_since_2021", "supported"),      # 2.4bn on 2025-10-24, lowest since March 2021 (not the 51.8bn month-end print)
    ("a002_sofr_4_31", "supported"),                  # the week's high: 4.31 on 2025-10-28 (4.00 on 11-04 itself)
    ("a002_nasdaq_1104", "partly"),                   # the Nasdaq fell 2.04%, not 1.6%: right direction, size off
    ("a001_srf_early_week_14_75bn", "supported"),     # "still as high as": 22bn on Monday 2025-11-03 is at least 14.75
])
def test_verdicts_on_claims_the_articles_make(table, claim_id, verdict):
    row = table.set_index("id").loc[claim_id]
    assert row["verdict"] == verdict, row["detail"]


def test_record_srf_use_was_a_record_then_but_not_still(table):
    detail = table.set_index("id").loc["a001_srf_1031_record", "detail"]
    assert "exceeded later on 2025-12-31" in detail


def test_every_check_kind_is_used_and_every_verdict_occurs(table):
    assert set(table["check"]) == set(CHECK_KINDS)
    assert (verdict_counts(table) > 0).all()


def test_value_check_grades_supported_partly_contradicted(checker):
    base = dict(date="2025-10-31", tolerance=0.01)
    assert checker.check(claim("value", "sofr", "percent", claimed=4.22, **base)).verdict == "supported"
    assert checker.check(claim("value", "sofr", "percent", claimed=4.24, **base)).verdict == "partly"
    assert checker.check(claim("value", "sofr", "percent", claimed=4.31, **base)).verdict == "contradicted"


def test_verdicts_follow_the_data_not_the_claimed_number(checker):
    supported = claim("value", "on_rrp", "usd_bn", date="2025-10-31", claimed=51.8, tolerance=1)
    moved = dataclasses.replace(supported, params={**supported.params, "claimed": 80})
    assert checker.check(supported).computed == checker.check(moved).computed == pytest.approx(51.802)
    assert (checker.check(supported).verdict, checker.check(moved).verdict) == ("supported", "contradicted")


def test_change_and_pct_change(checker, snapshot, raw):
    change = checker.check(claim("change", "sofr", "percent", start="2025-10-30", end="2025-10-31", claimed=0.18, tolerance=0.005))
    assert change.verdict == "supported" and change.computed == pytest.approx(0.18)
    before, after = (raw(snapshot, "yahoo/_GSPC.csv", day, "Close") for day in ("2025-11-03", "2025-11-04"))
    pct = checker.check(claim("pct_change", "spx", start="2025-11-03", end="2025-11-04", claimed=-1.2, tolerance=0.1))
    assert pct.computed == pytest.approx((after / before - 1) * 100)
    assert pct.verdict == "supported"


def test_one_sided_bounds(checker):
    more_than = claim("change", "fed_assets", "usd_bn", start="2023-03-01", end="2023-03-29", claimed=300, tolerance=10, bound="lower")
    assert checker.check(more_than).verdict == "supported"
    at_most = dataclasses.replace(more_than, params={**more_than.params, "bound": "upper"})
    assert checker.check(at_most).verdict == "contradicted"


def test_direction(checker):
    up = checker.check(claim("direction", "tga_daily", start="2025-09-30", end="2025-10-30", expected="up"))
    down = checker.check(claim("direction", "tga_daily", start="2025-09-30", end="2025-10-30", expected="down"))
    assert (up.verdict, down.verdict) == ("supported", "contradicted")
    assert up.computed > 0


def test_extreme_finds_the_last_more_extreme_date(checker):
    widest = checker.check(claim("extreme", "sofr_iorb_bp", "bp", date="2025-10-31", extreme="max", since="2020-04-01"))
    assert widest.verdict == "supported" and "highest since 2020-03-17" in widest.detail
    too_long = checker.check(claim("extreme", "sofr_iorb_bp", "bp", date="2025-10-31", extreme="max", since="2020-01-01"))
    assert too_long.verdict == "partly" and "rank 2 since 2020-01-01" in too_long.detail
    second = checker.check(claim("extreme", "repo_take_up", "usd_bn", date="2025-11-03", extreme="max", since="2021-07-29", rank=2))
    assert second.verdict == "supported"
    jump = checker.check(claim("extreme", "sofr", "percent", date="2025-10-31", extreme="max", since="2024-10-31", transform="diff"))
    assert jump.computed == pytest.approx(0.18)


def test_threshold_crossing_and_share(checker):
    first = claim("threshold", "reserves", "usd_bn", level=3000, direction="below", window=["2022-09-01", "2022-12-31"],
                  first=True, since="2021-01-01")
    result = checker.check(first)
    assert result.verdict == "supported" and "first crossed below USD 3,000.0bn on 2022-09-28" in result.detail
    never = checker.check(claim("threshold", "reserves", "usd_bn", level=3000, direction="below", window=["2025-04-01", "2025-06-30"]))
    assert never.verdict == "contradicted"
    share = checker.check(claim("threshold", "sofr_iorb_bp", "bp", level=5, direction="below", window=["2022-01-01", "2022-12-31"], share=0.9))
    assert share.verdict == "supported" and 0.9 <= share.computed <= 1


def test_not_checkable_says_what_is_missing(checker):
    missing = checker.check(Claim(id="t", article="a", claim="c", quantity="", check="not_checkable", unit="",
                                  params={"missing": "S&P 500 forward P/E history"}))
    assert missing.verdict == "not_checkable" and "forward P/E" in missing.detail
    beyond = checker.check(claim("value", "wilshire5000", "index", date="2026-02-06", claimed=60000, tolerance=2000))
    assert beyond.verdict == "not_checkable" and "2023-02-08" in beyond.detail
    unknown = checker.check(claim("value", "forward_pe", "", date="2026-02-06", claimed=22, tolerance=1))
    assert unknown.verdict == "not_checkable" and "forward_pe" in unknown.detail


def test_bad_entries_name_the_claim_and_the_field(tmp_path):
    good = {"id": "x1", "article": "a", "claim": "c", "quantity": "sofr", "check": "value", "unit": "percent",
            "date": "2025-10-31", "claimed": 4.2, "tolerance": 0.1}
    for broken, message in (({**good, "check": "vibes"}, "'x1' field 'check': 'vibes'"),
                            ({k: v for k, v in good.items() if k != "tolerance"}, "'x1' field 'tolerance' is required"),
                            ({**good, "quantity": None}, "'x1' field 'quantity' is missing")):
        with pytest.raises(ClaimError, match=message):
            parse_claims({"claims": [broken]}, tmp_path / "claims.yaml")
    with pytest.raises(ClaimError, match="'x1' field 'id': duplicate"):
        parse_claims({"claims": [good, good]}, tmp_path / "claims.yaml")


def test_unit_mismatch_is_an_error_naming_the_claim(checker):
    with pytest.raises(ClaimError, match="'t_value' field 'unit': 'bp' but sofr is in percent"):
        checker.check(claim("value", "sofr", "bp", date="2025-10-31", claimed=422, tolerance=1))


def test_the_command_prints_counts_and_the_table(capsys, warm_cache, monkeypatch):
    from plumbing.claims import main

    monkeypatch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    assert main(["--article", "001"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("supported: ")
    assert "== 001_dfe810cc30992348.txt ==" in out and "a001_sofr_iorb_1031_32bp" in out
    assert "== 000_" not in out
def test_a_two_sided_band_uses_the_absolute_spread(checker, loader, snapshot, raw):
    window = ["2021-07-29", "2025-08-29"]
    one_sided = checker.check(claim("threshold", "sofr_iorb_bp", "bp", level=5, direction="below", window=window, share=0.9))
    two_sided = checker.check(claim("threshold", "sofr_iorb_bp", "bp", level=5, direction="below", window=window, share=0.9, abs=True))
    spread = (snapshot.read("fred/SOFR.csv") - snapshot.read("fred/IORB.csv")).dropna().loc[window[0]:window[1]] * 100
    assert two_sided.computed == pytest.approx(float((spread.round(6).abs() <= 5).mean()))
    assert one_sided.verdict == "supported" and two_sided.verdict == "contradicted"


def test_gold_broke_below_3930_intraday(table):
    row = table.set_index("id").loc["a002_gold_below_3930"]
    assert row["quantity"] == "gold_low" and row["verdict"] == "supported" and row["computed"] < 3930


@pytest.mark.parametrize("change, message", [
    ({"check": "extreme", "extreme": "max", "tolerance": None}, "needs exactly one of 'since'"),
    ({"tolerence": 1}, "'tolerence' are not used by check 'value'"),
    ({"date": "2025-13-31"}, "field 'date': '2025-13-31' is not a date"),
    ({"tolerance": "1bp"}, "field 'tolerance': '1bp' is not a number"),
])
def test_malformed_fields_are_caught_when_the_file_is_read(tmp_path, change, message):
    entry = {"id": "x1", "article": "a", "claim": "c", "quantity": "sofr", "check": "value", "unit": "percent",
             "date": "2025-10-31", "claimed": 4.2, "tolerance": 0.1, **change}
    with pytest.raises(ClaimError, match=message):
        parse_claims({"claims": [entry]}, tmp_path / "claims.yaml")


def test_a_mistyped_quantity_names_the_claim(checker):
    with pytest.raises(ClaimError, match="'t_value' field 'quantity': unknown series key 'sofrr'; did you mean sofr"):
        checker.check(claim("value", "sofrr", "percent", date="2025-10-31", claimed=4.2, tolerance=0.1))


def test_the_display_table_puts_units_beside_both_numbers(loader):
    from plumbing import views

    table = views.claims_table(ids=["a001_sofr_iorb_1031_32bp", "a004_fed_repo_last_week_december",
                                    "a002_nasdaq_1104", "a001_sofr_1031_jump_22bp", "a001_srf_1031_record",
                                    "a001_sofr_iorb_normally_within_5bp"], loader=loader)
    shown = views.claims_for_display(table).set_index(table["id"])
    assert shown.loc["a001_sofr_iorb_1031_32bp", ["claimed", "data"]].tolist() == ["32 bp", "32 bp"]
    assert shown.loc["a004_fed_repo_last_week_december", "data"].endswith("% of days")
    assert shown.loc["a001_sofr_iorb_normally_within_5bp", "data"] == "1 of 2 parts hold"
    assert shown.loc["a002_nasdaq_1104", "data"] == "-2.039%"
    assert shown.loc["a001_sofr_1031_jump_22bp", ["claimed", "data"]].tolist() == ["0.22 pp", "0.18 pp"]
    assert shown.loc["a001_srf_1031_record", "claimed"] == "highest since 2021-07-29"


def test_a_right_number_on_the_wrong_day_is_pointed_out(checker):
    # read as a point on 2025-11-04 (SOFR 4.00 that day), 4.31 is the print of 2025-10-28
    point = checker.check(claim("value", "sofr", "percent", date="2025-11-04", claimed=4.31, tolerance=0.01))
    assert point.verdict == "contradicted"
    assert "the claimed value does hold on 2025-10-28 (4.31%)" in point.row()["nearest"]


def test_seasonal_compares_the_same_time_of_year(checker, snapshot, raw):
    result = checker.check(claim("seasonal", "tga_wednesday", "usd_bn", date="2026-01-14", extreme="max", years=4))
    assert result.computed == pytest.approx(raw(snapshot, "fred/WDTGAL.csv", "2026-01-14") / 1000)
    assert result.verdict == "supported"  # 2022-2025 were all lower
    five = checker.check(claim("seasonal", "tga_wednesday", "usd_bn", date="2026-01-14", extreme="max", years=5))
    assert five.verdict == "partly" and "2021-01-13: USD 1,575.9bn" in five.detail  # the pandemic cash pile
