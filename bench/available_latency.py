"""`GET .../available/` for one client, one request at a time, on the 20,000-student demo.

    .venv/bin/python -m bench.demo_load --students 20000 --keep     # prints DATABASE_URL=...
    .venv/bin/python -m bench.available_latency --database-url URL [--students 200] [--runs 3]

Serves the database with one worker, logs `--students` students in through the API, asks each
for its available courses once to warm the worker, then `--runs` times asks each again in turn.
Prints p50/p95 of each run, the server's CPU per request (steadier than wall time on a
shared machine), their medians, the sections a page lists, and what the `eligibility` of those
sections says (when the server answers it). Read-only: the database is
left as it was, so the same database measures one build of the code against another
(`PYTHONPATH=/path/to/other/src`, which the served worker inherits).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench import harness
from registrar.config import normalize_database_url

AVAILABLE = "/api/student-portal/courses/available/"


def _sections(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        section
        for course in page.get("available_courses", [])
        for section in course.get("available_sections") or ()
    ]


def _run(client: httpx.Client, tokens: list[str], outcomes: Counter[str]) -> list[float]:
    """One sequential pass: each student's page once; the milliseconds of each."""
    samples = []
    for token in tokens:
        started = time.perf_counter()
        response = client.get(AVAILABLE, headers={"Authorization": f"Bearer {token}"})
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code}: {response.text[:500]}")
        for section in _sections(response.json()):
            judged = section.get("eligibility")
            outcomes[judged["outcome"] if judged else "no eligibility"] += 1
    return samples


def _cut(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100)[percent - 1]


def _cpu_ms(server: harness.Server) -> float:
    """CPU the server's workers have used so far (user and system), in milliseconds: what a
    request costs the server whatever else the machine is doing, which wall time is not."""
    ticks = 0
    for pid in server.worker_pids():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def main() -> None:
    """Measure, and print one line per run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--students", type=int, default=200, help="requests per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()

    url = normalize_database_url(args.database_url)
    names = harness.student_numbers(url, args.students)
    with harness.serve(url, workers=1, port=args.port) as server:
        tokens = harness.log_in(server.base, names, harness.STUDENT_PASSWORD)
        with httpx.Client(base_url=server.base, timeout=30) as client:
            warm: Counter[str] = Counter()
            _run(client, tokens, warm)
            runs = []
            for number in range(1, args.runs + 1):
                outcomes: Counter[str] = Counter()
                used = _cpu_ms(server)
                samples = _run(client, tokens, outcomes)
                cpu = (_cpu_ms(server) - used) / len(tokens)
                runs.append((_cut(samples, 50), _cut(samples, 95), cpu))
                print(
                    f"run {number}: p50 {runs[-1][0]:6.2f} ms  p95 {runs[-1][1]:6.2f} ms  "
                    f"server CPU {cpu:5.2f} ms a request"
                )
    sections = sum(warm.values())
    print(
        f"{args.students} students, {sections / len(tokens):.1f} sections a page, "
        f"one client, 1 worker: median p50 {statistics.median(r[0] for r in runs):.2f} ms, "
        f"median p95 {statistics.median(r[1] for r in runs):.2f} ms, "
        f"median server CPU {statistics.median(r[2] for r in runs):.2f} ms a request"
    )
    print("eligibility of the sections listed:", dict(warm.most_common()))


if __name__ == "__main__":
    main()
