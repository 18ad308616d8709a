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


def test_a_series_key_given_twice_in_the_catalog_names_file_line_and_key(tmp_path):
    # the fault found: IORB's block under a second 'sofr:' key silently replaced the first
    line = copy_with(ROOT / "data" / "catalog.yaml", tmp_path / "catalog.yaml", "\n  iorb:\n", "\n  sofr:\n")
    first = (ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8").splitlines().index("  sofr:") + 1
    with pytest.raises(CatalogError, match=rf"catalog.yaml line {line + 1}: entry 'sofr': key 'sofr' given twice "
                                           rf"\(first on line {first}\)"):
        load_catalog(tmp_path / "catalog.yaml")


@pytest.mark.parametrize("old, new, field", [
    ("t0: 2019-09-17", "t0: 2019-09-17\n    t0: 2019-09-18", "t0"),  # last one used to win
    ("    before: 60\n", "    before: 60\n    idx: 1\n", "idx"),  # an unknown field used to be ignored
], ids=["duplicate-t0", "unknown-field"])
def test_a_duplicate_or_unknown_field_in_an_episode_names_file_line_entry_and_field(tmp_path, catalog, old, new, field):
    line = copy_with(episodes.EPISODES_PATH, tmp_path / "episodes.yaml", old, new) + 1
    with pytest.raises(EpisodeError, match=rf"episodes.yaml line {line}: (entry|episode) '2019-09-repo-spike' field '{field}': "
                                           rf"{'key .t0. given twice' if field == 't0' else 'not a field of an episode'}"):
        load_episodes(tmp_path / "episodes.yaml", catalog)


def test_a_key_given_twice_deep_in_the_claims_names_file_line_and_key(tmp_path):
    source = ROOT / "data" / "claims.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    number = next(n for n, text in enumerate(lines, 1) if text.strip().startswith("date: 20"))
    lines.insert(number, lines[number - 1])
    (tmp_path / "claims.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ClaimError, match=rf"claims.yaml line {number + 1}: entry '.*' field 'date': key 'date' given "
                                         rf"twice \(first on line {number}\)"):
        load_claims(tmp_path / "claims.yaml")


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


@pytest.mark.parametrize("where, message", [
    ("a folder", "is a folder; give a file path such as"),
    ("a missing folder", "the folder {parent} does not exist (it is not created)"),
])
def test_a_claims_csv_path_that_cannot_be_a_file_is_one_line_and_creates_nothing(tmp_path, where, message):
    # the faults found: a folder gave an IsADirectoryError traceback; a missing folder was created
    target = tmp_path / "out" if where == "a folder" else tmp_path / "nowhere" / "deeper" / "x.csv"
    if where == "a folder":
        target.mkdir()
    before = sorted(tmp_path.rglob("*"))
    done = subprocess.run([PLUMBING, "claims", "--csv", str(target)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PLUMBING_OFFLINE": "1"})
    assert done.returncode == 2 and no_traceback(done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"plumbing claims: error: --csv {target}: "
                                                   + message.format(parent=target.parent)), lines
    assert sorted(tmp_path.rglob("*")) == before  # nothing created, nothing written


@pytest.mark.parametrize("jobs", ["0", "-2", "-1", "two"])
def test_a_number_of_parallel_notebooks_below_one_is_refused(capsys, jobs):
    with pytest.raises(SystemExit) as caught:
        cli.main(["reports", "00", "--jobs", jobs])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "argument --jobs" in err
    assert "business days" not in err  # the fault found: --jobs -1 said "give 0 or more business days"
    if jobs != "two":
        assert f"argument --jobs: {jobs} is not a number of parallel notebooks; give 1 or more" in err


def test_a_sweep_value_given_twice_is_rendered_once_in_order():
    # the fault found: the same output rendered twice (with --jobs 2, two kernels writing the same files)
    jobs = plan_jobs(["06"], sweeps=[("spread", ["effr_iorb_bp", "sofr_iorb_bp", "effr_iorb_bp"])])
    once = plan_jobs(["06"], sweeps=[("spread", ["effr_iorb_bp", "sofr_iorb_bp"])])
    assert [job.output for job in jobs] == [job.output for job in once] and len({job.output for job in jobs}) == 2
    assert [job.params["spread"] for job in jobs] == ["effr_iorb_bp", "sofr_iorb_bp"]


# --- found by an independent fault-injection review ---------------------------------------------------

def in_mount_namespace(script: str, env: dict[str, str], timeout: float = 240) -> None:
    """Run ``script`` with sh in a private mount namespace (its mounts vanish with it)."""
    if shutil.which("unshare") is None:
        pytest.fail("`unshare` (util-linux) is required for the read-only and full-disk cases")
    done = subprocess.run(["unshare", "-m", "sh", "-c", "set -e\n" + script], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        pytest.fail(f"the mount-namespace script failed (root and unshare -m are required):\n{done.stderr}")


def shell_step(args: str, out: Path, python: str | None = None) -> str:
    """A shell line running ``plumbing args`` (or ``python -c <python> args``), recording its
    stdout, stderr, exit code and seconds taken in ``out``."""
    command = f"{sys.executable} -c '{python}' {args}" if python else f"{PLUMBING} {args}"
    return (f"began=$(date +%s%N)\n{{ {command} >{out}/run.out 2>{out}/run.err && echo 0 || echo $?; }} >{out}/run.rc\n"
            f"echo $(( $(date +%s%N) - began )) >{out}/run.ns\n")


def step_result(out: Path) -> tuple[int, str, str, float]:
    return (int((out / "run.rc").read_text()), (out / "run.out").read_text(), (out / "run.err").read_text(),
            int((out / "run.ns").read_text()) / 1e9)


def scratch_or_kernel_files(temp: Path) -> list[Path]:
    return [p for p in temp.rglob("*") if p.name.startswith(("plumbing-render-", "kernel-"))]


@pytest.mark.parametrize("kind", ["a file", "under a file", "read-only", "full"])
def test_a_reports_folder_that_cannot_take_files_is_one_line_before_any_kernel(render_env, tmp_path, kind):
    reports, temp, env, marker = render_env
    before = files_under(reports)
    out = tmp_path / "out"
    out.mkdir()
    args = "reports 00 --force --no-progress --jobs 1"
    if kind in ("a file", "under a file"):
        target = tmp_path / "reports-file"
        target.write_text("precious notes\n")
        folder = target if kind == "a file" else target / "reports"
        began = time.monotonic()
        done = subprocess.run([PLUMBING, *args.split()], env={**env, "PLUMBING_REPORTS": str(folder)},
                              capture_output=True, text=True, timeout=120)
        code, err, seconds = done.returncode, done.stderr, time.monotonic() - began
        reason = ("is a file, not a folder (check PLUMBING_REPORTS)" if kind == "a file"
                  else "Not a directory (check PLUMBING_REPORTS)")
        expected = (f"plumbing reports: error: the reports folder {folder} {reason}" if kind == "a file" else
                    f"plumbing reports: error: cannot create the reports folder {folder}: {reason}")
        assert target.read_text() == "precious notes\n"
    else:
        if kind == "read-only":
            mount = f"mount --bind {reports} {reports}\nmount -o remount,bind,ro {reports}\n"
            reason = "Read-only file system"
        else:
            mount = (f"mount -t tmpfs -o size=256k tmpfs {reports}\ncp -a {tmp_path / 'reports-copy'}/. {reports}/\n"
                     f"dd if=/dev/zero of={reports}/filler bs=4k 2>/dev/null || true\n")
            shutil.copytree(reports, tmp_path / "reports-copy")
            reason = "No space left on device"
        in_mount_namespace(mount + shell_step(args, out), env)
        code, _, err, seconds = step_result(out)
        expected = (f"plumbing reports: error: cannot write in the reports folder {reports}: {reason} "
                    "(check PLUMBING_REPORTS); nothing was rendered")
    assert code == 2
    assert err.strip() == expected  # one line, no stack trace
    assert seconds < 20  # no kernel started: that alone takes longer than the check
    assert scratch_or_kernel_files(temp) == [] and not (temp / "plumbing-kernels-0").exists()
    assert files_under(reports) == before  # nothing written, the previous HTML untouched
    assert (reports / "00_liquidity_monitor.html").read_text() == PREVIOUS_HTML


def test_a_reports_folder_that_is_a_file_shows_the_trace_with_minus_v(render_env, tmp_path):
    _, _, env, _ = render_env
    target = tmp_path / "reports-file"
    target.write_text("precious notes\n")
    done = subprocess.run([PLUMBING, "-v", "reports", "00", "--no-progress"], env={**env, "PLUMBING_REPORTS": str(target)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" in done.stderr and "ReportsFolderError" in done.stderr
    assert target.read_text() == "precious notes\n"


SMALL_AND_BIG = {  # notebook -> the code of its one cell
    "90_small": "print('a small report')",
    "91_big": "print('x' * 4_000_000)",  # a 4 MB executed notebook: more than the disk has left
}


def tiny_notebooks(folder: Path, cells: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, code in cells.items():
        nb = nbformat.v4.new_notebook(
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            cells=[nbformat.v4.new_markdown_cell(f"# {stem}"),
                   nbformat.v4.new_code_cell("n = 1", metadata={"tags": ["parameters"]}),
                   nbformat.v4.new_code_cell(code)])
        nbformat.write(nb, folder / f"{stem}.ipynb")
    return folder


#: ``python -c`` a run with the notebooks folder given as the first argument (the rest: plumbing's)
WITH_NOTEBOOKS = ("import sys; from pathlib import Path; from plumbing.reports import runner; "
                  "runner.NOTEBOOKS_DIR = Path(sys.argv[1]); from plumbing.cli import main; sys.exit(main(sys.argv[2:]))")


def test_a_disk_that_fills_up_mid_run_fails_that_report_alone_and_the_others_carry_on(render_env, tmp_path):
    reports, temp, env, marker = render_env
    notebooks = tiny_notebooks(tmp_path / "notebooks", SMALL_AND_BIG)
    (reports / "91_big.html").write_text(PREVIOUS_HTML)
    shutil.copytree(reports, tmp_path / "reports-copy")
    out, after = tmp_path / "out", tmp_path / "after"
    out.mkdir()
    script = (f"mount -t tmpfs -o size=1m tmpfs {reports}\ncp -a {tmp_path / 'reports-copy'}/. {reports}/\n"
              + shell_step(f"{notebooks} reports 90 91 --force --no-progress --jobs 1", out, python=WITH_NOTEBOOKS)
              + f"cp -a {reports}/. {after}/\n")
    in_mount_namespace(script, env)
    code, stdout, err, _ = step_result(out)
    assert code == 1
    assert no_traceback(stdout + err)
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert failed == [f"FAILED     91_big.html: cannot write {reports / '_build' / '91_big.ipynb'}: No space left on device; "
                      "the previous good HTML, if any, is kept"]
    assert f"rendered   {reports / '90_small.html'}" in stdout
    assert (after / "91_big.html").read_text() == PREVIOUS_HTML  # the previous good HTML, whole
    assert "a small report" in (after / "90_small.html").read_text()
    state = json.loads((after / "_state" / "91_big.html.json").read_text())
    assert state["status"] == "failed" and "No space left on device" in state["error"]
    index = (after / "index.html").read_text()
    assert 'href="90_small.html"' in index and "No space left on device" in index
    assert not [p for p in after.rglob("*.tmp")]  # no half-written temp file left behind
    assert_nothing_left(marker, temp)


@pytest.mark.parametrize("fifo", [".package-fingerprint.json", "_state/zz.json", "_state/90_small.html.json"],
                         ids=["the-fingerprint-memo", "a-stray-state-file", "the-reports-own-state-file"])
def test_a_named_pipe_in_the_reports_folder_is_never_waited_on(render_env, tmp_path, fifo):
    # the fault found: reading any of these blocked forever, and SIGINT/SIGTERM did not stop it
    reports, temp, env, marker = render_env
    notebooks = tiny_notebooks(tmp_path / "notebooks", {"90_small": SMALL_AND_BIG["90_small"]})
    (reports / "_state").mkdir()
    os.mkfifo(reports / fifo)
    process = subprocess.Popen([sys.executable, "-c", WITH_NOTEBOOKS, str(notebooks), "reports", "90", "--no-progress",
                                "--jobs", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"plumbing reports waited on the named pipe {reports / fifo}")
    assert process.returncode == 0, err
    assert no_traceback(out + err)
    assert f"rendered   {reports / '90_small.html'}" in out
    if fifo.startswith("_state/"):  # named and stale; the memo is simply absent
        assert f"warning    {reports / fifo} cannot be read ({reports / fifo} is not a regular file (a named pipe)); " \
               "treated as stale" in err
    if fifo == "_state/zz.json":
        assert (reports / fifo).is_fifo()  # named, left as it is
    else:  # the run wrote a good file in its place
        assert json.loads((reports / fifo).read_text())
    assert 'href="90_small.html"' in (reports / "index.html").read_text()
    assert_nothing_left(marker, temp)


def _signal_when(env: dict[str, str], marker: str, reports: Path, started: str,
                 delay: float) -> tuple[subprocess.Popen, str, str, dict]:
    """Start a render and send SIGINT to its whole group (like Ctrl-C) ``delay`` seconds after
    a process whose command line holds ``started`` appears (it is then still importing); also
    returns the files under ``reports`` at that moment."""
    process = subprocess.Popen([PLUMBING, "reports", "00", "--force", "--no-progress", "--jobs", "1"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = wait_until(lambda: any(started in c for c in marked_processes(marker).values()) or process.poll() is not None,
                      timeout=60, step=0.01)
    assert seen and process.poll() is None, process.communicate()
    time.sleep(delay)
    before = files_under(reports)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process, out, err, before


@pytest.mark.parametrize("started, delay", [("plumbing.reports.forkserver", 0.3), ("multiprocessing.spawn", 0.0)],
                         ids=["while-the-fork-server-imports", "while-the-worker-imports"])
def test_ctrl_c_while_the_workers_start_is_one_line_and_exit_130(render_env, started, delay):
    reports, temp, env, marker = render_env
    process, out, err, before = _signal_when(env, marker, reports, started, delay)
    assert process.returncode == 130
    assert no_traceback(out + err) and "KeyboardInterrupt" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cancelled by SIGINT: rendered 0 of 1 reports; not rendered: "
                                                   "00_liquidity_monitor.html ("), err
    assert files_under(reports) == before
    assert_nothing_left(marker, temp)


def test_ctrl_c_before_the_run_starts_is_one_line_and_exit_130(render_env):
    reports, temp, env, marker = render_env
    process = subprocess.Popen([PLUMBING, "reports", "00", "--force", "--no-progress"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(0.4)  # importing and planning: the run's own handler is not installed yet
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and no_traceback(out + err)
    assert len(err.strip().splitlines()) == 1
    assert_nothing_left(marker, temp)


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _kernels_of(marker: str, server_cmd: str = "plumbing.reports.forkserver") -> list[int]:
    """The kernels of a run: forked children of its fork server (the same command line as the
    server, whose parent is the server)."""
    found = marked_processes(marker)
    kernels = []
    for pid, cmd in found.items():
        try:
            if server_cmd in cmd and server_cmd in found.get(_parent(pid), ""):
                kernels.append(pid)
        except (OSError, ValueError):
            continue
    return kernels


def test_a_sigkilled_worker_leaves_no_kernel_scratch_folder_or_kernel_files(render_env):
    reports, temp, env, marker = render_env
    process = start_render(env, "00", "01")
    sockets = temp / f"plumbing-kernels-{os.getuid()}"
    assert wait_until(lambda: (list(sockets.glob("kernel-*-1")) and _kernels_of(marker)) or process.poll() is not None,
                      timeout=120)
    assert process.poll() is None, process.communicate()
    worker = next(pid for pid, cmd in marked_processes(marker).items() if "multiprocessing.spawn" in cmd)
    kernels = _kernels_of(marker)
    assert kernels, marked_processes(marker)
    mine = [p for p in scratch_or_kernel_files(temp) if f"-{worker}-" in p.name]
    assert {p.name.split("-")[0] for p in mine} == {"plumbing", "kernel"}  # its scratch folder and kernel files
    os.kill(worker, signal.SIGKILL)
    # while the run goes on: the worker's kernel is killed and what it left is removed
    assert wait_until(lambda: not any(Path(f"/proc/{pid}").exists() and pid in marked_processes(marker)
                                      for pid in kernels), timeout=10), kernels
    assert wait_until(lambda: not [p for p in mine if p.exists()], timeout=10), mine
    out, err = process.communicate(timeout=240)
    assert process.returncode == 1
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and "the render process exited unexpectedly (exit code -9)" in failed[0]
    assert len(re.findall(r"^rendered ", out, re.M)) == 1  # the other report rendered on a new worker
    assert no_traceback(err)
    assert_nothing_left(marker, temp)


def test_leftovers_of_dead_workers_are_removed_by_the_next_run_and_a_live_ones_kept(tiny_env):
    reports, notebooks, temp, monkeypatch = tiny_env
    dead = _dead_pid()
    sockets = temp / f"plumbing-kernels-{os.getuid()}"
    sockets.mkdir(mode=0o700)
    stale = [temp / f"plumbing-render-{dead}-ab12cd34", sockets / f"kernel-{dead}-0123456789ab.json",
             sockets / f"kernel-{dead}-0123456789ab-1"]
    live = [temp / f"plumbing-render-{os.getpid()}-ef56ab78", sockets / f"kernel-{os.getpid()}-ba9876543210.json"]
    for path in (stale[0], live[0]):
        path.mkdir()
        (path / "90_small.reads").write_text("sofr\n")
    for path in stale[1:] + live[1:]:
        path.write_text("{}")
    summary = run_reports(plan_jobs(["90"]), force=True, progress=False)
    assert summary.rendered == ["90_small.html"], summary
    assert [p for p in stale if p.exists()] == []
    assert [p for p in live if p.exists()] == live  # a live process's files are its own


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.fixture
def tiny_env(tmp_path, warm_cache, monkeypatch):
    """In this process: the tiny notebooks, a reports folder and a private temp folder."""
    reports = tmp_path / "reports"
    temp = Path(tempfile.mkdtemp(prefix="pt-", dir="/tmp"))
    notebooks = tiny_notebooks(tmp_path / "notebooks", SMALL_AND_BIG)
    monkeypatch.setenv("PLUMBING_CACHE", str(warm_cache.root))
    monkeypatch.setenv("PLUMBING_REPORTS", str(reports))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(runner, "NOTEBOOKS_DIR", notebooks)
    yield reports, notebooks, temp, monkeypatch
    shutil.rmtree(temp, ignore_errors=True)


GOOD_STATE = {"status": "ok", "key": "k", "output": "92_good.html", "title": "Good", "notebook": "92_good.ipynb",
              "params": {"n": 1}, "given": {}, "data": {"sofr": "abc"}, "files": {"sofr": [1, 2, 3, "abc"]},
              "as_of": [{"key": "sofr", "title": "SOFR", "source": "snapshot", "last": "2025-10-31"}],
              "data_as_of": "2025-10-31", "rendered_at": "2025-11-01 08:00", "render_seconds": 2.5,
              "summary": {"records": {"finding_1": "fine", "count_supported": 3,
                                      "tiles": [{"name": "reserves", "title": "Reserves", "unit": "usd_bn", "note": "",
                                                 "date": "2025-10-29", "value": 2850.0, "chg_1w": -10.0, "chg_1m": 5.0,
                                                 "pctile": 12.0, "spark": [["2025-10-24", 2860.0], ["2025-10-31", 2850.0]]}]},
                          "thumbnail": None},
              "executed": "_build/92_good.ipynb"}

#: state files that are valid JSON (or nearly) but not a report state; each must be named, not fatal
MALFORMED = {
    "a list": b'[{"status": "ok", "output": "90_small.html"}]',
    "a number": b"42",
    "NUL bytes in the file": b'{"status": "ok", \x00"output": "90_small.html"}',
    "a NUL in the output path": json.dumps({**GOOD_STATE, "output": "90_small\u0000.html"}).encode(),
    "as_of a string": json.dumps({**GOOD_STATE, "as_of": "sofr"}).encode(),
    "as_of rows of numbers": json.dumps({**GOOD_STATE, "as_of": [1, 2]}).encode(),
    "as_of last not a date": json.dumps({**GOOD_STATE, "as_of": [{"key": "sofr", "last": 20251031}]}).encode(),
    "summary a list": json.dumps({**GOOD_STATE, "summary": ["records"]}).encode(),
    "records a string": json.dumps({**GOOD_STATE, "summary": {"records": "x"}}).encode(),
    "tiles an object": json.dumps({**GOOD_STATE, "summary": {"records": {"tiles": {"value": 1}}}}).encode(),
    "a tile value in text": json.dumps({**GOOD_STATE, "summary": {"records": {"tiles": [
        {**GOOD_STATE["summary"]["records"]["tiles"][0], "value": "2,850"}]}}}).encode(),
    "a tile without a percentile": json.dumps({**GOOD_STATE, "summary": {"records": {"tiles": [
        {**GOOD_STATE["summary"]["records"]["tiles"][0], "pctile": None}]}}}).encode(),
    "a count in text": json.dumps({**GOOD_STATE, "summary": {"records": {"count_supported": "many"}}}).encode(),
    "markup as the thumbnail": json.dumps({**GOOD_STATE, "summary": {"records": {}, "thumbnail": '"><script>'}}).encode(),
    "params a list": json.dumps({**GOOD_STATE, "params": [1, 2]}).encode(),
    "title a number": json.dumps({**GOOD_STATE, "title": 7}).encode(),
    "an unknown status": json.dumps({**GOOD_STATE, "status": "maybe"}).encode(),
    "render seconds in text": json.dumps({**GOOD_STATE, "render_seconds": "slow"}).encode(),
    "render seconds NaN": json.dumps({**GOOD_STATE, "render_seconds": float("nan")}).encode(),
    "data checksums as numbers": json.dumps({**GOOD_STATE, "data": {"sofr": 5}}).encode(),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_state_file_is_named_once_and_never_blocks_the_index(tmp_path, monkeypatch, kind):
    reports = tmp_path / "reports"
    (reports / "_state").mkdir(parents=True)
    monkeypatch.setenv("PLUMBING_REPORTS", str(reports))
    (reports / "92_good.html").write_text(PREVIOUS_HTML)
    (reports / "90_small.html").write_text(PREVIOUS_HTML)
    (reports / "_state" / "92_good.html.json").write_text(json.dumps(GOOD_STATE))
    bad = reports / "_state" / "90_small.html.json"
    bad.write_bytes(MALFORMED[kind])
    warnings: list[str] = []
    runner.write_index(warnings=warnings)
    index = (reports / "index.html").read_text()
    assert 'href="92_good.html"' in index and "90_small" not in index
    assert len(warnings) == 1 and warnings[0].startswith(f"{bad} ") and "treated as stale" in warnings[0], warnings
    assert bad.read_bytes() == MALFORMED[kind]  # named, not rewritten behind the user's back
    stale: list[str] = []
    assert runner.read_state("90_small.html", stale) is None and stale == warnings  # so the report renders again


def test_a_good_state_file_passes_the_shape_check():
    assert runner.state_problem(GOOD_STATE) is None
    assert runner.state_problem({**GOOD_STATE, "summary": {"records": {"tiles": [
        {"name": "move", "title": "MOVE", "unit": "", "note": "", "date": None, "value": None, "chg_1w": None,
         "chg_1m": None, "pctile": None, "spark": []}]}, "thumbnail": None}}) is None  # a tile with no data


def test_malformed_state_files_met_by_a_real_run_are_named_and_the_report_renders_again(tiny_env):
    reports, _, _, _ = tiny_env
    (reports / "_state").mkdir(parents=True)
    (reports / "_state" / "90_small.html.json").write_bytes(MALFORMED["as_of rows of numbers"])
    (reports / "_state" / "93_gone.html.json").write_bytes(MALFORMED["a tile value in text"])
    summary = run_reports(plan_jobs(["90"]), progress=False)
    assert summary.ok and summary.rendered == ["90_small.html"]  # stale: rendered again, not "up to date"
    assert any(str(reports / "_state" / "90_small.html.json") in w for w in summary.warnings)
    assert any(str(reports / "_state" / "93_gone.html.json") in w for w in summary.warnings)
    state = json.loads((reports / "_state" / "90_small.html.json").read_text())
    assert runner.state_problem(state) is None
    assert state["executed"] == "_build/90_small.ipynb"  # relative to the reports folder
    assert runner.executed_path(state) == (reports / "_build" / "90_small.ipynb").resolve()
    assert 'href="90_small.html"' in (reports / "index.html").read_text()


def test_the_executed_path_is_read_relative_or_old_absolute_but_never_outside(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    (reports / "_build").mkdir(parents=True)
    monkeypatch.setenv("PLUMBING_REPORTS", str(reports))
    inside = (reports / "_build" / "x.ipynb").resolve()
    assert runner.executed_path({"executed": "_build/x.ipynb"}) == inside
    assert runner.executed_path({"executed": str(inside)}) == inside  # a state written before this version
    for outside in ["../x.ipynb", "_build/../../x.ipynb", str(tmp_path / "x.ipynb"), "/etc/passwd", "", "a\0b"]:
        assert runner.executed_path({"executed": outside}) is None, outside


def test_an_episode_given_twice_is_planned_once_in_order():
    jobs = plan_jobs(episodes=["2020-03-dash-for-cash", "2019-09-repo-spike", "2020-03-dash-for-cash"])
    assert [job.output for job in jobs] == ["episodes/2020-03-dash-for-cash.html", "episodes/2019-09-repo-spike.html"]


def test_an_episode_given_twice_on_the_command_line_is_one_report(render_env):
    reports, temp, env, marker = render_env
    process = subprocess.Popen([PLUMBING, "reports", "--episode", "2019-09-repo-spike", "--episode", "2019-09-repo-spike",
                                "--force", "--no-progress"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    assert wait_until(lambda: any("plumbing.reports.forkserver" in c for c in marked_processes(marker).values())
                      or process.poll() is not None, timeout=60, step=0.01)
    process.send_signal(signal.SIGTERM)  # the run's plan, as it stands, is in the summary line
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert "cancelled by SIGTERM: rendered 0 of 1 reports; not rendered: episodes/2019-09-repo-spike.html (" in err
    assert err.count("episodes/2019-09-repo-spike.html") == 1
    assert_nothing_left(marker, temp)


@pytest.mark.parametrize("args, outputs", [
    (["--episode", "2019-09-repo-spike"], ["episodes/2019-09-repo-spike.html"]),
    (["03", "09"], ["03_crash_2026.html", "09_event_studies.html"]),  # CME margins: the crash chart, the event study
], ids=["an episode page", "themed reports that declare it"])
def test_a_missing_snapshot_is_found_before_any_kernel(render_env, tmp_path, args, outputs):
    """Reports that read the snapshot's event tables (episode pages always; themed reports by
    their schema) fail at once without it, each on one line naming the path; no kernel starts."""
    reports, temp, env, marker = render_env
    nowhere = tmp_path / "no-snapshot"
    began = time.monotonic()
    done = subprocess.run([PLUMBING, "reports", *args, "--force", "--no-progress"],
                          env={**env, "PLUMBING_SNAPSHOT": str(nowhere)}, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - began < 20
    assert done.returncode == 1 and no_traceback(done.stderr)
    failed = sorted(line for line in done.stderr.splitlines() if line.startswith("FAILED"))
    assert failed == [f"FAILED     {output}: snapshot directory {nowhere} does not exist; set "
                      "PLUMBING_SNAPSHOT to the snapshot folder (default ../shared/data/snapshot beside the repository); "
                      "this report reads its event tables (events/cme_metals_margins.csv); not rendered (the previous "
                      "good HTML, if any, is kept)" for output in sorted(outputs)]
    assert not (reports / "_build").exists() and scratch_or_kernel_files(temp) == []  # no kernel started


def test_a_missing_snapshot_with_an_empty_cache_is_one_line_before_any_kernel(render_env, tmp_path):
    reports, temp, env, marker = render_env
    nowhere, empty = tmp_path / "no-snapshot", tmp_path / "empty-cache"
    empty.mkdir()
    before = files_under(reports)
    began = time.monotonic()
    for args in (["--episode", "2019-09-repo-spike"], ["00", "06"]):
        done = subprocess.run([PLUMBING, "reports", *args, "--force", "--no-progress"],
                              env={**env, "PLUMBING_SNAPSHOT": str(nowhere), "PLUMBING_CACHE": str(empty)},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2
        assert done.stderr.strip() == (
            f"plumbing reports: error: snapshot directory {nowhere} does not exist; set PLUMBING_SNAPSHOT to the "
            "snapshot folder (default ../shared/data/snapshot beside the repository); and the cache "
            f"{empty} holds no series, so no report has data to read (point PLUMBING_SNAPSHOT at the snapshot, "
            "or fill the cache with plumbing data sync)")
    assert time.monotonic() - began < 30
    memo = ".package-fingerprint.json"  # the package fingerprint, remembered: no report, state or index
    assert {k: v for k, v in files_under(reports).items() if k != memo} == before
    assert scratch_or_kernel_files(temp) == []
    assert list(empty.iterdir()) == []
