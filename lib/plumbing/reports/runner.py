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
  Its whole shape is checked where it is read (:func:`state_problem`), not only its JSON.
- **An empty data window fails before any kernel** with "no data in this window".
- **The reports folder is checked before any kernel** (:func:`reports_folder_problem`): a file
  in its place, a folder that cannot be created, written (read-only) or is full is one error.
  A write that fails later (the disk filled up) fails that report alone (:class:`ReportWriteError`
  names the file); the others carry on.
- **A missing snapshot is found before any kernel**: episode pages read its event tables, and
  with an empty cache no report has data (:func:`snapshot_problem`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import os
import re
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..catalog import unknown_key_message
from ..files import atomic_write_bytes, os_reason, read_regular_text
from .params import ParameterError, check_parameters, data_window, parameter_defaults, schema_for

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


class ReportsFolderError(RuntimeError):
    """The reports folder cannot take the run's files (a file, read-only, full); raised before any kernel."""


class ReportWriteError(OSError):
    """A file could not be written into the reports folder (disk full, read-only); names the file."""


class SnapshotProblem(RuntimeError):
    """The snapshot the reports need is missing and the cache cannot stand in; raised before any kernel."""


#: bytes written (and removed) to check that the reports folder takes a file
PROBE_BYTES = 64 * 1024


def reports_folder_problem(probe: bool = True) -> str | None:
    """Why the reports folder cannot take the run's files, or None (the folder is created if
    missing). With ``probe`` a small file is written, fsynced and removed, so a read-only or
    full folder is found before any kernel starts."""
    root = reports_dir()
    hint = " (check PLUMBING_REPORTS)" if os.environ.get("PLUMBING_REPORTS") else ""
    if root.exists() and not root.is_dir():
        return f"the reports folder {root} is a file, not a folder{hint}"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        return f"cannot create the reports folder {root}: {os_reason(err)}{hint}"
    for sub in ("_state", "_build"):
        if (root / sub).exists() and not (root / sub).is_dir():
            return f"{root / sub} is a file, not a folder; the reports folder {root} needs it for the reports' {sub[1:]} files"
    if not probe:
        return None
    try:
        handle, probe_path = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=root)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(b"\0" * PROBE_BYTES)
                out.flush()
                os.fsync(out.fileno())
        finally:
            os.unlink(probe_path)
    except OSError as err:
        return f"cannot write in the reports folder {root}: {os_reason(err)}{hint}; nothing was rendered"
    return None


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
            try:
                atomic_write_bytes(target, payload)
            except OSError as err:  # the previous file, if any, is whole (atomic_write_bytes)
                raise ReportWriteError(f"cannot write {target}: {os_reason(err)}") from err
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
    """Every combination of the swept values, in the order given (``[]`` for no sweep); a value
    given twice counts once (two jobs would render, and write, the same files)."""
    if not sweeps:
        return []
    names = [name for name, _ in sweeps]
    if len(set(names)) != len(names):
        raise ParameterError(f"--sweep names a parameter twice: {', '.join(names)}")
    distinct = [[v for n, v in enumerate(values) if v not in values[:n]] for _, values in sweeps]  # order kept
    return [dict(zip(names, values)) for values in itertools.product(*distinct)]


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
        wanted = list(registry) if all_episodes else list(dict.fromkeys(episodes or []))  # once each, in order
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
        memo = json.loads(read_regular_text(output_path(FINGERPRINT_MEMO)))  # a named pipe: no memo
        if memo["sources"] == signature and memo["events_signature"] == _stat_signature([Path(p) for p in memo["events"]]):
            return str(memo["fingerprint"])
    except (OSError, ValueError, KeyError, TypeError):  # UnicodeDecodeError is a ValueError
        pass  # none yet, or unreadable: computed again
    fingerprint, events = _compute_fingerprint(sources)
    if gate is not None:
        memo = {"sources": signature, "events": events, "events_signature": _stat_signature([Path(p) for p in events]),
                "fingerprint": fingerprint}
        try:
            gate.publish(FINGERPRINT_MEMO, json.dumps(memo).encode())
        except ReportWriteError as err:  # only a memo: computed again next time
            log.debug("fingerprint memo not kept: %s", err)
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
    """(state, None), (None, None) when there is none, or (None, why it is unusable): unreadable,
    not JSON, or JSON of the wrong shape (:func:`state_problem`)."""
    try:
        text = read_regular_text(path)  # never waits on a named pipe in the file's place
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as err:
        return None, f"{path} cannot be read ({err}); treated as stale, the report is rendered again"
    try:
        state = json.loads(text)
    except (ValueError, RecursionError) as err:
        return None, f"{path} is corrupt ({err}); treated as stale, the report is rendered again"
    problem = state_problem(state)
    if problem:
        return None, f"{path} is not a valid report state ({problem}); treated as stale, the report is rendered again"
    return state, None


def _kind(value: object) -> str:
    """The JSON name of ``value``'s type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "text", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _number(value: object, finite: bool = True) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and (not finite or math.isfinite(value))


def _iso_date(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return False
    return True


_BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def _tile_problem(tile: object) -> str | None:
    """What is wrong with one dashboard tile of the monitor's summary (None if nothing)."""
    if not isinstance(tile, dict):
        return f"is {_kind(tile)}, not an object"
    for name in ("name", "title"):
        if not isinstance(tile.get(name), str):
            return f"field {name!r} is {_kind(tile.get(name))}, not text"
    for name in ("unit", "note"):
        if tile.get(name) is not None and not isinstance(tile[name], str):
            return f"field {name!r} is {_kind(tile[name])}, not text"
    if tile.get("value") is None:
        return None
    if not _number(tile["value"], finite=False):
        return f"field 'value' is {_kind(tile['value'])}, not a number"
    for name in ("chg_1w", "chg_1m"):
        if tile.get(name) is not None and not _number(tile[name], finite=False):
            return f"field {name!r} is {_kind(tile[name])}, not a number"
    if not _number(tile.get("pctile")):
        return f"field 'pctile' is {_kind(tile.get('pctile'))}, not a finite number"
    if tile.get("date") is not None and not isinstance(tile["date"], str):
        return f"field 'date' is {_kind(tile['date'])}, not text"
    spark = tile.get("spark") or []
    if not isinstance(spark, list):
        return f"field 'spark' is {_kind(spark)}, not a list"
    for point in spark:
        if not (isinstance(point, list) and len(point) == 2 and (point[1] is None or _number(point[1], finite=False))):
            return f"field 'spark' holds {point!r}, not a [date, number] pair"
    return None


def _summary_problem(summary: object) -> str | None:
    """What is wrong with a state's index summary (records and thumbnail), None if nothing."""
    if not isinstance(summary, dict):
        return f"'summary' is {_kind(summary)}, not an object"
    records = summary.get("records", {})
    if not isinstance(records, dict):
        return f"'summary.records' is {_kind(records)}, not an object"
    thumbnail = summary.get("thumbnail")
    if thumbnail is not None and not (isinstance(thumbnail, str) and _BASE64.match(thumbnail)):
        return "'summary.thumbnail' is not a base64 image"
    for name, value in records.items():
        if name.startswith("count_") and value is not None and not _number(value):
            return f"'summary.records.{name}' is {_kind(value)}, not a finite number"
    tiles = records.get("tiles")
    if tiles is not None:
        if not isinstance(tiles, list):
            return f"'summary.records.tiles' is {_kind(tiles)}, not a list"
        for position, tile in enumerate(tiles, start=1):
            if problem := _tile_problem(tile):
                return f"'summary.records.tiles' item {position} {problem}"
    return None


def _as_of_problem(as_of: object) -> str | None:
    """What is wrong with a state's list of the series it read (None if nothing)."""
    if not isinstance(as_of, list):
        return f"'as_of' is {_kind(as_of)}, not a list"
    for position, row in enumerate(as_of, start=1):
        if not isinstance(row, dict):
            return f"'as_of' item {position} is {_kind(row)}, not an object"
        if not isinstance(row.get("key"), str):
            return f"'as_of' item {position} field 'key' is {_kind(row.get('key'))}, not text"
        if row.get("last") is not None and not _iso_date(row["last"]):
            return f"'as_of' item {position} field 'last' is {row['last']!r}, not a date (YYYY-MM-DD)"
        for name in ("title", "source"):
            if row.get(name) is not None and not isinstance(row[name], str):
                return f"'as_of' item {position} field {name!r} is {_kind(row[name])}, not text"
    return None


#: the fields of a report state and their JSON types (required ones first)
_REQUIRED_TEXT = ("output", "status", "title", "rendered_at")
_OPTIONAL_TEXT = ("key", "notebook", "error", "failed_at", "sweep", "executed")


def state_problem(state: object) -> str | None:
    """What makes ``state`` unusable as a report state (the runner's and the index's reading of
    it would fail or be wrong), or None. Checked: the types of every field the runner or the
    index reads, down to the dashboard tiles; an ``output`` or ``executed`` path without NUL
    bytes; a status of ``ok`` or ``failed``."""
    if not isinstance(state, dict):
        return f"it holds {_kind(state)}, not an object"
    for name in _REQUIRED_TEXT:
        if not isinstance(state.get(name), str):
            return f"{name!r} is {'missing' if name not in state else _kind(state[name])}, not text"
    if not isinstance(state.get("params"), dict):
        return f"'params' is {'missing' if 'params' not in state else _kind(state['params'])}, not an object"
    for name in _OPTIONAL_TEXT:
        if state.get(name) is not None and not isinstance(state[name], str):
            return f"{name!r} is {_kind(state[name])}, not text"
    for name in ("output", "executed"):
        if "\0" in (state.get(name) or ""):
            return f"{name!r} holds a NUL byte"
    if not state["output"]:
        return "'output' is empty"
    if state["status"] not in ("ok", "failed"):
        return f"'status' is {state['status']!r}, not 'ok' or 'failed'"
    if state["status"] == "ok" and not isinstance(state.get("key"), str):
        return "'key' is missing for a report rendered ok"
    if state.get("given") is not None and not isinstance(state["given"], dict):
        return f"'given' is {_kind(state['given'])}, not an object"
    data = state.get("data", {})
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return "'data' is not an object of checksums (text)"
    files = state.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, list) for v in files.values()):
        return "'files' is not an object of file signatures (lists)"
    if state.get("data_as_of") is not None and not isinstance(state["data_as_of"], str):
        return f"'data_as_of' is {_kind(state['data_as_of'])}, not text"
    if state.get("render_seconds") is not None and not _number(state["render_seconds"]):
        return f"'render_seconds' is {_kind(state['render_seconds'])}, not a finite number"
    if "as_of" in state and (problem := _as_of_problem(state["as_of"])):
        return problem
    if "summary" in state and (problem := _summary_problem(state["summary"])):
        return problem
    return None


def executed_path(state: dict) -> Path | None:
    """The executed notebook a state names, resolved inside the reports folder, or None.

    Stored relative to the reports folder (``_build/x.ipynb``); an absolute path of an older
    state is read too. A path that leads outside the reports folder is never followed."""
    text = state.get("executed")
    if not isinstance(text, str) or not text or "\0" in text:
        return None
    root = reports_dir().resolve()
    target = (root / text).resolve()  # an absolute ``text`` stands alone
    return target if target != root and target.is_relative_to(root) else None


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
        # only a hint for the order: read from any state that records it (a bad one is named elsewhere)
        try:
            state = json.loads(read_regular_text(_state_path(item[0].output)))
        except (OSError, ValueError, RecursionError):
            return float("inf")
        seconds = state.get("render_seconds") if isinstance(state, dict) else None
        return float(seconds) if _number(seconds) else float("inf")

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


def write_index(gate: WriteGate | None = None, warnings: list[str] | None = None) -> Path:
    """Rebuild ``reports/index.html`` from the state of every report rendered so far (a corrupt
    state file, or one the index cannot draw, is named in ``warnings`` and left out)."""
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
        except (ReportPathError, ValueError, OSError) as err:
            _note(f"{path} names an output outside the reports folder ({err}); left out of the index", warnings)
            continue
        if state.get("executed") is not None and executed_path(state) is None:
            _note(f"{path} names an executed notebook outside the reports folder; it is not read", warnings)
            state.pop("executed")
        if not listed:
            continue
        try:  # a state of the right shape the page still cannot draw is left out, not fatal
            index_html([state], datetime.now(timezone.utc), reference_last={})
        except Exception as err:
            _note(f"{path} cannot be shown on the index ({type(err).__name__}: {err}); "
                  "left out of the index", warnings)
            continue
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
    A file that cannot be written (a full disk) fails this report alone, naming the file.
    Raises :class:`ReportsCancelled` once the run is cancelled."""
    build = _build_relative(job)
    if rendered.status != "ok" or rendered.state is None:
        message = rendered.error or "the render failed"
        try:
            if rendered.executed:
                gate.publish(build, rendered.executed)
            record_failure(job, message, gate)
        except ReportWriteError as err:
            message = f"{message} (and the failure is not recorded: {err})"
        return {"output": job.output, "status": "failed", "error": message}
    html_written = False
    try:
        gate.publish(build, rendered.executed)
        gate.publish(job.output, rendered.html)
        html_written = True
        state = {**rendered.state, "executed": build}  # relative to the reports folder
        gate.publish(_state_relative(job.output), json.dumps(state, indent=2, default=str).encode())
    except ReportWriteError as err:
        message = str(err) + ("; the new HTML is in place but not recorded, so the report renders again next time"
                              if html_written else "; the previous good HTML, if any, is kept")
        try:
            record_failure(job, message, gate)
        except ReportWriteError:
            pass  # the message above already says what could not be written
        return {"output": job.output, "status": "failed", "error": message}
    return {"output": job.output, "status": "ok"}


def execute_job(job: ReportJob, key: str, show_code: bool, gate: WriteGate, scratch: Path) -> dict:
    """Run one report in this process (a worker): render in ``scratch``, then publish the
    executed notebook, the HTML and the state into the reports folder through ``gate``."""
    return publish(job, render_job(job, key, show_code, scratch), gate)


def _record_failure_noted(job: ReportJob, message: str, gate: WriteGate, summary: RunSummary) -> None:
    """Record a failure found in this process; a write that fails is added to its message."""
    try:
        record_failure(job, message, gate)
    except ReportWriteError as err:
        summary.failed[job.output] = f"{message} (and the failure is not recorded: {err})"


def snapshot_missing() -> tuple[str | None, list[str]]:
    """(why the snapshot's event tables cannot be read, or None; their file names). The
    notebooks read these tables straight from the snapshot, never through the cache."""
    from ..catalog import load_catalog
    from ..sources.snapshot import SnapshotMissing, SnapshotSource

    snapshot = SnapshotSource()
    files = [spec.snapshot.file for spec in load_catalog().event_files.values()]
    try:
        for file in files:
            snapshot.path(file)
    except SnapshotMissing as err:
        return str(err), files
    return None, files


def snapshot_problem(candidates: list[ReportJob], cache: SeriesCache) -> tuple[str | None, dict[str, str], str | None]:
    """Before any kernel: (a run-level error, {output: why not rendered}, a warning) for a
    missing snapshot. With an empty cache too no report has data: the run stops. Otherwise
    the reports that read the snapshot's event tables (declared in their parameter schema;
    episode pages always) fail without a kernel, the others render from the cache, and an
    ad-hoc notebook gets a warning that reading the event tables would fail."""
    missing, files = snapshot_missing() if candidates else (None, [])
    if missing is None:
        return None, {}, None
    if not cache.keys():
        return (f"{missing}; and the cache {cache.root} holds no series, so no report has data to read "
                "(point PLUMBING_SNAPSHOT at the snapshot, or fill the cache with plumbing data sync)"), {}, None
    tables = ", ".join(files)
    readers = {job.output: f"{missing}; this report reads its event tables ({tables}); not rendered"
               for job in candidates if reads_event_tables(job)}
    others = [job for job in candidates if job.output not in readers]
    warning = (f"{missing}; ad-hoc notebooks that read its event tables ({tables}) will fail"
               if any(schema_for(Path(job.notebook)) is None for job in others) else None)
    return None, readers, warning


def reads_event_tables(job: ReportJob) -> bool:
    """Whether the job's notebook declares (in its parameter schema) that it reads the
    snapshot's event tables (the episode template does)."""
    schema = schema_for(Path(job.notebook))
    return bool(schema and schema.reads_event_tables)


def run_reports(jobs: list[ReportJob], *, force: bool = False, jobs_in_parallel: int | None = None,
                show_code: bool = False, progress: bool = True, scheduler: str | None = None) -> RunSummary:
    """Render what is out of date (everything with ``force``), in parallel, then the index.

    Jobs run on local worker processes, or with ``scheduler`` (a Dask scheduler address) on
    that cluster's workers (:mod:`.cluster`); either way every file is written here, through
    one gate. SIGINT/SIGTERM during the run cancel it (see the module docstring); the summary's
    ``cancelled`` then names the signal and the index is not rebuilt. A run that renders
    nothing and fails nothing leaves an existing index as it is (no-op reruns stay fast).

    Before any kernel starts: :class:`ReportsFolderError` when the reports folder is a file,
    cannot be created, or (when anything is to be written) is read-only or full;
    :class:`SnapshotProblem` when neither the snapshot nor the cache holds data.
    """
    from .workers import Signals  # light: the handler goes in before anything slow

    summary = RunSummary()
    gate = WriteGate()
    signals = Signals(gate)
    with signals.active():
        from ..cache import SeriesCache
        from .workers import render

        if problem := reports_folder_problem(probe=False):
            raise ReportsFolderError(problem)
        todo: list[tuple[ReportJob, str]] = []
        failures: list[ReportJob] = []
        try:
            cache = SeriesCache()
            package = package_fingerprint(gate)
            candidates = []
            for job in jobs:
                if signals.received is not None:
                    break
                key = job_key(job, package, show_code)
                if force:
                    read_state(job.output, summary.warnings)  # a corrupt state file is named all the same
                if not force and is_up_to_date(job, key, cache, summary.warnings):
                    summary.up_to_date.append(job.output)
                else:
                    candidates.append((job, key))
            # on a cluster the workers read their own snapshot and cache (see :mod:`.cluster`)
            stop, no_snapshot, warning = snapshot_problem([] if scheduler else [job for job, _ in candidates], cache)
            if stop:
                raise SnapshotProblem(stop)
            if warning:
                _note(warning, summary.warnings)
            for job, key in candidates:
                if signals.received is not None:
                    break
                problem = no_snapshot.get(job.output) or window_problem(job)
                if problem:
                    summary.failed[job.output] = problem
                    failures.append(job)
                else:
                    todo.append((job, key))
            writes = todo or failures or not output_path("index.html").is_file()
            if writes and signals.received is None and (problem := reports_folder_problem(probe=True)):
                raise ReportsFolderError(problem)
            for job in failures:
                _record_failure_noted(job, summary.failed[job.output], gate, summary)
            todo = longest_first(todo)
            if todo and signals.received is None and scheduler:
                from .cluster import render_on_cluster

                render_on_cluster(todo, scheduler, show_code, progress, summary, signals, gate)
            elif todo and signals.received is None:
                workers = max(1, min(jobs_in_parallel or os.cpu_count() or 1, len(todo)))
                render(todo, workers, show_code, progress, summary, signals, gate)
            if signals.received is None and writes:
                try:
                    write_index(gate, summary.warnings)
                except ReportWriteError as err:
                    summary.failed["index.html"] = f"{err}; the previous index, if any, is kept"
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


__all__ = ["ReportJob", "RunSummary", "WriteGate", "ReportPathError", "ReportWriteError", "ReportsCancelled",
           "ReportsFolderError", "SnapshotProblem", "exit_code", "executed_path", "output_path", "plan_jobs",
           "reports_dir", "reports_folder_problem", "run_reports", "state_problem", "window_problem", "write_index"]
