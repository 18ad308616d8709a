"""US Treasury, Fiscal Data API: Daily Treasury Statement (DTS), Table I operating cash balance.

Source id:

``tga_closing_balance``
    Closing balance of the Treasury General Account (the Treasury's account at the Federal
    Reserve) at the end of each DTS business day, in **millions of US dollars**, from
    2022-04-18.

Endpoint: ``https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/accounting/dts/
operating_cash_balance`` with ``filter=record_date:gte:YYYY-MM-DD``, ``sort=record_date``,
``page[size]`` and ``page[number]``. The answer is
``{"data": [...], "meta": {"count", "labels", "dataTypes", "dataFormats", "total-count",
"total-pages"}, "links": {"self", "first", "prev", "next", "last"}}``; ``links.next`` is a query
fragment (``&page%5Bnumber%5D=2&page%5Bsize%5D=...``) or null, so pages are walked by number
until ``meta.total-pages``.

Rows (every value is a string; amounts in millions of USD; a missing amount is the string
``"null"``): ``record_date``, ``account_type``, ``close_today_bal``, ``open_today_bal``,
``open_month_bal``, ``open_fiscal_year_bal``, ``table_nbr``, ``table_nm``, ``sub_table_name``,
``src_line_nbr``, ``record_fiscal_year``, ... Since the DTS redesign of 2022-04-18 each day
has rows ``Treasury General Account (TGA) Opening Balance``, ``Total TGA Deposits (Table II)``,
``Total TGA Withdrawals (Table II) (-)`` and ``Treasury General Account (TGA) Closing Balance``;
the table's columns are "today / this month / this fiscal year", so the day's closing balance
is the ``open_today_bal`` of the *Closing Balance* row, while ``close_today_bal`` is ``"null"``.
Before 2022-04-18 the table had other rows (``Federal Reserve Account``,
``Total Operating Balance``, ...) with the amount in ``close_today_bal``; that older format is
not read here, so the series starts on 2022-04-18 (use FRED WTREGEN/WDTGAL before).
"""

from __future__ import annotations

import logging
import math
from typing import Any

import pandas as pd
import requests

from plumbing.sources import http
from plumbing.sources.base import SourceEmpty, SourceError, tidy_series

log = logging.getLogger(__name__)

OPERATING_CASH_BALANCE_URL = (
    "https://api.fiscaldata.treasury.gov/services/api/fiscal_service/v1/accounting/dts/"
    "operating_cash_balance"
)
TGA_CLOSING_ACCOUNT = "Treasury General Account (TGA) Closing Balance"
#: first record_date of the current DTS format (the TGA Closing Balance row)
CURRENT_FORMAT_START = pd.Timestamp("2022-04-18")
SOURCE_IDS: tuple[str, ...] = ("tga_closing_balance",)

_MAX_PAGE_SIZE = 10000
_MAX_PAGES = 1000  # a guard against a server that never says "last page"


class TreasurySource:
    """TGA closing balance from the Daily Treasury Statement, millions of USD, business days."""

    name = "treasury"
    hosts = ("api.fiscaldata.treasury.gov",)

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: float = 30,
        page_size: int = 5000,
    ) -> None:
        if not 1 <= page_size <= _MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {_MAX_PAGE_SIZE}, got {page_size}")
        self._session = session
        self._timeout = timeout
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"TreasurySource(page_size={self.page_size})"

    def fetch(self, source_id: str, start: pd.Timestamp | None = None) -> pd.Series:
        """Series ``source_id`` from ``start`` (all of the current DTS format if None)."""
        key = source_id.strip().lower() if isinstance(source_id, str) else source_id
        if key not in SOURCE_IDS:
            raise SourceError(
                f"unknown Treasury source id {source_id!r}; valid ids are {list(SOURCE_IDS)}"
            )
        first = pd.Timestamp(start).normalize() if start is not None else CURRENT_FORMAT_START
        # rows before the 2022 redesign have no TGA Closing Balance row: do not download them
        query_start = max(first, CURRENT_FORMAT_START)
        rows = self._all_rows(query_start)
        series = tidy_series(tga_closing_balances(rows), key)
        series = series[series.index >= first]
        if series.empty:
            raise SourceEmpty(
                f"Treasury DTS returned no '{TGA_CLOSING_ACCOUNT}' values since {first.date()}"
            )
        return series

    def _all_rows(self, start: pd.Timestamp) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            payload = self._page(start, page)
            rows.extend(payload["data"])
            if _is_last_page(payload, page):
                return rows
            page += 1
            if page > _MAX_PAGES:
                raise SourceError(
                    f"Treasury DTS pagination did not end after {_MAX_PAGES} pages; giving up"
                )

    def _page(self, start: pd.Timestamp, page: int) -> dict[str, Any]:
        params = {
            "filter": f"record_date:gte:{start.strftime('%Y-%m-%d')}",
            "sort": "record_date",
            "page[size]": str(self.page_size),
            "page[number]": str(page),
        }
        response = http.get(
            OPERATING_CASH_BALANCE_URL, params, session=self._session, timeout=self._timeout
        )
        try:
            payload = response.json()
        except ValueError:
            raise SourceError(
                f"{http.describe_url(OPERATING_CASH_BALANCE_URL, params)} did not return JSON"
            ) from None
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            keys = sorted(payload) if isinstance(payload, dict) else type(payload).__name__
            raise SourceError(f"Treasury DTS response has no 'data' list; top-level keys: {keys}")
        return payload


def tga_closing_balances(rows: list[dict[str, Any]]) -> pd.Series:
    """``record_date -> open_today_bal`` (millions of USD) of the TGA Closing Balance rows.

    ``"null"`` amounts are left out (never filled).
    """
    values: dict[str, float] = {}
    for row in rows:
        if not isinstance(row, dict) or row.get("account_type") != TGA_CLOSING_ACCOUNT:
            continue
        day = row.get("record_date")
        amount = _amount(row.get("open_today_bal"), day)
        if day and amount is not None:
            values[str(day)] = amount
    return pd.Series(values, dtype="float64")


def _amount(value: Any, day: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if math.isnan(float(value)) else float(value)
    text = str(value).strip().replace(",", "")
    if text.lower() in {"", "null", "nan", "n/a"}:
        return None
    try:
        return float(text)
    except ValueError:
        raise SourceError(
            f"Treasury DTS open_today_bal={value!r} on {day} is neither a number nor 'null'"
        ) from None


def _is_last_page(payload: dict[str, Any], page: int) -> bool:
    meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
    links = payload.get("links") if isinstance(payload.get("links"), dict) else {}
    total_pages = meta.get("total-pages")
    if isinstance(total_pages, (int, float)) or (isinstance(total_pages, str) and total_pages.isdigit()):
        return page >= int(total_pages)
    if "next" in links:
        return not links["next"]
    return not payload["data"]
