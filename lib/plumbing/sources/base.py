"""The one small interface every data source implements.

A source turns a publisher's response into a ``pandas.Series``:

- index: ``DatetimeIndex`` named ``date`` (observation dates, tz-naive, sorted, unique);
- values: ``float64`` in the publisher's **native unit** (conversion to the common unit
  happens once, in :mod:`plumbing.catalog`), name = the source id;
- rows only for published observations: missing values ("." on FRED, "-" at MOF, empty
  cells) are dropped, never filled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

#: cells that mean "no observation" ("." at FRED, "-" at MOF, empty anywhere); dropped, never errors
MISSING_MARKERS = frozenset({"", ".", "-", "NA", "N/A", "NaN", "nan", "null"})
#: the dates an observation may carry (YYYY-MM-DD, inclusive); outside is a typo, never data
DATE_RANGE = ("1800-01-01", "2200-12-31")


class SourceError(RuntimeError):
    """A source could not deliver a series (bad response, unknown id, parse failure)."""


class SourceUnavailable(SourceError):
    """The publisher could not be reached (no network, DNS failure, timeout, HTTP 5xx)."""


class SourceEmpty(SourceError):
    """The publisher answered but returned no observations."""


class InvalidData(SourceError):
    """A bad date, a non-numeric value or a date listed twice with different values; the message says where."""


class LiveSource(Protocol):
    """A publisher reachable over the network."""

    #: short name used in the catalog (``fred``, ``yahoo``, ``nyfed``, ``treasury``, ``mof``)
    name: str
    #: host names the source talks to, used for a quick reachability probe
    hosts: tuple[str, ...]

    def fetch(self, source_id: str, start: pd.Timestamp | None = None) -> pd.Series:
        """Return the series ``source_id`` in native units from ``start`` (all history if None)."""
        ...


def tidy_series(values: pd.Series, name: str) -> pd.Series:
    """Normalise a parsed series to the contract above: float, sorted, unique dates, no NaN.

    Missing values (NaN, None or a :data:`MISSING_MARKERS` cell) are dropped. A date that
    does not parse, any other non-numeric value, or a date listed twice with different values
    raises :class:`InvalidData` naming the series and the date; a date listed twice with the
    same value is kept once.
    """
    dates = pd.to_datetime(pd.Index(values.index), errors="coerce")
    if dates.isna().any():
        bad = values.index[np.flatnonzero(dates.isna())[0]]
        raise InvalidData(f"{name}: {bad!r} is not a date")
    outside = (dates < pd.Timestamp(DATE_RANGE[0])) | (dates > pd.Timestamp(DATE_RANGE[1]))
    if outside.any():
        raise InvalidData(f"{name}: {dates[outside][0].date()} is outside {DATE_RANGE[0]}..{DATE_RANGE[1]}")
    numbers = pd.Series(pd.to_numeric(values.to_numpy(), errors="coerce"), index=dates, dtype="float64")
    if not pd.api.types.is_numeric_dtype(values.dtype):
        text = values.astype(str).str.strip().to_numpy()
        missing = values.isna().to_numpy() | np.isin(text, list(MISSING_MARKERS))
        bad = np.flatnonzero(numbers.isna().to_numpy() & ~missing)
        if bad.size:
            raise InvalidData(f"{name}: the value on {dates[bad[0]].date()} is {values.iloc[bad[0]]!r}, not a number"
                              + (f" ({bad.size - 1} more such values)" if bad.size > 1 else ""))
    series = numbers.dropna()
    series.index = pd.DatetimeIndex(series.index, name="date").tz_localize(None)
    series = _without_duplicates(series, name)
    series.name = name
    return series.sort_index()


def _without_duplicates(series: pd.Series, name: str) -> pd.Series:
    """``series`` with exact repeats dropped; :class:`InvalidData` for a date with different values."""
    repeated = series.index.duplicated(keep=False)
    if not repeated.any():
        return series
    spread = series[repeated].groupby(level=0).agg(["min", "max"])
    conflicts = spread[spread["max"] - spread["min"] > 0]
    if not conflicts.empty:
        day = conflicts.index[0]
        raise InvalidData(f"{name}: {day.date()} is listed more than once with different values "
                          f"({conflicts.loc[day, 'min']:g} and {conflicts.loc[day, 'max']:g})")
    return series[~series.index.duplicated(keep="first")]


def parse_observations(dates: Sequence[str], values: Sequence[str], origin: str, column: str,
                       first_line: int = 2) -> pd.Series:
    """Validated observations (native unit) from the text cells of a CSV's date and value columns.

    Row ``i`` is line ``first_line + i`` of ``origin`` (a file name). Dates are ``YYYY-MM-DD``;
    :data:`MISSING_MARKERS` cells and blank lines are dropped. A bad date (or one outside
    :data:`DATE_RANGE`), a cell that is not a
    finite number, or a date listed twice with different values raises :class:`InvalidData`
    naming ``origin``, the line and the cell; a date listed twice with one value is kept once.
    """
    date_text = pd.Series(dates, dtype="object").fillna("").astype(str).str.strip()
    value_text = pd.Series(values, dtype="object").fillna("").astype(str).str.strip()
    missing = value_text.isin(MISSING_MARKERS).to_numpy()
    blank = (date_text == "").to_numpy() & missing
    dated = date_text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy()
    _raise_first(dated & ((date_text < DATE_RANGE[0]) | (date_text > DATE_RANGE[1])).to_numpy(), date_text, origin,
                 first_line, f"date {{cell!r}} is outside {DATE_RANGE[0]}..{DATE_RANGE[1]}")
    parsed = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce")
    _raise_first(parsed.isna().to_numpy() & ~blank, date_text, origin, first_line,
                 "date {cell!r} is not a YYYY-MM-DD date")
    numbers = pd.to_numeric(value_text.where(~missing), errors="coerce").to_numpy(dtype="float64")
    _raise_first(~np.isfinite(numbers) & ~missing, value_text, origin, first_line,
                 f"column {column!r}: {{cell!r}} is not a number")
    keep = ~missing & ~blank
    lines = np.flatnonzero(keep) + first_line
    series = pd.Series(numbers[keep], index=pd.DatetimeIndex(parsed[keep], name="date"), name=column)
    repeated = series.index.duplicated(keep=False)
    if repeated.any():
        _raise_conflicting_repeats(series[repeated], lines[repeated], origin)
        series = series[~series.index.duplicated(keep="first")]
    return series.sort_index()


def _raise_first(bad: np.ndarray, cells: pd.Series, origin: str, first_line: int, template: str) -> None:
    """:class:`InvalidData` for the first True of ``bad``: origin, line and cell (and how many more)."""
    where = np.flatnonzero(bad)
    if where.size:
        more = f" ({where.size - 1} more such lines)" if where.size > 1 else ""
        message = template.format(cell=cells.iloc[where[0]])
        raise InvalidData(f"{origin} line {where[0] + first_line}: {message}{more}")


def _raise_conflicting_repeats(repeats: pd.Series, lines: np.ndarray, origin: str) -> None:
    """:class:`InvalidData` naming the lines of the first date listed with different values."""
    for day in repeats.index.unique():
        at = repeats.index == day
        if repeats[at].nunique() > 1:
            listed = ", ".join(str(n) for n in lines[at])
            values = ", ".join(f"{v:g}" for v in repeats[at])
            raise InvalidData(f"{origin} lines {listed}: {day.date()} is listed more than once with "
                              f"different values ({values}); keep one")
