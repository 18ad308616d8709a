"""Sync: live first where reachable, the snapshot otherwise, and nothing cached is lost."""

import logging
import warnings

import pandas as pd
import pytest

from plumbing.sources.base import SourceEmpty, SourceUnavailable
from plumbing.sync import sync


class FakeLive:
    """Stands in for a publisher client: returns given series or raises given errors."""

    def __init__(self, name, responses):
        self.name, self.hosts, self.responses, self.calls = name, (f"{name}.example",), responses, []

    def fetch(self, source_id, start=None):
        self.calls.append(source_id)
        answer = self.responses[source_id]
        if isinstance(answer, Exception):
            raise answer
        return answer


def run(keys, cache, snapshot, catalog, live=None, reachable=lambda s: True):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {o.key: o for o in sync(keys, offline=live is None, catalog=catalog, cache=cache,
                                       snapshot=snapshot, live_sources=live, reachable=reachable, progress=False)}


def test_offline_sync_imports_from_the_snapshot_then_reports_unchanged(fresh_cache, snapshot, catalog):
    first = run(["sofr", "fed_assets"], fresh_cache, snapshot, catalog)
    assert {o.served_by for o in first.values()} == {"snapshot"}
    assert first["sofr"].added == first["sofr"].rows > 2000
    again = run(["sofr", "fed_assets"], fresh_cache, snapshot, catalog)
    assert again["sofr"].detail == "snapshot file unchanged" and again["sofr"].added == 0


def test_live_source_serves_and_merges_over_the_snapshot_seed(fresh_cache, snapshot, catalog):
    # FRED now serves HY OAS for 3 years only: the live refresh must not cut the older history
    live_window = snapshot.read("fred/BAMLH0A0HYM2.csv").loc["2023-07-24":]
    fred = FakeLive("fred", {"BAMLH0A0HYM2": live_window.iloc[:-1]})
    outcome = run(["hy_oas"], fresh_cache, snapshot, catalog, live={"fred": fred})["hy_oas"]
    assert outcome.served_by == "fred" and fred.calls == ["BAMLH0A0HYM2"]
    cached = fresh_cache.read("hy_oas")
    assert cached.index.min() == pd.Timestamp("1996-12-31")
    assert cached.loc["2020-03-23"] == 1087.0  # cached in common units (bp)
    assert fresh_cache.metadata("hy_oas").source == "fred"


def test_live_revisions_are_counted(fresh_cache, snapshot, catalog):
    walcl = snapshot.read("fred/WALCL.csv")
    revised = walcl.copy()
    revised.iloc[-1] += 1.0
    outcome = run(["fed_assets"], fresh_cache, snapshot, catalog, live={"fred": FakeLive("fred", {"WALCL": revised})})["fed_assets"]
    assert (outcome.served_by, outcome.revised, outcome.added) == ("fred", 1, 0)


@pytest.mark.parametrize("error", [SourceUnavailable("connection refused"), SourceEmpty("no rows")])
def test_a_failing_live_source_falls_back_and_keeps_the_cache(fresh_cache, snapshot, catalog, error):
    run(["on_rrp"], fresh_cache, snapshot, catalog)
    before = fresh_cache.data_path("on_rrp").read_bytes()
    outcome = run(["on_rrp"], fresh_cache, snapshot, catalog, live={"fred": FakeLive("fred", {"RRPONTSYD": error})})["on_rrp"]
    assert outcome.served_by == "snapshot" and "fred failed" in outcome.detail
    assert fresh_cache.data_path("on_rrp").read_bytes() == before


def test_an_unreachable_publisher_is_not_called(fresh_cache, snapshot, catalog):
    fred = FakeLive("fred", {})
    outcome = run(["sofr"], fresh_cache, snapshot, catalog, live={"fred": fred}, reachable=lambda s: False)["sofr"]
    assert outcome.served_by == "snapshot" and "unreachable" in outcome.detail and fred.calls == []


def test_a_live_download_is_not_rolled_back_by_the_snapshot(fresh_cache, snapshot, catalog):
    newer = snapshot.read("fred/SOFR.csv")
    newer.loc[pd.Timestamp("2026-08-21")] = 4.0
    run(["sofr"], fresh_cache, snapshot, catalog, live={"fred": FakeLive("fred", {"SOFR": newer})})
    offline = run(["sofr"], fresh_cache, snapshot, catalog)["sofr"]
    assert offline.served_by == "cache" and "not re-imported" in offline.detail
    assert fresh_cache.read("sofr").index.max() == pd.Timestamp("2026-08-21")


def test_the_fred_key_never_reaches_logs_outcomes_or_files(fresh_cache, snapshot, catalog, monkeypatch, caplog):
    key = "abcd1234secretkey0000"
    monkeypatch.setenv("FRED_API_KEY", key)
    from plumbing.sources.fred import FredSource

    def leaking_urlopen(url, *args, **kwargs):
        raise OSError(f"<urlopen error [Errno -3] Temporary failure in name resolution> {url}")

    monkeypatch.setattr("fredapi.fred.urlopen", leaking_urlopen)
    with caplog.at_level(logging.DEBUG):
        outcome = run(["sofr"], fresh_cache, snapshot, catalog, live={"fred": FredSource()})["sofr"]
    assert outcome.served_by == "snapshot"
    assert key not in outcome.detail and key not in caplog.text
    for path in fresh_cache.root.rglob("*"):
        assert key.encode() not in path.read_bytes(), path


def test_a_live_source_in_another_unit_is_converted_before_it_meets_the_snapshot(fresh_cache, snapshot, catalog):
    # the NY Fed Markets API reports repo take-up in US dollars; the snapshot file in billions
    dollars = pd.Series([50_350_000_000.0, 22_000_000_000.0], index=pd.to_datetime(["2025-10-31", "2025-11-03"]))
    nyfed = FakeLive("nyfed", {"repo_accepted": dollars})
    outcome = run(["repo_take_up"], fresh_cache, snapshot, catalog, live={"nyfed": nyfed})["repo_take_up"]
    assert outcome.served_by == "nyfed" and outcome.revised == 0  # same values as the snapshot, once converted
    cached = fresh_cache.read("repo_take_up")
    assert cached.loc["2025-10-31"] == pytest.approx(50.35)
    assert cached.index.min() == pd.Timestamp("2002-01-02")  # snapshot history kept


def test_a_refresh_in_the_wrong_unit_is_refused_and_the_cache_kept(fresh_cache, snapshot, catalog):
    run(["fed_assets"], fresh_cache, snapshot, catalog)
    before = fresh_cache.data_path("fed_assets").read_bytes()
    in_billions = snapshot.read("fred/WALCL.csv") / 1000  # as if FRED switched WALCL to billions
    outcome = run(["fed_assets"], fresh_cache, snapshot, catalog, live={"fred": FakeLive("fred", {"WALCL": in_billions})})["fed_assets"]
    assert outcome.served_by == "snapshot" and "times the cached values" in outcome.detail
    assert fresh_cache.data_path("fed_assets").read_bytes() == before


def test_a_live_source_fills_an_empty_cache_without_a_snapshot(fresh_cache, catalog, tmp_path, snapshot):
    from plumbing.sources.snapshot import SnapshotSource

    live = snapshot.read("fred/SOFR.csv")
    missing = SnapshotSource(tmp_path / "no-snapshot-here")
    outcome = run(["sofr"], fresh_cache, missing, catalog, live={"fred": FakeLive("fred", {"SOFR": live})})["sofr"]
    assert outcome.served_by == "fred" and fresh_cache.read("sofr").loc["2025-10-31"] == 4.22


def test_a_cached_live_download_not_refreshed_now_is_served_by_the_cache(fresh_cache, snapshot, catalog):
    run(["sofr"], fresh_cache, snapshot, catalog, live={"fred": FakeLive("fred", {"SOFR": snapshot.read("fred/SOFR.csv")})})
    outcome = run(["sofr"], fresh_cache, snapshot, catalog, live={"fred": FakeLive("fred", {})}, reachable=lambda s: False)["sofr"]
    assert outcome.served_by == "cache" and "fred unreachable" in outcome.detail
