"""Live data sources, one per publisher, all implementing :class:`LiveSource`.

=============  ======================================  =====================================
name           class                                   what it serves
=============  ======================================  =====================================
``fred``       :class:`~.fred.FredSource`              FRED series, FRED's native units
``yahoo``      :class:`~.yahoo.YahooSource`            Yahoo Finance daily bars (yfinance)
``nyfed``      :class:`~.nyfed.NyFedSource`            NY Fed repo/RRP take-up (USD), SOFR
``treasury``   :class:`~.treasury.TreasurySource`      DTS TGA closing balance (USD millions)
``mof``        :class:`~.mof.MofSource`                JGB par yields by tenor (percent)
=============  ======================================  =====================================
"""

from __future__ import annotations

from plumbing.sources.base import (
    LiveSource,
    SourceEmpty,
    SourceError,
    SourceUnavailable,
    tidy_series,
)
from plumbing.sources.fred import FredSource
from plumbing.sources.http import reachable
from plumbing.sources.mof import MofSource, parse_japanese_era_date
from plumbing.sources.nyfed import NyFedSource
from plumbing.sources.treasury import TreasurySource
from plumbing.sources.yahoo import YahooSource

#: source name (as used in the catalog) -> class
LIVE_SOURCES: dict[str, type] = {
    FredSource.name: FredSource,
    YahooSource.name: YahooSource,
    NyFedSource.name: NyFedSource,
    TreasurySource.name: TreasurySource,
    MofSource.name: MofSource,
}

__all__ = [
    "LIVE_SOURCES",
    "FredSource",
    "LiveSource",
    "MofSource",
    "NyFedSource",
    "SourceEmpty",
    "SourceError",
    "SourceUnavailable",
    "TreasurySource",
    "YahooSource",
    "parse_japanese_era_date",
    "reachable",
    "tidy_series",
]
