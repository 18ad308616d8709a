"""Load every catalog series for 2018-2026 from a warm cache, against parsing the snapshot CSVs.

"Warm" is the state a report kernel starts in: the render fork server has parsed and verified
the cache files once (``SeriesCache.preload``), each read checks the file's signature. A process
that has to decode every parquet file itself (no fork server) is timed too.
Prints the times and their ratios; never passes or fails. Run: .venv/bin/python benchmarks/bench_load.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings

import pandas as pd

from plumbing import cache as cache_module
from plumbing.cache import SeriesCache
from plumbing.catalog import load_catalog
from plumbing.panel import Loader, clear_memo
from plumbing.sources.snapshot import SnapshotSource
from plumbing.sync import sync

START, END, REPEATS = "2018-01-01", "2026-12-31", 5


def parse_snapshot_csvs(catalog, snapshot: SnapshotSource) -> dict[str, pd.Series]:
    """The baseline: read each snapshot CSV with pandas and slice the window (no units, no alignment)."""
    out = {}
    for spec in catalog:
        frame = pd.read_csv(snapshot.path(spec.snapshot.file), index_col=0, parse_dates=True)
        column = spec.snapshot.column or frame.columns[0]
        out[spec.key] = frame[column].loc[START:END]
    return out


def timed(function, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    catalog, snapshot = load_catalog(), SnapshotSource()
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cache = SeriesCache(folder)
        began = time.perf_counter()
        sync(offline=True, catalog=catalog, cache=cache, snapshot=snapshot, progress=False)
        cold = time.perf_counter() - began
        keys = catalog.keys()
        loader = Loader(catalog=catalog, cache=cache, snapshot=snapshot)
        warm = timed(lambda: (clear_memo(), loader.load(keys, START, END)))
        warm_b = timed(lambda: (clear_memo(), loader.load(keys, START, END, freq="B")))
        memo_b = timed(lambda: loader.load(keys, START, END, freq="B"))
        decode = timed(lambda: (cache_module._MEMO.clear(), clear_memo(), loader.load(keys, START, END)))
        csv = timed(lambda: parse_snapshot_csvs(catalog, snapshot))
    print(f"series: {len(keys)}, window {START}..{END}, median of {REPEATS} runs")
    print(f"cold import of the snapshot into an empty cache: {cold:8.3f} s (once)")
    print(f"load() from warm cache, native dates:           {warm:8.3f} s")
    print(f"load() from warm cache, business-day aligned:   {warm_b:8.3f} s")
    print(f"load() again in the same process (frame memo):  {memo_b:8.3f} s")
    print(f"load() decoding every parquet file (no preload): {decode:8.3f} s")
    print(f"parse the snapshot CSVs directly (pandas):      {csv:8.3f} s")
    print(f"ratio csv / warm load (native):  {csv / warm:6.2f}x")
    print(f"ratio csv / warm load (aligned): {csv / warm_b:6.2f}x")
    print(f"ratio csv / load decoding files: {csv / decode:6.2f}x")


if __name__ == "__main__":
    main()
