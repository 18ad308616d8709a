"""MOF JGB par-yield source: Japanese era dates, Shift_JIS CSVs, history + current month.

All HTTP goes through ``responses``; the fixture files are Shift_JIS with CRLF like the real ones.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import responses

from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable
from plumbing.sources.mof import (
    CURRENT_MONTH_URL,
    HISTORY_URL,
    TENORS,
    MofSource,
    combine,
    parse_japanese_era_date,
    parse_jgbcm_csv,
)

FIXTURES = Path(__file__).parent / "fixtures" / "mof"



def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def serve_both(mocked: responses.RequestsMock) -> None:
    mocked.get(HISTORY_URL, body=raw("jgbcm_all.csv"), content_type="text/csv")
    mocked.get(CURRENT_MONTH_URL, body=raw("jgbcm.csv"), content_type="text/csv")


# --- era dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("S49.9.24", "1974-09-24"),  # first row of jgbcm_all.csv
        ("H31.4.26", "2019-04-26"),  # last Heisei trading day
        ("R1.5.7", "2019-05-07"),  # first Reiwa trading day (year 1 = 2019)
        ("R7.11.4", "2025-11-04"),
        ("T15.12.24", "1926-12-24"),
        ("M45.7.29", "1912-07-29"),
        (" R7.1.6 ", "2025-01-06"),
    ],
)
def test_parse_japanese_era_date(text: str, expected: str) -> None:
    assert parse_japanese_era_date(text) == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2025-11-04", "not a Japanese era date: '2025-11-04'"),
        ("X7.1.6", "unknown era 'X'"),
        ("R0.5.1", "era year must be 1 or more"),
        ("R7.13.1", "not a real date"),
        ("R7.2.30", "not a real date"),
        ("", "not a Japanese era date"),
        ("基準日", "not a Japanese era date"),
    ],
)
def test_parse_japanese_era_date_rejects_bad_input(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_japanese_era_date(text)


def test_parse_japanese_era_date_rejects_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse_japanese_era_date(None)  # type: ignore[arg-type]


# --- CSV parsing -------------------------------------------------------------------------


def test_fixtures_are_shift_jis_like_the_real_files() -> None:
    data = raw("jgbcm.csv")
    assert "基準日".encode("shift_jis") in data
    assert b"\r\n" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_parse_history_file() -> None:
    table = parse_jgbcm_csv(raw("jgbcm_all.csv").decode("cp932"))
    assert list(table.columns) == list(TENORS)
    assert table.index[0] == pd.Timestamp("1974-09-24")
    assert table.loc["1974-09-24", "1Y"] == 10.327
    assert pd.isna(table.loc["1974-09-24", "10Y"])  # "-": 10Y not issued in 1974
    assert table.loc["2019-04-26", "10Y"] == -0.045  # negative yields parse


def test_parse_current_month_skips_blank_and_notice_lines() -> None:
    table = parse_jgbcm_csv(raw("jgbcm.csv").decode("cp932"))
    assert list(table.index.strftime("%Y-%m-%d")) == ["2025-11-04", "2025-11-05", "2025-11-06"]
    assert table.dtypes.eq("float64").all()


def test_bad_date_in_a_data_row_is_an_error() -> None:
    text = raw("jgbcm.csv").decode("cp932").replace("R7.11.5,", "R7.11.50,")
    with pytest.raises(SourceError, match="line 4: 'R7.11.50' is not a real date"):
        parse_jgbcm_csv(text, "jgbcm.csv")


def test_wrong_file_is_an_error() -> None:
    with pytest.raises(SourceError, match="no header line starting with '基準日'"):
        parse_jgbcm_csv("<html><body>Not Found</body></html>\r\n")


def test_current_month_file_wins_on_shared_dates() -> None:
    history = pd.DataFrame({"2Y": [0.928, 0.93]}, index=pd.to_datetime(["2025-10-31", "2025-11-04"]))
    current = pd.DataFrame({"2Y": [0.945]}, index=pd.to_datetime(["2025-11-04"]))
    merged = combine(history, current)
    assert merged.loc["2025-11-04", "2Y"] == 0.945
    assert merged.index.is_monotonic_increasing and merged.index.is_unique


# --- fetch -------------------------------------------------------------------------------


def test_fetch_2y_and_10y_from_both_files(mocked: responses.RequestsMock) -> None:
    serve_both(mocked)
    source = MofSource()
    two = source.fetch("2Y")
    ten = source.fetch("10Y")

    for series, name in ((two, "2Y"), (ten, "10Y")):
        assert series.dtype == "float64"
        assert series.index.name == "date" and series.index.is_monotonic_increasing
        assert not series.isna().any()
        assert series.name == name
    assert two.loc["2025-11-04"] == 0.945  # R7.11.4, from the current-month file, percent
    assert ten.loc["2025-11-04"] == 1.684
    assert ten.loc["2025-10-31"] == 1.67  # from the history file
    assert two.loc["1974-09-24"] == 9.362
    assert pd.Timestamp("1974-09-24") not in ten.index  # "-" dropped, never filled
    assert len(two) == 8 and len(ten) == 7


def test_fetch_from_start(mocked: responses.RequestsMock) -> None:
    serve_both(mocked)
    series = MofSource().fetch("40y", start=pd.Timestamp("2025-11-01"))
    assert list(series.values) == [3.34, 3.34, 3.35]


def test_missing_current_month_file_falls_back_to_history(
    mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    mocked.get(HISTORY_URL, body=raw("jgbcm_all.csv"))
    mocked.get(CURRENT_MONTH_URL, status=404, body="Not Found")
    series = MofSource().fetch("10Y")
    assert series.index[-1] == pd.Timestamp("2025-10-31")
    assert "current-month file unusable" in caplog.text


def test_http_500_is_unavailable(mocked: responses.RequestsMock) -> None:
    mocked.get(HISTORY_URL, status=500)
    with pytest.raises(SourceUnavailable, match="www.mof.go.jp.*HTTP 500"):
        MofSource().fetch("10Y")
    assert len(mocked.calls) == 1


def test_nothing_since_start_is_source_empty(mocked: responses.RequestsMock) -> None:
    serve_both(mocked)
    with pytest.raises(SourceEmpty, match="10Y.*2030-01-01"):
        MofSource().fetch("10Y", start=pd.Timestamp("2030-01-01"))


def test_unknown_tenor_lists_the_valid_tenors() -> None:
    with pytest.raises(SourceError, match=r"unknown MOF tenor '11Y'.*'1Y'.*'40Y'"):
        MofSource().fetch("11Y")
