"""The registrar's reads beside the stack's floor, in one run on the same machine.

    .venv/bin/python -m bench.floor [--students 20000] [--workers 2] [--connections 32]
                                    [--seconds 20] [--database-url URL] [--rounds 1]

What can a read on FastAPI + SQLAlchemy + psycopg answer per second here at all? This serves
`bench/floor_app.py` (the same student's courses of a term from one Core statement, the token
checked, a Pydantic answer, nothing else) with uvicorn and as many workers, then the registrar
(`registrar serve`) on the same demo, and runs wrk (32 connections, each request with the next
of 200 students' tokens) against:

- `/ready` on the floor app: the framework and the server alone, no database;
- `/semesters/{id}/my-courses` on both: the same answer, from the floor app and the registrar;
- `/raw/semesters/{id}/my-courses` on the floor app: the same statement sent by psycopg alone,
  to show what SQLAlchemy's share of the floor is;
- `/health` and `enrolled/` on the registrar, for scale.

It prints requests/s, latency percentiles and the workers' and PostgreSQL's CPU per request,
and the registrar's my-courses as a share of the floor's. `--rounds N` alternates the two
servers N times (a noisy machine moves both); the share is then the median of the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import harness
from bench.reads import PORTAL, WrkResult, endpoints, wrk, wrk_parser
from registrar.config import normalize_database_url

WARM_UP_SECONDS = 2


@contextmanager
def serve_floor(url: str, *, workers: int, port: int) -> Iterator[harness.Server]:
    """`bench/floor_app.py` under uvicorn with `workers` workers, as `registrar serve` runs."""
    command = [str(Path(sys.executable).with_name("uvicorn")), "bench.floor_app:app"]
    command += ["--port", str(port), "--workers", str(workers)]
    command += ["--no-access-log", "--no-server-header", "--log-level", "warning"]
    env = {"FLOOR_DATABASE_URL": normalize_database_url(url), "FLOOR_SECRET": harness.SECRET}
    with harness.serve_command(command, env, port) as server:
        yield server


def measured(
    server: harness.Server, label: str, path: str, tokens: Path, args: argparse.Namespace
) -> WrkResult:
    """One wrk run against `path` after a short one that is not counted (the pool's connections
    open, statements are prepared), printed with its CPU per request."""
    wrk(server.base, path, tokens, connections=args.connections, seconds=WARM_UP_SECONDS)
    meter = harness.CpuMeter.start(server)
    result = wrk(server.base, path, tokens, connections=args.connections, seconds=args.seconds)
    print(result.line(label))
    print(f"  {'':<34}{meter.per_request(result.requests).line()}")
    return result


def main() -> None:
    parser = wrk_parser(__doc__, port=8768)
    parser.add_argument("--rounds", type=int, default=1, help="alternations of the two servers")
    args = parser.parse_args()

    with harness.demo_database(args.students, args.database_url) as url:
        with harness.serve(url, workers=args.workers, port=args.port) as server:
            usernames = harness.student_numbers(url, args.readers)
            tokens = harness.log_in(server.base, usernames, harness.STUDENT_PASSWORD)
            my_courses = endpoints(server.base, tokens[0])["my-courses"]
        print(
            f"servers: {args.workers} workers each; load: wrk -t2 -c{args.connections} "
            f"-d{args.seconds}s on the same machine, {len(tokens)} students' tokens in turn"
        )
        shares: list[float] = []
        with tempfile.NamedTemporaryFile("w", suffix=".tokens") as handle:
            handle.write("\n".join(tokens) + "\n")
            handle.flush()
            token_file = Path(handle.name)
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number}")
                with serve_floor(url, workers=args.workers, port=args.port + 1) as floor:
                    measured(floor, "floor: /ready (no database)", "/ready", token_file, args)
                    floor_rate = measured(
                        floor, "floor: my-courses", my_courses, token_file, args
                    ).rate
                    measured(
                        floor,
                        "floor: my-courses, psycopg alone",
                        f"/raw{my_courses}",
                        token_file,
                        args,
                    )
                with harness.serve(url, workers=args.workers, port=args.port) as server:
                    measured(server, "registrar: /health", "/health", token_file, args)
                    rate = measured(
                        server, "registrar: my-courses", my_courses, token_file, args
                    ).rate
                    measured(
                        server, "registrar: enrolled/", f"{PORTAL}/enrolled/", token_file, args
                    )
                shares.append(rate / floor_rate)
                print(f"  registrar's my-courses / the floor's: {shares[-1]:.2f}")
        if args.rounds > 1:
            print(f"median share over {args.rounds} rounds: {statistics.median(shares):.2f}")


if __name__ == "__main__":
    main()
