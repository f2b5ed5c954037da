"""Portal benchmark: the 20,000-student demo on PostgreSQL, served by several workers.

Prints p50/p95/p99 latency of the five portal endpoints, enrollments per second during a
registration rush, and then an audit of the invariants (no section oversubscribed, counters equal
rows, waitlists contiguous, nobody enrolled twice).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python -m bench.portal_load --students 20000 --workers 4
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select, text
from tests import dbs

from registrar import migrate
from registrar.auth.models import User
from registrar.auth.tokens import issue_token
from registrar.config import Settings
from registrar.db import Database, build_engine
from registrar.demo import load_demo
from registrar.enrollment.invariants import INVARIANTS

SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing"


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "REGISTRAR_ENV": "production",
        "REGISTRAR_DEFAULT_TENANT": "ap-university",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("registrar")),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not become ready")


def _tokens(database: Database, settings: Settings, count: int) -> list[str]:
    with database.session(write=False) as session:
        students = session.scalars(
            select(User).where(User.role == "STUDENT").order_by(User.username).limit(count)
        ).all()
        return [issue_token(user, settings)[0] for user in students]


def _locust(
    host: str, user_class: str, users: int, seconds: int, tokens: Path
) -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "run")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--only-summary",
                "-u",
                str(users),
                "-r",
                str(max(users // 5, 1)),
                "-t",
                f"{seconds}s",
                "--host",
                host,
                "--csv",
                prefix,
                user_class,
            ],
            env={**os.environ, "BENCH_TOKENS": str(tokens)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{prefix}_failures.csv") as failures:
            for row in csv.DictReader(failures):
                failed = f"{row['Method']} {row['Name']}: {row['Error']}"
                print(f"  failure: {failed} x{row['Occurrences']}")
        with open(f"{prefix}_stats.csv") as stats:
            return {row["Name"]: row for row in csv.DictReader(stats)}


def _print_latencies(title: str, stats: dict[str, dict[str, str]]) -> None:
    print(f"\n{title}")
    columns = ("requests", "failures", "p50 ms", "p95 ms", "p99 ms", "req/s")
    print(f"  {'endpoint':<16}" + "".join(f"{column:>9}" for column in columns))
    for name, row in stats.items():
        if name == "Aggregated":
            continue
        print(
            f"  {name:<16}{row['Request Count']:>9}{row['Failure Count']:>9}{row['50%']:>9}"
            f"{row['95%']:>9}{row['99%']:>9}{float(row['Requests/s']):>9.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=100, help="concurrent simulated students")
    parser.add_argument("--seconds", type=int, default=30, help="length of each phase")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", help="reuse a loaded database instead of making one")
    args = parser.parse_args()

    url = args.database_url or dbs.create_postgres_database("registrar_bench")
    database = Database(build_engine(url))
    try:
        if not args.database_url:
            migrate.upgrade(database)
            started = time.perf_counter()
            load_demo(database, students=args.students, seed=7)
            print(f"demo load: {args.students} students in {time.perf_counter() - started:.1f}s")
        settings = Settings(DATABASE_URL=url, SECRET_KEY=SECRET)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(_tokens(database, settings, args.users * 4), handle)
        tokens = Path(handle.name)
        server = _serve(url, args.port, args.workers)
        host = f"http://127.0.0.1:{args.port}"
        try:
            print(
                f"server: {args.workers} workers; load: {args.users} simulated students "
                "generated on the same 2-core machine"
            )
            _print_latencies(
                "reads (seed targets: courses 200 ms, batch 500 ms)",
                _locust(host, "ReadingStudent", args.users, args.seconds, tokens),
            )
            with database.engine.connect() as connection:
                rush_start = connection.execute(text("SELECT now()")).scalar_one()
            rush = _locust(host, "RushingStudent", args.users, args.seconds, tokens)
            _print_latencies("registration rush (seed target: enroll 300 ms)", rush)
            requests = int(rush.get("POST enroll", {}).get("Request Count", "0"))
            with database.engine.connect() as connection:
                seats, waitlisted = connection.execute(
                    text(
                        "SELECT count(*) FILTER (WHERE enrolled_at >= :t), "
                        "count(*) FILTER (WHERE waitlisted_at >= :t) FROM enrollments"
                    ),
                    {"t": rush_start},
                ).one()
            print(
                f"\nenroll requests: {requests} ({requests / args.seconds:.0f}/s); seats taken: "
                f"{seats} ({seats / args.seconds:.0f} enrollments/s); waitlisted: {waitlisted}"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            tokens.unlink(missing_ok=True)
        print("\naudit")
        with database.engine.connect() as connection:
            for check, sql in INVARIANTS.items():
                found = connection.execute(text(sql)).scalar_one()
                print(f"  {check:<42}{found:>6}  {'ok' if found == 0 else 'VIOLATED'}")
    finally:
        database.dispose()
        if not args.database_url:
            dbs.drop_postgres_database(url)


if __name__ == "__main__":
    main()
