"""Serving the app with several worker processes, each with a listening socket of its own.

Uvicorn's own `--workers` shares one listening socket between the processes, and the kernel
hands each new connection to whichever process wakes first: under a burst of keep-alive
connections one worker ends up with most of them (seen: 94 % and 25 % CPU) while the other
idles. With SO_REUSEPORT every worker listens on a socket of its own and the kernel spreads
connections across them evenly. This module is the small supervisor that needs: it starts the
workers, restarts one that dies, and on SIGTERM or SIGINT asks them all to finish what they are
serving and waits for them.

It also gives the workers a folder for their metrics (PROMETHEUS_MULTIPROC_DIR), so that
`GET /metrics`, answered by any one worker, adds up the values of all of them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import Any

logger = logging.getLogger("registrar")

GRACE_SECONDS = 30.0
RESTART_PAUSE_SECONDS = 1.0
ORPHAN_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class ServeOptions:
    """Where and how each worker serves."""

    host: str
    port: int
    log_config: dict[str, Any] | None = None
    log_level: str = "info"


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket that other processes may bind to the same address too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run_worker(options: ServeOptions, supervisor: int) -> None:
    """One worker process: its own socket, the app, until told to stop (or orphaned)."""
    import uvicorn

    _stop_when_orphaned(supervisor)
    logging.captureWarnings(True)  # through the log format uvicorn configures below
    config = uvicorn.Config(
        "registrar.main:create_app",
        factory=True,
        log_level=options.log_level,
        log_config=options.log_config,
        access_log=False,  # the app writes its own access line (ACCESS_LOG)
        timeout_graceful_shutdown=int(GRACE_SECONDS),
        server_header=False,  # no `server: uvicorn` banner (see `registrar serve`)
    )
    uvicorn.Server(config).run(sockets=[reuse_port_socket(options.host, options.port)])


def _stop_when_orphaned(parent: int) -> None:
    """SIGTERM ourselves when the supervisor is gone, however it went (even SIGKILL).

    A worker left behind would keep listening on the shared port, and with SO_REUSEPORT the
    kernel would go on handing it a share of the connections of whatever serves there next.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def metrics_folder() -> tuple[Path, bool]:
    """The workers' metrics folder, emptied; True when it was made here (and is ours to remove).

    A folder named by PROMETHEUS_MULTIPROC_DIR is used (and emptied: the values of a previous
    run would be added to this one's); otherwise a new temporary one. Set in the environment
    before any worker starts, since prometheus-client reads it when it is first imported.
    """
    named = os.environ.get(MULTIPROC_ENV)
    if named:
        folder = Path(named)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        return folder, False
    folder = Path(tempfile.mkdtemp(prefix="registrar-metrics-"))
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder, True


def _forget_worker(pid: int | None) -> None:
    """Drop a gone worker's gauges (its counters stay: they are totals since start)."""
    if pid is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def supervise(options: ServeOptions, workers: int) -> None:
    """Run `workers` worker processes until SIGTERM or SIGINT, restarting any that dies."""
    folder, made_here = metrics_folder()
    try:
        _supervise(options, workers)
    finally:
        if made_here:
            shutil.rmtree(folder, ignore_errors=True)
            os.environ.pop(MULTIPROC_ENV, None)


def _supervise(options: ServeOptions, workers: int) -> None:
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        process = context.Process(target=run_worker, args=(options, os.getpid()), daemon=False)
        process.start()
        return process

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        logger.info("signal %d: stopping %d workers", signum, len(running))

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    running = [start() for _ in range(workers)]
    logger.info("serving on %s:%d with %d workers", options.host, options.port, workers)
    while not stopping:
        time.sleep(0.2)
        for index, process in enumerate(running):
            if not process.is_alive() and not stopping:
                logger.warning(
                    "worker %s exited (%s); starting another", process.pid, process.exitcode
                )
                _forget_worker(process.pid)
                time.sleep(RESTART_PAUSE_SECONDS)
                running[index] = start()
    for process in running:
        if process.pid is not None and process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
    deadline = time.monotonic() + GRACE_SECONDS + 5
    for process in running:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
