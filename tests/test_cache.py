"""The cache merges, never shrinks, writes atomically, and recovers from corruption."""

import hashlib
import json
import os
import warnings

import pandas as pd
import pyarrow.parquet as pq
import pytest

from plumbing.cache import CacheWarning, CacheWriteError
from plumbing.panel import DataUnavailable, Loader
from plumbing.sync import sync


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
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(CacheWriteError, match=r"cannot write .*x\.parquet: No space left on device"):
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
    damaged = path.read_bytes()
    with pytest.raises(DataUnavailable, match=r"on_rrp .*is corrupted.*run `plumbing data sync`"):
        loader.load("on_rrp")  # a reader names the damage and changes nothing
    assert path.read_bytes() == damaged
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        sync(["on_rrp"], offline=True, catalog=catalog, cache=fresh_cache, snapshot=snapshot, progress=False)
    assert loader.load("on_rrp").loc["2025-10-31", "on_rrp"] == pytest.approx(51.802)  # the sync repaired it


def test_one_file_per_series_carries_its_provenance(fresh_cache):
    fresh_cache.merge("x", series({"2020-01-01": 1.0, "2020-01-02": 2.0}), source="fred", source_id="X")
    assert sorted(p.name for p in fresh_cache.root.iterdir() if not p.name.startswith(".")) == ["x.parquet"]
    stored = json.loads(pq.read_schema(fresh_cache.data_path("x")).metadata[b"plumbing"])
    assert (stored["source"], stored["source_id"], stored["rows"], stored["format"]) == ("fred", "X", 2, 3)


def write_format_2(cache, key, values: dict[str, float], **meta_overrides):
    """A cache entry as the previous version wrote it: pandas parquet plus <key>.meta.json."""
    cache.root.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({"value": list(values.values())}, index=pd.DatetimeIndex(pd.to_datetime(list(values)), name="date"))
    frame.to_parquet(cache.root / f"{key}.parquet")
    payload = (cache.root / f"{key}.parquet").read_bytes()
    meta = {"key": key, "source": "fred", "source_id": "X", "retrieved_at": "2025-01-01T00:00:00+00:00",
            "first": min(values), "last": max(values), "rows": len(values),
            "checksum": hashlib.sha256(payload).hexdigest(), "origin_checksum": None, "added_last_refresh": 0,
            "revised_last_refresh": 0, "history": [], "format": 2}
    meta.update(meta_overrides)
    (cache.root / f"{key}.meta.json").write_text(json.dumps(meta))


def test_a_format_2_cache_is_read_and_migrated_by_the_next_merge(fresh_cache):
    write_format_2(fresh_cache, "x", {"2020-01-01": 1.0, "2020-01-02": 2.0})
    assert fresh_cache.read("x").tolist() == [1.0, 2.0]
    assert fresh_cache.metadata("x").source == "fred"
    with pytest.warns(CacheWarning, match="kept the 2 cached rows"):
        result = fresh_cache.merge("x", series({"2020-01-03": 3.0}), source="fred", source_id="X")
    assert (result.rows_before, result.rows_after, result.added) == (2, 3, 1)
    assert not (fresh_cache.root / "x.meta.json").exists()
    assert fresh_cache.read("x").tolist() == [1.0, 2.0, 3.0]
    assert fresh_cache.metadata("x").format == 3


def test_a_format_2_file_whose_json_is_garbage_keeps_its_data(fresh_cache):
    # a crash between the two writes of format 2: the data read correctly, so they are merged on
    write_format_2(fresh_cache, "x", {"2020-01-01": 1.0, "2020-01-02": 2.0})
    (fresh_cache.root / "x.meta.json").write_text("{not json", encoding="utf-8")
    assert fresh_cache.read("x").tolist() == [1.0, 2.0]
    with pytest.warns(CacheWarning, match="kept the 2 cached rows"):
        fresh_cache.merge("x", series({"2020-01-03": 3.0}), source="snapshot", source_id="f")
    assert fresh_cache.read("x").tolist() == [1.0, 2.0, 3.0]


def test_a_cache_file_from_an_older_format_is_moved_aside_and_reimported(fresh_cache, snapshot, catalog):
    write_format_2(fresh_cache, "fed_assets", {"2025-10-29": 6_587_034.0}, format=1)  # native units (USD mn)
    with pytest.warns(CacheWarning, match="cache format 1"):
        assert fresh_cache.read("fed_assets") is None
    loader = Loader(catalog=catalog, cache=fresh_cache, snapshot=snapshot)
    with pytest.raises(DataUnavailable, match="cache format 1"):
        loader.load("fed_assets")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        sync(["fed_assets"], offline=True, catalog=catalog, cache=fresh_cache, snapshot=snapshot, progress=False)
    assert loader.load("fed_assets").loc["2025-10-29", "fed_assets"] == 6587.034
    moved = sorted(p.name for p in fresh_cache.root.glob("fed_assets.corrupt-*"))
    assert len(moved) == 2 and moved[1].endswith(".meta.json")  # the old file and its JSON, kept
