"""Demo load benchmark: `registrar demo --students N` into a fresh PostgreSQL database.

    .venv/bin/python bench/demo_load.py --students 20000 [--seed 7] [--keep]

Creates a database on the server (as postgres on 127.0.0.1), migrates it, loads the demo, prints
the seconds per stage, the total and the rows created, then drops the database unless --keep.
"""

from __future__ import annotations

import argparse
import time
import uuid

import psycopg

from registrar import migrate
from registrar.config import normalize_database_url
from registrar.db import Database, build_engine
from registrar.demo import load_demo

SERVER = "postgresql://postgres@127.0.0.1:5432"


def main() -> None:
    """Run the benchmark once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL, no database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    name = f"registrar_demo_bench_{uuid.uuid4().hex[:8]}"
    admin = f"{args.server}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = normalize_database_url(f"{args.server}/{name}")
    database = Database(build_engine(url))
    try:
        started = time.perf_counter()
        migrate.upgrade(database)
        migrated = time.perf_counter() - started
        last: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if done == total and last.get(stage) != done:
                last[stage] = done
                print(f"  {stage}: {done} rows ({time.perf_counter() - started:.1f}s)")

        summary = load_demo(database, students=args.students, seed=args.seed, progress=progress)
        print(f"\nmigrate: {migrated:.1f}s")
        for stage, seconds in summary.stage_seconds.items():
            print(f"{stage}: {seconds:.1f}s")
        print(
            f"demo load total ({args.students} students, seed {args.seed}): {summary.seconds:.1f}s"
        )
        print("\nrows:")
        for table, count in sorted(summary.counts.items(), key=lambda item: -item[1]):
            print(f"  {table}: {count}")
    finally:
        database.dispose()
        if args.keep:
            print(f"\nkept: DATABASE_URL={url}")
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
