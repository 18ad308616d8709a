"""The one small interface every data source implements.

A source turns a publisher's response into a ``pandas.Series``:

- index: ``DatetimeIndex`` named ``date`` (observation dates, tz-naive, sorted, unique);
- values: ``float64`` in the publisher's **native unit** (conversion to the common unit
  happens once, in :mod:`plumbing.catalog`), name = the source id;
- rows only for published observations: missing values ("." on FRED, "-" at MOF, empty
  cells) are dropped, never filled.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd


class SourceError(RuntimeError):
    """A source could not deliver a series (bad response, unknown id, parse failure)."""


class SourceUnavailable(SourceError):
    """The publisher could not be reached (no network, DNS failure, timeout, HTTP 5xx)."""


class SourceEmpty(SourceError):
    """The publisher answered but returned no observations."""


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

    Duplicate dates keep the last value (publishers list revisions after originals).
    """
    series = pd.to_numeric(values, errors="coerce").astype("float64")
    series.index = pd.DatetimeIndex(pd.to_datetime(series.index), name="date").tz_localize(None)
    series = series[~series.index.isna()]
    series = series[~series.index.duplicated(keep="last")].sort_index().dropna()
    series.name = name
    return series
