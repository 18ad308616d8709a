"""Per-report overhead against the report's own cell compute.

Every themed notebook and one episode render one after another (--jobs 1, --force), and so
does one report alone. Overhead is wall time minus the cells' execution time (papermill's
per-cell record). What the extra reports add beyond their cells, per report, is the
per-report overhead; what is left is the run's fixed start-up (one worker, one fork server).
Measured with warm kernels (the default) and with a new Python per kernel
(PLUMBING_WARM_KERNELS=0), whose pure compute is taken from the warm run (its import cells
include the imports a warm kernel already has).

Prints figures; never passes or fails. Run: .venv/bin/python benchmarks/bench_overhead.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import EPISODE, THEMED, bench_env, cell_seconds, plumbing_reports, row, timed

ALONE = "05"  # the report rendered alone (any one works)


def overheads(env: dict[str, str], reports: Path,
              compute: tuple[float, float] | None) -> tuple[float, float, float, float, dict[str, float]]:
    """(per-report overhead, fixed start-up, cell compute of the suite, of the single report,
    cell compute of each report)."""
    count = len(THEMED) + 1
    suite_wall = timed(plumbing_reports(*THEMED, "--episode", EPISODE, "--force", "--jobs", "1"), env)
    each = {p.stem: sum(cell_seconds(p)) for p in sorted((reports / "_build").glob("*.ipynb"))}
    suite_cells = sum(each.values())
    alone_wall = timed(plumbing_reports(ALONE, "--force", "--jobs", "1"), env)
    alone_cells = sum(cell_seconds(next((reports / "_build").glob(f"{ALONE}_*.ipynb"))))
    if compute is not None:
        suite_cells, alone_cells = compute
    per_report = ((suite_wall - suite_cells) - (alone_wall - alone_cells)) / (count - 1)
    return per_report, (alone_wall - alone_cells) - per_report, suite_cells, alone_cells, each


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(folder)
        reports = Path(folder) / "reports"
        timed(plumbing_reports(*THEMED, "--episode", EPISODE), env)  # fill the cache, first render
        warm = overheads(env, reports, None)
        cold = overheads({**env, "PLUMBING_WARM_KERNELS": "0"}, reports, warm[2:4])
    print(f"{len(THEMED) + 1} reports, one after another (--jobs 1); cell seconds warm / new-process kernel")
    print(row("cell compute of the suite (warm kernels)", warm[2]))
    for stem, seconds in warm[4].items():
        print(f"  {stem:<40} {seconds:7.2f} s / {cold[4].get(stem, float('nan')):7.2f} s")
    print(row("per-report overhead, warm kernels", warm[0]))
    print(row("per-report overhead, a new Python per kernel", cold[0]))
    print(row("fixed start-up of a run, warm kernels", warm[1]))
    print(row("fixed start-up of a run, a new Python per kernel", cold[1]))


if __name__ == "__main__":
    main()
