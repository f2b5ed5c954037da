"""Serving the app with several worker processes, each with a listening socket of its own.

Uvicorn's own `--workers` shares one listening socket between the processes, and the kernel
hands each new connection to whichever process wakes first: under a burst of keep-alive
connections one worker ends up with most of them (seen: 94 % and 25 % CPU) while the other
idles. With SO_REUSEPORT every worker listens on a socket of its own and the kernel spreads
connections across them evenly. This module is the small supervisor that needs: it starts the
workers, restarts one that dies, and on SIGTERM or SIGINT asks them all to finish what they are
serving and waits for them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

logger = logging.getLogger("registrar")

GRACE_SECONDS = 30.0
RESTART_PAUSE_SECONDS = 1.0
ORPHAN_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class ServeOptions:
    """Where and how each worker serves."""

    host: str
    port: int
    access_log: bool
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
    config = uvicorn.Config(
        "registrar.main:create_app",
        factory=True,
        log_level=options.log_level,
        access_log=options.access_log,
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


def supervise(options: ServeOptions, workers: int) -> None:
    """Run `workers` worker processes until SIGTERM or SIGINT, restarting any that dies."""
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
