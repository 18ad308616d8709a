"""The cache merges, never shrinks, writes atomically, and recovers from corruption."""

import os
import warnings

import pandas as pd
import pytest

from plumbing.cache import CacheWarning
from plumbing.panel import Loader


def series(values: dict[str, float]) -> pd.Series:
    return pd.Series(list(values.values()), index=pd.DatetimeIndex(pd.to_datetime(list(values)), name="date"))


def test_merge_adds_new_and_counts_revisions(fresh_cache):
    fresh_cache.merge("x", series({"2025-01-01": 1.0, "2025-01-02": 2.0}), source="fred", source_id="X")
    result = fresh_cache.merge("x", series({"2025-01-02": 2.5, "2025-01-03": 3.0}), source="fred", source_id="X")
    assert (result.added, result.revised, result.rows_after) == (1, 1, 3)
    stored = fresh_cache.read("x")
    assert stored.to_dict() == {pd.Timestamp("2025-01-01"): 1.0, pd.Timestamp("2025-01-02"): 2.5,
                                pd.Timestamp("2025-01-03"): 3.0}
    meta = fresh_cache.metadata("x")
    assert (meta.first, meta.last, meta.rows, meta.revised_last_refresh) == ("2025-01-01", "2025-01-03", 3, 1)
    assert len(meta.history) == 2


def test_a_shorter_refresh_warns_and_keeps_what_is_cached(fresh_cache):
    fresh_cache.merge("x", series({"2020-01-01": 1.0, "2021-01-01": 2.0, "2022-01-01": 3.0}), source="snapshot", source_id="f")
    with pytest.warns(CacheWarning, match="fewer than the 3 cached"):
        result = fresh_cache.merge("x", series({"2022-01-01": 3.0, "2023-01-01": 4.0}), source="fred", source_id="X")
    assert result.rows_after == 4
    assert fresh_cache.read("x").index.min() == pd.Timestamp("2020-01-01")


def test_an_empty_refresh_writes_nothing(fresh_cache):
    fresh_cache.merge("x", series({"2020-01-01": 1.0}), source="snapshot", source_id="f")
    before = fresh_cache.data_path("x").read_bytes()
    with pytest.warns(CacheWarning, match="no observations"):
        result = fresh_cache.merge("x", pd.Series([], dtype="float64", index=pd.DatetimeIndex([])), source="fred", source_id="X")
    assert not result.written
    assert fresh_cache.data_path("x").read_bytes() == before


def test_a_failed_write_leaves_the_previous_file_intact(fresh_cache, monkeypatch):
    fresh_cache.merge("x", series({"2020-01-01": 1.0}), source="snapshot", source_id="f")
    before = fresh_cache.data_path("x").read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        fresh_cache.merge("x", series({"2020-01-02": 2.0}), source="snapshot", source_id="f")
    monkeypatch.undo()
    assert fresh_cache.data_path("x").read_bytes() == before
    assert [p.name for p in fresh_cache.root.iterdir() if p.name.endswith(".tmp")] == []
    assert fresh_cache.read("x").tolist() == [1.0]


def test_a_truncated_parquet_file_is_detected_and_reimported(fresh_cache, snapshot, catalog):
    loader = Loader(catalog=catalog, cache=fresh_cache, snapshot=snapshot)
    assert loader.load("on_rrp").loc["2025-10-31", "on_rrp"] == pytest.approx(51.802)
    path = fresh_cache.data_path("on_rrp")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.warns(CacheWarning, match="corrupted"):
        assert fresh_cache.read("on_rrp") is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        frame = loader.load("on_rrp")
    assert frame.loc["2025-10-31", "on_rrp"] == pytest.approx(51.802)
    assert fresh_cache.read("on_rrp") is not None  # repaired on disk


def test_garbage_metadata_is_reported_not_crashed_on(fresh_cache):
    fresh_cache.merge("x", series({"2020-01-01": 1.0}), source="snapshot", source_id="f")
    fresh_cache.meta_path("x").write_text("{not json", encoding="utf-8")
    with pytest.warns(CacheWarning, match="unreadable"):
        assert fresh_cache.read("x") is None


def test_a_cache_file_from_an_older_format_is_reimported(fresh_cache, snapshot, catalog):
    import json

    loader = Loader(catalog=catalog, cache=fresh_cache, snapshot=snapshot)
    loader.load("fed_assets")
    meta_path = fresh_cache.meta_path("fed_assets")
    meta = json.loads(meta_path.read_text())
    meta["format"] = 1  # e.g. a cache written when values were stored in native units
    meta_path.write_text(json.dumps(meta))
    with pytest.warns(CacheWarning, match="cache format 1"):
        assert fresh_cache.read("fed_assets") is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        assert loader.load("fed_assets").loc["2025-10-29", "fed_assets"] == 6587.034
