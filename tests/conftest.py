"""Shared fixtures: the real snapshot, a cache filled from it once per session, no network."""

from __future__ import annotations

import csv
import socket
import warnings
from pathlib import Path

import pytest
import responses

from plumbing.cache import SeriesCache
from plumbing.catalog import load_catalog
from plumbing.panel import Loader
from plumbing.sources.snapshot import SnapshotSource
from plumbing.sync import sync

_real_connect = socket.socket.connect


def _guarded_connect(self, address):  # pragma: no cover - only trips on a leaking test
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1") or "/" in host):
        return _real_connect(self, address)
    raise OSError(f"network access in tests is forbidden (tried {address!r})")


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Any test that tries to reach a non-loopback address fails loudly."""
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(scope="session")
def snapshot() -> SnapshotSource:
    source = SnapshotSource()
    assert source.root.is_dir(), f"the snapshot is required for the tests: {source.root} (set PLUMBING_SNAPSHOT)"
    return source


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory, snapshot, catalog) -> SeriesCache:
    """A cache filled from the real snapshot, offline, shared by read-only tests."""
    cache = SeriesCache(tmp_path_factory.mktemp("cache"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcomes = sync(offline=True, catalog=catalog, cache=cache, snapshot=snapshot, progress=False)
    assert all(o.served_by == "snapshot" for o in outcomes), [o for o in outcomes if o.served_by != "snapshot"]
    return cache


@pytest.fixture(scope="session")
def loader(warm_cache, snapshot, catalog) -> Loader:
    return Loader(catalog=catalog, cache=warm_cache, snapshot=snapshot)


def raw_value(snapshot: SnapshotSource, file: str, date: str, column: str | None = None) -> float:
    """A value read straight from a snapshot CSV with the csv module (no project code)."""
    with open(snapshot.path(file), newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        name = column or reader.fieldnames[1]
        for row in reader:
            if row[reader.fieldnames[0]] == date:
                return float(row[name])
    raise AssertionError(f"{date} not in {file}")


@pytest.fixture(scope="session")
def raw():
    return raw_value


@pytest.fixture
def fresh_cache(tmp_path) -> SeriesCache:
    return SeriesCache(Path(tmp_path) / "cache")


@pytest.fixture
def mocked():
    """HTTP mocked with ``responses``: any request not registered fails (no network)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture(scope="session")
def coverage(snapshot):
    """``coverage(file)`` -> (first_date, last_date, rows) as the snapshot's manifests state them.

    Tests that assert where a series starts or stops read it here (or from the data), never
    from a hard-coded date, so a newer snapshot does not break them.
    """
    rows = {}
    for name in ("MANIFEST.csv", "MARKET_MANIFEST.csv"):
        with open(snapshot.path(name), newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows[row["file"]] = (row["first_date"], row["last_date"], int(row["rows"]))

    def lookup(file: str) -> tuple[str, str, int]:
        return rows[file]

    return lookup
