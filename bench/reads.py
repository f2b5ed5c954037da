"""The read endpoints under load: wrk, 32 connections, 20 s each, against `registrar serve`.

    .venv/bin/python -m bench.reads [--students 20000] [--workers 2] [--connections 32]
                                    [--seconds 20] [--database-url URL] [--only NAME ...]

Loads the 20,000-student demo into a fresh PostgreSQL database (or uses --database-url), serves
it with two workers, logs 200 students in through the API, then runs wrk (Debian's package,
installed when missing) against each endpoint in turn, every request with the next student's
token. Prints requests/s, p50/p95/p99 and the answers that were not 2xx.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import harness, loadgen

PORTAL = "/api/student-portal/courses"

# Each wrk thread walks the token list from its own start; `done` prints one JSON line.
WRK_SCRIPT = """
local tokens = {}
local path = ""
local extra = ""
local counter = 0

init = function(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  path = args[2]
  extra = args[3] or ""
  counter = math.random(#tokens)
end

request = function()
  counter = counter % #tokens + 1
  local headers = {["Authorization"] = "Bearer " .. tokens[counter]}
  if extra ~= "" then headers["Accept-Encoding"] = extra end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"non2xx": %d, "socket_errors": %d, "bytes": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.bytes))
end
"""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    non2xx: int
    socket_errors: int
    bytes: int

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds

    def line(self, label: str) -> str:
        """One printable line."""
        failures = f"non-2xx {self.non2xx}, socket errors {self.socket_errors}"
        size = self.bytes / max(self.requests, 1) / 1024
        return (
            f"  {label:<34}{self.requests:>7}{self.rate:>9.0f}{self.p50:>9.1f}{self.p95:>9.1f}"
            f"{self.p99:>9.1f}   {size:.1f} KB/answer; {failures}"
        )


def wrk(
    base: str, path: str, tokens: Path, *, connections: int, seconds: int, encoding: str = ""
) -> WrkResult:
    """Run wrk against one path and parse the script's RESULT line."""
    binary = harness.ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["-s", script.name, base, "--", str(tokens), path, encoding]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(row for row in done.stdout.splitlines() if row.startswith("RESULT "))
    return WrkResult(**json.loads(line.removeprefix("RESULT ")))


def endpoints(base: str, token: str) -> dict[str, str]:
    """The read paths, with the open semester's id filled in."""
    report = loadgen.run(
        base, [loadgen.build("GET", "/semesters/", token=token)], concurrency=1, keep_body=True
    )
    semester = next(
        s["id"] for s in json.loads(report.results[0].body) if s["is_registration_open"]
    )
    return {
        "enrolled/": f"{PORTAL}/enrolled/",
        "available/": f"{PORTAL}/available/",
        "batch/": f"{PORTAL}/batch/",
        "my-courses": f"/semesters/{semester}/my-courses",
        "semesters/{id}/courses": f"/semesters/{semester}/courses",
    }


def wrk_parser(description: str | None, port: int) -> argparse.ArgumentParser:
    """The options every wrk benchmark of the reads takes."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=20000, help="size of the demo")
    parser.add_argument("--readers", type=int, default=200, help="students whose tokens are used")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--database-url", help="use this loaded demo instead of a fresh one")
    return parser


def main() -> None:
    parser = wrk_parser(__doc__, port=8766)
    parser.add_argument("--only", nargs="*", help="endpoint names to run (default: all)")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    args = parser.parse_args()

    with (
        harness.demo_database(args.students, args.database_url) as url,
        harness.serve(url, workers=args.workers, port=args.port) as server,
    ):
        usernames = harness.student_numbers(url, args.readers)
        tokens = harness.log_in(server.base, usernames, harness.STUDENT_PASSWORD)
        paths = endpoints(server.base, tokens[0])
        with tempfile.NamedTemporaryFile("w", suffix=".tokens") as handle:
            handle.write("\n".join(tokens) + "\n")
            handle.flush()
            print(
                f"server: registrar serve --workers {args.workers}; load: wrk -t2 "
                f"-c{args.connections} -d{args.seconds}s on the same machine, "
                f"{len(tokens)} students' tokens in turn"
            )
            print(loadgen.HEADER.replace("statuses", "answers"))
            for name, path in paths.items():
                if args.only and name not in args.only:
                    continue
                meter = harness.CpuMeter.start(server)
                result = wrk(
                    server.base,
                    path,
                    Path(handle.name),
                    connections=args.connections,
                    seconds=args.seconds,
                    encoding="gzip" if args.gzip else "",
                )
                print(result.line(name))
                print(f"  {'':<34}{meter.per_request(result.requests).line()}")
        rss = server.worker_rss_mb()
        print(f"  worker RSS: {', '.join(f'{mb:.0f} MB' for mb in rss)}")


if __name__ == "__main__":
    main()
