"""Fault suite, data layer (issue 9): the cache and the sync under concurrency, kills, corrupt
files, bad snapshots, read-only and full disks, and load() under bad arguments.

Every case checks a clear message (series, file, line) or a correct recovery, *and* that no
data were lost: cached rows are read back with pyarrow and compared, date by date, with the
rows before the fault or with the snapshot CSV read with the csv module (never with the code
under test). Concurrency and kills use real processes; read-only and full disks use a private
mount namespace (``unshare -m``, as root), and fail loudly where that is not possible.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from plumbing import cache as cache_module
from plumbing.cache import CacheWarning, SeriesCache, data_checksum
from plumbing.cli import main
from plumbing.sources.base import tidy_series
from plumbing.sources.snapshot import SnapshotSource
from plumbing.sync import sync

BIN = Path(sys.executable).parent
PLUMBING = str(BIN / "plumbing")
PYTHON = sys.executable
#: series whose common unit is the snapshot's unit, so cached values equal the CSV's
FILES = {"sofr": "fred/SOFR.csv", "iorb": "fred/IORB.csv", "on_rrp": "fred/RRPONTSYD.csv",
         "gdp": "fred/GDP.csv", "vix": "fred/VIXCLS.csv", "us10y": "fred/DGS10.csv"}
KEYS = tuple(FILES)


# --- helpers that never use the code under test -------------------------------------------


def csv_rows(path: Path) -> dict[pd.Timestamp, float]:
    """``{date: value}`` of a snapshot-style CSV's second column; empty and '.' cells skipped."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        return {pd.Timestamp(row[0]): float(row[1]) for row in reader if row and row[1].strip() not in ("", ".")}


def cached_rows(folder: Path, key: str) -> dict[pd.Timestamp, float]:
    """``{date: value}`` of a cache file, read with pyarrow alone."""
    table = pq.read_table(pa.BufferReader((folder / f"{key}.parquet").read_bytes()), use_threads=False)
    return dict(zip(pd.DatetimeIndex(table.column("date").to_numpy()), table.column("value").to_pylist()))


def append_row(snapshot_dir: Path, file: str, day: str, value: float) -> None:
    with open(snapshot_dir / file, "a", encoding="utf-8") as handle:
        handle.write(f"{day},{value}\n")


def replace_line(snapshot_dir: Path, file: str, line_no: int, text: str) -> str:
    """Replace line ``line_no`` (1 = header) of a snapshot copy; returns the old line."""
    path = snapshot_dir / file
    lines = path.read_text(encoding="utf-8").splitlines()
    old, lines[line_no - 1] = lines[line_no - 1], text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return old


def env_for(cache_dir: Path, snapshot_dir: Path) -> dict[str, str]:
    return {**os.environ, "PLUMBING_CACHE": str(cache_dir), "PLUMBING_SNAPSHOT": str(snapshot_dir),
            "PLUMBING_OFFLINE": "1"}


def run_cli(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([PLUMBING, *args], env=env, capture_output=True, text=True, timeout=timeout)


def in_mount_namespace(script: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``script`` with sh in a private mount namespace (its mounts vanish with it)."""
    if shutil.which("unshare") is None:
        pytest.fail("`unshare` (util-linux) is required for the read-only and full-disk cases")
    done = subprocess.run(["unshare", "-m", "sh", "-c", "set -e\n" + script], env=env, capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"the mount-namespace script failed (root and unshare -m are required):\n{done.stderr}")
    return done


def shell_step(name: str, args: str, out: Path) -> str:
    """A shell line running ``plumbing args`` that records its stdout, stderr and exit code in ``out``."""
    return f"{{ {PLUMBING} {args} >{out}/{name}.out 2>{out}/{name}.err && echo 0 || echo $?; }} >{out}/{name}.rc\n"


def step_result(name: str, out: Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a :func:`shell_step`."""
    return (int((out / f"{name}.rc").read_text()), (out / f"{name}.out").read_text(),
            (out / f"{name}.err").read_text())


def no_traceback(text: str) -> bool:
    return "Traceback" not in text


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def snap(tmp_path, snapshot) -> Path:
    """A private copy of six real snapshot files (and the manifests), free to damage."""
    root = tmp_path / "snapshot"
    for file in [*FILES.values(), "MANIFEST.csv", "MARKET_MANIFEST.csv"]:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(snapshot.root / file, root / file)
    return root


@pytest.fixture
def filled(tmp_path, snap, catalog) -> Path:
    """A cache folder filled offline from ``snap`` for :data:`KEYS`."""
    folder = tmp_path / "cache"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcomes = sync(KEYS, offline=True, catalog=catalog, cache=SeriesCache(folder),
                        snapshot=SnapshotSource(snap), progress=False)
    assert [o.status for o in outcomes] == ["ok"] * len(KEYS), outcomes
    return folder


@pytest.fixture
def cli_env(monkeypatch, filled, snap):
    monkeypatch.setenv("PLUMBING_CACHE", str(filled))
    monkeypatch.setenv("PLUMBING_SNAPSHOT", str(snap))
    monkeypatch.setenv("PLUMBING_OFFLINE", "1")
    return filled


def sync_cli(capsys, *keys: str) -> tuple[int, str, str]:
    code = main(["data", "sync", "--offline", "--no-progress", "--only", *(keys or KEYS)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_cached_values_equal_the_snapshot_csv(filled, snap):
    """The premise of the comparisons below: these six series are cached as the CSV has them."""
    for key, file in FILES.items():
        assert cached_rows(filled, key) == csv_rows(snap / file), key


# --- item 1: concurrent syncs -----------------------------------------------------------------

WRITER = r"""
import sys, time
from pathlib import Path
import pandas as pd
from plumbing.cache import SeriesCache

root, first, go = sys.argv[1], pd.Timestamp(sys.argv[2]), Path(sys.argv[3])
cache = SeriesCache(root)
while not go.exists():
    time.sleep(0.002)
mine = []
for i in range(30):
    day = first + pd.Timedelta(days=i)
    result = cache.merge("sofr", pd.Series([100.0 + i], index=pd.DatetimeIndex([day])), source="fred", source_id="SOFR")
    mine.append(day)
    if result.rows_after < result.rows_before:
        sys.exit(f"shrank from {result.rows_before} to {result.rows_after}")
    lost = [d for d in mine if d not in cache.read("sofr").index]
    if lost:
        sys.exit(f"lost {lost}")
"""

READER = r"""
import sys, time
from pathlib import Path
import pyarrow as pa, pyarrow.parquet as pq

path, floor, stop = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
reads = 0
while not stop.exists():
    rows = pq.read_table(pa.BufferReader(path.read_bytes()), use_threads=False).num_rows
    if rows < floor:
        sys.exit(f"a reader saw {rows} rows, fewer than {floor}")
    floor, reads = rows, reads + 1
print(reads)
"""


def test_two_processes_merging_30_times_each_lose_no_rows_and_never_shrink(tmp_path, filled, snap):
    before = cached_rows(filled, "sofr")
    go, stop = tmp_path / "go", tmp_path / "stop"
    writers = [subprocess.Popen([PYTHON, "-c", WRITER, str(filled), first, str(go)], stderr=subprocess.PIPE, text=True)
               for first in ("2030-01-01", "2031-01-01")]
    reader = subprocess.Popen([PYTHON, "-c", READER, str(filled / "sofr.parquet"), str(len(before)), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # both writers imported and waiting
    go.touch()
    errors = [w.communicate(timeout=60)[1] for w in writers]
    stop.touch()
    reads, reader_error = reader.communicate(timeout=30)
    assert [w.returncode for w in writers] == [0, 0], errors
    assert reader.returncode == 0 and int(reads) > 0, reader_error
    after = cached_rows(filled, "sofr")
    assert len(after) == len(before) + 60
    assert {d: after[d] for d in before} == before  # every earlier row, value for value
    for first in ("2030-01-01", "2031-01-01"):
        assert [after[pd.Timestamp(first) + pd.Timedelta(days=i)] for i in range(30)] == [100.0 + i for i in range(30)]


# --- items 1, 2, 12: kills ------------------------------------------------------------------


def test_sigkill_at_random_points_of_a_sync_loses_no_rows(filled, snap):
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    before = {key: cached_rows(filled, key) for key in KEYS}
    env = env_for(filled, snap)
    for round_no in range(1, 6):  # each round a newer snapshot: one more row per file
        for key, file in FILES.items():
            append_row(snap, file, f"2027-01-{round_no:02d}", 10.0 + round_no)
        process = subprocess.Popen([PLUMBING, "data", "sync", "--offline", "--no-progress", "--only", *KEYS],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.8))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        for key in KEYS:
            now = cached_rows(filled, key)  # readable after every kill
            assert {d: now[d] for d in before[key]} == before[key], (key, f"seed {seed}")
    done = run_cli(["data", "sync", "--offline", "--no-progress", "--only", *KEYS], env)
    assert done.returncode == 0, done.stderr
    for key, file in FILES.items():
        assert cached_rows(filled, key) == csv_rows(snap / file)  # all five new rows, nothing else lost
    assert list(filled.glob("*.tmp")) == [] and list(filled.glob(".*.tmp")) == []


HOLDER = r"""
import os, sys, time
from pathlib import Path
import pandas as pd
from plumbing.cache import SeriesCache

root, ready = sys.argv[1], Path(sys.argv[2])
def stall(src, dst):  # killed between writing the temp file and the rename, holding the lock
    ready.write_text(str(src))
    time.sleep(600)
os.replace = stall
SeriesCache(root).merge("sofr", pd.Series([9.99], index=pd.DatetimeIndex(["2031-01-01"])), source="fred", source_id="SOFR")
"""


def test_a_writer_killed_before_its_rename_keeps_the_old_file_frees_the_lock_and_its_temp_is_cleaned(
        tmp_path, filled, monkeypatch):
    before = cached_rows(filled, "sofr")
    ready = tmp_path / "ready"
    holder = subprocess.Popen([PYTHON, "-c", HOLDER, str(filled), str(ready)])
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    temp = Path(ready.read_text())
    assert temp.exists() and temp.name.startswith(".sofr.parquet.")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert cached_rows(filled, "sofr") == before  # the killed write never landed
    monkeypatch.setattr(cache_module, "LOCK_TIMEOUT_S", 10.0)  # a lock kept by the dead process would fail here
    began = time.monotonic()
    with pytest.warns(CacheWarning, match="fewer than the 2094 cached"):
        SeriesCache(filled).merge("sofr", pd.Series([4.44], index=pd.DatetimeIndex(["2032-01-01"])),
                                  source="fred", source_id="SOFR")
    assert time.monotonic() - began < 5
    assert not temp.exists()
    assert cached_rows(filled, "sofr") == {**before, pd.Timestamp("2032-01-01"): 4.44}


def test_stale_temp_files_are_removed_at_sync_start_and_fresh_ones_kept(filled, snap, catalog):
    stale, fresh = filled / ".gdp.parquet.dead01.tmp", filled / ".vix.parquet.live02.tmp"
    for path in (stale, fresh):
        path.write_bytes(b"half a parquet file")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    sync(["sofr"], offline=True, catalog=catalog, cache=SeriesCache(filled), snapshot=SnapshotSource(snap),
         progress=False)
    assert not stale.exists() and fresh.exists()


# --- items 2, 5: corrupt cache files ---------------------------------------------------------


def _parquet(frame: pd.DataFrame) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame), sink)
    return sink.getvalue().to_pybytes()


def _value_flipped(good: bytes) -> bytes:
    """The same file with one value changed and the provenance (and its checksum) left as written."""
    table = pq.read_table(pa.BufferReader(good))
    values = table.column("value").to_pylist()
    values[0] += 1.0
    table = table.set_column(1, "value", pa.array(values, pa.float64())).replace_schema_metadata(table.schema.metadata)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


DATES = pd.DatetimeIndex(["2020-01-02", "2020-01-03"], name="date")
CORRUPTIONS = {
    "truncated": (lambda good: good[: len(good) // 2], "cannot be read as parquet"),
    "garbage": (lambda good: b"this is not a parquet file", "cannot be read as parquet"),
    "empty file": (lambda good: b"", "cannot be read as parquet"),
    "no value column": (lambda good: _parquet(pd.DataFrame({"price": [1.0, 2.0]}, index=DATES)), "no 'value' column"),
    "text values": (lambda good: _parquet(pd.DataFrame({"value": ["1.5", "abc"]}, index=DATES)), "not float numbers"),
    "no date index": (lambda good: _parquet(pd.DataFrame({"value": [1.0, 2.0]})), "no 'date' column"),
    "value flipped": (_value_flipped, "do not match the checksum"),
}


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_cache_file_is_moved_aside_reported_and_reimported(cli_env, snap, capsys, kind):
    make, reason = CORRUPTIONS[kind]
    path = cli_env / "sofr.parquet"
    bad = make(path.read_bytes())
    tmp = path.with_name("sofr.tmp-test")
    tmp.write_bytes(bad)
    os.replace(tmp, path)  # a new inode, as any writer would leave it
    code, out, err = sync_cli(capsys)
    assert code == 1
    line = next(line for line in err.splitlines() if line.startswith("REPAIRED sofr:"))
    assert f"cache file {path} is corrupted" in line and reason in line and "moved aside to" in line
    moved = list(cli_env.glob("sofr.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == bad  # kept byte for byte, not overwritten
    assert cached_rows(cli_env, "sofr") == csv_rows(snap / FILES["sofr"])
    assert [l for l in err.splitlines() if l.startswith(("REPAIRED", "FAILED", "warning"))][:-1] == [line]


def test_a_format_2_file_interrupted_between_its_two_writes_is_merged_not_replaced(cli_env, snap, capsys):
    # format 2 wrote the parquet file, then its JSON: a crash in between left a JSON that no
    # longer matches. The parquet file (the snapshot plus three live rows) reads fine: keep it.
    live = {**csv_rows(snap / FILES["sofr"]), **{pd.Timestamp(f"2027-02-0{i}"): 5.0 + i for i in (1, 2, 3)}}
    frame = pd.DataFrame({"value": list(live.values())}, index=pd.DatetimeIndex(list(live), name="date"))
    (cli_env / "sofr.parquet").unlink()
    frame.to_parquet(cli_env / "sofr.parquet")
    (cli_env / "sofr.meta.json").write_text(json.dumps({
        "key": "sofr", "source": "fred", "source_id": "SOFR", "retrieved_at": "2026-01-01T00:00:00+00:00",
        "first": "2018-04-03", "last": "2026-08-20", "rows": 2094, "checksum": "0" * 64, "origin_checksum": None,
        "added_last_refresh": 0, "revised_last_refresh": 0, "history": [], "format": 2}))
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 0, err
    assert cached_rows(cli_env, "sofr") == live  # the three live rows survived
    assert list(cli_env.glob("sofr.corrupt-*")) == [] and not (cli_env / "sofr.meta.json").exists()


def test_a_corrupt_file_met_by_a_live_refresh_is_also_moved_aside_and_reported(filled, snap, catalog):
    bad = b"PAR1 not really"
    (filled / "sofr.parquet").write_bytes(bad)
    live = pd.Series({pd.Timestamp("2026-08-21"): 3.71})  # the live source serves one newer day
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = sync(["sofr"], offline=False, catalog=catalog, cache=SeriesCache(filled),
                       snapshot=SnapshotSource(snap), live_sources={"fred": FakeLive(live)},
                       reachable=lambda s: True, progress=False)[0]
    assert (outcome.status, outcome.served_by) == ("repaired", "fred")
    assert "is corrupted: it cannot be read as parquet" in outcome.detail and "moved aside" in outcome.detail
    assert [p.read_bytes() for p in filled.glob("sofr.corrupt-*")] == [bad]
    assert cached_rows(filled, "sofr") == {**csv_rows(snap / FILES["sofr"]), pd.Timestamp("2026-08-21"): 3.71}


# --- item 5: every series isolated, one line each, no traceback -------------------------------


def test_one_sync_with_several_faults_names_each_series_file_and_line_and_finishes_the_others(filled, snap):
    (filled / "sofr.parquet").write_bytes(_parquet(pd.DataFrame({"price": [1.0, 2.0]}, index=DATES)))
    iorb_before, rrp_before = cached_rows(filled, "iorb"), cached_rows(filled, "on_rrp")
    replace_line(snap, FILES["iorb"], 5, "2021-13-45,0.15")
    replace_line(snap, FILES["on_rrp"], 9, "2003-06-30,n/a?")
    append_row(snap, FILES["gdp"], "2026-04-01", 32000.5)  # a healthy change that must still land
    done = run_cli(["data", "sync", "--offline", "--no-progress", "--only", *KEYS], env_for(filled, snap))
    assert done.returncode == 1 and no_traceback(done.stderr) and no_traceback(done.stdout)
    lines = done.stderr.splitlines()
    assert any(l.startswith(f"REPAIRED sofr: cache file {filled / 'sofr.parquet'} is corrupted: it has no 'value' column")
               for l in lines), lines
    assert any(l.startswith("FAILED iorb: snapshot file fred/IORB.csv line 5: date '2021-13-45' is not a YYYY-MM-DD date")
               for l in lines), lines
    assert any(l.startswith("FAILED on_rrp: snapshot file fred/RRPONTSYD.csv line 9: column 'RRPONTSYD': 'n/a?' is not a number")
               for l in lines), lines
    assert cached_rows(filled, "iorb") == iorb_before and cached_rows(filled, "on_rrp") == rrp_before
    assert cached_rows(filled, "gdp") == csv_rows(snap / FILES["gdp"])
    assert cached_rows(filled, "sofr") == csv_rows(snap / FILES["sofr"])


def test_a_read_only_cache_fails_each_series_with_its_lock_file_and_changes_nothing(filled, snap):
    before = {key: (filled / f"{key}.parquet").read_bytes() for key in KEYS}
    sofr_rows = len(cached_rows(filled, "sofr"))
    for file in FILES.values():
        append_row(snap, file, "2027-03-01", 1.0)  # every series has something to write
    out = filled.parent / "out"
    out.mkdir()
    script = (f"mount --bind {filled} {filled}\nmount -o remount,bind,ro {filled}\n"
              + shell_step("sync", f"data sync --offline --no-progress --only {' '.join(KEYS)}", out)
              + shell_step("status", "data status", out))
    in_mount_namespace(script, env_for(filled, snap))
    code, _, err = step_result("sync", out)
    assert code == 1 and no_traceback(err)
    for key in KEYS:
        assert f"FAILED {key}: cannot create the write lock {filled / ('.' + key + '.lock')}: Read-only file system" in err
        assert (filled / f"{key}.parquet").read_bytes() == before[key]
    code, status, _ = step_result("status", out)
    assert code == 0
    sofr_line = next(l.split() for l in status.splitlines() if l.split()[:1] == ["sofr"])
    assert sofr_line[4] == str(sofr_rows)  # key source first last rows: rows read from the data


def test_a_full_disk_fails_each_write_keeps_the_previous_files_and_recovers_when_space_returns(filled, snap):
    keys = ("sofr", "iorb", "gdp")
    before = {key: cached_rows(filled, key) for key in keys}
    for key in keys:
        append_row(snap, FILES[key], "2027-04-01", 7.25)
    mount, out = filled.parent / "tiny", filled.parent / "out"
    mount.mkdir()
    (out / "after").mkdir(parents=True)
    (out / "final").mkdir()
    sync_args = f"data sync --offline --no-progress --only {' '.join(keys)}"
    script = (f"mount -t tmpfs -o size=512k tmpfs {mount}\ncp -a {filled}/. {mount}/\nexport PLUMBING_CACHE={mount}\n"
              f"dd if=/dev/zero of={mount}/filler bs=4k 2>/dev/null || true\n"
              + shell_step("full", sync_args, out)
              + f"cp {mount}/*.parquet {out}/after/\nrm {mount}/filler\n"
              + shell_step("freed", sync_args, out)
              + f"cp {mount}/*.parquet {out}/final/\n")
    in_mount_namespace(script, env_for(filled, snap))
    code, _, err = step_result("full", out)
    assert code == 1 and no_traceback(err)
    for key in keys:
        assert f"FAILED {key}: cannot write {mount / (key + '.parquet')}: No space left on device" in err
        assert cached_rows(out / "after", key) == before[key]  # the previous file, whole
    code, _, err = step_result("freed", out)
    assert code == 0, err
    for key in keys:
        assert cached_rows(out / "final", key) == {**before[key], pd.Timestamp("2027-04-01"): 7.25}


def test_a_cache_path_that_is_a_file_is_one_clear_error_and_minus_v_shows_the_traceback(tmp_path, snap):
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("precious notes\n")
    env = env_for(not_a_folder, snap)
    for command in (["data", "sync", "--offline", "--no-progress", "--only", "sofr"], ["data", "status"]):
        done = run_cli(command, env)
        assert done.returncode == 2 and no_traceback(done.stderr)
        assert done.stderr.strip() == (f"plumbing: error: the cache folder {not_a_folder} is a file, not a folder "
                                       "(check PLUMBING_CACHE)")
    verbose = run_cli(["-v", "data", "sync", "--offline", "--no-progress", "--only", "sofr"], env)
    assert verbose.returncode == 2 and "Traceback" in verbose.stderr
    assert not_a_folder.read_text() == "precious notes\n"


# --- item 6: no snapshot while the cache is complete -----------------------------------------


@pytest.mark.parametrize("where", ["missing folder", "empty folder"])
def test_without_a_snapshot_a_complete_cache_serves_with_a_warning_and_exit_0(cli_env, snap, tmp_path, monkeypatch,
                                                                             capsys, where):
    before = {key: cached_rows(cli_env, key) for key in KEYS}
    elsewhere = tmp_path / "no-snapshot"
    if where == "empty folder":
        elsewhere.mkdir()
    monkeypatch.setenv("PLUMBING_SNAPSHOT", str(elsewhere))
    code, out, err = sync_cli(capsys)
    assert code == 0, err
    for key in KEYS:
        row = next(l.split() for l in out.splitlines() if l.split()[:1] == [key])
        assert row[1] == "cache" and int(row[2]) == len(before[key])  # the real row count
        assert any(l.startswith(f"warning {key}: snapshot unusable: ") and f"kept the {len(before[key])} cached rows" in l
                   for l in err.splitlines())
        assert cached_rows(cli_env, key) == before[key]


def test_a_header_only_snapshot_file_leaves_the_cache_serving(cli_env, snap, capsys):
    before = cached_rows(cli_env, "sofr")
    (snap / FILES["sofr"]).write_text("observation_date,SOFR\n", encoding="utf-8")
    code, out, err = sync_cli(capsys, "sofr", "iorb")
    assert code == 0
    row = next(l.split() for l in out.splitlines() if l.split()[:1] == ["sofr"])
    assert row[1:3] == ["cache", str(len(before))]
    assert "holds no observations" in err and cached_rows(cli_env, "sofr") == before


def test_without_a_snapshot_and_without_a_cache_the_series_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLUMBING_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PLUMBING_SNAPSHOT", str(tmp_path / "nowhere"))
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 1
    assert f"FAILED sofr: snapshot unusable: snapshot directory {tmp_path / 'nowhere'} does not exist" in err
    assert "nothing cached" in err


# --- item 7: snapshot and downloaded CSVs validated ------------------------------------------


@pytest.mark.parametrize("bad_date", ["2019-09-31", "31/12/2025", ""])
def test_a_bad_snapshot_date_names_the_file_and_line_and_keeps_the_cache(cli_env, snap, capsys, bad_date):
    before = cached_rows(cli_env, "sofr")
    replace_line(snap, FILES["sofr"], 7, f"{bad_date},1.5")
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 1
    assert f"FAILED sofr: snapshot file fred/SOFR.csv line 7: date {bad_date!r} is not a YYYY-MM-DD date" in err
    assert cached_rows(cli_env, "sofr") == before


@pytest.mark.parametrize("bad_date", ["9999-12-31", "1500-06-15", "1799-12-31", "2201-01-01"])
def test_a_snapshot_date_outside_the_sane_range_names_the_file_and_line_and_keeps_the_cache(cli_env, snap, capsys,
                                                                                          bad_date):
    # outside pandas' nanosecond range such a date wrapped silently on the fast path and was cached for good
    before = cached_rows(cli_env, "sofr")
    replace_line(snap, FILES["sofr"], 7, f"{bad_date},1.5")
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 1
    assert (f"FAILED sofr: snapshot file fred/SOFR.csv line 7: date {bad_date!r} is outside 1800-01-01..2200-12-31"
            in err)
    assert cached_rows(cli_env, "sofr") == before
    assert all(pd.Timestamp("2000-01-01") < day < pd.Timestamp("2100-01-01") for day in cached_rows(cli_env, "sofr"))


def test_a_date_listed_twice_with_different_values_names_both_lines_and_is_no_revision(cli_env, snap, capsys):
    before = cached_rows(cli_env, "sofr")
    old = replace_line(snap, FILES["sofr"], 3, "2018-04-03,9.99")  # line 2 is 2018-04-03 too
    assert old.startswith("2018-04-04")
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 1
    assert "FAILED sofr: snapshot file fred/SOFR.csv lines 2, 3: 2018-04-03 is listed more than once" in err
    assert "(1.83, 9.99)" in err
    assert cached_rows(cli_env, "sofr") == before  # neither value won silently


def test_a_date_listed_twice_with_the_same_value_is_kept_once(cli_env, snap, capsys):
    text = (snap / FILES["sofr"]).read_text(encoding="utf-8")
    (snap / FILES["sofr"]).write_text(text + "2026-08-20,3.63\n", encoding="utf-8")  # the last row again
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 0, err
    assert cached_rows(cli_env, "sofr") == csv_rows(snap / FILES["sofr"])


def test_missing_markers_are_missing_observations_not_errors(cli_env, snap, capsys):
    (cli_env / "sofr.parquet").unlink()  # a first import
    replace_line(snap, FILES["sofr"], 4, "2018-04-05,.")
    replace_line(snap, FILES["sofr"], 5, "2018-04-06,")
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 0, err
    cached = cached_rows(cli_env, "sofr")
    assert pd.Timestamp("2018-04-05") not in cached and pd.Timestamp("2018-04-06") not in cached
    assert cached == csv_rows(snap / FILES["sofr"]) and len(cached) == 2094 - 2


class FakeLive:
    name, hosts = "fred", ("fred.example",)

    def __init__(self, answer: pd.Series) -> None:
        self.answer = answer

    def fetch(self, source_id, start=None):
        return tidy_series(self.answer, source_id)  # what every live source runs its parsed data through


@pytest.mark.parametrize("values, message", [
    (["4.10", "4.30"], "SOFR: 2025-01-02 is listed more than once with different values (4.1 and 4.3)"),
    (["4.10", "abc"], "SOFR: the value on 2025-01-03 is 'abc', not a number"),
    (["4.10", "4.30"], "SOFR: 2201-01-03 is outside 1800-01-01..2200-12-31"),
])
def test_bad_downloaded_data_are_refused_by_name_and_the_cache_kept(filled, snap, catalog, values, message):
    days = (["2025-01-02", "2025-01-02"] if "listed" in message else
            ["2025-01-02", "2201-01-03"] if "outside" in message else ["2025-01-02", "2025-01-03"])
    before = cached_rows(filled, "sofr")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = sync(["sofr"], offline=False, catalog=catalog, cache=SeriesCache(filled),
                       snapshot=SnapshotSource(snap), live_sources={"fred": FakeLive(pd.Series(values, index=days, dtype=object))},
                       reachable=lambda s: True, progress=False)[0]
    assert outcome.served_by == "snapshot" and f"fred failed: {message}" in outcome.detail
    assert cached_rows(filled, "sofr") == before


# --- item 12: a newer snapshot after a live download ------------------------------------------


def test_a_newer_snapshot_fills_dates_a_live_download_lacks_without_rolling_it_back(filled, snap, catalog):
    csv_values = csv_rows(snap / FILES["sofr"])
    live = pd.Series(csv_values).loc[:"2026-06-30"].copy()
    live.loc[pd.Timestamp("2026-06-30")] += 0.5  # a live revision the snapshot does not have
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sync(["sofr"], offline=False, catalog=catalog, cache=SeriesCache(filled), snapshot=SnapshotSource(snap),
             live_sources={"fred": FakeLive(live)}, reachable=lambda s: True, progress=False)
        append_row(snap, FILES["sofr"], "2026-08-21", 3.7)  # the newer snapshot
        outcome = sync(["sofr"], offline=True, catalog=catalog, cache=SeriesCache(filled),
                       snapshot=SnapshotSource(snap), progress=False)[0]
    after = cached_rows(filled, "sofr")
    assert after[pd.Timestamp("2026-08-21")] == 3.7  # the date the cache lacked, merged
    assert after[pd.Timestamp("2026-06-30")] == csv_values[pd.Timestamp("2026-06-30")] + 0.5  # live value kept
    assert len(after) == len(csv_values) + 1
    assert outcome.added == 1 and outcome.revised == 0 and outcome.served_by == "snapshot"
    assert SeriesCache(filled).metadata("sofr").source == "fred"


# --- item 10: load() arguments ----------------------------------------------------------------


@pytest.mark.parametrize("value, message", [
    (2025, "start=2025 is a number, not a date"),
    (2025.0, "start=2025.0 is a number, not a date"),
    (pd.Timestamp("2025-01-01", tz="UTC"), "has a time zone"),
    ("2025-01-01T00:00+02:00", "has a time zone"),
])
def test_load_refuses_numbers_and_time_zones_as_dates(loader, value, message):
    with pytest.raises(ValueError, match=message):
        loader.load("sofr", start=value)


def test_load_with_a_key_given_twice_gives_one_column(loader, snapshot):
    twice = loader.load(["sofr", "iorb", "sofr"], "2025-10-01", "2025-10-31")
    assert list(twice.columns) == ["sofr", "iorb"]
    assert twice.equals(loader.load(["sofr", "iorb"], "2025-10-01", "2025-10-31"))
    october = {d: v for d, v in csv_rows(snapshot.root / "fred/SOFR.csv").items() if (d.year, d.month) == (2025, 10)}
    assert twice["sofr"].dropna().to_dict() == october


# --- item 11: figures shown come from the data ------------------------------------------------


def test_status_and_metadata_show_rows_first_last_from_the_data_not_a_lying_header(cli_env, snap, capsys):
    path = cli_env / "sofr.parquet"
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"plumbing"])
    meta.update(rows=999_999, first="1900-01-01", last="2099-12-31")  # lies; the data checksum still matches
    pq.write_table(table.replace_schema_metadata({b"plumbing": json.dumps(meta).encode()}), path)
    truth = csv_rows(snap / FILES["sofr"])
    shown = SeriesCache(cli_env).metadata("sofr")
    assert (shown.rows, shown.first, shown.last) == (len(truth), str(min(truth).date()), str(max(truth).date()))
    assert main(["data", "status"]) == 0
    row = next(l.split() for l in capsys.readouterr().out.splitlines() if l.split()[:1] == ["sofr"])
    assert row[2:5] == [str(min(truth).date()), str(max(truth).date()), str(len(truth))]


def test_the_data_checksum_changes_with_any_value(filled):
    # reports re-render when a series' checksum changes: it must follow the data
    series = SeriesCache(filled).read("sofr")
    changed = series.copy()
    changed.iloc[-1] += 0.01
    assert data_checksum(series) != data_checksum(changed)
    assert data_checksum(series) == SeriesCache(filled).metadata("sofr").checksum


# --- item 12: --gap-days ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-3", "two"])
def test_status_refuses_a_negative_or_non_numeric_gap_tolerance(cli_env, capsys, value):
    with pytest.raises(SystemExit) as stop:
        main(["data", "status", "--gap-days", value])
    assert stop.value.code == 2
    assert "--gap-days" in capsys.readouterr().err


def test_a_corrupt_file_shows_in_status_without_a_traceback(cli_env, capsys):
    (cli_env / "vix.parquet").write_bytes(b"PAR1 broken")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        code = main(["data", "status"])
    captured = capsys.readouterr()
    assert code == 1
    row = next(l.split() for l in captured.out.splitlines() if l.split()[:1] == ["vix"])
    assert row[1] == "corrupted"
    assert f"warning vix: cache file {cli_env / 'vix.parquet'} is corrupted: it cannot be read as parquet" in captured.err
    assert (cli_env / "vix.parquet").read_bytes() == b"PAR1 broken"  # status never moves or rewrites


# --- found by an independent fault review ---------------------------------------------------------


def test_a_snapshot_in_another_unit_is_refused_and_the_cache_kept(cli_env, snap, capsys):
    before = cached_rows(cli_env, "sofr")
    path = snap / FILES["sofr"]
    lines = path.read_text(encoding="utf-8").splitlines()
    scaled = [lines[0]] + [f"{d},{float(v) * 100}" if v.strip() not in ("", ".") else f"{d},{v}"
                           for d, v in (line.split(",", 1) for line in lines[1:])]
    path.write_text("\n".join(scaled) + "\n", encoding="utf-8")  # percent written as basis points
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 1
    line = next(line for line in err.splitlines() if line.startswith("FAILED sofr"))
    assert "times the cached values" in line and "keeping the cache" in line
    assert cached_rows(cli_env, "sofr") == before  # not a single value rewritten


def test_a_cache_file_holding_another_series_is_moved_aside_not_served(cli_env, snap, capsys):
    shutil.copyfile(cli_env / "vix.parquet", cli_env / "iorb.parquet")  # a copy of the wrong series
    copied = (cli_env / "iorb.parquet").read_bytes()
    code, out, err = sync_cli(capsys, "iorb")
    assert code == 1
    line = next(line for line in err.splitlines() if line.startswith("REPAIRED iorb:"))
    assert "holds the series 'vix', not 'iorb'" in line and "moved aside to" in line
    assert [p.read_bytes() for p in cli_env.glob("iorb.corrupt-*")] == [copied]
    assert cached_rows(cli_env, "iorb") == csv_rows(snap / FILES["iorb"])


def test_a_reader_never_repairs_a_damaged_file_behind_the_users_back(cli_env, snap, catalog):
    from plumbing.panel import DataUnavailable, Loader

    path = cli_env / "sofr.parquet"
    damaged = _value_flipped(path.read_bytes())
    path.write_bytes(damaged)
    loader = Loader(catalog=catalog, cache=SeriesCache(cli_env), snapshot=SnapshotSource(snap))
    with pytest.raises(DataUnavailable, match="sofr .*do not match the checksum.*plumbing data sync"):
        loader.common("sofr")
    assert path.read_bytes() == damaged and not list(cli_env.glob("sofr.corrupt-*"))  # untouched until a sync


def test_a_snapshot_file_with_a_byte_order_mark_is_read(cli_env, snap, capsys):
    path = snap / FILES["sofr"]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 0, err
    path.write_bytes(path.read_bytes()[3:])
    assert cached_rows(cli_env, "sofr") == csv_rows(path)


def test_ctrl_c_during_a_sync_ends_with_one_line_and_no_traceback(cli_env, snap):
    from filelock import FileLock

    before = cached_rows(cli_env, "sofr")
    append_row(snap, FILES["sofr"], "2030-01-02", 9.99)  # something to merge, so the sync must take the lock
    with FileLock(str(cli_env / ".sofr.lock")):  # another writer holds sofr: the sync waits for it
        process = subprocess.Popen([PLUMBING, "data", "sync", "--offline", "--no-progress", "--only", "sofr"],
                                   env=env_for(cli_env, snap), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        time.sleep(4.0)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (process.returncode, err[-500:])
    assert "Traceback" not in err and "plumbing: interrupted" in err
    assert cached_rows(cli_env, "sofr") == before  # nothing half-merged


@pytest.mark.parametrize("kind, reason", [
    ("a folder", "it is not a regular file (a folder)"),
    ("a named pipe", "it is not a regular file (a named pipe)"),
    ("a link to itself", "Too many levels of symbolic links"),
])
def test_an_unreadable_cache_file_makes_status_exit_1_naming_it_and_never_hangs(filled, snap, kind, reason):
    path = filled / "sofr.parquet"
    path.unlink()
    if kind == "a folder":
        path.mkdir()
    elif kind == "a named pipe":
        os.mkfifo(path)  # opening it to read would wait for a writer forever
    else:
        path.symlink_to(path.name)
    vix = (filled / "vix.parquet").read_bytes()
    done = run_cli(["data", "status"], env_for(filled, snap), timeout=60)
    assert done.returncode == 1 and no_traceback(done.stderr)
    assert f"warning sofr: cannot read cache file {path}: {reason}" in done.stderr.splitlines()
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[2:] if line.split()}
    assert rows["sofr"][1] == "unreadable" and rows["vix"][1] == "snapshot"  # the others are read as usual
    synced = run_cli(["data", "sync", "--offline", "--no-progress", "--only", "sofr", "vix"], env_for(filled, snap),
                     timeout=60)
    assert synced.returncode == 1 and no_traceback(synced.stderr)
    assert f"FAILED sofr: cannot read cache file {path}: {reason}" in synced.stderr
    assert path.is_symlink() if kind == "a link to itself" else (path.is_dir() if kind == "a folder" else path.is_fifo())
    assert (filled / "vix.parquet").read_bytes() == vix and not list(filled.glob("sofr.corrupt-*"))


def write_format_2(folder: Path, key: str, rows: dict[pd.Timestamp, float], meta_key: str | None = None) -> None:
    """``key`` as cache format 2 wrote it: a parquet file without embedded provenance, then
    ``<key>.meta.json`` (unless a named pipe already stands there); ``meta_key`` names its series."""
    frame = pd.DataFrame({"value": list(rows.values())}, index=pd.DatetimeIndex(list(rows), name="date"))
    (folder / f"{key}.parquet").unlink(missing_ok=True)
    frame.to_parquet(folder / f"{key}.parquet")
    meta = folder / f"{key}.meta.json"
    if not meta.is_fifo():
        meta.write_text(json.dumps({
            "key": meta_key or key, "source": "snapshot", "source_id": "x", "retrieved_at": "2026-01-01T00:00:00+00:00",
            "first": None, "last": None, "rows": len(rows), "checksum": "0" * 64, "origin_checksum": None,
            "added_last_refresh": 0, "revised_last_refresh": 0, "history": [], "format": 2}))


def test_a_named_pipe_for_a_format_2_meta_json_is_corrupt_named_and_never_waited_on(filled, snap):
    # the fault found: `data status` opened the pipe to read and waited for a writer forever
    meta = filled / "sofr.meta.json"
    os.mkfifo(meta)
    write_format_2(filled, "sofr", csv_rows(snap / FILES["sofr"]))
    done = run_cli(["data", "status"], env_for(filled, snap), timeout=60)
    assert done.returncode == 1 and no_traceback(done.stderr)
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[2:] if line.split()}
    assert rows["sofr"][1] == "corrupted" and rows["vix"][1] == "snapshot"
    assert (f"warning sofr: cache file {filled / 'sofr.parquet'} is corrupted: its metadata file {meta} is not a "
            "regular file (a named pipe)") in done.stderr
    assert meta.is_fifo()  # a reader changes nothing
    synced = run_cli(["data", "sync", "--offline", "--no-progress", "--only", "sofr"], env_for(filled, snap), timeout=60)
    assert synced.returncode == 1 and no_traceback(synced.stderr)
    assert "REPAIRED sofr:" in synced.stderr and "moved aside to" in synced.stderr
    assert [p.is_fifo() for p in filled.glob("sofr.corrupt-*.meta.json")] == [True] and not meta.exists()
    assert cached_rows(filled, "sofr") == csv_rows(snap / FILES["sofr"])


def test_a_format_2_pair_copied_from_another_series_is_corrupt_named_and_repaired(filled, snap):
    # the fault found: IORB's parquet and .meta.json copied over sofr's were served as SOFR
    write_format_2(filled, "sofr", csv_rows(snap / FILES["iorb"]), meta_key="iorb")
    reason = "its sofr.meta.json says it holds the series 'iorb', not 'sofr'"
    done = run_cli(["data", "status"], env_for(filled, snap), timeout=60)
    assert done.returncode == 1 and no_traceback(done.stderr)
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[2:] if line.split()}
    assert rows["sofr"][1] == "corrupted"
    assert f"warning sofr: cache file {filled / 'sofr.parquet'} is corrupted: {reason}" in done.stderr
    synced = run_cli(["data", "sync", "--offline", "--no-progress", "--only", "sofr"], env_for(filled, snap), timeout=60)
    assert synced.returncode == 1 and no_traceback(synced.stderr)
    assert "REPAIRED sofr:" in synced.stderr and reason in synced.stderr and "moved aside to" in synced.stderr
    assert cached_rows(filled, "sofr") == csv_rows(snap / FILES["sofr"])  # SOFR again, IORB's rows gone
    assert len(list(filled.glob("sofr.corrupt-*.meta.json"))) == 1 and not (filled / "sofr.meta.json").exists()


def _with_value(good: bytes, value: float) -> bytes:
    """The same file with its first value replaced by ``value`` and the checksum in its
    provenance rewritten to match, so that only the value itself is wrong."""
    table = pq.read_table(pa.BufferReader(good))
    values = table.column("value").to_pylist()
    values[0] = value
    dates = pd.DatetimeIndex(table.column("date").to_numpy())
    meta = json.loads(table.schema.metadata[b"plumbing"])
    meta["checksum"] = data_checksum(pd.Series(values, index=dates, dtype="float64"))
    table = table.set_column(1, "value", pa.array(values, pa.float64())).replace_schema_metadata(
        {**table.schema.metadata, b"plumbing": json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=["NaN", "inf", "-inf"])
def test_a_cache_file_with_non_finite_values_is_corrupt_named_by_readers_and_moved_aside_by_a_sync(
        cli_env, snap, catalog, capsys, value):
    from plumbing.panel import DataUnavailable, Loader

    path = cli_env / "sofr.parquet"
    first_day = min(cached_rows(cli_env, "sofr")).date()
    bad = _with_value(path.read_bytes(), value)
    path.write_bytes(bad)
    reason = f"1 values are not finite numbers (NaN or infinite; the first on {first_day}: {value})"
    loader = Loader(catalog=catalog, cache=SeriesCache(cli_env), snapshot=SnapshotSource(snap))
    with pytest.raises(DataUnavailable, match=re.escape(f"cache file {path} is corrupted: {reason}")):
        loader.common("sofr")
    assert path.read_bytes() == bad  # a reader names it and changes nothing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheWarning)
        assert main(["data", "status"]) == 1
    assert f"warning sofr: cache file {path} is corrupted: {reason}" in capsys.readouterr().err
    code, out, err = sync_cli(capsys, "sofr")
    assert code == 1
    line = next(line for line in err.splitlines() if line.startswith("REPAIRED sofr:"))
    assert f"cache file {path} is corrupted: {reason}" in line and "moved aside to" in line
    assert [p.read_bytes() for p in cli_env.glob("sofr.corrupt-*")] == [bad]
    assert cached_rows(cli_env, "sofr") == csv_rows(snap / FILES["sofr"])  # re-imported, every value finite


def test_a_refresh_with_an_infinite_value_is_refused_and_the_cache_kept(filled):
    before = (filled / "sofr.parquet").read_bytes()
    incoming = pd.Series([5.0, float("inf")], index=pd.DatetimeIndex(["2030-01-02", "2030-01-03"], name="date"))
    with pytest.raises(ValueError, match="sofr: the refresh from test holds an infinite value on 2030-01-03"):
        SeriesCache(filled).merge("sofr", incoming, source="test", source_id="x")
    assert (filled / "sofr.parquet").read_bytes() == before
