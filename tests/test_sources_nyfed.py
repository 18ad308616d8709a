"""NY Fed Markets API source: SOFR fields, repo / reverse repo take-up, chunking, errors.

All HTTP goes through ``responses`` (an unmocked URL raises). Fixture bodies are in the API's
own layout (``{ "refRates": [ ... ] }`` and ``{ "repo": { "operations": [ ... ] } }``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import responses
from responses import matchers

from source_contract import assert_contract
from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable
from plumbing.sources.nyfed import (
    REPO_SEARCH_URL,
    SOFR_SEARCH_URL,
    SOURCE_IDS,
    NyFedSource,
    accepted_by_date,
    date_chunks,
    sofr_field_by_date,
)

FIXTURES = Path(__file__).parent / "fixtures" / "nyfed"
START = pd.Timestamp("2025-10-27")
END = pd.Timestamp("2025-11-04")



def body(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def sofr_window(start: str = "2025-10-27", end: str = "2025-11-04") -> list[Any]:
    return [matchers.query_param_matcher({"startDate": start, "endDate": end})]


def repo_window(kind: str, start: str, end: str) -> list[Any]:
    return [matchers.query_param_matcher({"startDate": start, "endDate": end, "operationTypes": kind})]




# --- SOFR --------------------------------------------------------------------------------


def test_sofr_rate_in_percent(mocked: responses.RequestsMock) -> None:
    mocked.get(SOFR_SEARCH_URL, body=body("sofr_search.json"), match=sofr_window())
    series = NyFedSource().fetch("sofr", start=START, end=END)

    assert_contract(series, "sofr")
    assert series.loc["2025-10-31"] == 4.22
    assert series.loc["2025-10-30"] == 4.04
    assert len(series) == 7
    assert series.index[0] == START  # the API lists newest first; the series is sorted


@pytest.mark.parametrize(
    "source_id, expected",
    [("sofr_p1", 4.05), ("sofr_p25", 4.15), ("sofr_p75", 4.29), ("sofr_p99", 4.35), ("sofr_volume", 3211.0)],
)
def test_sofr_percentiles_and_volume(
    mocked: responses.RequestsMock, source_id: str, expected: float
) -> None:
    mocked.get(SOFR_SEARCH_URL, body=body("sofr_search.json"), match=sofr_window())
    series = NyFedSource().fetch(source_id, start=START, end=END)
    assert_contract(series, source_id)
    assert series.loc["2025-10-31"] == expected  # percent; volume in billions of USD


def test_sofr_missing_percentiles_are_dropped_not_filled(mocked: responses.RequestsMock) -> None:
    mocked.get(
        SOFR_SEARCH_URL,
        body=body("sofr_search_missing_percentiles.json"),
        match=sofr_window("2019-05-30", "2019-06-03"),
    )
    source = NyFedSource()
    p99 = source.fetch("sofr_p99", start=pd.Timestamp("2019-05-30"), end=pd.Timestamp("2019-06-03"))
    rate = source.fetch("sofr", start=pd.Timestamp("2019-05-30"), end=pd.Timestamp("2019-06-03"))

    assert pd.Timestamp("2019-05-31") not in p99.index
    assert list(p99.values) == [2.54, 2.52]
    assert rate.loc["2019-05-31"] == 2.49  # the rate itself was published that day


def test_sofr_other_rate_types_and_missing_markers_are_ignored() -> None:
    payload = {"refRates": [
        {"effectiveDate": "2025-10-31", "type": "SOFR", "percentRate": 4.22, "percentPercentile1": "NA"},
        {"effectiveDate": "2025-10-31", "type": "TGCR", "percentRate": 4.18},
    ]}
    assert sofr_field_by_date(payload, "percentRate") == {"2025-10-31": 4.22}
    assert sofr_field_by_date(payload, "percentPercentile1") == {}


# --- repo / reverse repo -----------------------------------------------------------------


def test_repo_accepted_sums_operations_per_day_in_dollars(mocked: responses.RequestsMock) -> None:
    mocked.get(
        REPO_SEARCH_URL,
        body=body("repo_results_search.json"),
        match=repo_window("Repo", "2025-10-31", "2025-10-31"),
    )
    day = pd.Timestamp("2025-10-31")
    series = NyFedSource().fetch("repo_accepted", start=day, end=day)

    assert_contract(series, "repo_accepted")
    # SRF record: morning 20.35 bn + afternoon 30.0 bn = 50.35 bn, kept in US dollars
    assert series.loc["2025-10-31"] == 50_350_000_000.0
    assert len(series) == 1


def test_reverse_repo_accepted(mocked: responses.RequestsMock) -> None:
    mocked.get(
        REPO_SEARCH_URL,
        body=body("reverserepo_results_search.json"),
        match=repo_window("Reverse Repo", "2025-10-30", "2025-11-03"),
    )
    series = NyFedSource().fetch(
        "reverse_repo_accepted", start=pd.Timestamp("2025-10-30"), end=pd.Timestamp("2025-11-03")
    )
    assert_contract(series, "reverse_repo_accepted")
    assert series.loc["2025-10-31"] == 51_802_000_000.0  # FRED RRPONTSYD: 51.802 (billions)
    assert series.loc["2025-10-30"] == 19_166_000_000.0
    assert series.loc["2025-11-03"] == 23_792_000_000.0


def test_only_result_rows_of_the_asked_type_are_summed() -> None:
    payload = json.loads(body("repo_results_search.json"))
    operations = payload["repo"]["operations"]
    announced = {k: v for k, v in operations[0].items() if not k.startswith("totalAmt")}
    announced.update(operationId="RP 110325 1", operationDate="2025-11-03", auctionStatus="Announcement")
    reverse = dict(operations[0], operationType="Reverse Repo", totalAmtAccepted=1)
    zero = dict(operations[0], operationId="RP 102925 1", operationDate="2025-10-29",
                totalAmtSubmitted=0, totalAmtAccepted=0)
    payload["repo"]["operations"] = [*operations, announced, reverse, zero]

    totals = accepted_by_date(payload, "Repo")
    assert totals == {"2025-10-31": 50_350_000_000.0, "2025-10-29": 0.0}  # zero take-up is data


def test_long_ranges_are_fetched_in_chunks(mocked: responses.RequestsMock) -> None:
    rows = json.loads(body("sofr_search.json"))["refRates"]
    windows: list[tuple[str, str]] = []

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlparse(request.url).query)
        first, last = query["startDate"][0], query["endDate"][0]
        windows.append((first, last))
        chosen = [r for r in rows if first <= r["effectiveDate"] <= last]
        return 200, {"Content-Type": "application/json"}, json.dumps({"refRates": chosen})

    mocked.add_callback(responses.GET, SOFR_SEARCH_URL, callback=answer)
    series = NyFedSource(chunk_days=3).fetch("sofr", start=START, end=END)

    assert windows == [
        ("2025-10-27", "2025-10-29"), ("2025-10-30", "2025-11-01"), ("2025-11-02", "2025-11-04"),
    ]
    assert len(series) == 7 and series.loc["2025-10-31"] == 4.22


def test_date_chunks_cover_the_range_without_gaps() -> None:
    chunks = list(date_chunks(pd.Timestamp("2020-01-01"), pd.Timestamp("2022-03-01"), 366))
    assert chunks[0] == (pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31"))
    assert chunks[-1][1] == pd.Timestamp("2022-03-01")
    for (_, end), (start, _) in zip(chunks, chunks[1:]):
        assert start == end + pd.Timedelta(days=1)


# --- errors ------------------------------------------------------------------------------


def test_unknown_id_lists_the_valid_ids() -> None:
    with pytest.raises(SourceError) as info:
        NyFedSource().fetch("effr")
    message = str(info.value)
    assert "'effr'" in message
    for valid in SOURCE_IDS:
        assert valid in message


def test_http_500_is_unavailable(mocked: responses.RequestsMock) -> None:
    mocked.get(SOFR_SEARCH_URL, status=500, body="Internal Server Error")
    with pytest.raises(SourceUnavailable, match="markets.newyorkfed.org.*HTTP 500"):
        NyFedSource().fetch("sofr", start=START, end=END)
    assert len(mocked.calls) == 1


def test_http_400_is_source_error(mocked: responses.RequestsMock) -> None:
    mocked.get(REPO_SEARCH_URL, status=400, body='{"error": "Bad Request"}')
    with pytest.raises(SourceError, match="HTTP 400") as info:
        NyFedSource().fetch("repo_accepted", start=START, end=END)
    assert not isinstance(info.value, SourceUnavailable)


def test_no_operations_is_source_empty(mocked: responses.RequestsMock) -> None:
    mocked.get(REPO_SEARCH_URL, body=body("repo_results_search_empty.json"))
    with pytest.raises(SourceEmpty, match="repo_accepted"):
        NyFedSource().fetch("repo_accepted", start=START, end=END)


def test_no_rates_is_source_empty(mocked: responses.RequestsMock) -> None:
    mocked.get(SOFR_SEARCH_URL, body=body("sofr_search_empty.json"))
    with pytest.raises(SourceEmpty, match="sofr_volume"):
        NyFedSource().fetch("sofr_volume", start=START, end=END)


def test_non_json_and_wrong_shape_are_source_errors(mocked: responses.RequestsMock) -> None:
    mocked.get(SOFR_SEARCH_URL, body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(SourceError, match="did not return JSON"):
        NyFedSource().fetch("sofr", start=START, end=END)

    mocked.replace(responses.GET, SOFR_SEARCH_URL, json={"rates": []})
    with pytest.raises(SourceError, match="no 'refRates' list"):
        NyFedSource().fetch("sofr", start=START, end=END)


def test_non_numeric_amount_is_an_error() -> None:
    payload = {"repo": {"operations": [
        {"operationId": "RP 1", "auctionStatus": "Results", "operationDate": "2025-10-31",
         "operationType": "Repo", "totalAmtAccepted": "lots"},
    ]}}
    with pytest.raises(SourceError, match="totalAmtAccepted='lots'"):
        accepted_by_date(payload, "Repo")


def test_start_after_end_is_rejected() -> None:
    with pytest.raises(SourceError, match="after end"):
        NyFedSource().fetch("sofr", start=END, end=START)
