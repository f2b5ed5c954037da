"""Server time of each web page on the 20,000-student demo: one client, one request at a time.

A student signs in through the page and reads This term, Courses and Grades & history, then
enrolls in the first section the Courses page offers, opens the drop's confirm page and drops
it; a registrar reads every office page. Each request is timed by the client on the same
machine (loopback): with one request at a time, that is the server's time plus a fraction of
a millisecond. The server is `registrar serve --workers 1` on PostgreSQL.

    .venv/bin/python -m bench.pages                     # loads the demo (about 10 s) first
    .venv/bin/python -m bench.pages --database-url URL  # a demo kept by bench.demo_load --keep
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial

import httpx

from bench import harness

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]*)"')
ENROLL = re.compile(r'name="section_id" value="([^"]+)"')
UUID = "[0-9a-f-]{36}"

Samples = dict[str, list[tuple[float, int]]]  # page -> (milliseconds, bytes of HTML)


def _timed(
    samples: Samples, page: str, send: Callable[[], httpx.Response], expect: int = 200
) -> httpx.Response:
    started = time.perf_counter()
    answer = send()
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != expect:
        raise SystemExit(f"{page}: {answer.status_code} (expected {expect})\n{answer.text[:500]}")
    samples[page].append((elapsed, len(answer.content)))
    return answer


def _token(page: httpx.Response, pattern: re.Pattern[str] = CSRF) -> str:
    found = pattern.search(page.text)
    if not found:
        raise SystemExit(f"no {pattern.pattern} on {page.url}")
    return found.group(1)


def _sign_in(client: httpx.Client, samples: Samples, username: str, password: str) -> None:
    client.cookies.clear()
    form = _timed(samples, "GET /sign-in", lambda: client.get("/sign-in"))
    data = {
        "csrf_token": _token(form),
        "username": username,
        "password": password,
        "institution": harness.TENANT,
    }
    _timed(samples, "POST /sign-in", lambda: client.post("/sign-in", data=data), 303)


def _student(client: httpx.Client, samples: Samples, roll: str) -> None:
    _sign_in(client, samples, roll, harness.STUDENT_PASSWORD)
    _timed(samples, "GET / (this term)", lambda: client.get("/"))
    offer = _timed(samples, "GET /enroll (courses)", lambda: client.get("/enroll"))
    _timed(samples, "GET /record", lambda: client.get("/record"))
    section = ENROLL.search(offer.text)
    if section is None:
        return
    code = re.search(
        r"(?:Enroll in|Join the waitlist for) ([A-Z0-9-]+)", offer.text[section.end() :]
    )
    data = {
        "csrf_token": _token(offer),
        "form_key": _token(offer, FORM_KEY),
        "section_id": section.group(1),
        "back": "/enroll",
    }
    _timed(samples, "POST /enroll", lambda: client.post("/enroll", data=data), 303)
    term = client.get("/")
    drop = code and re.search(
        rf'href="/drop/({UUID})\?back=/">(?:Drop|Leave the waitlist for) {code.group(1)}', term.text
    )
    if not drop:
        return
    confirm = _timed(
        samples, "GET /drop/{id} (confirm)", lambda: client.get(f"/drop/{drop.group(1)}?back=/")
    )
    data = {
        "csrf_token": _token(confirm),
        "form_key": _token(confirm, FORM_KEY),
        "enrollment_id": drop.group(1),
        "reason": "bench",
        "back": "/",
    }
    _timed(samples, "POST /drop", lambda: client.post("/drop", data=data), 303)


def _office_pages(client: httpx.Client) -> dict[str, str]:
    """The office's pages to read, with ids found on the office's own pages."""
    tree = client.get("/office/").text
    department = re.search(rf'<option value="({UUID})">CS ', tree)
    students = client.get("/office/students").text
    student = re.search(rf'href="/office/students/({UUID})"', students)
    batches = client.get("/office/batches?q=CS-2024-3").text
    batch = re.search(rf'href="/office/batches/({UUID})"', batches)
    sections = client.get("/office/sections?q=CS301").text
    section = re.search(rf'href="/office/sections/({UUID})"', sections)
    if not (department and student and batch and section):
        raise SystemExit("the office pages did not list what the benchmark reads")
    dept = department.group(1)
    return {
        "GET /office/ (divisions)": "/office/",
        "GET /office/?department (students)": f"/office/?department={dept}",
        "GET /office/statistics": "/office/statistics",
        "GET /office/students": "/office/students",
        "GET /office/students?search": "/office/students?search=22CS",
        "GET /office/students/{id}": f"/office/students/{student.group(1)}",
        "GET /office/bulk-assign (preview)": (
            f"/office/bulk-assign?preview=1&from_department={dept}&from_year_of_study=1"
            "&from_semester=1&from_section=A&to_section=B"
        ),
        "GET /office/batches": "/office/batches",
        "GET /office/batches/{id}": f"/office/batches/{batch.group(1)}",
        "GET /office/sections": "/office/sections",
        "GET /office/sections/{id} (roster)": f"/office/sections/{section.group(1)}",
        "GET /office/sections/{id}/roster.csv": f"/office/sections/{section.group(1)}/roster.csv",
        "GET /office/import": "/office/import",
    }


def _report(samples: Samples) -> None:
    print(f"  {'page':<40}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'KB':>7}{'n':>6}")
    for page, values in samples.items():
        times = sorted(ms for ms, _ in values)
        cuts = (
            statistics.quantiles(times, n=100, method="inclusive")
            if len(times) > 1
            else [times[0]] * 99
        )
        size = max(size for _, size in values) / 1024
        print(
            f"  {page:<40}{cuts[49]:8.1f}{cuts[94]:8.1f}{times[-1]:8.1f}{size:7.1f}{len(times):6d}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="a demo database loaded before (else a fresh one)")
    parser.add_argument("--students", type=int, default=20_000, help="demo size (fresh database)")
    parser.add_argument("--sample", type=int, default=100, help="students who sign in")
    parser.add_argument("--rounds", type=int, default=30, help="reads of each office page")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()

    samples: Samples = defaultdict(list)
    with (
        harness.demo_database(args.students, args.database_url) as url,
        harness.serve(url, workers=1, port=args.port) as server,
    ):
        rolls = harness.student_numbers(url, args.sample)
        with httpx.Client(base_url=server.base, timeout=30) as client:
            for roll in rolls[:3]:  # warm-up, not counted: first statements, first templates
                _student(client, defaultdict(list), roll)
            for roll in rolls:
                _student(client, samples, roll)
            _sign_in(client, samples, *harness.REGISTRAR)
            pages = _office_pages(client)
            for _ in range(args.rounds):
                for page, path in pages.items():
                    _timed(samples, page, partial(client.get, path))
            css = (
                client.get("/office/import").text.split('rel="stylesheet" href="')[1].split('"')[0]
            )
            stylesheet = len(client.get(css).content) / 1024
    print(f"one client, one request at a time; {args.sample} students, {args.rounds} rounds")
    print(f"of the office pages; 1 worker. The stylesheet ({stylesheet:.1f} KB) is cached a year.")
    _report(samples)


if __name__ == "__main__":
    main()
