"""What the HTTP benchmarks share: a demo database, a served API, logins, pgbench, an audit.

Everything runs on this machine: PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), the
server as `registrar serve --workers N`, and the load generator beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench import loadgen
from registrar import migrate
from registrar.config import normalize_database_url
from registrar.db import Database, build_engine
from registrar.demo import load_demo
from registrar.enrollment.invariants import INVARIANTS

SERVER = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing-0123456789"
TENANT = "ap-university"
STUDENT_PASSWORD = "student123"
REGISTRAR = ("registrar", "registrar123")


def libpq(url: str) -> str:
    """A SQLAlchemy URL as libpq (psql, pgbench, psycopg) takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def demo_database(students: int, url: str | None = None, seed: int = 7) -> Iterator[str]:
    """A PostgreSQL database holding the demo: `url` as it is, or a fresh one dropped after."""
    if url:
        yield normalize_database_url(url)
        return
    name = f"registrar_bench_{uuid.uuid4().hex[:8]}"
    admin = f"{SERVER}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    made = normalize_database_url(f"{SERVER}/{name}")
    try:
        database = Database(build_engine(made))
        try:
            started = time.perf_counter()
            migrate.upgrade(database)
            load_demo(database, students=students, seed=seed)
            print(f"demo: {students} students loaded in {time.perf_counter() - started:.1f}s")
        finally:
            database.dispose()
        yield made
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    """A running `registrar serve`."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        """The worker processes (uvicorn's children), or the server itself with one worker."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        # multiprocessing's resource tracker is a child too; it serves nothing.
        workers = [pid for pid in pids if b"resource_tracker" not in _cmdline(pid)]
        return workers or [self.process.pid]

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker in MB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on this machine (the server and its backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name.startswith(("postgres", "postmaster")):
                found.append(int(entry.name))
    return found


@dataclass(frozen=True)
class CpuPerRequest:
    """CPU milliseconds per request, of the workers and of PostgreSQL."""

    workers_ms: float
    postgres_ms: float

    def line(self) -> str:
        """The figures, printable."""
        return (
            f"CPU/request: workers {self.workers_ms:.2f} ms, PostgreSQL {self.postgres_ms:.2f} ms"
        )


@dataclass(frozen=True)
class CpuMeter:
    """The CPU the workers and PostgreSQL spend on a stretch of load, per request: a figure a
    noisy, shared machine moves far less than requests per second. PostgreSQL's is that of the
    processes alive when the meter started (the pools' connections are open by then)."""

    workers: list[int]
    postgres: list[int]
    started: tuple[float, float]

    @classmethod
    def start(cls, server: Server) -> CpuMeter:
        """Start measuring."""
        workers, postgres = server.worker_pids(), postgres_pids()
        return cls(workers, postgres, (cpu_seconds(workers), cpu_seconds(postgres)))

    def per_request(self, requests: int) -> CpuPerRequest:
        """What was spent since the start, divided among `requests`."""
        count = max(requests, 1)
        return CpuPerRequest(
            (cpu_seconds(self.workers) - self.started[0]) * 1000 / count,
            (cpu_seconds(self.postgres) - self.started[1]) * 1000 / count,
        )


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@contextmanager
def serve(
    url: str, *, workers: int, port: int = 8765, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """`registrar serve --workers N` on the database, ready before the block starts."""
    settings = {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "REGISTRAR_ENV": "production",
        "REGISTRAR_DEFAULT_TENANT": TENANT,
        **(env or {}),
    }
    command = [str(Path(sys.executable).with_name("registrar")), "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with serve_command(command, settings, port) as server:
        yield server


@contextmanager
def serve_command(command: list[str], env: dict[str, str], port: int) -> Iterator[Server]:
    """A server started by `command`, ready (`GET /ready` answered 200) before the block starts,
    and asked to stop (SIGTERM) after it."""
    log = tempfile.NamedTemporaryFile("w+b", prefix="registrar-bench-", suffix=".log")
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log.name)
        yield Server(base=base, process=process, log=Path(log.name))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {Path(log).read_text()[-2000:]}")
        report = loadgen.run(base, [loadgen.build("GET", "/ready")], concurrency=1)
        if report.by_status.get(200):
            return
        time.sleep(0.3)
    raise SystemExit("the server did not become ready in 60 s")


def student_numbers(url: str, count: int, offset: int = 0) -> list[str]:
    """Roll numbers of active university students with a login, in a fixed order."""
    with psycopg.connect(libpq(url)) as connection:
        rows = connection.execute(
            """SELECT u.username FROM users u JOIN institutions i ON i.id = u.institution_id
               JOIN students s ON s.user_id = u.id
               WHERE i.tag = %s AND u.role = 'STUDENT' AND u.is_active AND s.status = 'ACTIVE'
               ORDER BY md5(u.username) LIMIT %s OFFSET %s""",
            (TENANT, count, offset),
        ).fetchall()
    return [row[0] for row in rows]


def login_requests(usernames: list[str], password: str) -> list[loadgen.Request]:
    """One JSON login per username (seed 002's `student_number` form for students)."""
    return [
        loadgen.build(
            "POST",
            "/auth/login",
            json_body=json.dumps({"username": name, "password": password}).encode(),
            tag="POST /auth/login",
        )
        for name in usernames
    ]


def log_in(base: str, usernames: list[str], password: str, concurrency: int = 16) -> list[str]:
    """Bearer tokens for the users, logged in through the API."""
    report = loadgen.run(
        base, login_requests(usernames, password), concurrency=concurrency, keep_body=True
    )
    tokens = [json.loads(r.body)["access_token"] for r in report.results if r.status == 200]
    if len(tokens) != len(usernames):
        raise SystemExit(f"logins failed: {dict(report.by_status)}")
    return tokens


def registrar_token(base: str) -> str:
    """The demo registrar's token."""
    return log_in(base, [REGISTRAR[0]], REGISTRAR[1], concurrency=1)[0]


def audit(url: str) -> bool:
    """Print the invariant checks; True when every one holds."""
    ok = True
    with psycopg.connect(libpq(url)) as connection:
        for check, sql in INVARIANTS.items():
            found = connection.execute(sql).fetchone()[0]  # type: ignore[index]
            ok = ok and found == 0
            print(f"  {check:<44}{found:>6}  {'ok' if found == 0 else 'VIOLATED'}")
    return ok


def pgbench(url: str, script: str, *, clients: int, seconds: int, defines: dict[str, str]) -> float:
    """Transactions per second of pgbench running `script` (no vacuum, prepared statements)."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as handle:
        handle.write(script)
        handle.flush()
        command = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2"]
        command += ["-T", str(seconds), "-f", handle.name]
        for name, value in defines.items():
            command += ["-D", f"{name}={value}"]
        done = subprocess.run([*command, libpq(url)], capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("tps = "):
            return float(line.split()[2])
    raise SystemExit(f"pgbench failed: {done.stderr[-2000:]}")


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's packages when missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing; installing it from Debian's packages")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("could not install wrk (apt-get install wrk)")
    return found
