"""Yahoo source: both yfinance column layouts, empty answers, rate-limit retries, time zones.

The ``download`` and ``sleep`` functions are injected, so nothing touches the network or waits.
Fixtures are the frames ``yfinance.download(..., auto_adjust=False)`` returns, written with
``DataFrame.to_csv``: ``(Price, Ticker)`` MultiIndex columns (yfinance >= 0.2.48) and the older
flat ``Date,Open,High,Low,Close,Adj Close,Volume`` layout.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from yfinance.exceptions import YFRateLimitError

from source_contract import assert_contract
from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable
from plumbing.sources.yahoo import YahooSource

FIXTURES = Path(__file__).parent / "fixtures" / "yahoo"


def multiindex_frame() -> pd.DataFrame:
    return pd.read_csv(
        FIXTURES / "GSPC_download_multiindex.csv", header=[0, 1], index_col=0, parse_dates=True
    )


def flat_frame() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "VIX_download_flat.csv", index_col=0, parse_dates=True)


class FakeDownload:
    """Replays a script of outcomes: a DataFrame is returned, an exception is raised."""

    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, ticker: str, **kwargs: Any) -> pd.DataFrame:
        self.calls.append((ticker, kwargs))
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if callable(outcome) and not isinstance(outcome, pd.DataFrame):
            outcome = outcome()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome.copy()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_source(download: FakeDownload, **kwargs: Any) -> tuple[YahooSource, Sleeps]:
    sleeps = Sleeps()
    return YahooSource(download=download, sleep=sleeps, **kwargs), sleeps




# --- layouts and fields ------------------------------------------------------------------


def test_multiindex_columns_close() -> None:
    download = FakeDownload(multiindex_frame())
    source, _ = make_source(download)
    series = source.fetch("^GSPC", start=pd.Timestamp("2025-10-30"))

    assert_contract(series, "^GSPC")
    assert series.loc["2025-10-31"] == pytest.approx(6840.200195)
    assert series.loc["2025-11-04"] == pytest.approx(6771.549805)  # S&P 500 -1.17% that day
    assert len(series) == 4
    ticker, kwargs = download.calls[0]
    assert ticker == "^GSPC"
    assert kwargs == {
        "auto_adjust": False, "progress": False, "actions": False, "threads": False,
        "start": "2025-10-30",
    }


def test_multiindex_other_fields() -> None:
    source, _ = make_source(FakeDownload(multiindex_frame()))
    assert source.fetch("^GSPC", field="Volume").loc["2025-10-31"] == 6398280000.0
    assert source.fetch("^GSPC", field="Adj Close").loc["2025-11-03"] == pytest.approx(6851.970215)
    assert source.fetch("^GSPC", field="Open").loc["2025-11-04"] == pytest.approx(6788.52002)


def test_flat_columns_of_older_yfinance() -> None:
    source, _ = make_source(FakeDownload(flat_frame()))
    series = source.fetch("^vix")  # tickers are upper-cased like yfinance does

    assert_contract(series, "^VIX")
    assert series.loc["2025-10-31"] == pytest.approx(17.440001)
    assert source.fetch("^VIX", field="High").loc["2025-11-04"] == pytest.approx(20.48)


def test_no_start_asks_for_full_history() -> None:
    download = FakeDownload(flat_frame())
    source, _ = make_source(download)
    source.fetch("^VIX")
    _, kwargs = download.calls[0]
    assert kwargs["period"] == "max" and "start" not in kwargs


def test_multiindex_with_several_tickers_picks_the_right_one() -> None:
    gspc = multiindex_frame()
    other = gspc.copy()
    other.columns = pd.MultiIndex.from_tuples(
        [(price, "SPY") for price, _ in gspc.columns], names=["Price", "Ticker"]
    )
    both = pd.concat([gspc, other * 0.1], axis=1)
    source, _ = make_source(FakeDownload(both))
    assert source.fetch("^GSPC").loc["2025-10-30"] == pytest.approx(6822.339844)
    assert source.fetch("SPY").loc["2025-10-30"] == pytest.approx(682.2339844)


def test_tz_aware_index_becomes_local_calendar_dates() -> None:
    frame = flat_frame()
    frame.index = frame.index.tz_localize("America/New_York")  # 00:00-04:00 / -05:00 stamps
    source, _ = make_source(FakeDownload(frame))
    series = source.fetch("^VIX")
    assert series.index.tz is None
    assert list(series.index.strftime("%Y-%m-%d")) == [
        "2025-10-30", "2025-10-31", "2025-11-03", "2025-11-04",
    ]


def test_missing_values_are_dropped() -> None:
    frame = flat_frame()
    frame.loc[pd.Timestamp("2025-11-03"), "Close"] = np.nan
    source, _ = make_source(FakeDownload(frame))
    series = source.fetch("^VIX")
    assert pd.Timestamp("2025-11-03") not in series.index
    assert len(series) == 3


def test_unknown_field_is_rejected() -> None:
    source, _ = make_source(FakeDownload(flat_frame()))
    with pytest.raises(SourceError, match=r"unknown Yahoo field 'Price'.*'Adj Close'"):
        source.fetch("^VIX", field="Price")


# --- empty answers and errors ------------------------------------------------------------


def test_empty_frame_is_source_empty_naming_the_ticker() -> None:
    empty = pd.DataFrame(
        columns=pd.MultiIndex.from_product(
            [["Adj Close", "Close", "High", "Low", "Open", "Volume"], ["NOSUCHTICKER"]],
            names=["Price", "Ticker"],
        ),
        index=pd.DatetimeIndex([], name="Date"),
    )
    source, sleeps = make_source(FakeDownload(empty))
    with pytest.raises(SourceEmpty, match="'NOSUCHTICKER'"):
        source.fetch("NOSUCHTICKER")
    assert sleeps == []  # an empty answer that is not a rate limit is not retried


def test_all_nan_values_are_source_empty() -> None:
    frame = flat_frame()
    frame["Close"] = np.nan
    source, _ = make_source(FakeDownload(frame))
    with pytest.raises(SourceEmpty, match="'\\^VIX'"):
        source.fetch("^VIX")


def test_connection_error_is_unavailable() -> None:
    source, _ = make_source(FakeDownload(ConnectionError("Failed to resolve query1.finance.yahoo.com")))
    with pytest.raises(SourceUnavailable, match="could not reach Yahoo"):
        source.fetch("SPY")


def test_other_errors_are_source_errors_without_retry() -> None:
    source, sleeps = make_source(FakeDownload(KeyError("chart")))
    with pytest.raises(SourceError, match="yfinance failed for 'SPY'"):
        source.fetch("SPY")
    assert sleeps == []


# --- rate limits -------------------------------------------------------------------------


def test_rate_limit_retried_then_success() -> None:
    download = FakeDownload(YFRateLimitError(), YFRateLimitError(), multiindex_frame())
    source, sleeps = make_source(download)
    series = source.fetch("^GSPC")
    assert series.loc["2025-10-31"] == pytest.approx(6840.200195)
    assert len(download.calls) == 3
    assert sleeps == [2.0, 4.0]  # base 2 s, doubled


def test_rate_limit_message_without_the_exception_class_is_retried() -> None:
    download = FakeDownload(
        RuntimeError("429 Client Error: Too Many Requests for url: https://query2.finance.yahoo.com/"),
        flat_frame(),
    )
    source, sleeps = make_source(download)
    assert source.fetch("^VIX").loc["2025-10-30"] == pytest.approx(16.91)
    assert sleeps == [2.0]


def test_empty_frame_with_logged_rate_limit_is_retried() -> None:
    """yfinance.download() swallows the error, logs it, and returns an empty frame."""

    def swallowed() -> pd.DataFrame:
        logging.getLogger("yfinance").error(
            "['SPY']: YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')"
        )
        return pd.DataFrame()

    download = FakeDownload(swallowed, flat_frame())
    source, sleeps = make_source(download)
    assert len(source.fetch("SPY")) == 4
    assert sleeps == [2.0]


def test_rate_limit_exhausts_retries_then_unavailable() -> None:
    download = FakeDownload(YFRateLimitError())
    source, sleeps = make_source(download)
    with pytest.raises(SourceUnavailable, match="rate-limiting ticker 'SPY' after 3 retries"):
        source.fetch("SPY")
    assert len(download.calls) == 4  # the first try and 3 retries
    assert sleeps == [2.0, 4.0, 8.0]


def test_backoff_is_configurable_and_capped() -> None:
    download = FakeDownload(YFRateLimitError())
    source, sleeps = make_source(download, max_retries=5, base_delay=1.5, max_delay=5.0)
    with pytest.raises(SourceUnavailable):
        source.fetch("SPY")
    assert sleeps == [1.5, 3.0, 5.0, 5.0, 5.0]
    assert len(download.calls) == 6


def test_default_download_is_yfinance_download(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDownload(flat_frame())
    monkeypatch.setattr("yfinance.download", fake)
    series = YahooSource(sleep=Sleeps()).fetch("^VIX")
    assert len(fake.calls) == 1 and len(series) == 4
