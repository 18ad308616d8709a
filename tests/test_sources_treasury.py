"""Treasury Fiscal Data source: DTS operating cash balance, TGA closing balance, pagination.

All HTTP goes through ``responses``. Fixture pages follow the API's layout
(``data`` / ``meta`` with ``total-pages`` / ``links`` with query-fragment ``next``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import responses

from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable
from plumbing.sources.treasury import (
    OPERATING_CASH_BALANCE_URL,
    TGA_CLOSING_ACCOUNT,
    TreasurySource,
    tga_closing_balances,
)

FIXTURES = Path(__file__).parent / "fixtures" / "treasury"



def page(number: int) -> dict[str, Any]:
    return json.loads((FIXTURES / f"operating_cash_balance_page{number}.json").read_text())


def serve_pages(mocked: responses.RequestsMock, pages: dict[int, dict[str, Any]]) -> list[dict[str, list[str]]]:
    """Answer by ``page[number]``; return the query of every request made."""
    queries: list[dict[str, list[str]]] = []

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlparse(request.url).query)
        queries.append(query)
        number = int(query["page[number]"][0])
        return 200, {"Content-Type": "application/json"}, json.dumps(pages[number])

    mocked.add_callback(responses.GET, OPERATING_CASH_BALANCE_URL, callback=answer)
    return queries


def test_tga_closing_balance_over_two_pages(mocked: responses.RequestsMock) -> None:
    queries = serve_pages(mocked, {1: page(1), 2: page(2)})
    series = TreasurySource(page_size=4).fetch("tga_closing_balance", start=pd.Timestamp("2025-10-29"))

    assert series.dtype == "float64"
    assert isinstance(series.index, pd.DatetimeIndex) and series.index.name == "date"
    assert series.name == "tga_closing_balance"
    # millions of USD: 1,000,632 million = $1.0006 trillion on 2025-10-30
    assert series.loc["2025-10-30"] == 1000632.0
    assert series.to_dict() == {
        pd.Timestamp("2025-10-29"): 983859.0,
        pd.Timestamp("2025-10-30"): 1000632.0,
        pd.Timestamp("2025-10-31"): 926328.0,
    }
    assert [q["page[number]"] for q in queries] == [["1"], ["2"]]
    assert queries[0]["filter"] == ["record_date:gte:2025-10-29"]
    assert queries[0]["page[size]"] == ["4"]
    assert queries[0]["sort"] == ["record_date"]


def test_opening_balance_rows_are_not_taken() -> None:
    rows = page(1)["data"] + page(2)["data"]
    values = tga_closing_balances(rows)
    # 2025-10-30 opening balance is the previous close (983,859); the closing row wins
    assert values.loc["2025-10-30"] == 1000632.0
    assert len(values) == 3
    assert all(row["close_today_bal"] == "null" for row in rows)  # current format quirk


def test_null_amount_is_dropped_not_filled(mocked: responses.RequestsMock) -> None:
    second = page(2)
    for row in second["data"]:
        if row["account_type"] == TGA_CLOSING_ACCOUNT:
            row["open_today_bal"] = "null"
    serve_pages(mocked, {1: page(1), 2: second})
    series = TreasurySource(page_size=4).fetch("tga_closing_balance", start=pd.Timestamp("2025-10-29"))
    assert pd.Timestamp("2025-10-31") not in series.index
    assert len(series) == 2


def test_start_before_the_current_format_is_clamped(mocked: responses.RequestsMock) -> None:
    queries = serve_pages(mocked, {1: page(1), 2: page(2)})
    TreasurySource().fetch("tga_closing_balance", start=pd.Timestamp("2019-09-01"))
    assert queries[0]["filter"] == ["record_date:gte:2022-04-18"]
    queries.clear()
    TreasurySource().fetch("tga_closing_balance")
    assert queries[0]["filter"] == ["record_date:gte:2022-04-18"]


def test_start_filters_rows_too(mocked: responses.RequestsMock) -> None:
    serve_pages(mocked, {1: page(1), 2: page(2)})
    series = TreasurySource().fetch("tga_closing_balance", start=pd.Timestamp("2025-10-30"))
    assert list(series.index.strftime("%Y-%m-%d")) == ["2025-10-30", "2025-10-31"]


def test_no_rows_is_source_empty(mocked: responses.RequestsMock) -> None:
    empty = json.loads((FIXTURES / "operating_cash_balance_empty.json").read_text())
    queries = serve_pages(mocked, {1: empty})
    with pytest.raises(SourceEmpty, match="Treasury General Account"):
        TreasurySource().fetch("tga_closing_balance", start=pd.Timestamp("2030-01-01"))
    assert len(queries) == 1


def test_http_500_is_unavailable(mocked: responses.RequestsMock) -> None:
    mocked.get(OPERATING_CASH_BALANCE_URL, status=500)
    with pytest.raises(SourceUnavailable, match="api.fiscaldata.treasury.gov.*HTTP 500"):
        TreasurySource().fetch("tga_closing_balance")
    assert len(mocked.calls) == 1


def test_http_400_is_source_error(mocked: responses.RequestsMock) -> None:
    mocked.get(
        OPERATING_CASH_BALANCE_URL,
        status=400,
        json={"error": "Invalid Query Param", "message": "Invalid query parameter 'filter'"},
    )
    with pytest.raises(SourceError, match="HTTP 400") as info:
        TreasurySource().fetch("tga_closing_balance")
    assert not isinstance(info.value, SourceUnavailable)


def test_unexpected_payload_is_source_error(mocked: responses.RequestsMock) -> None:
    mocked.get(OPERATING_CASH_BALANCE_URL, json={"rows": []})
    with pytest.raises(SourceError, match="no 'data' list"):
        TreasurySource().fetch("tga_closing_balance")


def test_garbage_amount_is_an_error() -> None:
    row = dict(page(1)["data"][1], open_today_bal="n.a.")
    with pytest.raises(SourceError, match="open_today_bal='n.a.'"):
        tga_closing_balances([row])


def test_unknown_id_lists_the_valid_ids() -> None:
    with pytest.raises(SourceError, match=r"unknown Treasury source id 'tga'.*'tga_closing_balance'"):
        TreasurySource().fetch("tga")
