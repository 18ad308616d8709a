"""Warm report kernels: a preloaded process forks a fresh kernel for every report.

Starting a report kernel used to cost more than most reports compute: a new Python, then
ipykernel, pandas, matplotlib, seaborn, statsmodels and the helper package imported again
for every notebook. A run now starts one *fork server* (:func:`launch`): a process that
imports those modules once (while the render workers import papermill) and then, for each
report any worker asks for (:func:`connect`, an abstract Unix socket), forks a child that
becomes that report's kernel. The child already has every heavy module loaded, so its start
costs a fork. The server starts from an environment without secrets.

Isolation: a kernel is never reused. The server itself runs no notebook code (it only imports
modules), so every report starts from the same clean state, exactly as a new process would,
and whatever a report does to its modules or globals dies with its kernel. Each child gets the
environment and folder jupyter_client asked for, a new session (its own process group, so it
is killed as a group like a launched kernel), a fresh numpy random seed, and a parent-death
signal; the server gets one too (its parent is the run), so no kernel outlives the run, even
one killed by SIGKILL; a worker kills its own kernels when it stops, and when a worker's line
to the server closes (the worker exited, or was killed outright) the server kills the kernels
it forked for that worker that still run.

jupyter_client talks to a forked kernel through :class:`ForkProvisioner` (its connection file,
sockets and shutdown are the usual ones; only the launch differs). Set
``PLUMBING_WARM_KERNELS=0`` to launch every kernel as a new process instead (the benchmarks
compare both). Linux only (``fork``, ``pidfd_open``, ``prctl``); elsewhere kernels are launched
as usual.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import uuid
from functools import lru_cache
from pathlib import Path

#: what a report kernel imports before its first cell (the notebooks' import cells)
PRELOAD: tuple[str, ...] = (
    "ipykernel.kernelapp", "IPython.display", "numpy", "pandas", "matplotlib.pyplot", "seaborn",
    "statsmodels.api", "scipy.stats", "plumbing", "plumbing.quantities", "plumbing.views", "plumbing.plots",
    "plumbing.present", "plumbing.findings", "plumbing.episodes", "plumbing.claims", "plumbing.models",
    "plumbing.reports.record",
)
#: the module a kernel command runs (``python -m ipykernel_launcher -f {connection_file}``)
LAUNCHER = "ipykernel_launcher"
_PR_SET_PDEATHSIG = 1


def enabled() -> bool:
    """True unless ``PLUMBING_WARM_KERNELS=0`` or the platform cannot fork kernels."""
    return (os.environ.get("PLUMBING_WARM_KERNELS", "1") != "0" and sys.platform.startswith("linux")
            and hasattr(os, "pidfd_open") and hasattr(os, "fork"))


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the thread that started it exits."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the server still exits when its socket closes


# --- the server process ------------------------------------------------------------------------

def preload(modules: list[str]) -> list[str]:
    """Import ``modules`` (those that fail are skipped: the kernel imports them itself); returns
    the ones that failed."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    return failed


def preload_cache() -> None:
    """Parse and verify the run's cache (``$PLUMBING_CACHE``) once, so every forked kernel
    finds it in its memo; a kernel still re-reads any file whose signature changed since.
    Best effort: a kernel reads (and reports) what could not be preloaded."""
    try:
        from plumbing.cache import SeriesCache

        SeriesCache().preload()
    except Exception:
        pass


def _become_kernel(request: dict, server_pid: int, server_fds: list[int]) -> None:
    """In a forked child: become the kernel ``request`` describes (never returns)."""
    code = 1
    try:
        for fd in server_fds:  # the server's lines to its workers are not the kernel's
            os.close(fd)
        os.setsid()  # its own session and process group, like a launched kernel
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        die_with_parent()
        if os.getppid() != server_pid:
            os._exit(1)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        env = {**request["env"], "JPY_PARENT_PID": str(server_pid)}
        os.environ.clear()
        os.environ.update(env)
        cwd = request.get("cwd")
        if cwd:
            os.chdir(cwd)
            sys.path[0] = str(cwd)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # never share a random stream with a sibling
        # ipykernel read JPY_PARENT_PID when the server imported it: name the parent explicitly
        sys.argv = [LAUNCHER, *request["argv"], f"--IPKernelApp.parent_handle={server_pid}"]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _fork_kernel(request: dict, server_fds: list[int]) -> int:
    """Fork a child that becomes a kernel; returns its pid (in the server)."""
    server_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        _become_kernel(request, server_pid, server_fds)
    return pid


def _answer(client: socket.socket, line: bytes, server_fds: list[int]) -> int | None:
    """Fork the kernel one request line asks for and send its pid (or why not) back; returns the pid."""
    try:
        reply = {"pid": _fork_kernel(json.loads(line), server_fds)}
    except Exception as err:  # a bad request or no fork: the worker launches normally
        reply = {"error": f"{type(err).__name__}: {err}"}
    client.sendall(json.dumps(reply).encode() + b"\n")
    return reply.get("pid")


def _watch(pid: int) -> tuple[int, int] | None:
    """(pid, a pidfd on it) for a kernel just forked; None if it is already gone."""
    try:
        return pid, os.pidfd_open(pid)
    except OSError:
        return None


def _running(watched: tuple[int, int]) -> bool:
    """True while the watched kernel runs (its pidfd is not yet readable)."""
    return not select.select([watched[1]], [], [], 0)[0]


def _kill_kernels(kernels: list[tuple[int, int]]) -> None:
    """Kill the process groups of the kernels still running (their pid is still theirs while
    their pidfd says so) and close the pidfds."""
    for pid, pidfd in kernels:
        try:
            if _running((pid, pidfd)):
                os.killpg(pid, signal.SIGKILL)  # a kernel leads its own session and process group
        except OSError:
            pass
        finally:
            os.close(pidfd)


def serve(listener: socket.socket, modules: list[str]) -> None:
    """The server loop: preload, then accept workers and fork one kernel per request line.
    Runs until it is killed (its parent's death kills it too)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the runner decides
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the runner while it started us
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped by the system
    preload(modules)
    preload_cache()
    threaded = threading.active_count() > 1  # forking a threaded process is unsafe: refuse
    clients: dict[int, tuple[socket.socket, object]] = {}
    kernels: dict[int, list[tuple[int, int]]] = {}  # per worker line: its kernels (pid, pidfd)
    while True:
        ready, _, _ = select.select([listener, *(c for c, _ in clients.values())], [], [])
        for sock in ready:
            if sock is listener:
                client, _ = listener.accept()
                clients[client.fileno()] = (client, client.makefile("rb"))
                continue
            client, reader = clients[sock.fileno()]
            line = reader.readline()  # type: ignore[attr-defined]
            if not line:  # that worker is gone: so are the kernels it may not have stopped (a SIGKILL)
                _kill_kernels(kernels.pop(sock.fileno(), []))
                del clients[sock.fileno()]
                client.close()
            elif threaded:
                client.sendall(b'{"error": "the preloaded modules started threads"}\n')
            else:
                mine = kernels.setdefault(sock.fileno(), [])
                exited = [k for k in mine if not _running(k)]
                _kill_kernels(exited)  # nothing to kill: their pidfds are closed
                mine[:] = [k for k in mine if k not in exited]
                pidfds = [pidfd for watched in kernels.values() for _, pidfd in watched]
                pid = _answer(client, line, [listener.fileno(), *clients, *pidfds])
                if pid and (watched := _watch(pid)) is not None:
                    mine.append(watched)


def main(argv: list[str]) -> None:
    """``python -m plumbing.reports.forkserver FD PARENT_PID MODULE ...`` (FD: a listening socket)."""
    fd, parent = int(argv[0]), int(argv[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # see serve(); as early as this module allows
    die_with_parent()
    if os.getppid() != parent:
        return
    serve(socket.socket(fileno=fd), argv[2:])


# --- the runner's and the workers' side ----------------------------------------------------------

class ForkServerError(RuntimeError):
    """The fork server is gone or refused; the kernel is launched as a new process instead."""


class ForkServer:
    """A fork server for one run, started at once (preloading runs while workers start). Workers
    reach it at :attr:`address`, a Linux abstract socket name (no file to clean up)."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None, modules: tuple[str, ...] = PRELOAD) -> None:
        self.address = f"\0/plumbing/forkserver/{os.getpid()}/{uuid.uuid4().hex}"  # abstract: no file
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.address)
        listener.listen(64)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plumbing.reports.forkserver", str(listener.fileno()), str(os.getpid()), *modules],
            pass_fds=[listener.fileno()], stdin=subprocess.DEVNULL, cwd=str(cwd), env=env)
        listener.close()

    def close(self) -> None:
        """Stop the server and reap it (it holds nothing worth a grace period; its kernels have
        been shut down by their managers)."""
        self.process.kill()
        self.process.wait()


class ForkClient:
    """A worker's line to the run's fork server."""

    def __init__(self, address: str) -> None:
        self._channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._lock = threading.Lock()
        self.broken = False
        try:
            self._channel.connect(address)
        except OSError:
            self.broken = True
        self._reader = self._channel.makefile("rb")

    def fork_kernel(self, argv: list[str], env: dict[str, str], cwd: str | None) -> int:
        """A new kernel process running ``ipykernel_launcher ARGV``; returns its pid."""
        with self._lock:
            if self.broken:
                raise ForkServerError("the fork server is not available")
            try:
                self._channel.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
                line = self._reader.readline()
            except OSError as err:
                self.broken = True
                raise ForkServerError(f"the fork server is gone ({err})") from None
            reply = json.loads(line) if line else {"error": "the fork server exited"}
            if "pid" not in reply:
                self.broken = True
                raise ForkServerError(reply["error"])
            return int(reply["pid"])

    def close(self) -> None:
        self._reader.close()
        self._channel.close()


#: this process's line to a fork server (a render worker's), and a server it started for itself
_CLIENT: ForkClient | None = None
_OWN: ForkServer | None = None


def kernel_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a fork server (and so each kernel's modules) starts from: no secrets,
    and the inline matplotlib backend of report kernels."""
    from .workers import strip_secrets

    env = dict(os.environ if environ is None else environ)
    strip_secrets(env)
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


def launch(cwd: Path, extra_env: dict[str, str] | None = None) -> ForkServer | None:
    """A fork server for a run's workers, its environment with ``extra_env`` (None when warm
    kernels are disabled)."""
    return ForkServer(cwd, {**kernel_env(), **(extra_env or {})}) if enabled() else None


def connect(address: str | None) -> None:
    """Use the fork server at ``address`` for this process's kernels (None: launch them)."""
    global _CLIENT
    _CLIENT = ForkClient(address) if address else None


def start(cwd: Path) -> ForkServer | None:
    """Start a fork server for this process alone and use it (None when disabled)."""
    global _OWN
    if _OWN is None and (server := launch(cwd)) is not None:
        _OWN = server
        connect(server.address)
    return _OWN


def active() -> ForkClient | None:
    """This process's usable line to a fork server, if any."""
    return _CLIENT if _CLIENT is not None and not _CLIENT.broken else None


def stop() -> None:
    """Close this process's line to its fork server, and stop a server it started itself."""
    global _CLIENT, _OWN
    if _CLIENT is not None:
        _CLIENT.close()
        _CLIENT = None
    if _OWN is not None:
        _OWN.close()
        _OWN = None


class ForkedKernel:
    """The ``Popen``-like handle jupyter_client expects, for a kernel forked by the server
    (a sibling, not a child: it is watched through a pidfd and killed as a process group)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:
            self._pidfd, self.returncode = None, 0

    def poll(self) -> int | None:
        return self.wait(0)

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None and self._pidfd is not None:
            if select.select([self._pidfd], [], [], timeout)[0]:
                os.close(self._pidfd)
                self._pidfd, self.returncode = None, 0  # its exit status belongs to the server
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.returncode is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.send_signal(signal.SIGKILL)


@lru_cache(maxsize=1)
def provisioner_class() -> type:
    """A jupyter_client provisioner that asks this process's fork server for the kernel
    (falling back to a normal launch when the server is unavailable or the command is not
    ``python -m ipykernel_launcher ...``)."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs: object):  # type: ignore[override]
            server = active()
            if server is None or LAUNCHER not in cmd:
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)  # type: ignore[call-overload]
            cwd = kwargs.get("cwd")
            try:
                pid = server.fork_kernel(cmd[cmd.index(LAUNCHER) + 1:], env, str(cwd) if cwd else None)
            except ForkServerError:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForkedKernel(pid)  # type: ignore[assignment]
            self.pid = self.pgid = pid
            self.cwd = cwd
            return self.connection_info

    return ForkProvisioner


if __name__ == "__main__":
    main(sys.argv[1:])
