"""Logins per second, and what a login flood does to everyone else's reads.

    .venv/bin/python -m bench.logins [--students 20000] [--workers 2] [--seconds 10]
                                     [--database-url URL]

1. Serves the 20,000-student demo with `registrar serve --workers 2`.
2. Quiet reads: wrk on `GET .../enrolled/` at 32 connections.
3. Logins alone: 16 connections logging students in (Argon2id, m = 19 MiB, t = 2, p = 1).
4. Both at once: the same reads while the 16 connections flood `POST /auth/login`.

Prints logins/s and the read p95 quiet and under the flood (the goal: within 2x).
Load generators: wrk for the reads, bench/loadgen.py (asyncio) for the logins, in a process of
its own; all on the same two cores as the server.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
from pathlib import Path
from typing import TypeAlias

from bench import harness, loadgen, reads

FLOOD_CONNECTIONS = 16


Results: TypeAlias = "multiprocessing.Queue[tuple[str, float]]"


def _flood(base: str, usernames: list[str], seconds: float, out: Results) -> None:
    report = loadgen.run(
        base,
        harness.login_requests(usernames, harness.STUDENT_PASSWORD),
        concurrency=FLOOD_CONNECTIONS,
        seconds=seconds,
    )
    out.put((report.line(f"logins ({FLOOD_CONNECTIONS} connections)"), report.rate))


def _flood_in_background(
    base: str, usernames: list[str], seconds: float
) -> tuple[multiprocessing.Process, Results]:
    queue: Results = multiprocessing.Queue()
    process = multiprocessing.Process(target=_flood, args=(base, usernames, seconds, queue))
    process.start()
    return process, queue


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--database-url", help="use this loaded demo instead of a fresh one")
    args = parser.parse_args()

    with (
        harness.demo_database(args.students, args.database_url) as url,
        harness.serve(url, workers=args.workers, port=args.port) as server,
    ):
        readers = harness.student_numbers(url, 200)
        flooders = harness.student_numbers(url, 2000, offset=200)
        tokens = harness.log_in(server.base, readers, harness.STUDENT_PASSWORD)
        path = f"{reads.PORTAL}/enrolled/"
        with tempfile.NamedTemporaryFile("w", suffix=".tokens") as handle:
            handle.write("\n".join(tokens) + "\n")
            handle.flush()
            token_file = Path(handle.name)

            def read_load(label: str) -> reads.WrkResult:
                result = reads.wrk(
                    server.base, path, token_file, connections=32, seconds=args.seconds
                )
                print(result.line(label))
                return result

            print(
                f"server: registrar serve --workers {args.workers}; reads: wrk -c32 on "
                f"{path}; logins: bench/loadgen.py, {FLOOD_CONNECTIONS} connections"
            )
            print(loadgen.HEADER)
            quiet = read_load("reads, quiet")
            process, queue = _flood_in_background(server.base, flooders, args.seconds)
            process.join()
            alone_line, alone_rate = queue.get()
            print(alone_line)
            process, queue = _flood_in_background(server.base, flooders, args.seconds + 2)
            flooded = read_load("reads, during the login flood")
            process.join()
            during_line, during_rate = queue.get()
            print(during_line.replace("logins", "logins during the reads"))
    ratio = flooded.p95 / quiet.p95 if quiet.p95 else float("inf")
    print(
        f"logins/s alone: {alone_rate:.0f}; during the reads: {during_rate:.0f}; "
        f"read p95 quiet {quiet.p95:.1f} ms, under the flood {flooded.p95:.1f} ms "
        f"({ratio:.1f}x)"
    )


if __name__ == "__main__":
    main()
