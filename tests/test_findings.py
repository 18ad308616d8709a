"""Each report's findings: sentences whose numbers match the raw snapshot files."""

import csv
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from plumbing import findings, views
from plumbing.episodes import QUESTION_KINDS, EpisodeError, load_episodes, parse_episodes
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


def test_claims_report_counts_by_article_and_point_in_time():
    table = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "article": ["001_x", "001_x", "002_y", "002_y", "002_y"],
                          "verdict": ["supported", "contradicted", "contradicted", "contradicted", "not_checkable"],
                          "pit_changed": [False, True, False, False, False], "calendar": ["", "quarter-end", "", "", ""]})
    sentences = findings.claims_report(table)
    assert sentences[1] == "Article 002 has the most contradicted claims: 2 of its 3."
    assert sentences[2] == "Of the 4 claims the data can check, 25% are supported in full."
    assert sentences[3] == "With only the data published by each article's date, 1 verdict would differ: “b”."
    assert sentences[4] == "1 readings fall on a month-, quarter- or year-end or a tax date and are flagged."


# --- episode pages answer their own questions ------------------------------------------------------
#
# Expected values come straight from the snapshot CSVs (csv module, dates as text); the project's
# code only produces the sentence under test.

def raw_series(snapshot, file, name=None, scale=1.0):
    """[(date, value)] of a raw snapshot file, sorted, blanks dropped."""
    with open(snapshot.path(file), newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        key = name or reader.fieldnames[1]
        rows = [(r[reader.fieldnames[0]], float(r[key]) * scale) for r in reader if r[key] not in ("", ".")]
    return sorted(rows)


def on_or_before(rows, day):
    return [r for r in rows if r[0] <= day][-1]


def bn(value):
    return f"USD {value:,.1f}bn"


def episode_with(catalog, questions, **fields):
    """An episode parsed from a document like data/episodes.yaml, with these questions."""
    entry = {"id": "test-episode", "title": "Test", "t0": "2023-03-10", "before": 60, "after": 65,
             "summary": "s", "series": ["reserves"], "questions": questions, **fields}
    return parse_episodes({"episodes": [entry]}, Path("episodes.yaml"), catalog)["test-episode"]


def test_a_crossing_needs_the_previous_observation_on_the_other_side(loader, snapshot, catalog):
    # reserves were already below USD 3tn on 2022-10-05, the first week of this window, after crossing on
    # 2022-09-28; the next crossing down is the answer, not the first week found below the line
    episode = episode_with(catalog, [{"kind": "crossing", "series": "reserves", "level": 3000, "direction": "below",
                                      "from": "2022-10-01", "to": "t0"}])
    sentence = findings.answer(episode.questions[0], episode, loader=loader)
    rows = raw_series(snapshot, "fred/WRESBAL.csv", scale=1 / 1000)
    window = [(i, d, v) for i, (d, v) in enumerate(rows) if "2022-10-01" <= d <= "2023-03-10"]
    naive = next(d for _, d, v in window if v < 3000)
    i, day, value = next((i, d, v) for i, d, v in window if v < 3000 and rows[i - 1][1] >= 3000)
    previous_day, previous = rows[i - 1]
    j = i - 1
    while rows[j][1] >= 3000:  # back through the run above the line to the last week below it
        j -= 1
    assert naive == "2022-10-05" and day == "2023-01-04" and naive != day
    assert sentence.startswith(f"Reserves fell below USD 3,000.0bn in the week to {day} ({bn(value)}, from "
                               f"{bn(previous)} in the week to {previous_day}), the first time since the week to "
                               f"{rows[j][0]}")
    # the direction matters: rising above the line in the same window is another day
    up = episode_with(catalog, [{"kind": "crossing", "series": "reserves", "level": 3000, "direction": "above",
                                 "from": "2022-10-01", "to": "t0"}])
    first_up = next(d for i, d, v in window if v > 3000 and rows[i - 1][1] <= 3000)
    assert findings.answer(up.questions[0], up, loader=loader).startswith(
        f"Reserves rose above USD 3,000.0bn in the week to {first_up} ")


def test_the_svb_page_says_when_reserves_first_fell_below_3tn_and_where_they_stood(loader, snapshot):
    episode = load_episodes()["2023-03-svb"]
    sentences = findings.episode_page(episode, loader=loader)
    rows = raw_series(snapshot, "fred/WRESBAL.csv", scale=1 / 1000)
    first = next(d for i, (d, v) in enumerate(rows) if d >= "2022-01-01" and v < 3000 and rows[i - 1][1] >= 3000)
    before_t0 = on_or_before(rows, "2023-03-10")
    assert sentences[0].startswith(f"Reserves fell below USD 3,000.0bn (the articles' USD 3tn red line) in the week to "
                                   f"{first} ")
    assert f"in the week to {before_t0[0]} the level was {bn(before_t0[1])}" in sentences[0]
    # the Fed's balance sheet from the week before t0 to its high, split into securities and the rest
    walcl = raw_series(snapshot, "fred/WALCL.csv", scale=1 / 1000)
    start = on_or_before(walcl, "2023-03-10")
    high = max((r for r in walcl if start[0] <= r[0] <= "2023-06-09"), key=lambda r: r[1])
    treasuries = dict(raw_series(snapshot, "fred/TREAST.csv", scale=1 / 1000))
    mbs = dict(raw_series(snapshot, "fred/WSHOMCB.csv", scale=1 / 1000))
    rest = (high[1] - start[1]) - (treasuries[high[0]] - treasuries[start[0]]) - (mbs[high[0]] - mbs[start[0]])
    assert sentences[1].startswith(f"The Fed's assets rose {bn(high[1] - start[1])}")
    assert f"in the week to {high[0]}" in sentences[1] and f"+{bn(rest)}" in sentences[1]
    assert "BTFP" in sentences[2] and "no series" in sentences[2]  # said once, never invented


def test_the_shutdown_page_answers_spread_tga_rrp_and_repo_questions(loader, snapshot):
    episode = load_episodes()["2025-10-tga-shutdown"]
    sentences = findings.episode_page(episode, loader=loader)
    sofr = dict(raw_series(snapshot, "fred/SOFR.csv"))
    iorb, ioer = dict(raw_series(snapshot, "fred/IORB.csv")), dict(raw_series(snapshot, "fred/IOER.csv"))
    spread = {d: round((v - (iorb.get(d) if d >= "2021-07-29" else ioer.get(d))) * 100, 6) for d, v in sofr.items()
              if (iorb.get(d) if d >= "2021-07-29" else ioer.get(d)) is not None}
    start, end = str(episode.start.date()), str(episode.end.date())
    peak_day = max((d for d in spread if start <= d <= end), key=spread.get)
    since = max(d for d in spread if d < start and spread[d] >= spread[peak_day])
    assert sentences[0].startswith(f"SOFR - IORB peaked at {spread[peak_day]:.0f} bp on {peak_day} "
                                   f"(SOFR {sofr[peak_day]:.2f}%, IORB {iorb[peak_day]:.2f}%)")
    assert f"the highest since {since}" in sentences[0] and since.startswith("2020-03")
    tga = [r for r in raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv", scale=1 / 1000) if start <= r[0] <= "2025-11-12"]
    top = max(tga, key=lambda r: r[1])
    low = min((r for r in tga if r[0] <= top[0]), key=lambda r: r[1])
    assert sentences[1].startswith(f"The TGA peaked at {bn(top[1])} on {top[0]}, {bn(top[1] - low[1])} above its low of "
                                   f"{bn(low[1])} on {low[0]}")
    rrp = [r for r in raw_series(snapshot, "fred/RRPONTSYD.csv") if start <= r[0] <= "2025-10-31"]
    bottom = min(rrp, key=lambda r: r[1])
    assert sentences[2].startswith(f"ON RRP bottomed at {bn(bottom[1])} on {bottom[0]}")
    assert f"on 2025-10-31 it was {bn(dict(rrp)['2025-10-31'])}" in sentences[2]
    repo = dict(raw_series(snapshot, "nyfed/NYFED_SRF_ACCEPTED.csv"))
    in_window = {d: v for d, v in repo.items() if start <= d <= end}
    busy = sorted(d for d, v in in_window.items() if v >= 1)
    peak = max(in_window, key=in_window.get)
    assert sentences[3].startswith(f"Standing Repo Facility take-up was {bn(repo['2025-10-31'])} on 2025-10-31")
    assert f"peaked at {bn(repo[peak])} on {peak}" in sentences[3]
    assert f"USD 1.0bn or more on {len(busy)} of " in sentences[3] and f"(first {busy[0]}, last {busy[-1]})" in sentences[3]


def test_the_crash_page_ranks_the_metals_fall_on_t0_among_the_window(loader, snapshot):
    episode = load_episodes()["2026-02-crash"]
    start, end = str(episode.start.date()), str(episode.end.date())
    moves = {}
    for metal, file in (("silver", "yahoo/SI=F.csv"), ("gold", "yahoo/GC=F.csv")):
        rows = raw_series(snapshot, file, "Close")
        moves[metal] = {d: (v / rows[i - 1][1] - 1) * 100 for i, (d, v) in enumerate(rows) if i and start <= d <= end}
        assert min(moves[metal], key=moves[metal].get) == "2026-01-30"  # the largest fall is on t0
    assert findings.episode_page(episode, loader=loader)[0] == (
        f"On 2026-01-30 (t0) silver moved {moves['silver']['2026-01-30']:.1f}% and gold {moves['gold']['2026-01-30']:.1f}%: "
        f"for each the largest daily fall between {start} and {end}.")


def test_the_2019_page_decomposes_the_reserve_drain_into_the_tga(loader, snapshot):
    episode = load_episodes()["2019-09-repo-spike"]
    sentence = findings.episode_page(episode, loader=loader)[1]
    tga = raw_series(snapshot, "fred/WTREGEN.csv", scale=1 / 1000)
    start, end = str(episode.start.date()), str(episode.end.date())
    low = min((r for r in tga if start <= r[0] <= end), key=lambda r: r[1])[0]
    reserves = dict(raw_series(snapshot, "fred/WRESBAL.csv", scale=1 / 1000))
    assets = dict(raw_series(snapshot, "fred/WALCL.csv", scale=1 / 1000))
    rrp = raw_series(snapshot, "fred/RRPONTSYD.csv")
    tga = dict(tga)
    fed = assets["2019-09-18"] - assets[low]
    drained = -(tga["2019-09-18"] - tga[low])
    released = -(on_or_before(rrp, "2019-09-18")[1] - on_or_before(rrp, low)[1])
    change = reserves["2019-09-18"] - reserves[low]
    other = change - fed - drained - released

    def signed(v):
        return ("+" if v > 0 else "-") + bn(abs(v))

    assert sentence == (f"From the week to {low} to the week to 2019-09-18 reserves fell {bn(-change)} (to "
                        f"{bn(reserves['2019-09-18'])}); in reserve terms the TGA contributed {signed(drained)} (it went from "
                        f"{bn(tga[low])} to {bn(tga['2019-09-18'])}), ON RRP {signed(released)} (to "
                        f"{bn(on_or_before(rrp, '2019-09-18')[1])}), the Fed's assets (Wednesday level) {signed(fed)} and "
                        f"other items, with the gap between Wednesday levels and week averages, {signed(other)}.")


def test_a_question_without_data_says_so_and_never_fails(loader, catalog):
    # the daily TGA starts in 2022 and the discount rate stops in April 2025: honest sentences, no crash
    episode = episode_with(catalog, [{"kind": "extreme", "series": "tga_daily", "stat": "max"},
                                     {"kind": "change", "series": "discount_rate", "from": "start", "to": "end"},
                                     {"kind": "crossing", "series": "tga_daily", "level": 500, "direction": "above"},
                                     {"kind": "facility_use", "dates": ["t0"]},
                                     {"kind": "on_day", "series": ["tga_daily"]}],
                           t0="2019-09-17")
    sentences = [findings.answer(q, episode, loader=loader) for q in episode.questions[:3]]
    assert sentences[0].startswith(f"The TGA has no observation for {episode.start.date()} to {episode.end.date()} (its data "
                                   "run from 2022-04-18 to ")
    assert sentences[0].endswith("so its high or low cannot be measured here.")
    assert sentences[2].startswith("The TGA has no observation for")
    late = episode_with(catalog, [{"kind": "change", "series": "discount_rate", "from": "start", "to": "end"},
                                  {"kind": "facility_use", "dates": ["t0"]}], t0="2026-06-01")
    sentence = findings.answer(late.questions[0], late, loader=loader)
    assert sentence == (f"Primary credit rate has no observation for {late.start.date()} (its data run from 2003-01-09 to "
                        "2025-04-07), so its change cannot be measured here.")
    for question in episode.questions[3:] + late.questions[1:]:
        text = findings.answer(question, episode if question in episode.questions else late, loader=loader)
        assert text.endswith(".") and "nan" not in text.lower()


def test_every_episode_page_answers_its_questions_in_three_to_six_distinct_findings(loader):
    episodes = load_episodes()
    firsts = []
    for episode in episodes.values():
        assert episode.questions, f"{episode.id} poses no questions"
        claims = views.claims_table(start=episode.start, end=episode.end, loader=loader)
        sentences = findings.episode_page(episode, claims=claims, loader=loader)
        assert 3 <= len(sentences) <= 6, (episode.id, sentences)
        for number, sentence in enumerate(sentences):
            assert sentence.endswith(".") and not re.search(r"\b(nan|None|NaT)\b", sentence), (episode.id, sentence)
            assert number >= len(episode.questions) or re.search(r"\d{4}-\d\d-\d\d", sentence) or "no series" in sentence, (episode.id, sentence)
        firsts.append(sentences[0])
    assert len(set(firsts)) == len(firsts)
    assert set(findings.ANSWERS) == set(QUESTION_KINDS)


def write_episodes(tmp_path, questions):
    text = textwrap.dedent("""\
        episodes:
          - id: 2023-03-svb
            title: "SVB"
            t0: 2023-03-10
            summary: s
            series: [reserves]
            questions:
        """) + "".join(f"      - {q}\n" for q in questions)
    path = tmp_path / "episodes.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("question", "message"), [
    ("{kind: peak, series: reserves}", r"line 8: episode '2023-03-svb' field 'questions' item 1 field 'kind': "
                                       r"unknown question kind 'peak'"),
    ("{kind: crossing, series: reserves, level: 3000}",
     r"line 8: episode '2023-03-svb' field 'questions' item 1 \(crossing\) field 'direction' is missing"),
    ("{kind: crossing, series: reservs, level: 3000, direction: below}",
     r"line 8: episode '2023-03-svb' field 'questions' item 1 \(crossing\) field 'series': unknown series key 'reservs'"),
    ("{kind: crossing, series: reserves, level: 3tn, direction: below}", r"field 'level': '3tn' is not a number"),
    ("{kind: crossing, series: reserves, level: 3000, direction: down}", r"field 'direction': 'down'; valid: below, above"),
    ("{kind: extreme, series: reserves, stat: max, from: t0, to: start}", r"field 'to': start \(2022-12-16\) is before 'from'"),
    ("{kind: extreme, series: reserves, stat: max, from: yesterday}", r"field 'from': 'yesterday' is not a day"),
    ("{kind: extreme, series: reserves, stat: max, to: 2023-02-30}", r"2023-02-30"),
    ("{kind: extreme, series: reserves, stat: max, from: 'low:sofa'}", r"field 'from': unknown series key 'sofa'"),
    ("{kind: extreme, series: reserves, stat: max, colour: red}", r"field 'colour': not a field of 'extreme'"),
    ("{kind: on_day, series: reserves}", r"field 'series': expected a list"),
])
def test_questions_are_validated_when_episodes_load(tmp_path, catalog, question, message):
    path = write_episodes(tmp_path, [question])
    with pytest.raises(EpisodeError, match=r"episodes.yaml.*" + message):
        load_episodes(path, catalog)


def test_at_most_five_questions_per_episode(tmp_path, catalog):
    path = write_episodes(tmp_path, ["{kind: drivers, from: start, to: t0}"] * 6)
    with pytest.raises(EpisodeError, match=r"episodes.yaml line 7: episode '2023-03-svb' field 'questions': 6 questions; at most 5"):
        load_episodes(path, catalog)


# --- 04: what differs between the episodes ----------------------------------------------------------

def test_comparison_names_the_widest_spread_spike_and_the_largest_reserve_drain(loader, snapshot):
    ids = ["2019-09-repo-spike", "2020-03-dash-for-cash", "2023-03-svb", "2025-04-tariff-shock", "2025-10-tga-shutdown",
           "2026-02-crash"]
    registry = load_episodes()
    sentences = findings.comparison(ids, ["sofr_iorb_bp", "reserves", "on_rrp", "move", "hy_oas", "spx"], [-10, 10], -10,
                                    pair=("2025-10-tga-shutdown", "2019-09-repo-spike"), loader=loader)
    sofr = dict(raw_series(snapshot, "fred/SOFR.csv"))
    iorb, ioer = dict(raw_series(snapshot, "fred/IORB.csv")), dict(raw_series(snapshot, "fred/IOER.csv"))
    reserves = raw_series(snapshot, "fred/WRESBAL.csv", scale=1 / 1000)

    def bday(day, n):
        return str((day + pd.offsets.BDay(n)).date())

    peaks, falls = {}, {}
    for e in ids:
        t0 = registry[e].t0
        spread = [((v - (iorb if d >= "2021-07-29" else ioer)[d]) * 100, d) for d, v in sofr.items()
                  if bday(t0, -10) <= d <= bday(t0, 10)]
        peaks[e] = max(spread)
        rows = [r for r in reserves if bday(t0, -60) <= r[0] <= bday(t0, 10)]
        high, worst = rows[0], (0.0, None, None)
        for day, value in rows:  # the largest fall from an earlier high, walked week by week
            high = max(high, (day, value), key=lambda r: r[1])
            worst = max(worst, (high[1] - value, high[0], day), key=lambda r: r[0])
        falls[e] = worst
    widest = max(peaks, key=lambda e: peaks[e][0])
    deepest = max(falls, key=lambda e: falls[e][0])
    assert widest == "2019-09-repo-spike" and deepest == "2025-10-tga-shutdown"
    assert sentences[0].startswith(f"SOFR - IORB (IOER before 2021-07-29) spiked most in the September 2019 repo spike: "
                                   f"{peaks[widest][0]:.0f} bp on {peaks[widest][1]} (t0)")
    size, high_day, trough = falls[deepest]
    assert sentences[1].startswith(f"Reserves drained most into the October-November 2025 TGA drain during the shutdown: "
                                   f"{bn(size)} from the week to {high_day} to the week to {trough}")
    assert sentences[2].startswith("The October-November 2025 TGA drain during the shutdown compared with the September 2019 "
                                   "repo spike: reserves at t0 of ")
    assert f"a fall from their high of {bn(size)} against {bn(falls['2019-09-repo-spike'][0])}" in sentences[2]
    assert (f"yet a SOFR - IORB peak of {peaks[deepest][0]:.0f} bp against {peaks[widest][0]:.0f} bp" in sentences[2])
    assert 3 <= len(sentences) <= 6


# --- the index: each report's own answer ------------------------------------------------------------

def test_index_one_liners_are_first_findings_and_never_repeat():
    from plumbing.reports.index_page import one_liners

    def entry(output, *sentences):
        return {"output": output}, {"records": {f"finding_{i}": s for i, s in enumerate(sentences, start=1)}}

    rows = [entry("01.html", "SOFR peaked at 5.25%.", "EFFR left the range."),
            entry("episodes/x.html", "SOFR peaked at 5.25%.", "Reserves bottomed.", "Take-up peaked."),
            entry("02.html", "The TGA peaked.")]
    entries, summaries = [e for e, _ in rows], {e["output"]: s for e, s in rows}
    assert one_liners(entries, summaries) == {"01.html": "SOFR peaked at 5.25%.", "episodes/x.html": "Reserves bottomed.",
                                              "02.html": "The TGA peaked."}


def test_an_episode_without_questions_gets_the_generic_findings(loader, catalog):
    episode = parse_episodes({"episodes": [{"id": "2024-08-yen-carry", "title": "August 2024 yen carry unwind",
                                            "t0": "2024-08-05", "before": 20, "after": 20, "summary": "s",
                                            "series": ["spx", "move"]}]}, Path("episodes.yaml"), catalog)["2024-08-yen-carry"]
    assert episode.questions == ()
    assert findings.episode_page(episode, loader=loader) == findings.episode(
        ["spx", "move"], episode.t0, episode.start, episode.end, loader=loader, max_sentences=5)


# --- the headline: one finding marked as the answer, shown first and used on the index -------------

def test_a_marked_headline_is_shown_first_and_is_the_index_one_liner():
    from plumbing import present
    from plumbing.reports.index_page import one_liners, report_findings

    sentences = ["27 raises fall in 9 clusters.", "Hikes are not followed by falls: p = 0.88.", "Robustness."]
    assert present.headline_first(sentences, headline=1) == [sentences[1], sentences[0], sentences[2]]
    marked = [sentences[0], present.Headline(sentences[1]), sentences[2]]
    assert present.headline_first(marked) == [sentences[1], sentences[0], sentences[2]]
    assert present.headline_first(sentences) == sentences  # no mark: the first is the headline
    page = present.findings_html(marked)
    assert page.index(sentences[1]) < page.index(sentences[0]) and '<li class="headline">Hikes' in page
    with pytest.raises(ValueError, match="2 findings are marked"):
        present.headline_first([present.Headline("a"), present.Headline("b")])
    with pytest.raises(ValueError, match="headline=5"):
        present.headline_first(sentences, headline=5)
    # the index reads the recorded headline first (old states without one: finding_1)
    records = {"finding_1": sentences[1], "finding_2": sentences[0], "headline": sentences[1]}
    assert report_findings(records)[0] == sentences[1]
    assert report_findings({"finding_2": "b", "finding_1": "a", "finding_10": "c"}) == ["a", "b", "c"]
    entries = [{"output": "09.html"}, {"output": "episodes/x.html"}]
    summaries = {"09.html": {"records": records},
                 "episodes/x.html": {"records": {"headline": sentences[1], "finding_1": sentences[1], "finding_2": "B."}}}
    assert one_liners(entries, summaries) == {"09.html": sentences[1], "episodes/x.html": "B."}


def test_the_svb_page_headline_is_the_feds_balance_sheet_not_a_2022_crossing(loader, snapshot):
    from plumbing import present

    episode = load_episodes()["2023-03-svb"]
    sentences = findings.episode_page(episode, loader=loader)
    walcl = raw_series(snapshot, "fred/WALCL.csv", scale=1 / 1000)
    start = on_or_before(walcl, "2023-03-10")
    high = max((r for r in walcl if start[0] <= r[0] <= "2023-06-09"), key=lambda r: r[1])
    shown = present.headline_first(sentences)
    assert shown[0].startswith(f"The Fed's assets rose {bn(high[1] - start[1])}")  # the story, not the crossing
    assert shown[1].startswith("Reserves fell below USD 3,000.0bn")  # still there, second
    assert len(shown) == len(sentences)
    # every episode marks exactly one question as its headline
    for ep in load_episodes().values():
        assert sum(q.headline for q in ep.questions) == 1, ep.id


@pytest.mark.parametrize(("questions", "message"), [
    (["{kind: drivers, from: start, to: t0, headline: yes please}"], r"field 'headline': 'yes please' is not true or false"),
    (["{kind: drivers, from: start, to: t0, headline: true}", "{kind: extreme, series: reserves, stat: min, headline: true}"],
     r"items 1, 2 are each marked 'headline: true'; mark one"),
])
def test_the_headline_flag_is_validated(tmp_path, catalog, questions, message):
    with pytest.raises(EpisodeError, match=r"episodes.yaml.*" + message):
        load_episodes(write_episodes(tmp_path, questions), catalog)


# --- 06: where reserves stand now ---------------------------------------------------------------------

def test_reserves_now_against_the_kink_and_the_ny_fed_band(loader, snapshot):
    from types import SimpleNamespace

    from plumbing.models.reserve_demand import kink_benchmarks

    reserves = findings.quantity("reserves", loader=loader).dropna()
    assets = loader.common("bank_assets").dropna()
    fit = SimpleNamespace(kink=13.6, kink_ci=(12.45, 14.63), kink_ci_profile=(13.3, 13.9))
    bench = kink_benchmarks(fit, "bank_assets", float(assets.iloc[-1]), f"bank assets {assets.index[-1].date()}",
                            float(reserves.iloc[-1]), reserves.index[-1])
    sentence = findings.reserves_now(bench, -1.73, spread_name="EFFR - IORB", per_x="percentage point of reserves / "
                                     "bank assets", in_ratio="% of bank assets")
    # expected from the raw H.4.1 and H.8 files: the latest week of reserves over the latest bank assets
    day, level = raw_series(snapshot, "fred/WRESBAL.csv", scale=1 / 1000)[-1]
    share = level / raw_series(snapshot, "fred/TLAACBW027SBOG.csv")[-1][1] * 100
    assert sentence.startswith(f"Reserves were USD {level:,.0f}bn on {day}, about {share:.1f}% of bank assets: ")
    where = "below" if share < 12 else "inside" if share <= 13 else "above"
    assert f"{'below' if share < 13.6 else 'above'} the estimated kink (13.60% of bank assets)" in sentence
    assert f"{where} the NY Fed's band (12-13% of bank assets)" in sentence
    assert f"USD {abs(level - 3000):,.0f}bn {'above' if level >= 3000 else 'below'} the article's USD 3tn" in sentence


def test_the_rolling_slope_now_is_placed_in_its_history():
    days = pd.date_range("2020-01-01", periods=6, freq="W-WED")
    rolling = pd.DataFrame({"date": days, "slope": [-3.0, -1.0, -2.5, -0.5, -1.5, -2.0],
                            "low": [-4.0] * 6, "high": [0.0] * 6})
    text = findings.rolling_slope_now(rolling, window=104, spread_name="EFFR - IORB", per_x="pp")
    # the steepest since the LAST earlier window at least as steep (-2.5 in the third week), not the first (-3.0)
    assert f"the steepest since the window to {days[2].date()} (-2.50bp)" in text
    assert "40% of the 5 earlier windows" in text and f"the steepest -3.00bp to {days[0].date()}" in text
    rolling.loc[5, "slope"] = -3.5
    assert findings.rolling_slope_now(rolling, window=104, spread_name="EFFR - IORB", per_x="pp").endswith(
        f"in the window to {days[5].date()} (95% interval -4.00 to +0.00), the steepest of all 6 windows since "
        f"{days[0].date()}.")


def test_robustness_is_one_sentence_not_a_repeated_template():
    table = pd.DataFrame({"sup_f_p": [0.006, 0.01, 0.2, 0.03], "slope_below_ci_high": [-1.0, -0.5, 0.3, 0.1]},
                         index=["headline", "SOFR", "old default", "from 2018"])
    text = findings.robustness_counts(table)
    assert text == ("Of 3 alternative specifications, 2 find a kink (sup-F p < 0.05) and 1 a spread rising as reserves "
                    "fall below it; no kink in old default; no rise in old default; from 2018.")
    assert "holds in the headline" not in text


# --- 00: the monitor's stress composite and percentiles ------------------------------------------------

def test_the_monitor_stress_uses_the_daily_tga_net_liquidity_of_its_headline(loader, snapshot, coverage):
    from plumbing import dashboard

    weekly_tga_last = coverage("fred/WTREGEN.csv")[1]
    as_of = pd.Timestamp(raw_series(snapshot, "fred/DEXJPUS.csv")[-1][0])  # the monitor's default date
    assert pd.Timestamp(weekly_tga_last) < as_of - pd.Timedelta(days=21)  # a weekly-TGA component is missing here
    stress = dashboard.monitor_stress(as_of - pd.DateOffset(years=1), as_of, loader=loader)
    assert pd.notna(stress.loc[as_of, "net_liquidity_change"]) and stress.loc[as_of, "n_components"] == 5
    # the component is the z-score of the 21-business-day change of Fed assets - daily TGA - ON RRP
    tga = dict(raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv"))
    assert stress.attrs["net_liquidity_first"] > min(tga)  # needs half a window of daily-TGA history
    table = views.monitor_table(["net_liquidity_daily", "reserves", "tga_daily", "on_rrp", "sofr", "sofr_iorb_bp",
                                 "repo_take_up", "move", "hy_oas", "us2y_jp2y_bp"], as_of, loader=loader)
    head = findings.monitor(table, stress, as_of, set_by=["usdjpy"], today=as_of + pd.Timedelta(days=10))[0]
    assert head.startswith(f"The watch list stands on {as_of.date()}, 10 days before this render (USDJPY (DEXJPUS) "
                           "ends there): the stress composite read ")
    assert "5 of 5 components" in head


def test_percentiles_are_mid_rank_and_say_when_the_history_is_short(loader, snapshot):
    from plumbing import dashboard

    take_up = pd.Series([0.0] * 61 + [float(i) for i in range(1, 40)], index=pd.bdate_range("2025-01-01", periods=100))
    where = dashboard.standing(take_up, take_up.index[-1] + pd.Timedelta(days=1), 5)
    assert where["pctile"] == 99.5  # the largest of 100: 99 below it and half of itself
    zero = take_up.iloc[:-39].copy()
    where = dashboard.standing(zero, zero.index[-1], 5)
    assert where["pctile"] == 50.0 and where["tie_share"] == 100.0  # not the 100th: ties sit in the middle
    mixed = pd.concat([take_up.iloc[61:], take_up.iloc[:61]])
    mixed.index = take_up.index
    where = dashboard.standing(mixed, mixed.index[-1], 5)  # latest 0, shared by 61% of days: mid-rank 30.5
    assert where["pctile"] == 30.5 and where["tie_share"] == 61.0
    assert dashboard.percentile_words(where["pctile"], 5, None, where["tie_share"], 0.0) == \
        "30th percentile of 5 years; 0 on 61% of days"
    # the daily TGA starts in 2022: "since" its first day, not "of 5 years"
    first_tga = raw_series(snapshot, "treasury/TGA_CLOSING_BALANCE.csv")[0][0]
    tga = findings.quantity("tga_daily", loader=loader)
    assert dashboard.standing(tga, "2026-08-14", 5)["since"] == first_tga
    assert dashboard.standing(tga, "2026-08-14", 1)["since"] is None


def test_the_crash_day_sentence_names_the_largest_fall_then_the_others_with_their_sd(loader):
    moves = pd.DataFrame({"move": [-11.4, -31.3, -0.5], "z": [-8.4, -11.2, float("nan")]}, index=["gold", "silver", "btc"])
    sentence = findings.crash_2026("2026-01-30", moves, (pd.Timestamp("2026-01-30"), 220.0), "proxy", loader=loader)[0]
    assert sentence.startswith("On 2026-01-30 Silver fell most: -31.3% (-11.2 sd); then Gold -11.4% (-8.4 sd), "
                               "Bitcoin -0.5% (sd:")
