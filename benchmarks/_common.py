"""Shared helpers of the report benchmarks: a private cache and reports folder, timed commands,
and the cell times papermill records in each executed notebook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ROOT / "notebooks"
THEMED = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
EPISODE = "2025-10-tga-shutdown"


def bench_env(folder: str, **extra: str) -> dict[str, str]:
    """The environment of a benchmark run: its own cache and reports folder, offline."""
    return {**os.environ, "PLUMBING_CACHE": f"{folder}/cache", "PLUMBING_REPORTS": f"{folder}/reports",
            "PLUMBING_OFFLINE": "1", **extra}


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one command (it must succeed)."""
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - began


def plumbing_reports(*args: str) -> list[str]:
    """``plumbing reports ARGS --no-progress``."""
    return [str(BIN / "plumbing"), "reports", *args, "--no-progress"]


def cell_seconds(executed: Path) -> list[float]:
    """The execution time of each code cell of an executed notebook (papermill's record)."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    return [float(c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
            for c in cells if c.get("cell_type") == "code"]


def total_cell_seconds(reports: Path) -> float:
    """Cell compute summed over every executed notebook in a reports folder."""
    return sum(sum(cell_seconds(p)) for p in (reports / "_build").glob("*.ipynb"))


def row(label: str, value: float, unit: str = "s") -> str:
    return f"{label:<58} {value:9.2f} {unit}"
