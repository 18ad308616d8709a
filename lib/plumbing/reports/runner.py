"""Plan, execute and export the reports: incremental, parallel, failure-tolerant.

A report is a notebook plus parameters. It is rendered again only when its notebook, its
parameters, the helper package (``lib/plumbing`` and the definitions in ``data/``) or the
cached data it read have changed since its last good render; ``force`` overrides. Jobs run in
parallel processes (one papermill kernel each). A failing notebook is reported with its cell
and error, its previous good HTML stays in place, the others finish, and the run reports the
failure. ``reports/index.html`` is rebuilt at the end of every run.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from .. import config
from ..files import atomic_write_bytes
from ..cache import SeriesCache
from ..catalog import unknown_key_message
from .params import ParameterError, check_parameters

NOTEBOOKS_DIR: Path = config.REPO_ROOT / "notebooks"
EPISODE_TEMPLATE = "episode_template.ipynb"
THEMED_PATTERN = "[0-9][0-9]_*.ipynb"
CELL_TIMEOUT_S = 900


def reports_dir() -> Path:
    """Where reports go: ``$PLUMBING_REPORTS`` or ``<repo>/reports``."""
    configured = os.environ.get("PLUMBING_REPORTS")
    return Path(configured).resolve() if configured else config.REPO_ROOT / "reports"


@dataclass(frozen=True)
class ReportJob:
    """One notebook with its parameters and where its HTML goes (relative to reports/)."""

    notebook: str  # path
    params: dict
    given: dict
    output: str
    title: str


@dataclass
class RunSummary:
    """What a run did."""

    rendered: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed




def notebook_title(path: Path) -> str:
    """The first ``# `` heading of the notebook's first markdown cell (else the file stem)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
            break
    return path.stem


def themed_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob(THEMED_PATTERN))


def _output_name(stem: str, given: dict) -> str:
    if not given:
        return f"{stem}.html"
    digest = hashlib.sha256(json.dumps(given, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{stem}--{digest}.html"


def _changed(notebook: Path, params: dict) -> dict:
    """The parameters that differ from the notebook's defaults (they name the output file)."""
    from .params import parameter_defaults

    defaults = parameter_defaults(notebook)
    return {k: v for k, v in params.items() if k not in defaults or defaults[k] != v}


def plan_jobs(names: list[str] | None = None, given: dict | None = None, episodes: list[str] | None = None,
              all_episodes: bool = False) -> list[ReportJob]:
    """The reports a command asks for, with parameters validated before anything runs.

    ``names`` picks themed notebooks by number or stem (``02`` or ``02_tga_drain``); none
    and no episode options means every themed notebook. ``episodes``/``all_episodes`` add
    episode-template reports. ``given`` overrides parameters in every selected notebook.
    """
    given = dict(given or {})
    themed = themed_notebooks()
    chosen: list[Path] = []
    if names:
        for name in names:
            matches = [p for p in themed if p.stem == name or p.stem.split("_", 1)[0] == name]
            if not matches:
                raise ParameterError(unknown_key_message(name, [p.stem for p in themed], "report notebook"))
            chosen += [m for m in matches if m not in chosen]
    elif not episodes and not all_episodes:
        chosen = themed
    jobs = []
    for path in chosen:
        params = check_parameters(path, given)
        changed = _changed(path, params)
        jobs.append(ReportJob(str(path), params, changed, _output_name(path.stem, changed), notebook_title(path)))
    if episodes or all_episodes:
        from ..episodes import load_episodes

        registry = load_episodes()
        wanted = list(registry) if all_episodes else list(episodes or [])
        template = NOTEBOOKS_DIR / EPISODE_TEMPLATE
        for episode_id in wanted:
            if episode_id not in registry:
                raise ParameterError(unknown_key_message(episode_id, registry, "episode id"))
            params = check_parameters(template, {**given, "episode_id": episode_id})
            changed = {k: v for k, v in _changed(template, params).items() if k != "episode_id"}
            output = "episodes/" + _output_name(episode_id, changed)
            jobs.append(ReportJob(str(template), params, changed, output, f"Episode replay: {registry[episode_id].title}"))
    return jobs


def package_fingerprint() -> str:
    """A hash of the helper package, the project's data definitions and the snapshot's event
    tables (read directly by the notebooks, not through the series cache)."""
    digest = hashlib.sha256()
    try:
        from ..catalog import load_catalog
        from ..sources.snapshot import SnapshotSource

        snapshot = SnapshotSource()
        for spec in load_catalog().event_files.values():
            digest.update(snapshot.checksum(spec.snapshot.file).encode())
    except Exception as err:  # no snapshot: the notebooks will say so when they run
        digest.update(f"no snapshot: {type(err).__name__}".encode())
    roots = [config.REPO_ROOT / "lib" / "plumbing", config.DATA_DIR]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".yaml", ".csv"} and "cache" not in path.relative_to(config.REPO_ROOT).parts:
                digest.update(str(path.relative_to(config.REPO_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def job_key(job: ReportJob, package: str, show_code: bool = False) -> str:
    """What a rendered report depends on, apart from the data it read (and whether code shows)."""
    digest = hashlib.sha256(Path(job.notebook).read_bytes())
    digest.update(json.dumps(job.params, sort_keys=True, default=str).encode())
    digest.update(package.encode())
    digest.update(b"show-code" if show_code else b"hide-code")
    return digest.hexdigest()


def _state_path(output: str) -> Path:
    return reports_dir() / "_state" / (output.replace("/", "__") + ".json")


def read_state(output: str) -> dict | None:
    path = _state_path(output)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_up_to_date(job: ReportJob, key: str, cache: SeriesCache) -> bool:
    """True when the last good render had the same inputs and the data it read is unchanged."""
    state = read_state(job.output)
    if not state or state.get("status") != "ok" or state.get("key") != key:
        return False
    if not (reports_dir() / job.output).is_file():
        return False
    for series_key, checksum in state.get("data", {}).items():
        meta = cache.metadata(series_key)
        if meta is None or meta.checksum != checksum:
            return False
    return True


def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")[:80]


def quiet_kernel_manager_class() -> type:
    """A local kernel manager talking to its kernel over IPC sockets in the temp folder.

    Local TCP kernels print a warning about unencrypted traffic on every start; IPC sockets
    never leave the machine, and keeping them in the temp folder keeps notebooks/ clean.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class QuietKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            folder = Path(tempfile.gettempdir()) / f"plumbing-kernels-{os.getuid()}"
            folder.mkdir(mode=0o700, exist_ok=True)
            # one prefix per kernel: parallel kernels must never pick the same socket files
            return str(folder / f"kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}")

    return QuietKernelManager


def execute_job(job: dict, key: str, show_code: bool) -> dict:
    """Run one report in this process (called in a worker): execute, export, record state."""
    import papermill as pm

    from ..catalog import load_catalog as _catalog
    from .html import export_html, header_markdown

    out_dir = reports_dir()
    job_obj = ReportJob(**job)
    build = out_dir / "_build"
    build.mkdir(parents=True, exist_ok=True)
    safe = job_obj.output.replace("/", "__").removesuffix(".html")
    executed = build / f"{safe}.ipynb"
    read_log = build / f"{safe}.reads"
    read_log.write_text("", encoding="utf-8")
    os.environ["PLUMBING_READ_LOG"] = str(read_log)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    rendered_at = datetime.now(timezone.utc)
    try:
        pm.execute_notebook(job_obj.notebook, str(executed), parameters=job_obj.params, kernel_name="python3",
                            progress_bar=False, cwd=str(NOTEBOOKS_DIR), execution_timeout=CELL_TIMEOUT_S,
                            kernel_manager_class=quiet_kernel_manager_class())
    except pm.PapermillExecutionError as err:
        # papermill counts cells of its copy (with an injected parameters cell, before it adds
        # error banners); report the position in the notebook the user edits instead
        def tags(cell: nbformat.NotebookNode) -> list[str]:
            return cell.get("metadata", {}).get("tags", [])

        cells = [c for c in nbformat.read(executed, as_version=4).cells if "papermill-error-cell-tag" not in tags(c)]
        failing = cells[err.cell_index]
        original = [c for c in cells if "injected-parameters" not in tags(c)]
        position = next(i for i, c in enumerate(original) if c is failing) + 1
        message = (f"cell {position} of {Path(job_obj.notebook).name} ({_first_line(err.source)!r}): "
                   f"{err.ename}: {err.evalue}")
        record_failure(job_obj, message)
        return {"output": job_obj.output, "status": "failed", "error": message}
    keys = sorted(set(filter(None, read_log.read_text(encoding="utf-8").split())))
    cache, catalog = SeriesCache(), _catalog()
    as_of, data = [], {}
    for series_key in keys:
        meta = cache.metadata(series_key)
        if meta is None:
            continue
        data[series_key] = meta.checksum
        as_of.append({"key": series_key, "title": catalog.get(series_key).title, "source": meta.source, "last": meta.last})
    nb = nbformat.read(executed, as_version=4)
    first_md = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first_md is not None:
        first_md.source = re.sub(r"^# .*\n?", "", first_md.source, count=1)
    header = nbformat.v4.new_markdown_cell(header_markdown(job_obj.title, job_obj.params, as_of, rendered_at,
                                                           Path(job_obj.notebook).name))
    nb.cells.insert(0, header)
    html_text = export_html(nb, show_code=show_code)
    atomic_write_bytes(out_dir / job_obj.output, html_text.encode("utf-8"))
    state = {"status": "ok", "key": key, "output": job_obj.output, "title": job_obj.title, "notebook": Path(job_obj.notebook).name,
             "params": job_obj.params, "given": job_obj.given, "data": data, "as_of": as_of,
             "data_as_of": max((r["last"] for r in as_of), default=None),
             "rendered_at": rendered_at.strftime("%Y-%m-%d %H:%M"), "executed": str(executed)}
    atomic_write_bytes(_state_path(job_obj.output), json.dumps(state, indent=2, default=str).encode())
    return {"output": job_obj.output, "status": "ok"}


def record_failure(job: ReportJob, message: str) -> None:
    """Mark a report's state as failed (keeping what its last good render recorded)."""
    previous = read_state(job.output) or {}
    state = {**previous, "status": "failed", "error": message, "output": job.output,
             "title": previous.get("title", job.title), "params": previous.get("params", job.params),
             "rendered_at": previous.get("rendered_at", "never"),
             "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    atomic_write_bytes(_state_path(job.output), json.dumps(state, indent=2, default=str).encode())


def write_index() -> Path:
    """Rebuild ``reports/index.html`` from the state of every report rendered so far."""
    from .html import index_html

    out_dir = reports_dir()
    entries = []
    for path in sorted((out_dir / "_state").glob("*.json")):
        state = json.loads(path.read_text(encoding="utf-8"))
        if (out_dir / state["output"]).is_file() or state.get("status") == "failed":
            entries.append(state)
    target = out_dir / "index.html"
    atomic_write_bytes(target, index_html(entries, datetime.now(timezone.utc)).encode("utf-8"))
    return target


def run_reports(jobs: list[ReportJob], *, force: bool = False, jobs_in_parallel: int | None = None,
                show_code: bool = False, progress: bool = True) -> RunSummary:
    """Render what is out of date (everything with ``force``), in parallel, then the index."""
    from tqdm import tqdm

    summary = RunSummary()
    cache = SeriesCache()
    package = package_fingerprint()
    todo = []
    for job in jobs:
        key = job_key(job, package, show_code)
        if not force and is_up_to_date(job, key, cache):
            summary.up_to_date.append(job.output)
        else:
            todo.append((job, key))
    if todo:
        workers = max(1, min(jobs_in_parallel or os.cpu_count() or 1, len(todo)))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(execute_job, asdict(job), key, show_code): job for job, key in todo}
            bar = tqdm(as_completed(futures), total=len(futures), desc="reports", unit="report", disable=not progress)
            for future in bar:
                job = futures[future]
                try:
                    result = future.result()
                except Exception as err:  # a crash outside a cell (kernel death, export, timeout)
                    result = {"output": job.output, "status": "failed", "error": f"{type(err).__name__}: {err}"}
                    record_failure(job, result["error"])
                if result["status"] == "ok":
                    summary.rendered.append(result["output"])
                else:
                    summary.failed[result["output"]] = result["error"]
    write_index()
    return summary
