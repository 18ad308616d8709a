"""How rendering time grows with the number of reports and with parallel jobs, and a sweep on a
Dask LocalCluster against the local process pool.

Reports: sweeps of notebook 01 (the 2019 repo spike) over 17 window starts ``start``, times
1, 2 or 4 window ends ``end``: 17, 34 and 68 reports, rendered with --jobs 1 and --jobs 2
(68 with --jobs 2 only, to keep the run short; --force, warm cache). Cluster: the grid of notebook 06 over ``spread`` x ``ratio`` (4
reports) on a LocalCluster of two single-threaded worker processes, against the same grid on
the local pool (--jobs 2).

Prints times, seconds per report and ratios; never passes or fails.
Run: .venv/bin/python benchmarks/bench_scaling.py [--quick]   (--quick: 17 and 34 only, no cluster)
"""

from __future__ import annotations

import sys
import tempfile

import pandas as pd

from _common import bench_env, plumbing_reports, row, timed

STARTS = ",".join(d.strftime("%Y-%m-%d") for d in pd.date_range("2019-04-01", periods=17, freq="W-MON"))
ENDS = ["2019-12-31", "2020-01-31", "2020-02-28", "2020-03-31"]
GRID_06 = ["--sweep", "spread=sofr_iorb_bp,effr_iorb_bp", "--sweep", "ratio=gdp,bank_assets"]


def sweep_01(ends: int) -> list[str]:
    return ["01", "--sweep", f"start={STARTS}", "--sweep", f"end={','.join(ENDS[:ends])}"]


def cluster_sweep(env: dict[str, str]) -> float:
    """Wall seconds of the 06 grid rendered through a LocalCluster (started outside the timing)."""
    import os

    from distributed import LocalCluster

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the cluster's workers inherit the cache and reports folders
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            return timed(plumbing_reports("06", *GRID_06, "--force", "--scheduler", cluster.scheduler_address), env)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = (1, 2) if quick else (1, 2, 4)
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(folder)
        timed(plumbing_reports("01"), env)  # fill the cache
        results = {}
        for ends in sizes:
            for jobs in ((1, 2) if ends < 4 else (2,)):
                results[(17 * ends, jobs)] = timed(plumbing_reports(*sweep_01(ends), "--force", "--jobs", str(jobs)), env)
        if not quick:
            local_06 = timed(plumbing_reports("06", *GRID_06, "--force", "--jobs", "2"), env)
            cluster_06 = cluster_sweep(env)
    print("notebook 01 swept; --force, warm cache")
    for (count, jobs), seconds in results.items():
        print(row(f"{count} reports, --jobs {jobs}", seconds) + f"   {seconds / count:6.2f} s/report")
    for count in sorted({c for c, j in results if j == 1}):
        print(row(f"{count} reports: speed-up of --jobs 2 over --jobs 1", results[(count, 1)] / results[(count, 2)], "x"))
    if not quick:
        print(row("06 grid (4 reports), local pool --jobs 2", local_06))
        print(row("06 grid (4 reports), LocalCluster 2 workers x 1 thread", cluster_06))


if __name__ == "__main__":
    main()
