"""Plan, execute and export the reports: incremental, parallel, failure-tolerant, cancellable.

A report is a notebook plus parameters. It is rendered again only when its notebook, its
parameters, the helper package (``lib/plumbing`` and the definitions in ``data/``) or the
cached data it read have changed since its last good render; ``force`` overrides. Jobs run in
parallel worker processes, each report in a fresh kernel forked warm from the worker's fork
server (see :mod:`.workers`, :mod:`.forkserver`), or on a Dask cluster (:mod:`.cluster`);
the longest (by their last render) start first. A failing notebook is reported with its cell
and error, its previous good HTML stays in place, the others finish, and the run reports the
failure. ``reports/index.html`` is rebuilt after every completed run that rendered or failed
something. Whether a report is current is decided without importing papermill, nbconvert,
the kernel machinery or the plotting libraries (a no-op rerun takes well under a second).

What the runner guarantees:

- **Nothing outside the reports folder.** Every path it writes (HTML, state, executed
  notebooks, the index) is resolved and checked to lie inside :func:`reports_dir` first.
- **Nothing half-written, nothing after cancellation.** Files are written whole and renamed
  into place (:class:`WriteGate`), under a lock that cancellation takes: once a run is
  cancelled no file is written, not even one a worker had almost finished.
- **Clean cancellation.** SIGINT and SIGTERM stop the run: pending jobs are dropped, running
  kernels are killed, workers exit, and :class:`RunSummary` says what was and was not
  rendered. A worker whose parent dies (even by SIGKILL) notices within a fraction of a second
  (its pipe to the parent closes) and does the same.
- **Kernels read the cache only.** They run without ``*_API_KEY``/``*_TOKEN``/``*_SECRET``
  variables, and they are shut down without the spurious interrupt that made every render log
  ``KeyboardInterrupt caught in kernel``.
- **A corrupt state file is named and treated as stale**; it never blocks the other reports.
- **An empty data window fails before any kernel** with "no data in this window".
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..catalog import unknown_key_message
from ..files import atomic_write_bytes
from .params import ParameterError, check_parameters, data_window, parameter_defaults

if TYPE_CHECKING:
    from ..cache import SeriesCache

log = logging.getLogger(__name__)

NOTEBOOKS_DIR: Path = config.REPO_ROOT / "notebooks"
EPISODE_TEMPLATE = "episode_template.ipynb"
THEMED_PATTERN = "[0-9][0-9]_*.ipynb"
CELL_TIMEOUT_S = 900


def reports_dir() -> Path:
    """Where reports go: ``$PLUMBING_REPORTS`` or ``<repo>/reports``."""
    configured = os.environ.get("PLUMBING_REPORTS")
    return Path(configured).expanduser().resolve() if configured else config.REPO_ROOT / "reports"


class ReportPathError(ValueError):
    """An output path that would land outside the reports folder."""


class ReportsCancelled(RuntimeError):
    """A write was refused because the run has been cancelled."""


def output_path(relative: str) -> Path:
    """``reports_dir() / relative``, refused unless it resolves inside the reports folder
    (``..``, absolute paths and symlinks pointing elsewhere are all caught)."""
    root = reports_dir().resolve()
    target = (root / relative).resolve()
    if target == root or not target.is_relative_to(root):
        raise ReportPathError(f"refusing to write {relative!r}: it resolves to {target}, outside the reports "
                              f"folder {root}")
    return target


class WriteGate:
    """The only way the runner writes: checked path, whole file, never after cancellation.

    :meth:`publish` holds a lock while it checks the cancellation flag and writes (temp file,
    fsync, rename); :meth:`cancel` takes the same lock, so once it returns no write is in
    progress and none will start.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False

    def publish(self, relative: str, payload: bytes) -> Path:
        target = output_path(relative)
        with self._lock:
            if self.cancelled:
                raise ReportsCancelled(f"not writing {relative}: the run was cancelled")
            atomic_write_bytes(target, payload)
        return target

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True


@dataclass(frozen=True)
class ReportJob:
    """One notebook with its parameters and where its HTML goes (relative to reports/)."""

    notebook: str  # path
    params: dict
    given: dict
    output: str
    title: str
    sweep: str = ""  # the sweep it belongs to ("06_reserves_red_line: spread x ratio"), if any


@dataclass
class RunSummary:
    """What a run did; ``cancelled`` names the signal that stopped it, if any."""

    rendered: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    cancelled: str | None = None
    interrupted: list[str] = field(default_factory=list)  # stopped mid-render
    not_started: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and self.cancelled is None

    def cancellation_line(self) -> str:
        """One line: what was and was not rendered when the run was cancelled."""
        total = len(self.rendered) + len(self.failed) + len(self.interrupted) + len(self.not_started)
        missing = ([f"{o} (failed)" for o in self.failed] + [f"{o} (stopped mid-render)" for o in self.interrupted]
                   + [f"{o} (not started)" for o in self.not_started])
        done = f" ({', '.join(self.rendered)})" if self.rendered else ""
        return (f"cancelled by {self.cancelled}: rendered {len(self.rendered)} of {total} reports{done}; "
                f"not rendered: {', '.join(missing) or 'none'}; their previous HTML is kept and the index was "
                "not rebuilt")


def notebook_title(path: Path) -> str:
    """The first ``# `` heading of the notebook's first markdown cell (else the file stem)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            for line in ("".join(source) if isinstance(source, list) else source).splitlines():
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
    defaults = parameter_defaults(notebook)
    return {k: v for k, v in params.items() if k not in defaults or defaults[k] != v}


def _job(notebook: Path, params: dict, changed: dict, output: str, title: str, sweep: str = "") -> ReportJob:
    output_path(output)  # an output that would escape reports/ is refused before anything runs
    return ReportJob(str(notebook), params, changed, output, title, sweep)


def sweep_grid(sweeps: list[tuple[str, list]]) -> list[dict]:
    """Every combination of the swept values, in the order given (``[]`` for no sweep)."""
    if not sweeps:
        return []
    names = [name for name, _ in sweeps]
    if len(set(names)) != len(names):
        raise ParameterError(f"--sweep names a parameter twice: {', '.join(names)}")
    return [dict(zip(names, values)) for values in itertools.product(*(values for _, values in sweeps))]


def plan_jobs(names: list[str] | None = None, given: dict | None = None, episodes: list[str] | None = None,
              all_episodes: bool = False, sweeps: list[tuple[str, list]] | None = None) -> list[ReportJob]:
    """The reports a command asks for, with parameters validated before anything runs.

    ``names`` picks themed notebooks by number or stem (``02`` or ``02_tga_drain``); none
    and no episode options means every themed notebook. ``episodes``/``all_episodes`` add
    episode-template reports. ``given`` overrides parameters in every selected notebook.
    ``sweeps`` (``[("spread", ["sofr_iorb_bp", "effr_iorb_bp"]), ...]``) renders each chosen
    themed notebook once per combination of the swept values, into ``sweeps/`` (one index
    section per sweep); every combination is validated before anything runs.
    """
    given = dict(given or {})
    if sweeps:
        return _sweep_jobs(names, given, sweeps)
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
        jobs.append(_job(path, params, changed, _output_name(path.stem, changed), notebook_title(path)))
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
            jobs.append(_job(template, params, changed, output, f"Episode replay: {registry[episode_id].title}"))
    return jobs


def _sweep_jobs(names: list[str] | None, given: dict, sweeps: list[tuple[str, list]]) -> list[ReportJob]:
    """One job per notebook and combination of swept values (see :func:`plan_jobs`)."""
    grid = sweep_grid(sweeps)
    jobs = []
    for base in plan_jobs(names, given):
        notebook = Path(base.notebook)
        label = f"{notebook.stem}: {' x '.join(name for name, _ in sweeps)}"
        for combination in grid:
            params = check_parameters(notebook, {**given, **combination})
            digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:8]
            jobs.append(_job(notebook, params, _changed(notebook, params), f"sweeps/{notebook.stem}--{digest}.html",
                             f"{base.title} ({', '.join(f'{k}={v}' for k, v in combination.items())})", label))
    return jobs


#: where the parent remembers the package fingerprint and the file times it was computed from
FINGERPRINT_MEMO = ".package-fingerprint.json"


def _fingerprint_sources() -> list[Path]:
    """The helper package's code and the project's definitions (the data cache excluded)."""
    paths = []
    for root in (config.REPO_ROOT / "lib" / "plumbing", config.DATA_DIR):
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".yaml", ".csv"} and "cache" not in path.relative_to(config.REPO_ROOT).parts \
                    and path.is_file():
                paths.append(path)
    return paths


def _stat_signature(paths: list[Path], *extra: str) -> str:
    """A hash of each file's path, size and modification time (and ``extra``): what changes
    whenever a file is written."""
    digest = hashlib.sha256("\0".join(extra).encode())
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            digest.update(f"{path}:missing".encode())
            continue
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}".encode())
    return digest.hexdigest()


def _compute_fingerprint(sources: list[Path]) -> tuple[str, list[str]]:
    """The fingerprint from the files' contents, and the snapshot event tables it read."""
    digest = hashlib.sha256()
    events: list[str] = []
    try:
        from ..catalog import load_catalog
        from ..sources.snapshot import SnapshotSource

        snapshot = SnapshotSource()
        for spec in load_catalog().event_files.values():
            digest.update(snapshot.checksum(spec.snapshot.file).encode())
            events.append(str(snapshot.path(spec.snapshot.file)))
    except Exception as err:  # no snapshot: the notebooks will say so when they run
        digest.update(f"no snapshot: {type(err).__name__}".encode())
    for path in sources:
        digest.update(str(path.relative_to(config.REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest(), events


def package_fingerprint(gate: WriteGate | None = None) -> str:
    """A hash of the helper package, the project's data definitions and the snapshot's event
    tables (read directly by the notebooks, not through the series cache).

    The contents are hashed only when a file's size, time or inode changed since the last
    run: the fingerprint and the file times it came from are kept in the reports folder
    (written through ``gate``), so a no-op rerun reads no file and parses no YAML.
    """
    sources = _fingerprint_sources()
    signature = _stat_signature(sources, str(config.snapshot_dir()))
    try:
        memo = json.loads(output_path(FINGERPRINT_MEMO).read_text(encoding="utf-8"))
        if memo["sources"] == signature and memo["events_signature"] == _stat_signature([Path(p) for p in memo["events"]]):
            return str(memo["fingerprint"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none yet, or unreadable: computed again
    fingerprint, events = _compute_fingerprint(sources)
    if gate is not None:
        memo = {"sources": signature, "events": events, "events_signature": _stat_signature([Path(p) for p in events]),
                "fingerprint": fingerprint}
        gate.publish(FINGERPRINT_MEMO, json.dumps(memo).encode())
    return fingerprint


def job_key(job: ReportJob, package: str, show_code: bool = False) -> str:
    """What a rendered report depends on, apart from the data it read (and whether code shows)."""
    digest = hashlib.sha256(Path(job.notebook).read_bytes())
    digest.update(json.dumps(job.params, sort_keys=True, default=str).encode())
    digest.update(package.encode())
    digest.update(b"show-code" if show_code else b"hide-code")
    return digest.hexdigest()


# --- state files ---------------------------------------------------------------------------------

def _state_relative(output: str) -> str:
    return "_state/" + output.replace("/", "__") + ".json"


def _state_path(output: str) -> Path:
    return output_path(_state_relative(output))


def _read_state_file(path: Path) -> tuple[dict | None, str | None]:
    """(state, None), (None, None) when there is none, or (None, why it is unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as err:
        return None, f"{path} cannot be read ({err}); treated as stale"
    try:
        state = json.loads(text)
    except ValueError as err:
        return None, f"{path} is corrupt ({err}); treated as stale, the report is rendered again"
    if not isinstance(state, dict) or not isinstance(state.get("output"), str):
        return None, f"{path} is not a report state (no 'output'); treated as stale, the report is rendered again"
    return state, None


def _note(problem: str, warnings: list[str] | None) -> None:
    """Add ``problem`` to ``warnings`` (shown by the caller), or log it when there is no list."""
    if warnings is None:
        log.warning(problem)
    elif problem not in warnings:
        warnings.append(problem)


def read_state(output: str, warnings: list[str] | None = None) -> dict | None:
    """The recorded state of a report; None when missing or unreadable (a corrupt file is
    noted in ``warnings`` and treated as stale)."""
    state, problem = _read_state_file(_state_path(output))
    if problem:
        _note(problem, warnings)
    return state


def cache_file_signature(cache: SeriesCache, series_key: str) -> list[int] | None:
    """(inode, size, mtime in ns) of a series' cache file; None when it is missing or a format-2
    file with a separate metadata file (then only its checksum tells)."""
    try:
        stat = os.stat(cache.data_path(series_key))
    except OSError:
        return None
    if cache.legacy_meta_path(series_key).exists():
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def data_unchanged(state: dict, cache: SeriesCache) -> bool:
    """True when every series a render read still holds the data it read. A cache file with
    the size, time and inode recorded at render time (beside the checksum it then held) is
    unchanged, as every write replaces the file: a no-op rerun opens no parquet file. Any
    other file is compared by checksum."""
    data, files = state.get("data"), state.get("files")
    if not isinstance(data, dict):
        return False
    files = files if isinstance(files, dict) else {}
    for series_key, checksum in data.items():
        signature = cache_file_signature(cache, series_key)
        if signature is not None and [*signature, checksum] == files.get(series_key):
            continue
        meta = cache.metadata(series_key)
        if meta is None or meta.checksum != checksum:
            return False
    return True


def is_up_to_date(job: ReportJob, key: str, cache: SeriesCache, warnings: list[str] | None = None) -> bool:
    """True when the last good render had the same inputs and the data it read is unchanged."""
    state = read_state(job.output, warnings)
    if not state or state.get("status") != "ok" or state.get("key") != key:
        return False
    if not output_path(job.output).is_file():
        return False
    return data_unchanged(state, cache)


def longest_first(todo: list[tuple[ReportJob, str]]) -> list[tuple[ReportJob, str]]:
    """The jobs ordered by how long their last render took, longest (or never rendered) first,
    so that parallel workers finish together instead of one waiting on a late long report."""
    def last_seconds(item: tuple[ReportJob, str]) -> float:
        state = read_state(item[0].output, warnings=[]) or {}
        seconds = state.get("render_seconds")
        return float(seconds) if isinstance(seconds, (int, float)) else float("inf")

    return sorted(todo, key=last_seconds, reverse=True)


def record_failure(job: ReportJob, message: str, gate: WriteGate) -> None:
    """Mark a report's state as failed (keeping what its last good render recorded; an
    unreadable previous state, already named by the parent, is replaced)."""
    previous = read_state(job.output, warnings=[]) or {}
    state = {**previous, "status": "failed", "error": message, "output": job.output,
             "title": previous.get("title", job.title), "params": previous.get("params", job.params),
             "rendered_at": previous.get("rendered_at", "never"),
             "failed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    gate.publish(_state_relative(job.output), json.dumps(state, indent=2, default=str).encode())


def _inside_reports(path_text: object) -> bool:
    """True when ``path_text`` (an absolute path recorded in a state file) lies inside the reports folder."""
    if not isinstance(path_text, str) or not path_text:
        return False
    return Path(path_text).resolve().is_relative_to(reports_dir().resolve())


def write_index(gate: WriteGate | None = None, warnings: list[str] | None = None) -> Path:
    """Rebuild ``reports/index.html`` from the state of every report rendered so far (a corrupt
    state file is named in ``warnings`` and left out)."""
    from .html import index_html

    entries = []
    state_dir = output_path("_state")
    for path in sorted(state_dir.glob("*.json")) if state_dir.is_dir() else []:
        state, problem = _read_state_file(path)
        if problem:
            _note(problem, warnings)
            continue
        if state is None:
            continue
        try:
            listed = output_path(state["output"]).is_file() or state.get("status") == "failed"
        except ReportPathError as err:
            _note(f"{path} names an output outside the reports folder ({err}); left out of the index", warnings)
            continue
        if state.get("executed") is not None and not _inside_reports(state["executed"]):
            _note(f"{path} names an executed notebook outside the reports folder; it is not read", warnings)
            state.pop("executed")
        if listed and isinstance(state.get("params"), dict) and isinstance(state.get("title"), str) \
                and isinstance(state.get("rendered_at"), str):
            entries.append(state)
    return (gate or WriteGate()).publish("index.html", index_html(entries, datetime.now(timezone.utc)).encode("utf-8"))


# --- the data window ---------------------------------------------------------------------------

def window_problem(job: ReportJob) -> str | None:
    """"no data in this window ..." when a series the report needs has no observation in the
    window it shows (checked in the cache before any kernel starts); None when all is well."""
    window = data_window(Path(job.notebook), job.params)
    if window is None:
        return None
    from ..quantities import quantity

    first, last, names = window
    shown = f"{first.date()} to {last.date() if last is not None else 'the latest data'}"
    empty = []
    for name in names:
        try:
            series = quantity(name)
        except Exception as err:  # not cached and not importable: the same outcome for the reader
            empty.append(f"{name} (unavailable: {err})")
            continue
        inside = series.loc[first:last] if last is not None else series.loc[first:]
        if inside.dropna().empty:
            held = (f"it has data from {series.index.min().date()} to {series.index.max().date()}"
                    if len(series) else "it has no data at all")
            empty.append(f"{name} ({held})")
    if not empty:
        return None
    return (f"no data in this window: {shown} holds no observation of {'; '.join(empty)}. "
            "Choose dates inside the data (plumbing data status lists each series' first and last dates).")


# --- one render (in a worker) --------------------------------------------------------------------

def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")[:80]


def _failing_cell_message(job: ReportJob, executed: Path, err: Exception) -> str:
    """"cell N of X.ipynb ('first line'): Error: message", counted in the notebook the user edits."""
    import nbformat

    def tags(cell: nbformat.NotebookNode) -> list[str]:
        return cell.get("metadata", {}).get("tags", [])

    # papermill counts cells of its copy (with an injected parameters cell, before it adds
    # error banners); report the position in the notebook the user edits instead
    cells = [c for c in nbformat.read(executed, as_version=4).cells if "papermill-error-cell-tag" not in tags(c)]
    failing = cells[err.cell_index]  # type: ignore[attr-defined]
    original = [c for c in cells if "injected-parameters" not in tags(c)]
    position = next(i for i, c in enumerate(original) if c is failing) + 1
    return (f"cell {position} of {Path(job.notebook).name} ({_first_line(err.source)!r}): "  # type: ignore[attr-defined]
            f"{err.ename}: {err.evalue}")  # type: ignore[attr-defined]


def _as_of_rows(read_log: Path) -> tuple[list[dict], dict[str, str], dict[str, list]]:
    """The series a kernel read: header rows (key, title, source, last), their checksums and
    their cache files' signatures (:func:`cache_file_signature`)."""
    from ..cache import SeriesCache
    from ..catalog import load_catalog

    keys = sorted(set(filter(None, read_log.read_text(encoding="utf-8").split()))) if read_log.exists() else []
    cache, catalog = SeriesCache(), load_catalog()
    as_of, data, files = [], {}, {}
    for series_key in keys:
        signature = cache_file_signature(cache, series_key)  # before the read: a later write changes it
        meta = cache.metadata(series_key)
        if meta is None:
            continue
        data[series_key] = meta.checksum
        if signature is not None:
            files[series_key] = [*signature, meta.checksum]
        as_of.append({"key": series_key, "title": catalog.get(series_key).title, "source": meta.source, "last": meta.last})
    return as_of, data, files


@dataclass
class Rendered:
    """A finished render, not yet in the reports folder: what :func:`publish` writes."""

    output: str
    status: str  # "ok" or "failed"
    error: str | None = None
    executed: bytes = b""  # the executed notebook
    html: bytes = b""
    state: dict | None = None  # without "executed" (its path is the publisher's)


def _build_relative(job: ReportJob) -> str:
    return f"_build/{job.output.replace('/', '__').removesuffix('.html')}.ipynb"


def _kernel_folder(job: ReportJob) -> Path:
    """Where a report's kernel runs: the notebooks folder (the notebook's own folder on a
    cluster worker without one)."""
    return NOTEBOOKS_DIR if NOTEBOOKS_DIR.is_dir() else Path(job.notebook).parent


def render_job(job: ReportJob, key: str, show_code: bool, scratch: Path) -> Rendered:
    """Execute one report in a kernel and export it, writing only inside ``scratch`` (a render
    worker, or a Dask worker on a cluster); :func:`publish` puts the result in place."""
    import nbformat
    import papermill as pm

    from .html import export_html, header_markdown
    from .index_page import summarize_executed
    from .workers import quiet_kernel_manager_class

    safe = job.output.replace("/", "__").removesuffix(".html")
    executed = scratch / f"{safe}.ipynb"
    read_log = scratch / f"{safe}.reads"
    read_log.write_text("", encoding="utf-8")
    rendered_at = datetime.now(timezone.utc)
    began = time.perf_counter()
    try:
        pm.execute_notebook(job.notebook, str(executed), parameters=job.params, kernel_name="python3",
                            progress_bar=False, cwd=str(_kernel_folder(job)), execution_timeout=CELL_TIMEOUT_S,
                            request_save_on_cell_execute=False,  # written once at the end (or at the error)
                            kernel_manager_class=quiet_kernel_manager_class({"PLUMBING_READ_LOG": str(read_log)}))
    except pm.PapermillExecutionError as err:
        return Rendered(job.output, "failed", _failing_cell_message(job, executed, err), executed.read_bytes())
    as_of, data, files = _as_of_rows(read_log)
    nb = nbformat.read(executed, as_version=4)
    first_md = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first_md is not None:
        first_md.source = re.sub(r"^# .*\n?", "", first_md.source, count=1)
    index_href = "../" * job.output.count("/") + "index.html"
    header = nbformat.v4.new_markdown_cell(header_markdown(job.title, job.params, as_of, rendered_at,
                                                           Path(job.notebook).name, index_href=index_href))
    nb.cells.insert(0, header)
    html_text = export_html(nb, show_code=show_code)
    state = {"status": "ok", "key": key, "output": job.output, "title": job.title, "notebook": Path(job.notebook).name,
             "params": job.params, "given": job.given, "data": data, "files": files, "as_of": as_of,
             "data_as_of": max((r["last"] for r in as_of), default=None),
             "rendered_at": rendered_at.strftime("%Y-%m-%d %H:%M"), "summary": summarize_executed(executed),
             "render_seconds": round(time.perf_counter() - began, 2),
             **({"sweep": job.sweep} if job.sweep else {})}
    return Rendered(job.output, "ok", None, executed.read_bytes(), html_text.encode("utf-8"), state)


def publish(job: ReportJob, rendered: Rendered, gate: WriteGate) -> dict:
    """Put a render in the reports folder through ``gate`` (executed notebook, then HTML, then
    state; a failure keeps the previous HTML and records the error); returns the outcome.
    Raises :class:`ReportsCancelled` once the run is cancelled."""
    build = _build_relative(job)
    if rendered.executed:
        gate.publish(build, rendered.executed)
    if rendered.status != "ok" or rendered.state is None:
        message = rendered.error or "the render failed"
        record_failure(job, message, gate)
        return {"output": job.output, "status": "failed", "error": message}
    gate.publish(job.output, rendered.html)
    state = {**rendered.state, "executed": str(output_path(build))}
    gate.publish(_state_relative(job.output), json.dumps(state, indent=2, default=str).encode())
    return {"output": job.output, "status": "ok"}


def execute_job(job: ReportJob, key: str, show_code: bool, gate: WriteGate, scratch: Path) -> dict:
    """Run one report in this process (a worker): render in ``scratch``, then publish the
    executed notebook, the HTML and the state into the reports folder through ``gate``."""
    return publish(job, render_job(job, key, show_code, scratch), gate)


def run_reports(jobs: list[ReportJob], *, force: bool = False, jobs_in_parallel: int | None = None,
                show_code: bool = False, progress: bool = True, scheduler: str | None = None) -> RunSummary:
    """Render what is out of date (everything with ``force``), in parallel, then the index.

    Jobs run on local worker processes, or with ``scheduler`` (a Dask scheduler address) on
    that cluster's workers (:mod:`.cluster`); either way every file is written here, through
    one gate. SIGINT/SIGTERM during the run cancel it (see the module docstring); the summary's
    ``cancelled`` then names the signal and the index is not rebuilt. A run that renders
    nothing and fails nothing leaves an existing index as it is (no-op reruns stay fast).
    """
    from ..cache import SeriesCache
    from .workers import Signals, render

    summary = RunSummary()
    gate = WriteGate()
    signals = Signals(gate)
    with signals.active():
        todo: list[tuple[ReportJob, str]] = []
        try:
            cache = SeriesCache()
            package = package_fingerprint(gate)
            for job in jobs:
                if signals.received is not None:
                    break
                key = job_key(job, package, show_code)
                if force:
                    read_state(job.output, summary.warnings)  # a corrupt state file is named all the same
                if not force and is_up_to_date(job, key, cache, summary.warnings):
                    summary.up_to_date.append(job.output)
                elif problem := window_problem(job):
                    summary.failed[job.output] = problem
                    record_failure(job, problem, gate)
                else:
                    todo.append((job, key))
            todo = longest_first(todo)
            if todo and signals.received is None and scheduler:
                from .cluster import render_on_cluster

                render_on_cluster(todo, scheduler, show_code, progress, summary, signals, gate)
            elif todo and signals.received is None:
                workers = max(1, min(jobs_in_parallel or os.cpu_count() or 1, len(todo)))
                render(todo, workers, show_code, progress, summary, signals, gate)
            if signals.received is None and (todo or summary.failed or not output_path("index.html").is_file()):
                write_index(gate, summary.warnings)
        except ReportsCancelled:
            pass  # a signal arrived between two steps: nothing more is written
        if signals.received is not None:
            summary.cancelled = signals.received.name
            accounted = {*summary.rendered, *summary.failed, *summary.up_to_date, *summary.interrupted}
            summary.not_started = [job.output for job in jobs if job.output not in accounted]
    return summary


def exit_code(summary: RunSummary) -> int:
    """0 when everything rendered or was current; 128 + signal when cancelled; 1 on failures."""
    if summary.cancelled:
        return 128 + int(getattr(signal, summary.cancelled))
    return 0 if summary.ok else 1


__all__ = ["ReportJob", "RunSummary", "WriteGate", "ReportPathError", "ReportsCancelled", "exit_code",
           "output_path", "plan_jobs", "run_reports", "reports_dir", "window_problem", "write_index"]
