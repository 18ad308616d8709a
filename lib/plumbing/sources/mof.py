"""Japan Ministry of Finance (財務省): JGB par yields, "国債金利情報".

Source ids are tenors: ``1Y`` ... ``10Y``, ``15Y``, ``20Y``, ``25Y``, ``30Y``, ``40Y``. Values
are the par yields the MOF publishes, in **percent** per annum, one row per business day
(Tokyo); days on which a tenor was not published (``-``) are dropped. Longer tenors start
later (10Y in 1986, 30Y in 1999, 40Y in 2007), so their early rows are absent.

Two files, both Shift_JIS (CP932) CSV with CRLF line ends:

- history to the end of last month: ``https://www.mof.go.jp/jgbs/reference/interest_rate/data/jgbcm_all.csv``
- the current month: ``https://www.mof.go.jp/jgbs/reference/interest_rate/jgbcm.csv``

Layout: a title line (``国債金利情報,,,...,(単位 : %)``, the current file with the month, e.g.
``国債金利情報 (令和7年11月)``), then the header ``基準日,1年,2年,...,30年,40年``, then one row
per day dated in the Japanese era calendar (``S49.9.24``, ``H31.4.26``, ``R1.5.7``,
``R7.11.4``; no zero padding), ``-`` for a missing value; the current-month file ends with an
empty row (``,,,,``) and a notice line (``※最新のcsvデータが...``). Where both files have a
date, the current-month file wins.
"""

from __future__ import annotations

import csv
import io
import logging
import re

import pandas as pd
import requests

from plumbing.sources import http
from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable, tidy_series

log = logging.getLogger(__name__)

HISTORY_URL = "https://www.mof.go.jp/jgbs/reference/interest_rate/data/jgbcm_all.csv"
CURRENT_MONTH_URL = "https://www.mof.go.jp/jgbs/reference/interest_rate/jgbcm.csv"
ENCODING = "cp932"  # Shift_JIS as Windows writes it (a superset of plain Shift_JIS)

DATE_HEADER = "基準日"
TENORS: tuple[str, ...] = (
    "1Y", "2Y", "3Y", "4Y", "5Y", "6Y", "7Y", "8Y", "9Y", "10Y", "15Y", "20Y", "25Y", "30Y", "40Y",
)

#: first Gregorian year of each era; year 1 of an era is that year
ERA_START_YEARS: dict[str, int] = {"M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}
_ERA_DATE = re.compile(r"^([A-Za-z])(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
_TENOR_HEADER = re.compile(r"^(\d{1,2})年$")
_MISSING = {"-", "", "－", "―"}


def parse_japanese_era_date(text: str) -> pd.Timestamp:
    """Convert an MOF era date such as ``R7.11.4`` (Reiwa 7 = 2025) to ``Timestamp('2025-11-04')``.

    Eras: ``M`` Meiji (1868-), ``T`` Taisho (1912-), ``S`` Showa (1926-), ``H`` Heisei (1989-),
    ``R`` Reiwa (2019-); year 1 of an era is its start year. Raises ``ValueError`` naming the
    bad text when it is not ``<era letter><year>.<month>.<day>`` or not a real date.
    """
    if not isinstance(text, str):
        raise ValueError(f"Japanese era date must be a string like 'R7.11.4', got {text!r}")
    match = _ERA_DATE.match(text.strip())
    if match is None:
        raise ValueError(
            f"not a Japanese era date: {text!r}; expected <era><year>.<month>.<day> such as "
            f"'S49.9.24' or 'R7.11.4' with era one of {sorted(ERA_START_YEARS)}"
        )
    era, year_text, month_text, day_text = match.groups()
    era = era.upper()
    if era not in ERA_START_YEARS:
        raise ValueError(
            f"unknown era {era!r} in {text!r}; valid eras are {sorted(ERA_START_YEARS)} "
            "(Meiji, Taisho, Showa, Heisei, Reiwa)"
        )
    era_year = int(year_text)
    if era_year < 1:
        raise ValueError(f"era year must be 1 or more in {text!r}")
    year = ERA_START_YEARS[era] + era_year - 1
    try:
        return pd.Timestamp(year=year, month=int(month_text), day=int(day_text))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real date (would be {year}-{month_text}-{day_text})"
        ) from None


class MofSource:
    """JGB par yields in percent by tenor (``1Y`` ... ``40Y``); see the module docstring."""

    name = "mof"
    hosts = ("www.mof.go.jp",)

    def __init__(self, *, session: requests.Session | None = None, timeout: float = 60) -> None:
        self._session = session
        self._timeout = timeout

    def __repr__(self) -> str:
        return "MofSource()"

    def fetch(self, source_id: str, start: pd.Timestamp | None = None) -> pd.Series:
        """Par yield of tenor ``source_id`` (percent) from ``start`` (all history if None)."""
        tenor = _check_tenor(source_id)
        history = parse_jgbcm_csv(self._download(HISTORY_URL), HISTORY_URL)
        current = self._current_month()
        table = history if current is None else combine(history, current)
        if tenor not in table.columns:
            raise SourceError(
                f"MOF JGB file has no {tenor} column; columns are {list(table.columns)}"
            )
        series = tidy_series(table[tenor], tenor)
        if start is not None:
            series = series[series.index >= pd.Timestamp(start).normalize()]
        if series.empty:
            since = f" since {pd.Timestamp(start).date()}" if start is not None else ""
            raise SourceEmpty(f"MOF published no {tenor} JGB yield{since}")
        return series

    def _download(self, url: str) -> str:
        response = http.get(url, session=self._session, timeout=self._timeout)
        return response.content.decode(ENCODING, errors="replace")

    def _current_month(self) -> pd.DataFrame | None:
        """The current-month table; None if that file alone is missing (e.g. at month turn)."""
        try:
            return parse_jgbcm_csv(self._download(CURRENT_MONTH_URL), CURRENT_MONTH_URL)
        except SourceUnavailable:
            raise
        except SourceError as exc:
            log.warning("MOF current-month file unusable, using history only: %s", exc)
            return None


def parse_jgbcm_csv(text: str, origin: str = "MOF CSV") -> pd.DataFrame:
    """Parse a decoded ``jgbcm*.csv`` into a float frame: index ``date``, columns ``1Y``...``40Y``.

    Title, blank and notice lines are skipped; ``-`` becomes NaN.
    """
    rows = list(csv.reader(io.StringIO(text)))
    header_at = _header_row(rows, origin)
    tenor_columns = _tenor_columns(rows[header_at], origin)
    dates: list[pd.Timestamp] = []
    records: list[list[float]] = []
    for line_no, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        first = row[0].strip() if row else ""
        if not first or not first[0].isascii() or not first[0].isalpha():
            continue  # blank row, or the trailing notice (※...)
        try:
            dates.append(parse_japanese_era_date(first))
        except ValueError as exc:
            raise SourceError(f"{origin} line {line_no}: {exc}") from None
        records.append([_yield(row, position, origin, line_no) for position in tenor_columns.values()])
    frame = pd.DataFrame(records, columns=list(tenor_columns), dtype="float64")
    frame.index = pd.DatetimeIndex(dates, name="date")
    return frame


def combine(history: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """History and current month together; the current-month file wins on shared dates."""
    merged = pd.concat([history, current])
    return merged[~merged.index.duplicated(keep="last")].sort_index()


def _header_row(rows: list[list[str]], origin: str) -> int:
    for position, row in enumerate(rows[:10]):
        if row and row[0].strip().lstrip("\ufeff") == DATE_HEADER:
            return position
    raise SourceError(
        f"{origin}: no header line starting with {DATE_HEADER!r} in the first 10 lines; "
        "is this the MOF 国債金利情報 CSV (Shift_JIS)?"
    )


def _tenor_columns(header: list[str], origin: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, label in enumerate(header[1:], start=1):
        match = _TENOR_HEADER.match(label.strip())
        if match:
            columns[f"{int(match.group(1))}Y"] = position
    if not columns:
        raise SourceError(f"{origin}: header {header!r} names no tenor columns like '10年'")
    return columns


def _yield(row: list[str], position: int, origin: str, line_no: int) -> float:
    text = row[position].strip() if position < len(row) else ""
    if text in _MISSING:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise SourceError(
            f"{origin} line {line_no}: yield {text!r} is neither a number nor '-'"
        ) from None


def _check_tenor(source_id: str) -> str:
    tenor = source_id.strip().upper() if isinstance(source_id, str) else ""
    if tenor not in TENORS:
        raise SourceError(f"unknown MOF tenor {source_id!r}; valid tenors are {list(TENORS)}")
    return tenor
