"""Warm report kernels: a preloaded process forks a fresh kernel for every report.

Starting a report kernel used to cost more than most reports compute: a new Python, then
ipykernel, pandas, matplotlib, seaborn, statsmodels and the helper package imported again
for every notebook. A render worker now starts one *fork server* at its start: a process that
imports those modules once (while the worker imports papermill) and then, for each report,
forks a child that becomes that report's kernel. The child already has every heavy module
loaded, so its start costs a fork.

Isolation: a kernel is never reused. The server itself runs no notebook code (it only imports
modules), so every report starts from the same clean state, exactly as a new process would,
and whatever a report does to its modules or globals dies with its kernel. Each child gets the
environment and folder jupyter_client asked for, a new session (its own process group, so it
is killed as a group like a launched kernel), a fresh numpy random seed, and a parent-death
signal; the server gets one too, so no kernel outlives its worker, even one killed by SIGKILL.

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


def _become_kernel(request: dict, server_pid: int, channel_fd: int) -> None:
    """In a forked child: become the kernel ``request`` describes (never returns)."""
    code = 1
    try:
        os.close(channel_fd)  # the server's line to its worker is not the kernel's
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


def _fork_kernel(request: dict, channel_fd: int) -> int:
    """Fork a child that becomes a kernel; returns its pid (in the server)."""
    server_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        _become_kernel(request, server_pid, channel_fd)
    return pid


def serve(channel: socket.socket, modules: list[str]) -> None:
    """The server loop: preload, then one forked kernel per request line, until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the worker decides
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped by the system
    preload(modules)
    if threading.active_count() > 1:  # forking a threaded process is unsafe: say so, serve nothing
        channel.sendall(b'{"error": "the preloaded modules started threads"}\n')
        return
    reader = channel.makefile("rb")
    for line in reader:
        try:
            reply = {"pid": _fork_kernel(json.loads(line), channel.fileno())}
        except Exception as err:  # a bad request or no fork: the worker launches normally
            reply = {"error": f"{type(err).__name__}: {err}"}
        channel.sendall(json.dumps(reply).encode() + b"\n")


def main(argv: list[str]) -> None:
    """``python -m plumbing.reports.forkserver FD PARENT_PID MODULE ...``."""
    fd, parent = int(argv[0]), int(argv[1])
    die_with_parent()
    if os.getppid() != parent:
        return
    serve(socket.socket(fileno=fd), argv[2:])


# --- the worker's side ---------------------------------------------------------------------------

class ForkServerError(RuntimeError):
    """The fork server is gone or refused; the kernel is launched as a new process instead."""


class ForkServer:
    """The worker's handle on its fork server (started at once; preloading runs meanwhile)."""

    def __init__(self, cwd: Path, modules: tuple[str, ...] = PRELOAD) -> None:
        ours, theirs = socket.socketpair()
        self._channel, self._lock = ours, threading.Lock()
        self._reader = ours.makefile("rb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plumbing.reports.forkserver", str(theirs.fileno()), str(os.getpid()), *modules],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, cwd=str(cwd))
        theirs.close()
        self.broken = False

    def fork_kernel(self, argv: list[str], env: dict[str, str], cwd: str | None) -> int:
        """A new kernel process running ``ipykernel_launcher ARGV``; returns its pid."""
        with self._lock:
            if self.broken:
                raise ForkServerError("the fork server is not available")
            try:
                self._channel.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
                line = self._reader.readline()
            except OSError as err:
                line, self.broken = b"", True
                raise ForkServerError(f"the fork server is gone ({err})") from None
            reply = json.loads(line) if line else {"error": "the fork server exited"}
            if "pid" not in reply:
                self.broken = True
                raise ForkServerError(reply["error"])
            return int(reply["pid"])

    def close(self) -> None:
        """Stop the server and reap it (it holds nothing worth a grace period; its kernels have
        been shut down by their managers)."""
        self._channel.close()
        self.process.kill()
        self.process.wait()


#: the fork server of this process (a render worker), if it started one
_SERVER: ForkServer | None = None


def start(cwd: Path) -> ForkServer | None:
    """Start this process's fork server (None when warm kernels are disabled)."""
    global _SERVER
    if _SERVER is None and enabled():
        _SERVER = ForkServer(cwd)
    return _SERVER


def active() -> ForkServer | None:
    """This process's fork server, if any and still usable."""
    return _SERVER if _SERVER is not None and not _SERVER.broken else None


def stop() -> None:
    """Stop this process's fork server, if any."""
    global _SERVER
    if _SERVER is not None:
        _SERVER.close()
        _SERVER = None


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
