"""Rendering on a Dask distributed cluster (``plumbing reports ... --scheduler ADDRESS``).

For sweeps, many episodes or a team's daily refresh that outgrow one machine. Each report is
one task: a Dask worker executes the notebook in a kernel of its own and exports the HTML in a
private scratch folder (:func:`~.runner.render_job`), and returns the files as bytes. Only this
process writes into the reports folder, through the run's :class:`~.runner.WriteGate`, so the
guarantees of the local path hold here too: files are written whole, only inside the reports
folder, and never after cancellation. SIGINT or SIGTERM cancels every task not yet finished
(a notebook already executing on a worker runs to its end there; its result is dropped).

What a worker needs: this package installed (the same version), the series cache
(``PLUMBING_CACHE``) or the snapshot (``PLUMBING_SNAPSHOT``) on a path it can read, and no API
key (report kernels only read the cache; keys are stripped from their environment anyway).
The notebooks travel with each task.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from .runner import Rendered, ReportJob, ReportsCancelled, RunSummary, WriteGate, publish
from .workers import POLL_S, Signals

#: how long connecting to the scheduler may take
CONNECT_TIMEOUT_S = 30


def render_remote(job_fields: dict, key: str, show_code: bool, notebook: bytes) -> Rendered:
    """On a Dask worker: render one report in a private scratch folder (nothing else written)."""
    from .runner import render_job

    scratch = Path(tempfile.mkdtemp(prefix=f"plumbing-render-{os.getpid()}-"))  # see workers.remove_leftovers
    try:
        local = scratch / Path(job_fields["notebook"]).name
        local.write_bytes(notebook)  # the client's notebook, whatever the worker's checkout holds
        job = ReportJob(**{**job_fields, "notebook": str(local)})
        try:
            return render_job(job, key, show_code, scratch)
        except Exception as err:  # a crash outside a cell (kernel death, export, timeout)
            return Rendered(job.output, "failed", f"{type(err).__name__}: {err}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _executing_on(dask_worker: object) -> list:
    """On a Dask worker: the keys of the tasks it is executing now."""
    return [task.key for task in dask_worker.state.executing]  # type: ignore[attr-defined]


def _executing(client: object) -> set:
    """The keys being executed anywhere on the cluster (empty if the workers cannot say)."""
    try:
        answers = client.run(_executing_on, wait=True)  # type: ignore[attr-defined]
    except Exception:  # a worker lost meanwhile: every unfinished report counts as not started
        return set()
    return {key for keys in answers.values() for key in keys}


def _book(summary: RunSummary, job: ReportJob, rendered: Rendered, gate: WriteGate) -> None:
    """Publish one finished render and record its outcome."""
    result = publish(job, rendered, gate)
    if result["status"] == "ok":
        summary.rendered.append(job.output)
    else:
        summary.failed[job.output] = result["error"]


def _outcome(future: object, job: ReportJob) -> Rendered:
    """The render a finished future holds, or a failure naming what went wrong on the cluster."""
    try:
        return future.result()  # type: ignore[attr-defined]
    except Exception as err:  # the task itself failed (worker lost, cannot unpickle, ...)
        return Rendered(job.output, "failed", f"on the cluster: {type(err).__name__}: {err}")


def render_on_cluster(todo: list[tuple[ReportJob, str]], address: str, show_code: bool, progress: bool,
                      summary: RunSummary, signals: Signals, gate: WriteGate) -> None:
    """Render ``todo`` on the Dask cluster at ``address``, publishing each result as it arrives.

    Returns when every job is done, or at once after a signal: unfinished tasks are cancelled,
    ``summary.interrupted`` names those a worker was executing and ``summary.not_started`` the
    rest (set by the caller).
    """
    from distributed import Client
    from tqdm import tqdm

    with Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False) as client:
        futures = {client.submit(render_remote, asdict(job), key, show_code, Path(job.notebook).read_bytes(),
                                 pure=False): job for job, key in todo}
        pending = set(futures)
        bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress)
        try:
            while pending and signals.received is None:
                done = {future for future in pending if future.done()}
                pending -= done
                for future in done:
                    _book(summary, futures[future], _outcome(future, futures[future]), gate)
                    bar.update(1)
                if not done:
                    time.sleep(POLL_S)  # a signal handler still runs meanwhile
        except ReportsCancelled:
            pass  # the signal closed the gate while a result was being published
        finally:
            if pending:
                running = _executing(client)
                summary.interrupted = [futures[f].output for f in pending if f.key in running]
                client.cancel(list(pending), force=True)
            bar.close()
