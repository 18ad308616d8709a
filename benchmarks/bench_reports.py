"""The report suite cold, warm and as a no-op rerun, against plain sequential nbconvert.

suite:    every themed notebook and one episode (the README's `make reports` minus the other episodes)
cold:     empty cache and empty reports folder (imports the snapshot, renders everything)
warm:     cache filled, every report rendered again (--force), warm kernels (the default)
warm, new-process kernels: the same with PLUMBING_WARM_KERNELS=0 (a new Python per kernel)
no-op:    nothing changed: the incremental runner renders nothing (the suite, and `reports 02`)
baseline: the same notebooks executed one at a time with `jupyter nbconvert --execute --to html`

Prints times and ratios; never passes or fails. Run: .venv/bin/python benchmarks/bench_reports.py
"""

from __future__ import annotations

import os
import tempfile

from _common import BIN, EPISODE, NOTEBOOKS, THEMED, bench_env, plumbing_reports, row, timed


def main() -> None:
    notebooks = [NOTEBOOKS / f"{stem}.ipynb" for stem in THEMED] + [NOTEBOOKS / "episode_template.ipynb"]
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(folder)
        suite = plumbing_reports(*THEMED, "--episode", EPISODE)
        cold = timed(suite, env)
        warm = timed(suite + ["--force"], env)
        unpooled = timed(suite + ["--force"], {**env, "PLUMBING_WARM_KERNELS": "0"})
        noop = min(timed(suite, env) for _ in range(3))
        noop_02 = min(timed(plumbing_reports("02"), env) for _ in range(3))
        baseline = sum(timed([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", str(path),
                              "--output-dir", f"{folder}/baseline"], env) for path in notebooks)
    print(f"{len(notebooks)} notebooks, {os.cpu_count()} cores, --jobs default (one per core)")
    print(row("plumbing reports, cold (empty cache)", cold))
    print(row("plumbing reports, warm (--force)", warm))
    print(row("plumbing reports, warm, new-process kernels", unpooled))
    print(row("plumbing reports, no-op rerun (best of 3)", noop))
    print(row("plumbing reports 02, no-op (best of 3)", noop_02))
    print(row("nbconvert --execute, one at a time", baseline))
    print(row("ratio baseline / warm", baseline / warm, "x"))
    print(row("ratio baseline / cold", baseline / cold, "x"))
    print(row("ratio new-process kernels / warm kernels", unpooled / warm, "x"))


if __name__ == "__main__":
    main()
