"""The hot endpoints' cost per request, measured inside one process: no HTTP, no concurrency.

    .venv/bin/python -m bench.inprocess [--students 20000] [--requests 1000] [--student ROLL]
                                        [--database-url URL] [--only NAME ...]

The app is called as an ASGI application, one request at a time, on the 20,000-student demo
(loaded into a fresh PostgreSQL database, or --database-url), as the demo's flagship student
22CS001 (year 3: a long record, a full timetable, electives to choose; `--student` for another).
For each endpoint it prints:

- CPU µs per request: this process's CPU time over `--requests` requests (uvloop, as served);
- Python calls per request: cProfile's count over 200 more. It is the same on every run of the
  same code and data, so it shows a change of the work done where the machine's noise hides a
  change of the time;
- statements per request sent to PostgreSQL.

The HTTP benchmarks (`bench.reads`, `bench.rush`) measure what a client sees under load; this
one isolates what a change to the request path costs, before and after, on a noisy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from dataclasses import dataclass, field

import uvloop
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import Message
from tests.statements import counting

from bench import harness
from registrar.config import Settings
from registrar.demo.cohorts import FLAGSHIP_ROLL
from registrar.main import create_app

PORTAL = "/api/student-portal/courses"
PROFILED = 200
WARM_UP = 100


@dataclass
class Answer:
    """What the app sent back."""

    status: int = 0
    body: bytes = b""


@dataclass
class Caller:
    """Calls the app directly with an HTTP scope, as a server would, and collects the answer."""

    app: FastAPI
    headers: dict[str, str] = field(default_factory=dict)

    async def __call__(self, method: str, target: str, body: bytes = b"") -> Answer:
        path, _, query = target.partition("?")
        headers = {"host": "bench", "content-type": "application/json", **self.headers}
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        answer = Answer()
        received = False

        async def receive() -> Message:
            nonlocal received
            if received:  # the request was read whole: wait as a client that stays connected
                await asyncio.Event().wait()
            received = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status = int(message["status"])
            elif message["type"] == "http.response.body":
                answer.body += bytes(message.get("body", b""))

        await self.app(scope, receive, send)
        return answer

    def signed_in(self, token: str) -> Caller:
        """The same caller with a bearer token."""
        return Caller(self.app, {**self.headers, "authorization": f"Bearer {token}"})


@dataclass(frozen=True)
class Cost:
    """One endpoint's cost per request."""

    cpu_us: float
    wall_us: float
    calls: float
    statements: float
    size: int

    def line(self, label: str) -> str:
        """One printable line."""
        return (
            f"  {label:<28}{self.cpu_us:>10.0f}{self.wall_us:>10.0f}{self.calls:>10.0f}"
            f"{self.statements:>8.1f}{self.size / 1024:>9.1f} KB"
        )


HEADER = f"  {'endpoint':<28}{'CPU µs':>10}{'wall µs':>10}{'calls':>10}{'stmts':>8}{'answer':>12}"


def engines(app: FastAPI) -> list[Engine]:
    """The app's engines (as the tests count them): the request path's and the worker threads'."""
    state = app.state
    return [engine.sync_engine for engine in state.serving.engines] + [state.database.engine]


async def measure(call: Caller, method: str, target: str, requests: int) -> Cost:
    """Warm up, then time `requests` requests and profile `PROFILED` more."""
    for _ in range(WARM_UP):
        answer = await call(method, target)
    if answer.status >= 500:
        raise SystemExit(f"{method} {target} answered {answer.status}: {answer.body[:300]!r}")
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        await call(method, target)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    profile = cProfile.Profile()
    with counting(engines(call.app)) as statements:
        profile.enable()
        for _ in range(PROFILED):
            await call(method, target)
        profile.disable()
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return Cost(
        cpu_us=cpu / requests * 1e6,
        wall_us=wall / requests * 1e6,
        calls=calls / PROFILED,
        statements=len(statements) / PROFILED,
        size=len(answer.body),
    )


async def token_of(call: Caller, username: str, password: str) -> str:
    """A bearer token from the login endpoint."""
    body = json.dumps({"username": username, "password": password}).encode()
    answer = await call("POST", "/auth/login", body)
    if answer.status != 200:
        raise SystemExit(f"login of {username} failed: {answer.status} {answer.body[:200]!r}")
    token: str = json.loads(answer.body)["access_token"]
    return token


async def endpoints(student: Caller) -> dict[str, tuple[str, str]]:
    """The measured requests, with the open semester and one of its offerings filled in."""
    semesters = json.loads((await student("GET", "/semesters/")).body)
    open_term = next(s["id"] for s in semesters if s["is_registration_open"])
    offerings = json.loads((await student("GET", f"/semesters/{open_term}/courses")).body)
    return {
        "enrolled/": ("GET", f"{PORTAL}/enrolled/"),
        "available/": ("GET", f"{PORTAL}/available/"),
        "batch/": ("GET", f"{PORTAL}/batch/"),
        "my-courses": ("GET", f"/semesters/{open_term}/my-courses"),
        "auth/me": ("GET", "/auth/me"),
        # Refused the same way every time after the first (already enrolled, a clash, a
        # prerequisite): the rush's most common answer.
        "register (refused)": ("POST", f"/courses/{offerings[0]['id']}/register"),
    }


async def run(
    url: str, requests: int, only: list[str] | None, username: str = FLAGSHIP_ROLL
) -> None:
    """Measure each endpoint on the demo at `url`, as the student `username`."""
    settings = Settings.model_validate(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": harness.SECRET,
            "REGISTRAR_ENV": "production",
            "REGISTRAR_DEFAULT_TENANT": harness.TENANT,
        }
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        anonymous = Caller(app)
        student = anonymous.signed_in(await token_of(anonymous, username, harness.STUDENT_PASSWORD))
        print(f"in-process, one request at a time, as {username}; {requests} requests each")
        print(HEADER)
        for name, (method, target) in (await endpoints(student)).items():
            if only and name not in only:
                continue
            cost = await measure(student, method, target, requests)
            print(cost.line(name))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=20000, help="size of the demo")
    parser.add_argument("--requests", type=int, default=1000, help="timed requests per endpoint")
    parser.add_argument("--database-url", help="use this loaded demo instead of a fresh one")
    parser.add_argument("--only", nargs="*", help="endpoint names to run (default: all)")
    parser.add_argument("--student", default=FLAGSHIP_ROLL, help="the student's roll number")
    args = parser.parse_args()
    with harness.demo_database(args.students, args.database_url) as url:
        uvloop.run(run(url, args.requests, args.only, args.student))


if __name__ == "__main__":
    main()
