"""The report suite cold, warm and as a no-op rerun, against plain sequential nbconvert.

cold:   empty cache and empty reports folder (imports the snapshot, renders everything)
warm:   cache filled, every report rendered again (--force)
no-op:  nothing changed: the incremental runner renders nothing
baseline: the same notebooks executed one at a time with
          `jupyter nbconvert --execute --to html` (warm cache, default parameters)

Prints times and ratios; never passes or fails. Run: .venv/bin/python benchmarks/bench_reports.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict) -> float:
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - began


def main() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "notebooks" / "episode_template.ipynb"]
    themed = [p.stem for p in notebooks if p.stem[:2].isdigit()]
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PLUMBING_CACHE": f"{folder}/cache", "PLUMBING_REPORTS": f"{folder}/reports", "PLUMBING_OFFLINE": "1"}
        suite = [str(BIN / "plumbing"), "reports", *themed, "--episode", "2025-10-tga-shutdown", "--no-progress"]
        cold = timed(suite, env)
        warm = timed(suite + ["--force"], env)
        noop = timed(suite, env)
        baseline = 0.0
        for path in notebooks:
            baseline += timed([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", str(path),
                               "--output-dir", f"{folder}/baseline"], env)
    print(f"{len(notebooks)} notebooks, {os.cpu_count()} cores")
    print(f"plumbing reports, cold (empty cache):   {cold:7.1f} s")
    print(f"plumbing reports, warm (--force):       {warm:7.1f} s")
    print(f"plumbing reports, no-op rerun:          {noop:7.1f} s")
    print(f"nbconvert --execute, one at a time:     {baseline:7.1f} s")
    print(f"ratio baseline / warm:  {baseline / warm:5.2f}x")
    print(f"ratio baseline / cold:  {baseline / cold:5.2f}x")
    print(f"ratio baseline / no-op: {baseline / noop:5.2f}x")


if __name__ == "__main__":
    main()
