"""Yahoo Finance daily bars through ``yfinance``.

Source ids are Yahoo tickers (``SPY``, ``^GSPC``, ``JPY=X``, ``GC=F``, ...). ``fetch`` returns
one field of the daily bars (``Close`` by default; also ``Open``, ``High``, ``Low``,
``Adj Close``, ``Volume``), unadjusted (``auto_adjust=False``), in the instrument's own price
unit (USD per share for US equities and ETFs, index points for indexes, yen per dollar for
``JPY=X``, percent for ``^TNX``...; ``Volume`` in shares or contracts). One row per trading day,
dated by the exchange's local calendar date; days without a value are dropped.

What yfinance does that this module absorbs:

- ``download`` returns columns as a ``(Price, Ticker)`` MultiIndex (yfinance >= 0.2.48) or flat
  (older versions); both are read;
- ``download`` swallows errors and returns an EMPTY frame instead (unknown ticker, Yahoo
  refusing): that becomes ``SourceEmpty`` naming the ticker, or a retry when yfinance logged a
  rate-limit error;
- Yahoo rate limits (``YFRateLimitError``, "Too Many Requests", "Rate limited"): retried with
  exponential backoff (``base_delay * 2**attempt`` seconds, at most ``max_retries`` retries,
  each wait capped at ``max_delay``), then ``SourceUnavailable``;
- tz-aware indexes (intraday or older versions) become tz-naive dates (local calendar day).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import pandas as pd

from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable, tidy_series

log = logging.getLogger(__name__)

FIELDS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
_RATE_LIMIT_MARKERS = ("too many requests", "rate limited", "ratelimit", "rate limit")
_NETWORK_ERROR_NAMES = ("ConnectionError", "Timeout", "ReadTimeout", "ConnectTimeout", "SSLError")

DownloadFn = Callable[..., pd.DataFrame]


class YahooSource:
    """Yahoo Finance daily bars; see the module docstring for units and failure handling."""

    name = "yahoo"
    hosts = ("query1.finance.yahoo.com", "query2.finance.yahoo.com")

    def __init__(
        self,
        *,
        download: DownloadFn | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 3,
        base_delay: float = 2.0,
        max_delay: float = 60.0,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        if base_delay < 0:
            raise ValueError(f"base_delay must be >= 0 seconds, got {base_delay}")
        self._download = download
        self._sleep = sleep
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay

    def __repr__(self) -> str:
        return f"YahooSource(max_retries={self.max_retries}, base_delay={self.base_delay})"

    def fetch(
        self, source_id: str, start: pd.Timestamp | None = None, field: str = "Close"
    ) -> pd.Series:
        """Daily ``field`` of ticker ``source_id`` from ``start`` (all history if None).

        A bar dated today (UTC) is left out: until the session closes it is not a close.
        """
        ticker = _check_ticker(source_id)
        if field not in FIELDS:
            raise SourceError(f"unknown Yahoo field {field!r}; valid fields are {list(FIELDS)}")
        start_ts = pd.Timestamp(start).normalize() if start is not None else None
        frame = self._download_with_retries(ticker, start_ts)
        raw = select_field(frame, ticker, field)
        series = tidy_series(_naive_dates(raw), ticker)
        today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
        series = series[series.index < today]  # today's bar may still be open: not a close yet
        if start_ts is not None:
            series = series[series.index >= start_ts]
        if series.empty:
            raise SourceEmpty(f"Yahoo Finance returned no {field!r} values for ticker {ticker!r}")
        return series

    # --- download and retries ------------------------------------------------------------

    def _download_with_retries(self, ticker: str, start: pd.Timestamp | None) -> pd.DataFrame:
        kwargs = _download_kwargs(start)
        last_reason = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                delay = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
                log.warning(
                    "Yahoo rate limit for %s (%s); retry %d/%d in %.1f s",
                    ticker, last_reason, attempt, self.max_retries, delay,
                )
                self._sleep(delay)
            frame, last_reason = self._download_once(ticker, kwargs)
            if frame is not None:
                return frame
        raise SourceUnavailable(
            f"Yahoo Finance kept rate-limiting ticker {ticker!r} after {self.max_retries} "
            f"retries ({last_reason}); try again later"
        )

    def _download_once(
        self, ticker: str, kwargs: dict[str, Any]
    ) -> tuple[pd.DataFrame | None, str]:
        """One download: (frame, "") on an answer, (None, reason) on a rate limit."""
        download = self._download or _yfinance_download()
        failure: SourceError | None = None
        with _capture_yfinance_errors() as logged:
            try:
                frame = download(ticker, **kwargs)
            except Exception as exc:
                if _is_rate_limit(exc):
                    return None, f"{type(exc).__name__}: {exc}"
                failure = _translate_error(exc, ticker)
        if failure is not None:
            raise failure from None
        if frame is None or len(frame) == 0:
            limited = [message for message in logged if _mentions_rate_limit(message)]
            if limited:
                return None, limited[0]
            reason = f" (yfinance: {logged[0]})" if logged else ""
            raise SourceEmpty(
                f"Yahoo Finance returned no data for ticker {ticker!r}{reason}; check the ticker "
                "exists on finance.yahoo.com"
            )
        return frame, ""


def select_field(frame: pd.DataFrame, ticker: str, field: str) -> pd.Series:
    """Column ``field`` for ``ticker`` from a yfinance frame, MultiIndex or flat columns."""
    columns = frame.columns
    if not isinstance(columns, pd.MultiIndex):
        if field not in columns:
            raise SourceError(
                f"Yahoo data for {ticker!r} has no column {field!r}; columns are {list(columns)}"
            )
        column = frame[field]
        return column.iloc[:, 0] if isinstance(column, pd.DataFrame) else column
    for level in range(columns.nlevels):
        if field in columns.get_level_values(level):
            block = frame.xs(field, axis=1, level=level)
            break
    else:
        available = sorted({str(v) for lvl in range(columns.nlevels) for v in columns.get_level_values(lvl)})
        raise SourceError(
            f"Yahoo data for {ticker!r} has no field {field!r}; column labels are {available}"
        )
    if isinstance(block, pd.Series):
        return block
    if block.shape[1] == 1:
        return block.iloc[:, 0]
    matches = [c for c in block.columns if str(c).upper() == ticker.upper()]
    if not matches:
        raise SourceError(
            f"Yahoo data has {field!r} for tickers {list(block.columns)} but not {ticker!r}"
        )
    return block[matches[0]]


def _naive_dates(series: pd.Series) -> pd.Series:
    """Index as tz-naive calendar dates (the exchange's local date for tz-aware stamps)."""
    index = pd.DatetimeIndex(pd.to_datetime(series.index))
    if index.tz is not None:
        index = index.tz_localize(None)
    result = series.copy()
    result.index = index.normalize()
    return result


def _download_kwargs(start: pd.Timestamp | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "auto_adjust": False,
        "progress": False,
        "actions": False,
        "threads": False,
    }
    if start is not None:
        kwargs["start"] = start.strftime("%Y-%m-%d")
    else:
        kwargs["period"] = "max"  # without start/end yfinance would return only one month
    return kwargs


def _check_ticker(source_id: str) -> str:
    if not isinstance(source_id, str) or not source_id.strip() or any(c.isspace() for c in source_id.strip()):
        raise SourceError(
            f"invalid Yahoo ticker {source_id!r}: expected one symbol such as 'SPY', '^GSPC' or 'JPY=X'"
        )
    return source_id.strip().upper()


def _yfinance_download() -> DownloadFn:
    import yfinance

    return yfinance.download


def _is_rate_limit(exc: BaseException) -> bool:
    try:
        from yfinance.exceptions import YFRateLimitError
    except ImportError:  # pragma: no cover - very old yfinance
        YFRateLimitError = ()  # type: ignore[assignment,misc]
    if YFRateLimitError and isinstance(exc, YFRateLimitError):
        return True
    return _mentions_rate_limit(str(exc))


def _mentions_rate_limit(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in _RATE_LIMIT_MARKERS)


def _translate_error(exc: BaseException, ticker: str) -> SourceError:
    detail = f"{type(exc).__name__}: {exc}"
    names = {cls.__name__ for cls in type(exc).__mro__}
    if isinstance(exc, (ConnectionError, TimeoutError)) or names & set(_NETWORK_ERROR_NAMES):
        return SourceUnavailable(f"could not reach Yahoo Finance for {ticker!r}: {detail}")
    return SourceError(f"yfinance failed for {ticker!r}: {detail}")


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a broken log record must not break a download
            pass


@contextmanager
def _capture_yfinance_errors() -> Iterator[list[str]]:
    """Collect the error messages yfinance logs (download() reports failures only there)."""
    handler = _ListHandler()
    logger = logging.getLogger("yfinance")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
