"""FRED source: keyless fredgraph.csv, keyed fredapi path, key secrecy; plus the shared HTTP helper.

No test touches the network: requests go through ``responses`` (unmocked URLs raise) and
fredapi's ``urlopen`` is replaced.
"""

from __future__ import annotations

import io
import logging
import socket
import traceback
import urllib.error
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses
from responses import matchers

from source_contract import assert_contract
from plumbing import sources
from plumbing.sources import http
from plumbing.sources.base import SourceEmpty, SourceError, SourceUnavailable
from plumbing.sources.fred import FREDGRAPH_URL, FredSource, parse_fredgraph_csv

FIXTURES = Path(__file__).parent / "fixtures" / "fred"
FAKE_KEY = "abcd1234secretkey0000"
API_ROOT = "https://api.stlouisfed.org/fred"


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRED_API_KEY", raising=False)



def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


class FakeUrlopen:
    """Stands in for ``fredapi.fred.urlopen``: records URLs, returns a body or raises."""

    def __init__(self, body: bytes | None = None, error: BaseException | None = None) -> None:
        self.body = body
        self.error = error
        self.urls: list[str] = []

    def __call__(self, url: str) -> io.BytesIO:
        self.urls.append(url)
        if self.error is not None:
            raise self.error
        assert self.body is not None
        return io.BytesIO(self.body)


def install_urlopen(monkeypatch: pytest.MonkeyPatch, fake: FakeUrlopen) -> FakeUrlopen:
    monkeypatch.setattr("fredapi.fred.urlopen", fake)
    return fake




# --- keyless: fredgraph.csv --------------------------------------------------------------


def test_keyless_walcl_from_fredgraph_csv(mocked: responses.RequestsMock) -> None:
    mocked.get(
        FREDGRAPH_URL,
        body=fixture_text("WALCL_fredgraph.csv"),
        match=[matchers.query_param_matcher({"id": "WALCL"})],
    )
    series = FredSource().fetch("WALCL")

    assert_contract(series, "WALCL")
    # H.4.1 total assets, Wednesday level, millions of USD (6.587 trillion), not converted
    assert series.loc["2025-10-29"] == 6587034.0
    assert list(series.index.strftime("%Y-%m-%d")) == [
        "2025-10-15", "2025-10-22", "2025-10-29", "2025-11-05",
    ]


def test_keyless_start_is_sent_as_cosd(mocked: responses.RequestsMock) -> None:
    mocked.get(
        FREDGRAPH_URL,
        body=fixture_text("WALCL_fredgraph.csv"),
        match=[matchers.query_param_matcher({"id": "WALCL", "cosd": "2025-10-22"})],
    )
    series = FredSource().fetch("walcl", start=pd.Timestamp("2025-10-22"))
    assert series.index[0] == pd.Timestamp("2025-10-22")  # rows before start are not returned
    assert len(series) == 3


def test_keyless_missing_values_dropped_in_both_header_formats(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, body=fixture_text("DGS10_fredgraph.csv"))
    current = FredSource().fetch("DGS10")
    assert pd.Timestamp("2025-11-11") not in current.index  # empty cell (Veterans Day)
    assert current.loc["2025-11-12"] == 4.08

    legacy = parse_fredgraph_csv(fixture_text("DGS10_fredgraph_legacy_header.csv"), "DGS10")
    assert legacy.isna().sum() == 1  # the "." of Columbus Day is NaN before tidying ...
    mocked.replace(responses.GET, FREDGRAPH_URL, body=fixture_text("DGS10_fredgraph_legacy_header.csv"))
    tidy = FredSource().fetch("DGS10")
    assert pd.Timestamp("2025-10-13") not in tidy.index  # ... and dropped, never filled
    assert len(tidy) == 5
    assert tidy.loc["2025-10-14"] == 4.03


def test_keyless_http_500_is_unavailable(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, status=500, body="<html>Internal Server Error</html>")
    with pytest.raises(SourceUnavailable, match="HTTP 500"):
        FredSource().fetch("WALCL")
    assert len(mocked.calls) == 1


def test_keyless_unknown_series_404_is_source_error(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, status=404, body="Series not found")
    with pytest.raises(SourceError) as info:
        FredSource().fetch("NOSUCHSERIES")
    assert not isinstance(info.value, SourceUnavailable)
    assert "HTTP 404" in str(info.value) and "NOSUCHSERIES" in str(info.value)


def test_keyless_connection_error_is_unavailable(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, body=requests.ConnectionError("Name or service not known"))
    with pytest.raises(SourceUnavailable, match="could not reach"):
        FredSource().fetch("WALCL")


def test_keyless_only_missing_values_is_empty(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, body="observation_date,DGS10\n2025-10-13,.\n2025-11-11,\n")
    with pytest.raises(SourceEmpty, match="DGS10"):
        FredSource().fetch("DGS10")


def test_keyless_unexpected_body_is_source_error(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, body="<!DOCTYPE html><html><body>Maintenance</body></html>\n")
    with pytest.raises(SourceError, match="unexpected header"):
        FredSource().fetch("WALCL")


def test_non_numeric_value_is_an_error_not_a_gap() -> None:
    with pytest.raises(SourceError, match="'n/a'"):
        parse_fredgraph_csv("observation_date,WALCL\n2025-10-29,n/a\n", "WALCL")


def test_invalid_series_id_is_rejected_before_any_request() -> None:
    with pytest.raises(SourceError, match="invalid FRED series id 'WAL CL'"):
        FredSource().fetch("WAL CL")


# --- keyed: fredapi ----------------------------------------------------------------------


def test_api_key_path_uses_fredapi_and_parses_xml(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = install_urlopen(monkeypatch, FakeUrlopen((FIXTURES / "WALCL_observations.xml").read_bytes()))
    source = FredSource(api_key=FAKE_KEY)
    series = source.fetch("WALCL", start=pd.Timestamp("2025-10-15"))

    assert source.uses_api
    assert_contract(series, "WALCL")
    assert series.loc["2025-10-29"] == 6587034.0
    assert len(series) == 4
    (url,) = fake.urls
    assert url.startswith(f"{API_ROOT}/series/observations?series_id=WALCL")
    assert "observation_start=2025-10-15" in url
    assert url.endswith(f"&api_key={FAKE_KEY}")  # fredapi sends the key in the query


def test_api_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRED_API_KEY", FAKE_KEY)
    fake = install_urlopen(monkeypatch, FakeUrlopen((FIXTURES / "WALCL_observations.xml").read_bytes()))
    source = FredSource()
    assert source.uses_api
    assert source.fetch("WALCL").iloc[-1] == 6572732.0
    assert len(fake.urls) == 1


def test_api_dot_values_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    install_urlopen(monkeypatch, FakeUrlopen((FIXTURES / "DGS10_observations.xml").read_bytes()))
    series = FredSource(api_key=FAKE_KEY).fetch("DGS10")
    assert pd.Timestamp("2025-10-13") not in series.index
    assert series.loc["2025-10-10"] == 4.05
    assert len(series) == 5


def test_api_unknown_series_is_source_error(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"{API_ROOT}/series/observations?series_id=NOSUCH&api_key={FAKE_KEY}"
    body = (FIXTURES / "error_series_does_not_exist.xml").read_bytes()
    error = urllib.error.HTTPError(url, 400, "Bad Request", {}, io.BytesIO(body))
    install_urlopen(monkeypatch, FakeUrlopen(error=error))
    with pytest.raises(SourceError, match="series does not exist") as info:
        FredSource(api_key=FAKE_KEY).fetch("NOSUCH")
    assert not isinstance(info.value, SourceUnavailable)
    assert FAKE_KEY not in str(info.value)


def test_api_empty_observations_is_source_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8" ?>\n'
        b'<observations realtime_start="2025-11-07" realtime_end="2025-11-07" '
        b'observation_start="2030-01-01" observation_end="9999-12-31" units="lin" output_type="1" '
        b'file_type="xml" order_by="observation_date" sort_order="asc" count="0" offset="0" '
        b'limit="100000">\n</observations>\n'
    )
    install_urlopen(monkeypatch, FakeUrlopen(body))
    with pytest.raises(SourceEmpty, match="WALCL"):
        FredSource(api_key=FAKE_KEY).fetch("WALCL", start=pd.Timestamp("2030-01-01"))


# --- the key never leaks -----------------------------------------------------------------


def _leak_free(exc: BaseException, caplog: pytest.LogCaptureFixture, source: FredSource) -> None:
    rendered = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for text in (str(exc), repr(exc), rendered, caplog.text, repr(source), str(source)):
        assert FAKE_KEY not in text
    assert exc.__cause__ is None
    assert exc.__context__ is None  # the original error (holding the URL) is not chained


@pytest.mark.parametrize(
    "error, expected",
    [
        (
            urllib.error.URLError(
                "[Errno -3] Temporary failure in name resolution while opening "
                f"{API_ROOT}/series/observations?series_id=WALCL&api_key={FAKE_KEY}"
            ),
            SourceUnavailable,
        ),
        (
            urllib.error.HTTPError(
                f"{API_ROOT}/series/observations?series_id=WALCL&api_key={FAKE_KEY}",
                500,
                f"Internal Server Error for api_key={FAKE_KEY}",
                {},
                io.BytesIO(b"<html><body>500 Internal Server Error</body></html>"),
            ),
            SourceUnavailable,
        ),
        (TimeoutError(f"timed out reading .../observations?series_id=WALCL&api_key={FAKE_KEY}"), SourceUnavailable),
        (RuntimeError(f"unexpected failure for key {FAKE_KEY}"), SourceError),
    ],
    ids=["urlerror-with-url", "http-500-html-body", "timeout", "other-error-with-bare-key"],
)
def test_key_never_appears_in_errors_logs_or_repr(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    error: BaseException,
    expected: type[SourceError],
) -> None:
    caplog.set_level(logging.DEBUG)
    install_urlopen(monkeypatch, FakeUrlopen(error=error))
    source = FredSource(api_key=FAKE_KEY)
    with pytest.raises(expected) as info:
        source.fetch("WALCL")
    _leak_free(info.value, caplog, source)
    assert "***" in str(info.value) or "HTTP 500" in str(info.value)


def test_repr_never_shows_the_key() -> None:
    source = FredSource(api_key=FAKE_KEY)
    assert FAKE_KEY not in repr(source)
    assert FAKE_KEY not in str(source)
    assert "hidden" in repr(source)


# --- shared HTTP helper ------------------------------------------------------------------


def test_http_get_redacts_api_key_in_5xx_and_4xx_messages(mocked: responses.RequestsMock) -> None:
    url = f"{API_ROOT}/series/observations"
    mocked.get(url, status=503)
    with pytest.raises(SourceUnavailable) as unavailable:
        http.get(url, {"series_id": "WALCL", "api_key": FAKE_KEY})
    assert "api_key=***" in str(unavailable.value) and FAKE_KEY not in str(unavailable.value)
    assert "api.stlouisfed.org" in str(unavailable.value)

    mocked.replace(responses.GET, url, status=400, body=f"bad key {FAKE_KEY}")
    with pytest.raises(SourceError) as refused:
        http.get(url, {"series_id": "WALCL", "api_key": FAKE_KEY})
    assert not isinstance(refused.value, SourceUnavailable)
    assert FAKE_KEY not in str(refused.value) and "HTTP 400" in str(refused.value)


def test_http_get_timeout_is_unavailable_and_redacted(mocked: responses.RequestsMock) -> None:
    url = f"{API_ROOT}/series/observations"
    mocked.get(url, body=requests.ReadTimeout(f"read timed out for ?api_key={FAKE_KEY}"))
    with pytest.raises(SourceUnavailable) as info:
        http.get(url, {"api_key": FAKE_KEY})
    assert FAKE_KEY not in str(info.value)
    assert info.value.__context__ is None


def test_http_429_is_unavailable(mocked: responses.RequestsMock) -> None:
    mocked.get(FREDGRAPH_URL, status=429)
    with pytest.raises(SourceUnavailable, match="HTTP 429"):
        http.get(FREDGRAPH_URL, {"id": "WALCL"})


def test_redact_replaces_query_parameter_and_bare_secret() -> None:
    text = f"GET https://x/y?series_id=A&api_key={FAKE_KEY}&file_type=xml failed ({FAKE_KEY})"
    cleaned = http.redact(text, FAKE_KEY)
    assert FAKE_KEY not in cleaned
    assert "api_key=***&file_type=xml" in cleaned


def test_reachable_probes_a_local_socket() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        assert http.reachable("127.0.0.1", port, timeout=1.0) is True
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        free_port = closed.getsockname()[1]
    assert http.reachable("127.0.0.1", free_port, timeout=1.0) is False


def test_package_exports_every_live_source() -> None:
    assert set(sources.LIVE_SOURCES) == {"fred", "yahoo", "nyfed", "treasury", "mof"}
    for name, cls in sources.LIVE_SOURCES.items():
        assert cls.name == name
        assert cls.hosts and all(isinstance(host, str) for host in cls.hosts)
    assert sources.SourceUnavailable is SourceUnavailable
