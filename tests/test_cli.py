"""The plumbing command: data sync and data status, offline on the real snapshot."""

import pytest

from plumbing.cli import main


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLUMBING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_sync_offline_says_which_source_served(isolated_cache, capsys):
    assert main(["data", "sync", "--offline", "--only", "sofr", "on_rrp", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "sofr" in out and "on_rrp" in out and "served: snapshot 2" in out
    assert sorted(p.name for p in isolated_cache.iterdir() if not p.name.startswith(".")) == [
        "on_rrp.parquet", "sofr.parquet"]


def test_sync_rejects_an_unknown_key_before_any_work(isolated_cache, capsys):
    assert main(["data", "sync", "--offline", "--only", "sofr", "sofx"]) == 2
    assert "unknown series key 'sofx'" in capsys.readouterr().err
    assert not isolated_cache.exists()


def test_status_lists_source_coverage_age_and_gaps(isolated_cache, capsys):
    main(["data", "sync", "--offline", "--only", "on_rrp", "--no-progress"])
    capsys.readouterr()
    assert main(["data", "status", "--gap-days", "5"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.strip().startswith("on_rrp "))
    assert "snapshot" in line and "2003-02-07" in line and "2026-08-20" in line and "3309" in line
    # ON RRP had no operations 2004-2007: the longest gap is reported
    assert "2004-01-09..2007-04-26" in line
    assert "not cached" in out  # the other series


def test_status_gap_threshold_changes_the_count(tmp_path):
    import pandas as pd

    from plumbing.status import gaps

    index = pd.to_datetime(["2025-01-06", "2025-01-07", "2025-01-20"])
    assert len(gaps(pd.DatetimeIndex(index), "business", 5)) == 1
    assert len(gaps(pd.DatetimeIndex(index), "business", 10)) == 0


def test_claims_subcommand_prints_the_verdict_table(warm_cache, monkeypatch, capsys):
    monkeypatch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    assert main(["claims", "--verdict", "contradicted"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("supported: 0 partly: 0 contradicted: ")
    assert "a002_nvda_mcap_loss_1_99tn" in out  # $1.99tn in a day: NVDA fell about 4% (about $0.2tn)
