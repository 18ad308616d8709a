"""Worker processes for the report runner: kernels, cancellation, a pool that stops cleanly.

The parent (:func:`render`) hands jobs to a few spawned worker processes over pipes and waits
for results. SIGINT or SIGTERM to the parent closes its :class:`~.runner.WriteGate` and tells
every worker to cancel; a worker cancels too when its pipe closes (the parent died, even by
SIGKILL), when its parent pid changes, or on its own SIGTERM. A cancelling worker closes its
gate (waiting for a write in progress), kills its kernel's process group, removes its scratch
folder and socket files, and exits at once: no file is written after cancellation.

Ctrl-C reaches the whole process group, but only the parent handles it: workers and the fork
server are started with SIGINT blocked (inherited from the parent while it starts them), and
ignore it from their first line, so none prints a traceback while it is still importing. A
worker killed outright (SIGKILL, the OOM killer) cannot clean up: its scratch folder
(``plumbing-render-<pid>-*``) and its kernels' connection files and sockets
(``kernel-<pid>-*``) carry its pid, so the parent removes them when it finds the worker dead,
and any run removes those of processes that no longer exist (:func:`remove_leftovers`); the
fork server kills the kernels it forked for a worker whose line to it closed.

Kernels (:func:`quiet_kernel_manager_class`) talk over IPC sockets, are shut down without the
interrupt that made every render log ``KeyboardInterrupt caught in kernel``, and inherit an
environment without API keys, tokens or passwords (:func:`strip_secrets`): reports only read
the cache. A run starts one fork server (:mod:`.forkserver`) that has the notebooks' imports
done; every report gets a fresh kernel forked from it (never a reused one).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import re
import shutil
import signal
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait
from pathlib import Path

from . import forkserver
from .runner import (NOTEBOOKS_DIR, ReportJob, ReportsCancelled, ReportWriteError, RunSummary, WriteGate, execute_job,
                     record_failure)

log = logging.getLogger(__name__)

#: how often a worker looks for a cancel message or a vanished parent, and the parent for signals
POLL_S = 0.1
#: how long cancellation waits for workers to stop their kernels before killing them
STOP_GRACE_S = 10.0
#: environment variables a report kernel never sees (reports only read the cache)
SECRET_NAME = re.compile(r"(_API_KEY|_TOKEN|_SECRET|_PASSWORD)$", re.IGNORECASE)
_CANCEL = "cancel"
#: a worker's scratch folder in the temp folder: ``plumbing-render-<pid>-<random>``
SCRATCH_PREFIX = "plumbing-render-"
#: a kernel's connection file and sockets in :func:`kernel_socket_folder`: ``kernel-<pid>-<hex>...``
KERNEL_PREFIX = "kernel-"
#: the longest Unix socket path, and the length of a kernel's socket name within its folder
MAX_SOCKET_PATH = 100
SOCKET_NAME_CHARS = len("/kernel-4194304-0123456789ab-12345")


# --- kernels -----------------------------------------------------------------------------------

#: kernels started by this process and not yet shut down (a worker kills them on cancellation)
_LIVE_KERNELS: set = set()


def kernel_socket_folder() -> Path:
    """Where kernel sockets go: the temp folder, or ``/tmp`` when the temp folder's path is too
    long for a socket name (Unix socket paths are limited to about 107 bytes)."""
    for base in (Path(tempfile.gettempdir()), Path("/tmp")):
        folder = base / f"plumbing-kernels-{os.getuid()}"
        if len(str(folder)) + SOCKET_NAME_CHARS <= MAX_SOCKET_PATH:
            break
    return folder


def quiet_kernel_manager_class(extra_env: dict[str, str] | None = None) -> type:
    """A local kernel manager for report kernels (``extra_env`` added to each kernel's environment).

    - It talks to its kernel over IPC sockets in the temp folder (local TCP kernels print a
      warning about unencrypted traffic on every start; IPC sockets never leave the machine).
    - It does not interrupt a kernel it is shutting down. jupyter_client sends SIGINT before
      every shutdown; a report kernel is idle by then, and the signal only made ipykernel log
      ``KeyboardInterrupt caught in kernel`` when it landed while a message was handled.
    - It registers itself while its kernel runs, so a cancelled worker can kill the kernel.
    - Its kernel's environment is this process's without secrets (:func:`strip_secrets`), plus
      ``extra_env``; nothing is set in this process's own environment (jobs may share it).
    - When this process runs a fork server (:mod:`.forkserver`), the kernel is forked from it,
      warm; otherwise it is launched as a new process.
    """
    base = _quiet_kernel_manager_base()
    if not extra_env:
        return base
    return type("QuietKernelManager", (base,), {"extra_env": dict(extra_env)})


@lru_cache(maxsize=1)
def _quiet_kernel_manager_base() -> type:
    """The kernel manager class of :func:`quiet_kernel_manager_class` (built once)."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    from . import forkserver

    class QuietKernelManager(AsyncKernelManager):
        extra_env: dict[str, str] = {}

        async def _async_pre_start_kernel(self, **kw: object) -> tuple:
            if not self.connection_file:  # beside its sockets, named by this process's pid (not tmpXXXX.json)
                self.connection_file = f"{self.ip}.json"
            env = dict(kw.pop("env", None) or os.environ)  # type: ignore[call-overload]
            strip_secrets(env)
            kw["env"] = {**env, **self.extra_env}
            if self.provisioner is None and forkserver.active() is not None:
                self.kernel_id = self.kernel_id or str(kw.pop("kernel_id", uuid.uuid4()))
                self.provisioner = forkserver.provisioner_class()(kernel_id=self.kernel_id,
                                                                  kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            folder = kernel_socket_folder()
            folder.mkdir(mode=0o700, exist_ok=True)
            # one prefix per kernel: parallel kernels must never pick the same socket files; the
            # pid lets the parent remove what a killed worker left (:func:`remove_leftovers`)
            return str(folder / f"{KERNEL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}")

        async def start_kernel(self, **kw: object) -> None:
            _LIVE_KERNELS.add(self)  # before the launch: a kernel still starting can be killed too
            await super().start_kernel(**kw)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            try:
                await super().shutdown_kernel(now=now, restart=restart)
            finally:
                _LIVE_KERNELS.discard(self)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # nothing runs in a report kernel being shut down
                return
            await super()._async_interrupt_kernel()

    return QuietKernelManager


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(pid: int | None = None) -> list[Path]:
    """Scratch folders (``plumbing-render-<pid>-*``) and kernel connection files and sockets
    (``kernel-<pid>-*``) of worker ``pid`` (None: of any pid), kept only while that process
    lives: those of a dead process, owned by this user, are listed."""
    found = []
    for folder, prefix in ((Path(tempfile.gettempdir()), SCRATCH_PREFIX), (kernel_socket_folder(), KERNEL_PREFIX)):
        if not folder.is_dir():
            continue
        owner = re.compile(rf"^{re.escape(prefix)}(\d+)-")
        for path in folder.glob(f"{prefix}{pid if pid is not None else ''}*"):
            match = owner.match(path.name)
            if match is None or (pid is not None and int(match.group(1)) != pid) or _pid_alive(int(match.group(1))):
                continue
            try:
                if path.lstat().st_uid != os.getuid():
                    continue
            except OSError:
                continue
            found.append(path)
    return found


def remove_leftovers(pid: int | None = None) -> int:
    """Remove :func:`leftovers` of ``pid`` (None: of every dead process); returns how many."""
    removed = 0
    for path in leftovers(pid):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        except OSError as err:  # best effort: named, never fatal
            log.warning("cannot remove %s, left by a render process that no longer runs: %s", path, err)
    return removed


@contextmanager
def sigint_held() -> Iterator[None]:
    """While starting a child process: SIGINT blocked in this thread, so the child starts with
    it blocked (a signal mask survives fork and exec) and cannot be interrupted while it imports.
    A Ctrl-C meanwhile stays pending here and reaches this process's handler afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_sigint() -> None:
    """In a child started under :func:`sigint_held`: ignore SIGINT, then unblock it (a pending
    one is discarded); the parent decides what a Ctrl-C means."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def kill_live_kernels() -> None:
    """Kill every kernel this process started (and its children) and remove its socket files."""
    for manager in list(_LIVE_KERNELS):
        pid = getattr(getattr(manager, "provisioner", None), "pid", None)
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)  # a kernel leads its own process group
            except (ProcessLookupError, PermissionError):
                pass
        for cleanup in (manager.cleanup_connection_file, manager.cleanup_ipc_files):
            try:
                cleanup()
            except Exception:  # best effort: the process is about to exit
                pass
        _LIVE_KERNELS.discard(manager)


#: the thread pools of numpy's BLAS and OpenMP, sized for parallel kernels
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def thread_limits(parallel: int) -> dict[str, str]:
    """Environment variables that give each of ``parallel`` kernels its share of the cores
    (two kernels each running a 2-thread BLAS on 2 cores slow each other down); variables the
    user set are kept."""
    share = str(max(1, (os.cpu_count() or 1) // max(1, parallel)))
    return {name: share for name in THREAD_VARIABLES if name not in os.environ}


def strip_secrets(environ: MutableMapping[str, str]) -> list[str]:
    """Remove API keys, tokens, secrets and passwords from ``environ``; returns their names."""
    names = [name for name in list(environ) if SECRET_NAME.search(name)]
    for name in names:
        del environ[name]
    return names


# --- the worker process ----------------------------------------------------------------------

class _WorkerGuard(threading.Thread):
    """In a worker: reads the parent's messages and stops everything on cancellation.

    Jobs go to :attr:`jobs` for the main thread. A cancel message, the pipe closing (the
    parent died, even by SIGKILL), a new parent pid, or SIGTERM: the gate is closed (waiting
    for a write in progress), the kernels are killed, the scratch folder removed, and the
    process exits at once, whatever the main thread is doing.
    """

    def __init__(self, conn: Connection, parent_pid: int, gate: WriteGate, scratch: Path) -> None:
        super().__init__(name="plumbing-worker-guard", daemon=True)
        self.conn, self.parent_pid, self.gate, self.scratch = conn, parent_pid, gate, scratch
        self.jobs: queue.Queue = queue.Queue()
        self.terminate = threading.Event()

    def run(self) -> None:
        while True:
            if self.terminate.is_set() or os.getppid() != self.parent_pid:
                self.stop()
            try:
                if not self.conn.poll(POLL_S):
                    continue
                message = self.conn.recv()
            except (EOFError, OSError):
                self.stop()
            if message == _CANCEL:
                self.stop()
            self.jobs.put(message)

    def stop(self) -> None:
        self.gate.cancel()
        kill_live_kernels()
        shutil.rmtree(self.scratch, ignore_errors=True)
        os._exit(1)


def _worker_main(conn: Connection, parent_pid: int, fork_address: str | None = None,
                 kernel_env: dict[str, str] | None = None) -> None:
    """A render worker: runs the jobs the parent sends, one at a time, until told to stop
    (its kernels forked by the run's fork server at ``fork_address``, if any, with
    ``kernel_env`` in their environment)."""
    ignore_sigint()  # the parent decides; Ctrl-C reaches the whole group
    strip_secrets(os.environ)
    os.environ.update(kernel_env or {})
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    gate = WriteGate()
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    guard = _WorkerGuard(conn, parent_pid, gate, scratch)
    signal.signal(signal.SIGTERM, lambda *_: guard.terminate.set())
    guard.start()
    forkserver.connect(fork_address)
    try:
        while (message := guard.jobs.get()) is not None:
            job_fields, key, show_code = message
            job = ReportJob(**job_fields)
            try:
                result = execute_job(job, key, show_code, gate, scratch)
            except ReportsCancelled:
                return
            except Exception as err:  # a crash outside a cell (kernel death, export, timeout)
                message_text = f"{type(err).__name__}: {err}"
                try:
                    record_failure(job, message_text, gate)
                except ReportsCancelled:
                    return
                except ReportWriteError as write_error:
                    message_text += f" (and the failure is not recorded: {write_error})"
                result = {"output": job.output, "status": "failed", "error": message_text}
            conn.send(result)
    finally:
        forkserver.stop()
        shutil.rmtree(scratch, ignore_errors=True)


# --- the parent: a small pool that can be cancelled ------------------------------------------------

@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: ReportJob | None = None


class Signals:
    """While active, SIGINT and SIGTERM set :attr:`received` (and close the gate) instead of
    killing the process; the previous handlers come back afterwards."""

    def __init__(self, gate: WriteGate) -> None:
        self.gate = gate
        self.received: signal.Signals | None = None

    def _handle(self, signum: int, _frame: object) -> None:
        self.received = signal.Signals(signum)
        self.gate.cancelled = True  # no lock: the handler runs in the thread that writes

    @contextmanager
    def active(self) -> Iterator[Signals]:
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def _start_worker(context: multiprocessing.context.BaseContext, fork_address: str | None,
                  kernel_env: dict[str, str]) -> _Worker:
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(target=_worker_main, args=(child_end, os.getpid(), fork_address, kernel_env),
                              name="plumbing-render", daemon=True)
    # started first: starting it unblocks SIGINT in this thread (multiprocessing's own block and unblock)
    resource_tracker.ensure_running()
    with sigint_held():  # no traceback from a worker interrupted while it imports
        process.start()
    child_end.close()
    return _Worker(process, parent_end)


def _stop_workers(workers: list[_Worker], cancel: bool) -> None:
    """Tell every worker to exit (``cancel``: kill its kernel and exit now) and reap them all."""
    for worker in workers:
        try:
            worker.conn.send(_CANCEL if cancel else None)
        except (OSError, ValueError):
            pass
    for worker in workers:
        worker.process.join(STOP_GRACE_S)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(STOP_GRACE_S)
        worker.conn.close()


def _collect(worker: _Worker) -> dict | None:
    """The finished job's result, a failure if the worker died, or None if still running."""
    assert worker.job is not None
    try:
        if worker.conn.poll():
            return worker.conn.recv()
    except (EOFError, OSError):
        pass
    if worker.process.is_alive():
        return None
    code = worker.process.exitcode
    return {"output": worker.job.output, "status": "failed",
            "error": f"the render process exited unexpectedly (exit code {code}) outside any notebook cell"}


def _record(summary: RunSummary, worker: _Worker, result: dict, gate: WriteGate) -> None:
    """Book a finished job; a worker that died is dropped and its report marked failed."""
    job, worker.job = worker.job, None
    if result["status"] == "ok":
        summary.rendered.append(result["output"])
        return
    summary.failed[result["output"]] = result["error"]
    if not worker.process.is_alive() and job is not None:
        worker.conn.close()
        worker.process.join()
        remove_leftovers(worker.process.pid)  # what it could not clean up itself: scratch, kernel files
        try:
            record_failure(job, result["error"], gate)
        except ReportsCancelled:
            pass
        except ReportWriteError as err:
            summary.failed[result["output"]] = f"{result['error']} (and the failure is not recorded: {err})"


def render(todo: list[tuple[ReportJob, str]], workers_wanted: int, show_code: bool, progress: bool,
           summary: RunSummary, signals: Signals, gate: WriteGate) -> None:
    """Render ``todo`` on up to ``workers_wanted`` workers, recording outcomes in ``summary``.

    Returns when every job is done, or at once after a signal (``summary.cancelled`` then names
    it, with the jobs stopped mid-render and those never started); workers are always reaped.
    """
    from tqdm import tqdm

    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[ReportJob, str]] = deque(todo)
    workers: list[_Worker] = []
    bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress)
    finished = False
    kernel_env = thread_limits(workers_wanted)
    remove_leftovers()  # of earlier runs' workers killed outright
    with sigint_held():
        server = forkserver.launch(NOTEBOOKS_DIR, kernel_env)  # preloads the kernels' imports while the workers start
    address = server.address if server is not None else None
    started: list[multiprocessing.process.BaseProcess] = []
    try:
        while (pending or any(w.job for w in workers)) and signals.received is None:
            idle = [w for w in workers if w.job is None]
            while pending and (idle or len(workers) < workers_wanted):
                worker = idle.pop() if idle else _start_worker(context, address, kernel_env)
                if worker not in workers:
                    workers.append(worker)
                    started.append(worker.process)
                job, key = pending.popleft()
                worker.job = job
                worker.conn.send((asdict(job), key, show_code))
            busy = [w for w in workers if w.job is not None]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL_S)
            for worker in busy:
                result = _collect(worker)
                if result is not None:
                    _record(summary, worker, result, gate)
                    bar.update(1)
            workers = [w for w in workers if w.process.is_alive() or w.job is not None]
        finished = signals.received is None
    finally:
        if signals.received is not None:
            for worker in [w for w in workers if w.job is not None]:
                result = _collect(worker) if worker.process.is_alive() else None  # finished just in time?
                if result is not None:
                    _record(summary, worker, result, gate)
            summary.cancelled = signals.received.name
            summary.interrupted = [w.job.output for w in workers if w.job is not None]
        _stop_workers(workers, cancel=not finished)  # an error in this loop cancels too
        if server is not None:
            server.close()  # after the workers: they have shut down or killed their kernels
        for process in started:  # a worker killed outright left its files; none survives the run
            remove_leftovers(process.pid)
        bar.close()
