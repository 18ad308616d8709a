"""FRED (Federal Reserve Bank of St. Louis) series.

Two ways in, same result:

- with an API key (argument, or ``FRED_API_KEY`` in the environment): the FRED API through
  ``fredapi`` (``https://api.stlouisfed.org/fred/series/observations``, XML);
- without a key: the public graph download
  ``https://fred.stlouisfed.org/graph/fredgraph.csv?id=<ID>[&cosd=YYYY-MM-DD]``, whose header
  is ``observation_date,<ID>`` (``DATE,<ID>`` before December 2024) and whose missing
  observations are ``.`` (sometimes an empty cell).

Source ids are FRED series ids (``WALCL``, ``RRPONTSYD``, ``SOFR``, ...). Values keep FRED's
unit and frequency for that series, exactly as FRED publishes them: e.g. ``WALCL`` weekly
(Wednesday level) in millions of USD, ``RRPONTSYD`` daily in billions of USD, ``SOFR`` daily in
percent. Missing observations are dropped.

The API key never appears in a log line, an exception (message, ``repr``, chained traceback) or
the ``repr`` of the source: fredapi puts it into the request URL, so every fredapi failure is
re-raised as a fresh ``SourceError``/``SourceUnavailable`` with the key replaced by ``***``.
"""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import urllib.error
import xml.etree.ElementTree as ET
from http.client import HTTPException

import pandas as pd
import requests

from plumbing.sources import http
from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable, tidy_series

log = logging.getLogger(__name__)

FREDGRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_KEY_ENV = "FRED_API_KEY"

_SERIES_ID = re.compile(r"^[A-Za-z0-9_]+$")
_DATE_HEADERS = ("observation_date", "DATE")
_MISSING = {".", ""}
# fredapi turns an HTTP error with an XML body into ValueError(<FRED's message>); these
# messages mean "try later", not "your request is wrong"
_TRANSIENT_MESSAGES = ("internal server error", "service unavailable", "too many requests", "timeout")


class FredSource:
    """FRED series in FRED's native units; see the module docstring for the two access paths."""

    name = "fred"
    hosts = ("api.stlouisfed.org", "fred.stlouisfed.org")

    def __init__(
        self,
        api_key: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: float = 30,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        self.__api_key: str | None = key.strip() if key and key.strip() else None
        self._session = session
        self._timeout = timeout

    def __repr__(self) -> str:
        mode = "api (key set, hidden)" if self.__api_key else "keyless fredgraph.csv"
        return f"FredSource(mode={mode!r})"

    @property
    def uses_api(self) -> bool:
        """True when an API key is configured and the FRED API (via fredapi) is used."""
        return self.__api_key is not None

    def fetch(self, source_id: str, start: pd.Timestamp | None = None) -> pd.Series:
        """Series ``source_id`` from ``start`` (all history if None), native unit, NaN dropped."""
        series_id = _check_series_id(source_id)
        start_ts = pd.Timestamp(start) if start is not None else None
        if self.__api_key:
            raw = self._fetch_api(series_id, start_ts)
        else:
            raw = self._fetch_csv(series_id, start_ts)
        series = tidy_series(raw, series_id)
        if start_ts is not None:
            series = series[series.index >= start_ts.normalize()]
        if series.empty:
            raise SourceEmpty(f"FRED returned no observations for {series_id}" + _since(start_ts))
        return series

    # --- keyed path: fredapi -------------------------------------------------------------

    def _fetch_api(self, series_id: str, start: pd.Timestamp | None) -> pd.Series:
        import fredapi

        key = self.__api_key
        assert key is not None
        log.debug("FRED API: series %s%s", series_id, _since(start))
        failure: SourceError | None = None
        raw: pd.Series | None = None
        try:
            client = fredapi.Fred(api_key=key)
            raw = client.get_series(series_id, observation_start=start)
        except Exception as exc:  # every fredapi failure may carry the key: translate them all
            failure = _translate_api_error(exc, series_id, key)
        if failure is not None:
            raise failure from None  # raised outside the except block: no chained original
        assert raw is not None
        return raw

    # --- keyless path: fredgraph.csv -----------------------------------------------------

    def _fetch_csv(self, series_id: str, start: pd.Timestamp | None) -> pd.Series:
        params = {"id": series_id}
        if start is not None:
            params["cosd"] = start.strftime("%Y-%m-%d")
        response = http.get(FREDGRAPH_URL, params, session=self._session, timeout=self._timeout)
        return parse_fredgraph_csv(response.text, series_id)


def parse_fredgraph_csv(text: str, series_id: str) -> pd.Series:
    """Parse a ``fredgraph.csv`` body (``observation_date,<ID>`` or ``DATE,<ID>``) into a Series.

    Missing observations (``.`` or empty) become NaN; any other non-numeric value is an error.
    """
    if not text.strip():
        raise SourceEmpty(f"FRED fredgraph.csv for {series_id} is empty")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    columns = [str(c).strip() for c in frame.columns]
    if len(columns) < 2 or columns[0] not in _DATE_HEADERS:
        raise SourceError(
            f"FRED fredgraph.csv for {series_id} has an unexpected header {columns[:3]!r}; "
            f"expected 'observation_date,{series_id}' (or the older 'DATE,{series_id}')"
        )
    value_column = _value_column(columns, series_id)
    dates = pd.to_datetime(frame.iloc[:, 0].str.strip(), format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = frame.iloc[:, 0][dates.isna()].iloc[0]
        raise SourceError(f"FRED fredgraph.csv for {series_id}: unparseable date {bad!r}")
    values = [_csv_value(v, series_id) for v in frame.iloc[:, value_column]]
    return pd.Series(values, index=pd.DatetimeIndex(dates), dtype="float64")


def _value_column(columns: list[str], series_id: str) -> int:
    for position, column in enumerate(columns[1:], start=1):
        if column.upper() == series_id.upper():
            return position
    raise SourceError(
        f"FRED fredgraph.csv has no column {series_id!r}; columns are {columns!r}"
    )


def _csv_value(text: str, series_id: str) -> float:
    cleaned = str(text).strip()
    if cleaned in _MISSING:
        return float("nan")
    try:
        return float(cleaned)
    except ValueError:
        raise SourceError(
            f"FRED fredgraph.csv for {series_id}: value {cleaned!r} is neither a number nor "
            "a missing marker ('.' or empty)"
        ) from None


def _check_series_id(source_id: str) -> str:
    if not isinstance(source_id, str) or not _SERIES_ID.match(source_id.strip()):
        raise SourceError(
            f"invalid FRED series id {source_id!r}: expected letters, digits and underscores "
            "such as 'WALCL' or 'RRPONTSYD'"
        )
    return source_id.strip().upper()


def _translate_api_error(exc: BaseException, series_id: str, key: str) -> SourceError:
    """A key-free SourceError/SourceUnavailable describing a fredapi failure."""
    detail = http.redact(f"{type(exc).__name__}: {exc}", key)
    where = f"FRED API (api.stlouisfed.org) for {series_id}"
    if _is_network_error(exc):
        return SourceUnavailable(f"could not reach {where}: {detail}")
    # fredapi catches an HTTPError, parses its body as XML and raises ValueError(<message>)
    # (or ParseError for a non-XML body) inside that handler: the status is in the context
    status = _http_status_in_context(exc)
    if status is not None and (status >= 500 or status == 429):
        return SourceUnavailable(f"{where} answered HTTP {status} (publisher unavailable): {detail}")
    if isinstance(exc, ET.ParseError):
        return SourceError(f"{where} returned a body that is not FRED XML: {detail}")
    if isinstance(exc, ValueError):
        message = str(exc).lower()
        if any(marker in message for marker in _TRANSIENT_MESSAGES):
            return SourceUnavailable(f"{where} is unavailable: {detail}")
        return SourceError(f"{where} refused the request: {detail}")
    return SourceError(f"{where} failed: {detail}")


def _http_status_in_context(exc: BaseException) -> int | None:
    seen: set[int] = set()
    current: BaseException | None = exc.__context__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, urllib.error.HTTPError):
            return current.code
        current = current.__context__
    return None


def _is_network_error(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500 or exc.code == 429
    return isinstance(
        exc, (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, HTTPException)
    )


def _since(start: pd.Timestamp | None) -> str:
    return f" since {start.date()}" if start is not None else ""
