"""What makes rendering fast may not change what is rendered: warm kernels stay isolated, the
memos follow the data, a no-op rerun imports no kernel machinery, sweeps plan and render their
grid (also on a Dask LocalCluster), and a cancelled cluster run writes nothing.

Speed itself is measured in benchmarks/, not asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from plumbing.cache import SeriesCache
from plumbing.panel import Loader
from plumbing.quantities import quantity
from plumbing.reports import forkserver, read_records, runner
from plumbing.reports.index_page import index_html
from plumbing.reports.params import ParameterError
from plumbing.reports.runner import plan_jobs, run_reports

PLUMBING = str(Path(sys.executable).parent / "plumbing")
HEAVY = ("papermill", "nbconvert", "nbclient", "jupyter_client", "ipykernel", "matplotlib", "seaborn",
         "statsmodels", "nbformat", "distributed")


def write_notebook(folder: Path, stem: str, parameters: str, *cells: str) -> Path:
    """An ad-hoc notebook: a title, a cell tagged ``parameters`` and code cells."""
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        cells=[nbformat.v4.new_markdown_cell(f"# {stem}"),
               nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
               *(nbformat.v4.new_code_cell(c) for c in cells)])
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def adhoc(tmp_path, warm_cache, monkeypatch):
    """A notebooks folder of our own and a reports folder, with the warm cache."""
    notebooks, reports = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    reports.mkdir()
    monkeypatch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    monkeypatch.setenv("PLUMBING_REPORTS", str(reports))
    monkeypatch.setattr(runner, "NOTEBOOKS_DIR", notebooks)
    return notebooks, reports


# --- warm kernels: fast, but every report starts clean -----------------------------------------------

def test_every_report_gets_a_fresh_warm_kernel_that_never_sees_another_reports_state(adhoc):
    notebooks, reports = adhoc
    probe = ("import os, sys\nfrom plumbing.reports import record\n"
             "record('warm', 'seaborn' in sys.modules and 'statsmodels.api' in sys.modules)\n"
             "record('pid', os.getpid())\n"
             "import plumbing\n"
             "record('saw', ','.join(sorted(n for n, seen in [('global', 'LEFT_BY_91' in globals()), "
             "('module', hasattr(plumbing, 'LEFT_BY_91')), ('environment', 'LEFT_BY_91' in os.environ), "
             "('pandas_option', __import__('pandas').get_option('display.max_rows') == 7)] if seen)) or 'nothing')")
    write_notebook(notebooks, "91_leaves_state", "x = 1", probe,
                   "LEFT_BY_91 = 1\nplumbing.LEFT_BY_91 = 1\nos.environ['LEFT_BY_91'] = '1'\n"
                   "import pandas\npandas.set_option('display.max_rows', 7)")
    write_notebook(notebooks, "92_looks_for_it", "x = 1", probe)
    summary = run_reports(plan_jobs(["91", "92"]), jobs_in_parallel=1, progress=False)  # one worker, one fork server
    assert summary.ok and summary.rendered == ["91_leaves_state.html", "92_looks_for_it.html"], summary
    first = read_records(reports / "_build" / "91_leaves_state.ipynb")
    second = read_records(reports / "_build" / "92_looks_for_it.ipynb")
    if forkserver.enabled():  # the heavy modules were there before the first cell ran
        assert first["warm"] and second["warm"]
    assert first["saw"] == "nothing"
    assert second["saw"] == "nothing"  # nothing 91 set survives into 92
    assert first["pid"] != second["pid"]  # a kernel is never reused


def test_a_forked_kernel_is_a_real_kernel_in_its_own_group_that_is_killed_with_it(tmp_path):
    import asyncio

    from plumbing.reports.workers import quiet_kernel_manager_class

    if not forkserver.enabled():
        pytest.skip("warm kernels are off on this platform")
    server = forkserver.start(tmp_path)
    assert server is not None

    async def start_and_kill() -> tuple[int, bool]:
        manager = quiet_kernel_manager_class()(kernel_name="python3")
        await manager.start_kernel(cwd=str(tmp_path))
        pid = manager.provisioner.pid
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=120)  # it answers on its sockets like any kernel
        client.stop_channels()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        assert parent == server.process.pid and os.getpgid(pid) == pid  # forked, in a group of its own
        await manager.shutdown_kernel(now=True)
        return pid, await manager.is_alive()

    try:
        pid, alive = asyncio.run(start_and_kill())
    finally:
        forkserver.stop()
    assert not alive
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()  # reaped by the server, nothing left
    assert server.process.returncode is not None


# --- memos follow the data --------------------------------------------------------------------------

@pytest.fixture
def own_cache(tmp_path, warm_cache, catalog, snapshot):
    """A private copy of a few cached series, and a loader reading it."""
    cache = SeriesCache(tmp_path / "cache")
    cache.root.mkdir()
    for key in ("sofr", "iorb", "ioer"):
        shutil.copy2(warm_cache.data_path(key), cache.data_path(key))
    return cache, Loader(catalog=catalog, cache=cache, snapshot=snapshot)


def test_the_quantity_memo_returns_the_same_values_and_follows_a_cache_refresh(own_cache):
    cache, loader = own_cache
    first = quantity("sofr_iorb_bp", "2025-01-01", loader=loader)
    again = quantity("sofr_iorb_bp", "2025-01-01", loader=loader)
    pd.testing.assert_series_equal(first, again)
    again.iloc[:] = -999.0  # a caller changing its copy changes nobody else's
    pd.testing.assert_series_equal(quantity("sofr_iorb_bp", "2025-01-01", loader=loader), first)

    sofr = cache.read("sofr")
    last = sofr.index[-1]
    sofr.loc[last] += 1.0  # one percentage point higher on the last day
    cache.merge("sofr", sofr, source="snapshot", source_id="SOFR")
    refreshed = quantity("sofr_iorb_bp", "2025-01-01", loader=loader)
    assert refreshed.loc[last] == pytest.approx(first.loc[last] + 100.0)
    pd.testing.assert_series_equal(refreshed.drop(last), first.drop(last))


def test_the_load_memo_follows_a_cache_refresh_and_keeps_returned_frames_apart(own_cache):
    cache, loader = own_cache
    frame = loader.load(["sofr", "iorb"], "2025-01-01", freq="B")
    frame.iloc[:, :] = 0.0
    fresh = loader.load(["sofr", "iorb"], "2025-01-01", freq="B")
    assert fresh["sofr"].dropna().ne(0.0).all()
    assert fresh.attrs["units"] == {"sofr": "percent", "iorb": "percent"}
    sofr = cache.read("sofr")
    sofr.loc[sofr.index[-1]] += 2.0
    cache.merge("sofr", sofr, source="snapshot", source_id="SOFR")
    moved = loader.load(["sofr", "iorb"], "2025-01-01", freq="B")
    assert moved.loc[sofr.index[-1], "sofr"] == pytest.approx(fresh.loc[sofr.index[-1], "sofr"] + 2.0)


def test_a_memo_hit_still_counts_as_a_read_for_the_report(own_cache, tmp_path, monkeypatch):
    _, loader = own_cache
    quantity("sofr_iorb_bp", loader=loader)  # computed, and remembered
    log = tmp_path / "reads"
    log.write_text("")
    monkeypatch.setenv("PLUMBING_READ_LOG", str(log))
    quantity("sofr_iorb_bp", loader=loader)  # from the memo
    assert set(log.read_text().split()) == {"sofr", "iorb", "ioer"}


# --- a no-op rerun decides before importing the kernel machinery -------------------------------------

def test_a_no_op_rerun_says_up_to_date_without_importing_kernel_or_plotting_libraries(adhoc):
    notebooks, reports = adhoc
    write_notebook(notebooks, "93_small", "x = 1", "from plumbing import load\nload('sofr').tail(1)")
    assert run_reports(plan_jobs(["93"]), jobs_in_parallel=1, progress=False).rendered == ["93_small.html"]
    script = ("import sys\nfrom plumbing import cli\nfrom plumbing.reports import runner\nfrom pathlib import Path\n"
              f"runner.NOTEBOOKS_DIR = Path({str(notebooks)!r})\n"
              "code = cli.main(['reports', '93', '--no-progress'])\n"
              f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules))\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert "nothing to render: all 1 reports are up to date" in done.stdout
    assert "HEAVY []" in done.stdout, done.stdout


# --- sweeps -------------------------------------------------------------------------------------------

def test_a_sweep_of_06_plans_every_combination_validated_into_its_own_files():
    jobs = plan_jobs(["06"], sweeps=[("spread", ["sofr_iorb_bp", "effr_iorb_bp"]), ("ratio", ["gdp", "bank_assets"])])
    combos = [(j.params["spread"], j.params["ratio"]) for j in jobs]
    assert combos == [("sofr_iorb_bp", "gdp"), ("sofr_iorb_bp", "bank_assets"), ("effr_iorb_bp", "gdp"),
                      ("effr_iorb_bp", "bank_assets")]
    assert len({j.output for j in jobs}) == 4 and all(j.output.startswith("sweeps/06_reserves_red_line--") for j in jobs)
    assert {j.sweep for j in jobs} == {"06_reserves_red_line: spread x ratio"}
    with pytest.raises(ParameterError, match="ratio"):
        plan_jobs(["06"], sweeps=[("ratio", ["gdp", "nope"])])
    with pytest.raises(ParameterError, match="twice"):
        plan_jobs(["06"], sweeps=[("ratio", ["gdp"]), ("ratio", ["bank_assets"])])


def test_a_bad_sweep_on_the_command_line_is_one_line_and_exit_2():
    done = subprocess.run([PLUMBING, "reports", "06", "--sweep", "ratio=gdp,nope"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "ratio" in done.stderr and "Traceback" not in done.stderr


def test_the_index_has_one_section_per_sweep():
    def entry(output: str, sweep: str, **params: object) -> dict:
        return {"output": output, "title": output, "params": params, "rendered_at": "2026-01-01 00:00",
                "status": "ok", "sweep": sweep}

    entries = [entry("sweeps/06--a.html", "06_reserves_red_line: spread", spread="a"),
               entry("sweeps/06--b.html", "06_reserves_red_line: spread", spread="b"),
               entry("sweeps/08--c.html", "08_liquidity_regimes: lag", lag=1),
               {"output": "06_reserves_red_line.html", "title": "Reserves", "params": {}, "rendered_at": "2026-01-01 00:00",
                "status": "ok"}]
    page = index_html(entries, datetime(2026, 1, 2, tzinfo=timezone.utc), reference_last={})
    assert page.count('class="sweep"') == 2
    assert "Sweep: 06_reserves_red_line: spread" in page and "Sweep: 08_liquidity_regimes: lag" in page
    assert page.count('href="sweeps/06--') == 2 and 'href="06_reserves_red_line.html"' in page


# --- the cluster path, on a LocalCluster --------------------------------------------------------------

def local_cluster(threads: int):
    """A small in-process Dask cluster (offline, bounded: one worker, ``threads`` task threads)."""
    distributed = pytest.importorskip("distributed")
    return distributed.LocalCluster(n_workers=1, threads_per_worker=threads, processes=False, dashboard_address=None)


def test_a_sweep_renders_on_a_local_cluster_without_api_keys_with_its_index_section(adhoc, monkeypatch):
    notebooks, reports = adhoc
    monkeypatch.setenv("FRED_API_KEY", "cluster-secret-123456")
    write_notebook(notebooks, "94_sweep", "a = 1\nb = 'x'",
                   "import os\nfrom plumbing.reports import record\nfrom plumbing import load\n"
                   "record('a_b', f'{a}-{b}')\nrecord('keys', ','.join(k for k in os.environ if k.endswith('_API_KEY')) or 'none')\n"
                   "load('sofr').tail(1)")
    jobs = plan_jobs(["94"], sweeps=[("a", [1, 2]), ("b", ["x", "y"])])
    with local_cluster(threads=2) as cluster:
        summary = run_reports(jobs, progress=False, scheduler=cluster.scheduler_address)
        again = run_reports(plan_jobs(["94"], sweeps=[("a", [1, 2]), ("b", ["x", "y"])]), progress=False,
                            scheduler=cluster.scheduler_address)
    assert summary.ok and sorted(summary.rendered) == sorted(j.output for j in jobs), summary
    seen = set()
    for job in jobs:
        records = read_records(reports / "_build" / (job.output.replace("/", "__").removesuffix(".html") + ".ipynb"))
        seen.add(records["a_b"])
        assert records["keys"] == "none"
        state = json.loads((reports / "_state" / (job.output.replace("/", "__") + ".json")).read_text())
        assert state["sweep"] == "94_sweep: a x b" and "sofr" in state["data"]
        assert "cluster-secret" not in (reports / job.output).read_text()
    assert seen == {"1-x", "1-y", "2-x", "2-y"}
    index = (reports / "index.html").read_text()
    assert index.count('class="sweep"') == 1 and index.count('href="sweeps/94_sweep--') == 4
    assert sorted(again.up_to_date) == sorted(j.output for j in jobs) and not again.rendered


def test_a_signal_cancels_a_cluster_run_and_nothing_is_written_after_it(adhoc, tmp_path):
    notebooks, reports = adhoc
    started = tmp_path / "started"
    write_notebook(notebooks, "95_slow", f"marker = {str(started)!r}",
                   "from pathlib import Path\nimport time\nPath(marker).write_text('go')\ntime.sleep(8)")
    write_notebook(notebooks, "96_later", "x = 1", "x + 1")
    (reports / "95_slow.html").write_text("previous")
    before: dict[str, tuple[int, int]] = {}

    def signal_when_started() -> None:
        deadline = time.monotonic() + 120
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if started.exists():  # the run is inside the 8 s sleep: its SIGTERM handler is in place
            before.update({str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in reports.rglob("*") if p.is_file()})
            os.kill(os.getpid(), signal.SIGTERM)

    jobs = plan_jobs(["95", "96"])
    watcher = threading.Thread(target=signal_when_started, daemon=True)
    with local_cluster(threads=1) as cluster:  # 96 waits for 95's thread: "not started" when the signal comes
        watcher.start()
        summary = run_reports(jobs, progress=False, scheduler=cluster.scheduler_address)
        watcher.join(5)
        assert summary.cancelled == "SIGTERM", summary
        assert summary.interrupted == ["95_slow.html"] and summary.not_started == ["96_later.html"]
        assert summary.rendered == []
        time.sleep(10)  # the slow notebook finishes on the cluster meanwhile; its result is dropped
    after = {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in reports.rglob("*") if p.is_file()}
    assert after == before
    assert (reports / "95_slow.html").read_text() == "previous"
    assert not (reports / "index.html").exists()


def test_the_longest_reports_by_their_last_render_start_first_and_new_ones_before_all(adhoc):
    notebooks, reports = adhoc
    for stem in ("81_short", "82_long", "83_new", "84_middle"):
        write_notebook(notebooks, stem, "x = 1", "x")
    (reports / "_state").mkdir()
    for output, seconds in (("81_short.html", 1.5), ("82_long.html", 30.0), ("84_middle.html", 7.0)):
        (reports / "_state" / f"{output}.json").write_text(json.dumps({"output": output, "render_seconds": seconds}))
    todo = [(job, "key") for job in plan_jobs(["81", "82", "83", "84"])]
    assert [job.output for job, _ in runner.longest_first(todo)] == ["83_new.html", "82_long.html", "84_middle.html",
                                                                      "81_short.html"]


def test_parallel_kernels_share_the_cores_and_a_users_thread_setting_is_kept(monkeypatch):
    from plumbing.reports import workers

    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    for name in workers.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert workers.thread_limits(2) == {name: "4" for name in workers.THREAD_VARIABLES}
    assert workers.thread_limits(16) == {name: "1" for name in workers.THREAD_VARIABLES}
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert "OMP_NUM_THREADS" not in workers.thread_limits(2)


PRELOAD_PROBE = """
import os, sys
import pandas as pd
import pyarrow.parquet as pq
from plumbing.cache import SeriesCache

def tasks():
    return len(os.listdir('/proc/self/task'))

cache = SeriesCache(sys.argv[1])
before = tasks()
loaded = cache.preload()
after = tasks()
real = pq.ParquetFile
def refuse(*args, **kwargs):
    raise AssertionError('parquet decoded again')
pq.ParquetFile = refuse
hits = {key: float(cache.read(key).iloc[-1]) for key in cache.keys()}  # memo hits: no decoding
import subprocess
subprocess.run([sys.executable, '-c', REWRITE, sys.argv[1]], check=True)  # another process rewrites sofr
try:
    cache.read('sofr')
    followed = False
except AssertionError:
    followed = True  # the changed file is decoded again, not served from the preload
pq.ParquetFile = real
print(loaded, before, after, followed, hits['sofr'], float(cache.read('sofr').iloc[-1]))
"""

REWRITE = """
import sys
from plumbing.cache import SeriesCache
cache = SeriesCache(sys.argv[1])
sofr = cache.read('sofr')
sofr.iloc[-1] += 1.0
cache.merge('sofr', sofr, source='snapshot', source_id='SOFR')
"""


def test_a_preloaded_cache_starts_no_thread_serves_reads_and_follows_a_rewrite(own_cache):
    """The fork server preloads the cache before it forks kernels: the preload must start no
    thread (forking a threaded process is unsafe; pyarrow's read_table starts two), must serve
    later reads without decoding, and must not serve a file rewritten since."""
    cache, _ = own_cache
    original = float(cache.read("sofr").iloc[-1])
    probe = PRELOAD_PROBE.replace("import subprocess", f"import subprocess\nREWRITE = {REWRITE!r}")
    done = subprocess.run([sys.executable, "-c", probe, str(cache.root)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    loaded, before, after, followed, preloaded_sofr, reread_sofr = done.stdout.split()
    assert int(loaded) == len(cache.keys()) == 3
    assert int(after) == int(before), "preloading the cache started threads"
    assert float(preloaded_sofr) == original
    assert followed == "True"
    assert float(reread_sofr) == pytest.approx(original + 1.0)
