"""Federal Reserve Bank of New York, Markets Data API (``markets.newyorkfed.org``, no key).

Source ids, units and frequency (all daily, business days, as the API gives them):

=========================  ==================================================================
``repo_accepted``          total amount accepted in the Desk's repo operations (temporary OMO
                           repos; the Standing Repo Facility since 2021-07-29), summed over
                           all operations with results on the same ``operationDate``, all
                           tranches (Treasury, agency, MBS), overnight and term.
                           **US dollars** (the API's ``totalAmtAccepted``; 50.35 bn on
                           2025-10-31 is ``50350000000.0``). Days with operations but no take-up
                           are 0; days without any operation are absent.
``reverse_repo_accepted``  the same for reverse repo operations (ON RRP), **US dollars**.
``sofr``                   SOFR, percent (``percentRate``).
``sofr_p1`` ... ``p99``    1st/25th/75th/99th volume-weighted percentile of SOFR transactions,
                           percent (``percentPercentile1/25/75/99``).
``sofr_volume``            volume of SOFR-eligible transactions, **billions** of USD
                           (``volumeInBillions``).
=========================  ==================================================================

Endpoints (the Markets API's documented search calls):

- repo: ``/api/rp/results/search.json?startDate=YYYY-MM-DD&endDate=YYYY-MM-DD&operationTypes=Repo``
  (``operationTypes=Reverse Repo`` for reverse repo) -> ``{"repo": {"operations": [...]}}``,
  one object per operation (``operationId``, ``auctionStatus``, ``operationDate``,
  ``operationType``, ``totalAmtSubmitted``, ``totalAmtAccepted``, ``details`` per tranche...).
  Only operations whose ``auctionStatus`` is ``Results`` are used (announced-only rows are not).
- SOFR: ``/api/rates/secured/sofr/search.json?startDate=...&endDate=...`` ->
  ``{"refRates": [{"effectiveDate", "type": "SOFR", "percentRate", "percentPercentile1",
  ..., "volumeInBillions", "revisionIndicator"}]}``, newest first.

Long date ranges are requested in chunks of ``chunk_days`` (one year by default).
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from typing import Any, Iterator

import pandas as pd
import requests

from plumbing.sources import http
from plumbing.sources.base import SourceEmpty, SourceError, tidy_series

log = logging.getLogger(__name__)

BASE_URL = "https://markets.newyorkfed.org"
REPO_SEARCH_URL = f"{BASE_URL}/api/rp/results/search.json"
SOFR_SEARCH_URL = f"{BASE_URL}/api/rates/secured/sofr/search.json"

#: source id -> the API's operationType (also the operationTypes filter value)
REPO_IDS: dict[str, str] = {
    "repo_accepted": "Repo",
    "reverse_repo_accepted": "Reverse Repo",
}
#: source id -> field of a SOFR refRates row
SOFR_IDS: dict[str, str] = {
    "sofr": "percentRate",
    "sofr_p1": "percentPercentile1",
    "sofr_p25": "percentPercentile25",
    "sofr_p75": "percentPercentile75",
    "sofr_p99": "percentPercentile99",
    "sofr_volume": "volumeInBillions",
}
SOURCE_IDS: tuple[str, ...] = (*REPO_IDS, *SOFR_IDS)

#: first dates asked for when no start is given (SOFR was first published for 2018-04-02)
REPO_HISTORY_START = pd.Timestamp("2000-01-01")
SOFR_HISTORY_START = pd.Timestamp("2018-04-02")

_MISSING_TOKENS = {"", "NA", "N/A", "NULL", "NONE", "-"}


class NyFedSource:
    """NY Fed repo/reverse-repo take-up (USD) and SOFR (percent, billions); see module docstring."""

    name = "nyfed"
    hosts = ("markets.newyorkfed.org",)

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: float = 30,
        chunk_days: int = 366,
    ) -> None:
        if chunk_days < 1:
            raise ValueError(f"chunk_days must be >= 1, got {chunk_days}")
        self._session = session
        self._timeout = timeout
        self.chunk_days = chunk_days

    def __repr__(self) -> str:
        return f"NyFedSource(chunk_days={self.chunk_days})"

    def fetch(
        self,
        source_id: str,
        start: pd.Timestamp | None = None,
        end: pd.Timestamp | None = None,
    ) -> pd.Series:
        """Series ``source_id`` between ``start`` and ``end`` (default: all history to today)."""
        key = source_id.strip().lower() if isinstance(source_id, str) else source_id
        if key not in SOURCE_IDS:
            raise SourceError(
                f"unknown NY Fed source id {source_id!r}; valid ids are {list(SOURCE_IDS)}"
            )
        default_start = REPO_HISTORY_START if key in REPO_IDS else SOFR_HISTORY_START
        first = pd.Timestamp(start).normalize() if start is not None else default_start
        last = pd.Timestamp(end).normalize() if end is not None else pd.Timestamp.today().normalize()
        if first > last:
            raise SourceError(f"NY Fed request for {key}: start {first.date()} is after end {last.date()}")
        if key in REPO_IDS:
            raw = self._repo_series(REPO_IDS[key], first, last)
        else:
            raw = self._sofr_series(SOFR_IDS[key], first, last)
        series = tidy_series(raw, key)
        series = series[(series.index >= first) & (series.index <= last)]
        if series.empty:
            raise SourceEmpty(
                f"NY Fed returned no observations for {key} between {first.date()} and {last.date()}"
            )
        return series

    # --- repo / reverse repo -------------------------------------------------------------

    def _repo_series(self, operation_type: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
        totals: dict[str, float] = defaultdict(float)
        for chunk_start, chunk_end in date_chunks(first, last, self.chunk_days):
            payload = self._get_json(
                REPO_SEARCH_URL,
                {
                    "startDate": chunk_start.strftime("%Y-%m-%d"),
                    "endDate": chunk_end.strftime("%Y-%m-%d"),
                    "operationTypes": operation_type,
                },
            )
            for day, amount in accepted_by_date(payload, operation_type).items():
                totals[day] += amount
        return pd.Series(totals, dtype="float64")

    # --- SOFR ----------------------------------------------------------------------------

    def _sofr_series(self, field: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
        values: dict[str, float] = {}
        for chunk_start, chunk_end in date_chunks(first, last, self.chunk_days):
            payload = self._get_json(
                SOFR_SEARCH_URL,
                {
                    "startDate": chunk_start.strftime("%Y-%m-%d"),
                    "endDate": chunk_end.strftime("%Y-%m-%d"),
                },
            )
            values.update(sofr_field_by_date(payload, field))
        return pd.Series(values, dtype="float64")

    def _get_json(self, url: str, params: dict[str, str]) -> Any:
        response = http.get(url, params, session=self._session, timeout=self._timeout)
        try:
            return response.json()
        except ValueError:
            raise SourceError(
                f"{http.describe_url(url, params)} did not return JSON "
                f"(content-type {response.headers.get('Content-Type', '?')!r})"
            ) from None


def accepted_by_date(payload: Any, operation_type: str) -> dict[str, float]:
    """Sum ``totalAmtAccepted`` (USD) by ``operationDate`` over result rows of ``operation_type``."""
    operations = _operations(payload)
    totals: dict[str, float] = defaultdict(float)
    for operation in operations:
        if not isinstance(operation, dict):
            continue
        if str(operation.get("operationType", operation_type)).strip().lower() != operation_type.lower():
            continue
        status = operation.get("auctionStatus")
        if status is not None and str(status).strip().lower() != "results":
            continue  # announced but not yet run: no accepted amount to report
        day = operation.get("operationDate")
        amount = _number(operation.get("totalAmtAccepted"), "totalAmtAccepted", operation)
        if not day or amount is None:
            continue
        totals[str(day)] += amount
    return dict(totals)


def sofr_field_by_date(payload: Any, field: str) -> dict[str, float]:
    """``{effectiveDate: value}`` of ``field`` from SOFR rows; missing values are left out."""
    if not isinstance(payload, dict) or not isinstance(payload.get("refRates"), list):
        raise SourceError(
            "NY Fed SOFR response has no 'refRates' list; top-level keys: "
            f"{sorted(payload) if isinstance(payload, dict) else type(payload).__name__}"
        )
    values: dict[str, float] = {}
    for row in payload["refRates"]:
        if not isinstance(row, dict):
            continue
        rate_type = row.get("type")
        if rate_type is not None and str(rate_type).upper() != "SOFR":
            continue
        day = row.get("effectiveDate")
        value = _number(row.get(field), field, row)
        if day and value is not None:
            values[str(day)] = value
    return values


def _operations(payload: Any) -> list[Any]:
    repo = payload.get("repo") if isinstance(payload, dict) else None
    operations = repo.get("operations") if isinstance(repo, dict) else None
    if not isinstance(operations, list):
        raise SourceError(
            "NY Fed repo response has no 'repo.operations' list; top-level keys: "
            f"{sorted(payload) if isinstance(payload, dict) else type(payload).__name__}"
        )
    return operations


def _number(value: Any, field: str, row: dict[str, Any]) -> float | None:
    """A numeric API value (number or numeric string); None when the API marks it missing."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if math.isnan(float(value)) else float(value)
    text = str(value).strip().replace(",", "")
    if text.upper() in _MISSING_TOKENS:
        return None
    try:
        return float(text)
    except ValueError:
        where = row.get("operationId") or row.get("effectiveDate") or row.get("operationDate")
        raise SourceError(f"NY Fed field {field}={value!r} (row {where}) is not a number") from None


def date_chunks(
    first: pd.Timestamp, last: pd.Timestamp, chunk_days: int
) -> Iterator[tuple[pd.Timestamp, pd.Timestamp]]:
    """Consecutive inclusive ``(start, end)`` windows of at most ``chunk_days`` days."""
    step = pd.Timedelta(days=chunk_days)
    current = first
    while current <= last:
        chunk_end = min(current + step - pd.Timedelta(days=1), last)
        yield current, chunk_end
        current = chunk_end + pd.Timedelta(days=1)
