"""Fault suite, report layer (issue 9): signals and kills mid-render, path escapes, bad
parameters, bad definition files, corrupt state files, secrets in kernels.

Signals and kills are sent to a real ``plumbing reports`` process rendering a real notebook.
Every process it starts carries a marker in its environment, so the test finds the workers
and kernels in ``/proc`` (kernels run in their own sessions) and asserts none survives.
"Nothing written after the signal" compares every file under the reports folder (path,
modification time, size) at the moment of the signal with what is there afterwards. Expected
messages are written out here, never computed by the code under test.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import yaml

from plumbing import cli, episodes
from plumbing.catalog import CatalogError, load_catalog
from plumbing.claims import ClaimError, load_claims
from plumbing.episodes import EpisodeError, load_episodes, read_event_table
from plumbing.reports import read_records, runner
from plumbing.reports.params import SCHEMAS, ParameterError, check_parameters, parameter_defaults
from plumbing.reports.runner import ReportPathError, WriteGate, output_path, plan_jobs, run_reports
from plumbing.reports.workers import quiet_kernel_manager_class

PLUMBING = str(Path(sys.executable).parent / "plumbing")
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PREVIOUS_HTML = "<html><body>the previous good render</body></html>"
MARKER = "PLUMBING_FAULT_MARKER"


# --- helpers that never use the code under test ---------------------------------------------------

def marked_processes(marker: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment carries ``marker``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{MARKER}={marker}".encode() not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue  # a zombie has exited; its parent just has not reaped it
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # exited meanwhile, or not ours to read
            continue
    return found


def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def files_under(folder: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (mtime_ns, size) of every file below ``folder``."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and 'File "' not in text


@pytest.fixture
def render_env(tmp_path, warm_cache):
    """A reports folder holding a previous good HTML of 00, a private temp folder, and the
    environment for a ``plumbing reports`` subprocess (with a key that kernels must not see)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    temp = Path(tempfile.mkdtemp(prefix="pf-", dir="/tmp"))  # short: kernel socket paths must fit ~100 bytes
    (reports / "00_liquidity_monitor.html").write_text(PREVIOUS_HTML)
    marker = uuid.uuid4().hex
    env = {**os.environ, "PLUMBING_REPORTS": str(reports), "PLUMBING_CACHE": str(warm_cache.root),
           "PLUMBING_OFFLINE": "1", "TMPDIR": str(temp), MARKER: marker, "FRED_API_KEY": "not-for-kernels-0000"}
    yield reports, temp, env, marker
    for pid in marked_processes(marker):  # never leave anything behind, even when a test fails
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    shutil.rmtree(temp, ignore_errors=True)


def start_render(env: dict[str, str], *names: str) -> subprocess.Popen:
    return subprocess.Popen([PLUMBING, "reports", *names, "--force", "--no-progress", "--jobs", "1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_kernel(process: subprocess.Popen, marker: str) -> None:
    started = wait_until(lambda: any("ipykernel" in c for c in marked_processes(marker).values())
                         or process.poll() is not None, timeout=90)
    assert started and process.poll() is None, f"no kernel started: {process.communicate()}"


def assert_nothing_left(marker: str, temp: Path) -> None:
    """No worker or kernel of the run survives, and no scratch folder or kernel socket remains."""
    assert wait_until(lambda: not marked_processes(marker), timeout=10), marked_processes(marker)
    leftovers = [p for p in temp.rglob("*") if p.name.startswith(("plumbing-render-", "kernel-"))]
    assert leftovers == []


# --- item 4: signals and kills mid-render --------------------------------------------------------

@pytest.mark.parametrize("signum, code, to_group", [(signal.SIGTERM, 143, False), (signal.SIGINT, 130, True)],
                         ids=["SIGTERM-to-the-parent", "SIGINT-to-the-group-like-ctrl-c"])
def test_a_signal_mid_render_cancels_cleanly_and_writes_nothing_after_it(render_env, signum, code, to_group):
    reports, temp, env, marker = render_env
    process = start_render(env, "00", "01")
    wait_for_kernel(process, marker)
    time.sleep(1.0)  # the kernel is executing 00's cells now
    before = files_under(reports)
    signalled = time.monotonic()
    if to_group:  # the parent and its workers (kernels run in sessions of their own)
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - signalled < 15
    assert process.returncode == code
    name = signal.Signals(signum).name
    assert (f"cancelled by {name}: rendered 0 of 2 reports; not rendered: 00_liquidity_monitor.html (stopped "
            "mid-render), 01_repo_spike_2019.html (not started)") in err
    assert no_traceback(out + err) and "KeyboardInterrupt" not in err
    assert files_under(reports) == before  # not one file written or touched after the signal
    assert (reports / "00_liquidity_monitor.html").read_text() == PREVIOUS_HTML
    assert not (reports / "index.html").exists()
    assert_nothing_left(marker, temp)


@pytest.mark.parametrize("delay", [0.0, 3.0], ids=["as-the-kernel-starts", "mid-cell"])
def test_sigkill_of_the_parent_takes_workers_and_kernels_down_without_writing(render_env, delay):
    reports, temp, env, marker = render_env
    process = start_render(env, "00")
    wait_for_kernel(process, marker)
    time.sleep(delay)
    before = files_under(reports)
    process.kill()
    process.communicate(timeout=10)
    assert_nothing_left(marker, temp)  # the worker noticed its parent was gone and stopped its kernel
    time.sleep(0.5)
    assert files_under(reports) == before
    assert (reports / "00_liquidity_monitor.html").read_text() == PREVIOUS_HTML


def test_report_kernels_are_shut_down_without_an_interrupt():
    """The cause of ``KeyboardInterrupt caught in kernel`` on every render: jupyter_client sends
    SIGINT to a kernel before shutting it down. The report kernel manager must not."""
    import asyncio

    sent = []

    class Recording(quiet_kernel_manager_class()):
        async def _async_signal_kernel(self, signum: int) -> None:
            sent.append(signum)
            await super()._async_signal_kernel(signum)

    async def start_and_stop() -> bool:
        manager = Recording(kernel_name="python3")
        await manager.start_kernel()
        alive = await manager.is_alive()
        await manager.shutdown_kernel()
        return alive and not await manager.is_alive()

    assert asyncio.run(start_and_stop())
    assert signal.SIGINT not in sent


# --- a tiny real render, shared: kernel environment, corrupt state files -------------------------

@pytest.fixture(scope="module")
def tiny_render(warm_cache, tmp_path_factory):
    """One real render of a tiny notebook with API keys in the parent's environment and a
    corrupt state file for it and for another report."""
    folder = tmp_path_factory.mktemp("tiny")
    notebooks, reports = folder / "notebooks", folder / "reports"
    notebooks.mkdir()
    (reports / "_state").mkdir(parents=True)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                                  cells=[nbformat.v4.new_markdown_cell("# Tiny"),
                                         nbformat.v4.new_code_cell("day = '2025-10-31'", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell(
                                             "import os\nfrom plumbing.reports import record\n"
                                             "record('secret_names', ','.join(sorted(k for k in os.environ "
                                             "if k.endswith(('_API_KEY', '_TOKEN')))) or 'none')")])
    nbformat.write(nb, notebooks / "90_tiny.ipynb")
    (reports / "_state" / "90_tiny.html.json").write_text('{"status": "ok", "key": "abc", "outp')  # cut short
    (reports / "_state" / "91_other.html.json").write_bytes(b"\x00\xff not json")
    patch = pytest.MonkeyPatch()
    patch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    patch.setenv("PLUMBING_REPORTS", str(reports))
    patch.setenv("FRED_API_KEY", "fred-secret-1234567890")
    patch.setenv("OTHER_SERVICE_API_KEY", "other-secret-0987654321")
    patch.setattr(runner, "NOTEBOOKS_DIR", notebooks)
    try:
        summary = run_reports(plan_jobs(["90"]), progress=False)
    finally:
        patch.undo()
    return reports, summary


def test_report_kernels_run_without_api_keys(tiny_render):
    reports, summary = tiny_render
    assert summary.rendered == ["90_tiny.html"], summary
    assert read_records(reports / "_build" / "90_tiny.ipynb")["secret_names"] == "none"
    for path in reports.rglob("*"):
        if path.is_file():
            assert b"fred-secret-1234567890" not in path.read_bytes(), path


def test_a_corrupt_state_file_is_named_treated_as_stale_and_blocks_nothing(tiny_render):
    reports, summary = tiny_render
    assert summary.ok and summary.rendered == ["90_tiny.html"]  # rendered again, not "up to date"
    named = "\n".join(summary.warnings)
    assert str(reports / "_state" / "90_tiny.html.json") in named
    assert str(reports / "_state" / "91_other.html.json") in named
    assert json.loads((reports / "_state" / "90_tiny.html.json").read_text())["status"] == "ok"
    assert 'href="90_tiny.html"' in (reports / "index.html").read_text()


# --- item 3: every output path stays inside reports/ ------------------------------------------------

def test_an_episode_id_that_climbs_out_of_reports_is_refused_naming_entry_and_field(tmp_path, catalog):
    document = yaml.safe_load(episodes.EPISODES_PATH.read_text(encoding="utf-8"))
    escaping = copy.deepcopy(document["episodes"][0])
    escaping["id"] = "../../../x"
    document["episodes"].append(escaping)
    path = tmp_path / "episodes.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "../../../x" in text)
    with pytest.raises(EpisodeError, match=rf"episodes.yaml line {line}: episode '../../../x' field 'id': "
                                           r"'../../../x' is not a valid id; use at most 80 lowercase letters, digits and '-'"):
        load_episodes(path, catalog)


@pytest.mark.parametrize("bad_id", ["Upper-Case", "-leading-hyphen", "with space", "dots.in.it", "a/b", "trailing-newline\n",
                                    "x" * 81])
def test_episode_ids_must_be_slugs(tmp_path, catalog, bad_id):
    document = {"episodes": [{"id": bad_id, "title": "t", "t0": "2019-09-17", "summary": "s", "series": ["sofr"]}]}
    with pytest.raises(EpisodeError, match=r"field 'id': .* is not a valid id"):
        episodes.parse_episodes(document, tmp_path / "episodes.yaml", catalog)


def test_every_output_path_is_checked_to_stay_inside_the_reports_folder(tmp_path, monkeypatch):
    reports, outside = tmp_path / "reports", tmp_path / "outside"
    reports.mkdir()
    outside.mkdir()
    (reports / "episodes").symlink_to(outside, target_is_directory=True)  # a link pointing elsewhere
    monkeypatch.setenv("PLUMBING_REPORTS", str(reports))
    for relative in ["../x.html", "episodes/../../x.html", "episodes/2019-09-repo-spike.html", str(outside / "y.html")]:
        with pytest.raises(ReportPathError, match="outside the reports folder"):
            output_path(relative)
        with pytest.raises(ReportPathError):
            WriteGate().publish(relative, b"<html></html>")
    assert output_path("_state/a.html.json") == reports.resolve() / "_state" / "a.html.json"
    assert list(outside.iterdir()) == [] and not (tmp_path / "x.html").exists()


def test_a_state_file_naming_paths_outside_is_not_followed_by_the_index(tmp_path, monkeypatch):
    reports, outside = tmp_path / "reports", tmp_path / "outside"
    (reports / "_state").mkdir(parents=True)
    outside.mkdir()
    executed = outside / "stolen.ipynb"
    executed.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (reports / "_state" / "evil.json").write_text(json.dumps(
        {"status": "failed", "output": "../../evil.html", "title": "Evil", "params": {}, "rendered_at": "never"}))
    (reports / "_state" / "sly.html.json").write_text(json.dumps(
        {"status": "failed", "output": "sly.html", "title": "Sly", "params": {}, "rendered_at": "never",
         "error": "x", "executed": str(executed)}))
    monkeypatch.setenv("PLUMBING_REPORTS", str(reports))
    warnings: list[str] = []
    runner.write_index(warnings=warnings)
    assert "Evil" not in (reports / "index.html").read_text()
    assert any("evil.json names an output outside the reports folder" in w for w in warnings)
    assert any("sly.html.json names an executed notebook outside the reports folder" in w for w in warnings)
    assert sorted(p.name for p in outside.iterdir()) == ["stolen.ipynb"]  # nothing written beside it


# --- item 8: parameters are validated before any kernel -------------------------------------------

@pytest.mark.parametrize("name, given, message", [
    ("02", {"start": "notadate"}, r"02_tga_drain_2025.ipynb parameter 'start' expects a date written YYYY-MM-DD"),
    ("02", {"end": "2025-02-30"}, r"parameter 'end' .* '2025-02-30', which is not a calendar date \(day is out of range"),
    ("02", {"assets": ["spx", 3]}, r"parameter 'assets' item 2 expects a series key \(a string\), got int 3"),
    ("02", {"assets": ["spx", "not_a_series"]}, r"parameter 'assets' item 2 expects a series key: unknown series key"),
    ("06", {"bootstrap_reps": -5}, r"06_reserves_red_line.ipynb parameter 'bootstrap_reps' expects a whole number >= 1"),
    ("06", {"ratio": "gpd"}, r"parameter 'ratio' expects one of 'gdp', 'bank_assets', 'usd_bn', got 'gpd'"),
    ("06", {"robustness": ["sofr", "no_such_check"]},
     r"parameter 'robustness' item 2 expects one of 'sofr', .* got 'no_such_check'"),
    ("01", {"t0": "2019-12-31", "end": "2019-10-31"}, r"parameters 't0' and 'end': expects start <= t0 <= end"),
    ("09", {"estimation_window": [-120, -5]}, r"expects estimation_window.last < event_window.first"),
    ("04", {"baseline_day": -100}, r"parameter 'baseline_day': day -100 is outside the window of episode"),
    ("05", {"articles": ["999"]}, r"parameter 'articles' item 1 expects an article number: no article starts with '999'"),
    ("07", {"band_pct": 0}, r"parameter 'band_pct' expects a number > 0, got 0"),
    ("03", {"metals": ["gold", "gold"]}, r"parameter 'metals' expects distinct items; repeated: 'gold'"),
    ("08", {"liquidity_threshold_bn": float("inf")}, r"parameter 'liquidity_threshold_bn' expects a finite number"),
    ("07", {"band_pct": float("nan")}, r"parameter 'band_pct' expects a finite number"),
])
def test_bad_parameters_fail_at_once_naming_the_parameter(name, given, message):
    plan_jobs([name])  # the defaults pass (and the modules a check needs are imported)
    began = time.perf_counter()
    with pytest.raises(ParameterError, match=message):
        plan_jobs([name], given)
    assert time.perf_counter() - began < 2.0  # a kernel alone takes longer to start


def test_a_bad_parameter_on_the_command_line_fails_before_any_kernel_and_minus_v_shows_the_trace(tmp_path):
    env = {**os.environ, "PLUMBING_REPORTS": str(tmp_path / "reports"), "PLUMBING_OFFLINE": "1"}
    began = time.monotonic()
    plain = subprocess.run([PLUMBING, "reports", "06", "-p", "bootstrap_reps=-5"], env=env, capture_output=True,
                           text=True, timeout=60)
    assert time.monotonic() - began < 10  # an interpreter start and a file read; no kernel takes this little
    assert plain.returncode == 2
    assert plain.stderr.strip() == ("plumbing reports: error: 06_reserves_red_line.ipynb parameter 'bootstrap_reps' "
                                    "expects a whole number >= 1 and <= 20000, got -5")
    assert not (tmp_path / "reports").exists()  # nothing written
    verbose = subprocess.run([PLUMBING, "-v", "reports", "06", "-p", "bootstrap_reps=-5"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert verbose.returncode == 2 and "Traceback" in verbose.stderr


def test_every_notebook_parameters_cell_agrees_with_the_schema():
    import ast

    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert {p.stem for p in notebooks} == set(SCHEMAS), "a notebook without a schema, or a schema without a notebook"
    for path in notebooks:
        script = path.with_suffix(".py").read_text(encoding="utf-8")
        cell = script.split('# %% tags=["parameters"]\n', 1)[1].split("\n# %%", 1)[0]
        names = {node.targets[0].id for node in ast.parse(cell).body if isinstance(node, ast.Assign)}
        assert names == set(SCHEMAS[path.stem].params), f"{path.name}: parameters {sorted(names)} vs schema"
        defaults = parameter_defaults(path)
        assert set(defaults) == names
        assert check_parameters(path, {}) == defaults  # every default passes its own rules


def test_the_schema_choices_are_the_models_choices():
    from plumbing.models import event_study, net_liquidity_equities, regimes, reserve_demand

    params = {stem: schema.params for stem, schema in SCHEMAS.items()}
    red_line = params["06_reserves_red_line"]
    assert red_line["spread"].options == reserve_demand.SPREADS
    assert red_line["ratio"].options == reserve_demand.RATIOS
    assert set(red_line["weekly"].options) == set(reserve_demand.WEEKLY_STATISTICS)
    assert set(red_line["form"].options) == set(reserve_demand.FORMS)
    assert set(red_line["admin"].options) == set(reserve_demand.ADMIN_CONTROLS)
    assert set(red_line["shifter"].options) == set(reserve_demand.SHIFTERS)
    assert set(red_line["robustness"].item.options) == set(reserve_demand.ROBUSTNESS_MENU)
    assert set(params["07_net_liquidity_equities"]["robustness"].item.options) == set(
        net_liquidity_equities.LP_ROBUSTNESS_MENU)
    assert params["07_net_liquidity_equities"]["ic"].options == net_liquidity_equities.INFORMATION_CRITERIA
    assert params["07_net_liquidity_equities"]["granger_cov"].options == net_liquidity_equities.GRANGER_COV_TYPES
    assert params["07_net_liquidity_equities"]["assets"].item.options == net_liquidity_equities.ASSETS
    assert params["08_liquidity_regimes"]["liquidity"].options == regimes.LIQUIDITY_MEASURES
    assert params["09_event_studies"]["margin_model"].options == event_study.MODELS
    assert set(params["09_event_studies"]["robustness"].item.options) == set(event_study.HIKE_ROBUSTNESS_MENU)
    assert params["04_episode_comparison"]["mode"].options == episodes.EVENT_TIME_MODES


def test_an_empty_window_fails_before_any_kernel_with_no_data_in_this_window(render_env, monkeypatch):
    reports, _, env, _ = render_env
    for name in ("PLUMBING_REPORTS", "PLUMBING_CACHE"):
        monkeypatch.setenv(name, env[name])
    jobs = plan_jobs(["03"], {"start": "2030-01-01", "end": "2030-06-30", "t0": "2030-03-01"})
    (reports / jobs[0].output).write_text(PREVIOUS_HTML)
    began = time.perf_counter()
    summary = run_reports(jobs, progress=False)
    assert time.perf_counter() - began < 15
    message = summary.failed[jobs[0].output]
    assert message.startswith("no data in this window: 2030-01-01 to 2030-06-30 holds no observation of tga_daily "
                              "(it has data from ")
    assert not (reports / "_build").exists()  # no kernel ran
    assert (reports / jobs[0].output).read_text() == PREVIOUS_HTML
    assert "no data in this window" in (reports / "index.html").read_text()


# --- item 9: definition files ----------------------------------------------------------------------

def copy_with(source: Path, target: Path, old: str, new: str) -> int:
    """Copy ``source`` to ``target`` with the first ``old`` replaced; returns its line number."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_a_yaml_syntax_error_in_episodes_names_file_line_entry_and_field(tmp_path, catalog):
    line = copy_with(episodes.EPISODES_PATH, tmp_path / "episodes.yaml", "    title: ", "    title: [unclosed\n  oops: ")
    with pytest.raises(EpisodeError) as caught:
        load_episodes(tmp_path / "episodes.yaml", catalog)
    text = str(caught.value)
    assert text.startswith(f"{tmp_path / 'episodes.yaml'} line {line + 1}, column ")
    assert "entry '2019-09-repo-spike'" in text and "YAML syntax error" in text
    assert f"that starts on line {line}" in text


def test_a_yaml_syntax_error_in_the_catalog_names_file_line_and_entry(tmp_path):
    line = copy_with(ROOT / "data" / "catalog.yaml", tmp_path / "catalog.yaml", "\n  sofr:\n", "\n  sofr:\n    : : bad\n")
    with pytest.raises(CatalogError, match=rf"catalog.yaml line {line + 2}, column \d+: entry 'sofr'.*YAML syntax error"):
        load_catalog(tmp_path / "catalog.yaml")


def test_a_yaml_syntax_error_in_the_claims_names_file_and_line(tmp_path):
    line = copy_with(ROOT / "data" / "claims.yaml", tmp_path / "claims.yaml", "\nclaims:\n", "\nclaims:\n  - id: [x\n")
    with pytest.raises(ClaimError, match=rf"claims.yaml line \d+, column \d+: .*YAML syntax error.*starts on line {line + 2}"):
        load_claims(tmp_path / "claims.yaml")


@pytest.mark.parametrize("quoted", [False, True])
def test_an_impossible_date_in_episodes_names_file_line_entry_and_field(tmp_path, catalog, quoted):
    new = '"2019-09-31"' if quoted else "2019-09-31"
    line = copy_with(episodes.EPISODES_PATH, tmp_path / "episodes.yaml", "t0: 2019-09-17", f"t0: {new}")
    with pytest.raises(EpisodeError, match=rf"episodes.yaml line {line}: entry '2019-09-repo-spike' field 't0': "
                                           r"'2019-09-31' is not a calendar date \(day is out of range for month\)"):
        load_episodes(tmp_path / "episodes.yaml", catalog)


def test_an_impossible_date_in_the_claims_names_file_line_claim_and_field(tmp_path):
    source = ROOT / "data" / "claims.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    start = lines.index("claims:")
    number = next(n for n, text in enumerate(lines, 1) if n > start and text.strip().startswith("date: 20"))
    claim = next(text.split("id:", 1)[1].strip() for text in reversed(lines[:number]) if text.strip().startswith("- id:"))
    lines[number - 1] = lines[number - 1].split("date:")[0] + "date: 2019-09-31"
    (tmp_path / "claims.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ClaimError, match=rf"claims.yaml line {number}: entry '{claim}' field 'date': '2019-09-31' is not "
                                         r"a calendar date"):
        load_claims(tmp_path / "claims.yaml")


@pytest.mark.parametrize("table, column, bad", [("fomc.csv", "date", "2019-02-30"), ("policy.csv", "date", "20/03/2019"),
                                                ("fomc.csv", "change_bp", "twenty")])
def test_a_bad_cell_in_an_event_table_names_file_line_entry_and_field(tmp_path, table, column, bad):
    source = episodes.EVENTS_DIR / table
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    entry = cells[header.index("title")] if "title" in header else cells[header.index("kind")]
    cells[header.index(column)] = bad
    lines[3] = ",".join(cells)
    (tmp_path / table).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EpisodeError, match=rf"{table} line 4: entry {re.escape(repr(entry))} field '{column}': "
                                           rf"{re.escape(repr(bad))} is not a"):
        read_event_table(table, tmp_path)


def test_a_broken_episodes_file_is_one_line_from_the_cli(tmp_path, monkeypatch, capsys):
    line = copy_with(episodes.EPISODES_PATH, tmp_path / "episodes.yaml", "t0: 2019-09-17", "t0: 2019-09-31")
    monkeypatch.setattr(episodes, "EPISODES_PATH", tmp_path / "episodes.yaml")
    monkeypatch.setenv("PLUMBING_REPORTS", str(tmp_path / "reports"))
    assert cli.main(["reports", "--episode", "2019-09-repo-spike"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"plumbing reports: error: {tmp_path / 'episodes.yaml'} line {line}: entry "
                           "'2019-09-repo-spike' field 't0': '2019-09-31' is not a calendar date (day is out of "
                           "range for month); use YYYY-MM-DD")
    assert not (tmp_path / "reports").exists()


# --- item 12: claims --article ----------------------------------------------------------------------

def test_claims_for_an_article_that_does_not_exist_are_refused(capsys):
    assert cli.main(["claims", "--article", "999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("plumbing claims: error: --article '999' expects an article number: no article starts with '999'")
    assert "001_" in err and no_traceback(err)


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_a_number_of_parallel_notebooks_below_one_is_refused(capsys, jobs):
    with pytest.raises(SystemExit) as caught:
        cli.main(["reports", "00", "--jobs", jobs])
    assert caught.value.code == 2
    assert "argument --jobs" in capsys.readouterr().err
