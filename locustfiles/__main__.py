"""`python -m locustfiles`: run the seed-002 scenarios headless against a base URL, print a
summary, then audit the invariants; exit 1 when one is broken.

    python -m locustfiles --host http://127.0.0.1:8000 --users 50 --run-time 60s
    DATABASE_URL=postgresql://... python -m locustfiles --host ...   (the database audit too)
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from locustfiles import audit
from locustfiles.plan import Settings

SCENARIOS = Path(__file__).with_name("scenarios.py")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m locustfiles", description=__doc__)
    parser.add_argument("--host", required=True, help="the API's base URL")
    parser.add_argument("--users", type=int, default=50, help="simulated students at once")
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started a second")
    parser.add_argument("--run-time", default="60s", help="e.g. 30s, 5m")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="the API's database, for the full audit (default: DATABASE_URL)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        help="only these users (PeakRegistration, HotOfferingRace, ReserveQueue, "
        "DropAndPromotion, PortalReader); repeatable",
    )
    return parser.parse_args(argv)


def run_locust(options: argparse.Namespace, folder: Path) -> int:
    """Locust headless in a process of its own (it patches the standard library with gevent)."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(SCENARIOS),
        "--headless",
        "--host",
        options.host,
        "--users",
        str(options.users),
        "--spawn-rate",
        str(options.spawn_rate or options.users),
        "--run-time",
        options.run_time,
        "--stop-timeout",
        "10",
        "--csv",
        str(folder / "run"),
        "--only-summary",
        "--exit-code-on-error",
        "0",  # 503s are reported, not fatal: the audit decides
        *options.scenario,
    ]
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(command, env=env, check=False).returncode


def summary(folder: Path) -> list[dict[str, str]]:
    """Locust's per-request statistics (its CSV), the aggregate last."""
    with (folder / "run_stats.csv").open() as stats:
        return list(csv.DictReader(stats))


def print_summary(rows: list[dict[str, str]]) -> None:
    """A table: requests, failures, requests/s and latency percentiles per request name."""
    print(
        f"\n{'request':<52} {'count':>7} {'fail':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    for row in rows:
        name = f"{row['Type']} {row['Name']}".strip()
        print(
            f"{name[:52]:<52} {row['Request Count']:>7} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run, summarize, audit; 0 when every invariant holds."""
    options = _arguments(argv)
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory(prefix="registrar-loadtest-") as name:
        folder = Path(name)
        code = run_locust(options, folder)
        if code != 0 or not (folder / "run_stats.csv").exists():
            print(f"locust failed (exit {code})", file=sys.stderr)
            return 2
        rows = summary(folder)
    print_summary(rows)
    findings = audit.through_api(options.host, settings)
    if options.database_url:
        findings |= audit.in_database(options.database_url)
    else:
        print("\n(no DATABASE_URL: the audit reads the API only)")
    print("\ninvariant audit:")
    for check, broken in findings.items():
        print(f"  {'ok  ' if broken == 0 else 'FAIL'} {check}: {broken}")
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    if total is None or int(total["Request Count"]) == 0:
        print("no request was made", file=sys.stderr)
        return 1
    return 1 if any(findings.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
