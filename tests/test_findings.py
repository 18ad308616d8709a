"""Each report's findings: sentences whose numbers match the raw snapshot files."""

import csv

import pandas as pd
import pytest

from plumbing import findings, views
from plumbing.indicators import decompose_net_liquidity_change


def column(snapshot, file, start, end, name=None):
    """{date: value} from a raw snapshot file between start and end (csv module only)."""
    with open(snapshot.path(file), newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        key = name or reader.fieldnames[1]
        return {r[reader.fieldnames[0]]: float(r[key]) for r in reader
                if start <= r[reader.fieldnames[0]] <= end and r[key] not in ("", ".")}


def test_repo_spike_findings_state_the_peak_against_ioer(loader, snapshot):
    sentences = findings.repo_spike_2019("2019-07-01", "2019-12-31", "2019-09-17", loader=loader)
    sofr = column(snapshot, "fred/SOFR.csv", "2019-07-01", "2019-12-31")
    peak_day = max(sofr, key=sofr.get)
    ioer = column(snapshot, "fred/IOER.csv", peak_day, peak_day)[peak_day]
    spread = round((sofr[peak_day] - ioer) * 100)
    assert sentences[0] == (f"SOFR peaked at {sofr[peak_day]:.2f}% on {peak_day}, {spread} bp above the rate the Fed "
                            "paid on reserves (IOER).")
    assert peak_day == "2019-09-17" and spread == 315
    first_operation = min(d for d in column(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv", "2019-09-17", "2019-12-31"))
    assert any(s.startswith(f"The Fed's repo operations lent USD 53.1bn on {first_operation}") for s in sentences)
    assert 3 <= len(sentences) <= 6


def test_tga_drain_findings_use_the_build_up_peak_not_a_point(loader, snapshot):
    weekly = loader.load(["fed_assets", "tga_weekly", "on_rrp"], freq="W")
    parts = decompose_net_liquidity_change(weekly, "2025-07-01", "2025-10-31")
    moves = views.day_moves(["spx", "btc"], "2025-11-04", loader=loader)
    shutdown = (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-12"))
    sentences = findings.tga_drain_2025("2025-07-01", "2025-12-31", "2025-10-31", "2025-11-04", parts, moves, shutdown,
                                        loader=loader)
    tga = column(snapshot, "treasury/TGA_CLOSING_BALANCE.csv", "2025-07-01", "2025-11-12")
    peak_day = max(tga, key=tga.get)
    assert f"a peak of USD {tga[peak_day] / 1000:,.1f}bn on {peak_day}" in sentences[0]
    assert peak_day == "2025-10-30"  # the build-up peaked before the spike, not on 2025-11-04
    assert "On 2025-10-31 SOFR was 4.22%, 32 bp above IORB" in sentences[1]
    selloff = next(s for s in sentences if s.startswith("On 2025-11-04"))
    assert "S&P 500 -1.2% (-1.0 sd)" in selloff


def test_episode_findings_measure_the_largest_fall_from_a_prior_high(loader, snapshot):
    sentences = findings.episode(["spx"], "2020-03-16", "2020-01-02", "2020-06-30", loader=loader)
    closes = column(snapshot, "yahoo/_GSPC.csv", "2020-01-02", "2020-06-30", "Close")
    running, worst, worst_day = 0.0, 0.0, None
    for day in sorted(closes):
        running = max(running, closes[day])
        if closes[day] / running - 1 < worst:
            worst, worst_day = closes[day] / running - 1, day
    assert sentences == [f"S&P 500's largest fall in the window was {worst * 100:.1f}%, from 2020-02-19 to "
                         f"{worst_day}."]


def test_claims_sentence_counts_verdicts_and_names_the_contradicted():
    table = pd.DataFrame({"id": ["a", "b", "c", "d"], "verdict": ["supported", "contradicted", "partly", "not_checkable"],
                          "claim": ["A", "The Nasdaq fell 1.6% on 2025-11-04", "C", "D"]})
    assert findings.claims_sentence(table) == ("Of 4 article claims dated in this window, the data support 1, partly "
                                               "support 1 and contradict 1; 1 cannot be checked with these data. "
                                               "Contradicted: “The Nasdaq fell 1.6% on 2025-11-04”.")
    assert findings.claims_sentence(table.iloc[0:0]) == "No article claims dated in this window."


def test_comparison_names_the_episode_with_the_highest_reading():
    summary = pd.DataFrame({"episode": ["e1", "e2"], "quantity": ["sofr_iorb_bp"] * 2, "at_t0": [1.0, 2.0],
                            "max": [315.0, 44.0], "max_day": [0, 1], "min": [-2.0, -9.0], "min_day": [-5, 3]})
    [sentence] = findings.comparison(summary, {"sofr_iorb_bp": "bp"}, {"sofr_iorb_bp": "SOFR - IORB"}, [-10, 10])
    assert sentence == ("SOFR - IORB: highest in e1 (315 bp on day +0), lowest in e2 (-9 bp on day +3), within -10 to "
                        "10 business days of t0.")


def test_claims_report_counts_by_article_and_point_in_time():
    table = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "article": ["001_x", "001_x", "002_y", "002_y", "002_y"],
                          "verdict": ["supported", "contradicted", "contradicted", "contradicted", "not_checkable"],
                          "pit_changed": [False, True, False, False, False], "calendar": ["", "quarter-end", "", "", ""]})
    sentences = findings.claims_report(table)
    assert sentences[1] == "Article 002 has the most contradicted claims: 2 of its 3."
    assert sentences[2] == "Of the 4 claims the data can check, 25% are supported in full."
    assert sentences[3] == "With only the data published by each article's date, 1 verdict would differ: “b”."
    assert sentences[4] == "1 readings fall on a month-, quarter- or year-end or a tax date and are flagged."
