"""Service time of the five portal endpoints: one client, one request at a time.

Where `portal_load` measures the server under a crowd (latency = service time + queueing on a
shared 2-core machine), this measures what one request costs on the 20,000-student demo.

    .venv/bin/python -m bench.demo_load --students 20000 --keep     # prints DATABASE_URL=...
    .venv/bin/python -m bench.portal_latency --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import httpx

from bench.portal_load import SECRET, _serve, _tokens
from registrar.config import Settings
from registrar.db import Database, build_engine

PORTAL = "/api/student-portal/courses"


def _percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"{cuts[49]:8.1f}{cuts[94]:8.1f}{cuts[98]:8.1f}{len(samples):9d}"


def _timed(action: Callable[[], httpx.Response], samples: list[float]) -> httpx.Response:
    started = time.perf_counter()
    response = action()
    samples.append((time.perf_counter() - started) * 1000)
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--students", type=int, default=200, help="students to sample")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    database = Database(build_engine(args.database_url))
    settings = Settings(DATABASE_URL=args.database_url, SECRET_KEY=SECRET)
    tokens = _tokens(database, settings, args.students)
    database.dispose()
    server = _serve(args.database_url, args.port, workers=1)
    samples: dict[str, list[float]] = {
        name: []
        for name in ("GET enrolled", "GET available", "GET batch", "POST enroll", "POST drop")
    }
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=30) as client:
            for token in tokens:
                client.headers["Authorization"] = f"Bearer {token}"
                _timed(lambda: client.get(f"{PORTAL}/enrolled/"), samples["GET enrolled"])
                offer = _timed(
                    lambda: client.get(f"{PORTAL}/available/?include_sections=true"),
                    samples["GET available"],
                ).json()
                _timed(lambda: client.get(f"{PORTAL}/batch/"), samples["GET batch"])
                sections = [
                    s["id"]
                    for course in offer.get("available_courses", [])
                    for s in course.get("available_sections", [])
                ]
                if not sections:
                    continue
                body = {"course_section_id": sections[0]}
                enrolled = _timed(
                    partial(client.post, f"{PORTAL}/enroll/", json=body),
                    samples["POST enroll"],
                )
                if enrolled.status_code == 201:
                    drop = {"enrollment_id": enrolled.json()["enrollment"]["id"], "reason": "bench"}
                    _timed(
                        partial(client.post, f"{PORTAL}/drop/", json=drop),
                        samples["POST drop"],
                    )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"one client, sequential requests, {args.students} students, 1 worker")
    print(f"  {'endpoint':<16}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'requests':>9}")
    for name, values in samples.items():
        if len(values) >= 2:
            print(f"  {name:<16}{_percentiles(values)}")


if __name__ == "__main__":
    main()
