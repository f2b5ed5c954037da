"""Seed 002's registration rush against `registrar serve`, then pgbench of the engine's SQL.

    .venv/bin/python -m bench.rush [--students 20000] [--rushers 1000] [--workers 2]
                                   [--connections 64] [--database-url URL]

1. Loads the 20,000-student demo into a fresh PostgreSQL database (or uses --database-url).
2. Serves it with `registrar serve --workers 2` and logs `--rushers` students in through
   `POST /auth/login`, outside the timed window.
3. Spread rush: each student registers for 3 offerings of the open semester, drawn at random
   (seeded) from `GET /semesters/{id}/courses`, over 64 keep-alive connections.
4. Hot offering: a new offering of 30 seats and 10 reserve places; every student registers at
   once. Exactly 40 must succeed.
5. pgbench of the SQL one registration runs (the same statements, at the same number of
   connections as the server's pools), so the API's rate reads as a share of the database's.
6. Checks every answer against the database and audits the invariants.

The load generator is `bench/loadgen.py` (asyncio on raw sockets, on the same two cores).
"""

from __future__ import annotations

import argparse
import json
import random
import uuid

import psycopg

from bench import harness, loadgen

HOT_CAPACITY, HOT_RESERVE = 30, 10

# The statements one successful registration sends, as the engine sends them on PostgreSQL
# (engine.precheck, then engine.enroll with enrollment/one_trip.py): the unlocked snapshot
# outside any transaction, then lock the student, read their rows, and take the seat, write
# the enrollment and its audit event in one statement. Students and offerings at random.
PGBENCH_SCRIPT = """
\\set s random(1, :students)
\\set o random(1, :offerings)
SELECT st.status, i.catalog_version, t.capacity, t.enrolled_count, t.waitlist_limit,
       t.waitlisted_count, e.id, e.section_id, e.status, e.enrollment_type, e.grade,
       e.grade_points, h.term_id, h.course_id
  FROM students st JOIN institutions i ON i.id = st.institution_id
  JOIN course_sections t ON t.id = (SELECT id FROM bench_offerings WHERE n = :o)
       AND t.institution_id = st.institution_id
  LEFT JOIN enrollments e ON e.student_id = st.id
  LEFT JOIN course_sections h ON h.id = e.section_id
  WHERE st.id = (SELECT id FROM bench_students WHERE n = :s) AND st.institution_id = :inst
  ORDER BY e.created_at, e.id;
BEGIN;
SELECT st.id, st.status, st.email, st.user_id, i.catalog_version
  FROM students st JOIN institutions i ON i.id = st.institution_id
  WHERE st.id = (SELECT id FROM bench_students WHERE n = :s) AND st.institution_id = :inst
  FOR NO KEY UPDATE OF st;
SELECT e.id, e.section_id, e.status, e.enrollment_type, e.grade, e.grade_points, c.term_id,
       c.course_id
  FROM enrollments e JOIN course_sections c ON c.id = e.section_id
  WHERE e.student_id = (SELECT id FROM bench_students WHERE n = :s)
  ORDER BY e.created_at, e.id;
WITH seat AS (
  UPDATE course_sections SET enrolled_count = enrolled_count + 1, updated_at = now()
  WHERE id = (SELECT id FROM bench_offerings WHERE n = :o) AND enrolled_count < capacity
  RETURNING id
), written AS (
  INSERT INTO enrollments (id, institution_id, student_id, section_id, status, enrollment_type,
                           enrollment_date, notes, enrolled_at)
  SELECT gen_random_uuid(), :inst, (SELECT id FROM bench_students WHERE n = :s), seat.id,
         'ENROLLED', 'REGULAR', current_date, '', clock_timestamp() FROM seat
  ON CONFLICT (student_id, section_id) DO NOTHING
  RETURNING id, enrolled_at
), audited AS (
  INSERT INTO audit_events (id, institution_id, actor_user_id, action, entity_type, entity_id,
                            reason, details, occurred_at)
  SELECT gen_random_uuid(), :inst, NULL, 'enrollment.enroll', 'enrollment', written.id, NULL,
         '{"status": "ENROLLED", "course_code": "BENCH"}', clock_timestamp() FROM written
  RETURNING id
)
SELECT (SELECT count(*) FROM seat), (SELECT enrolled_at FROM written),
       (SELECT count(*) FROM audited);
END;
"""


def _open_semester(base: str, token: str) -> str:
    report = loadgen.run(
        base, [loadgen.build("GET", "/semesters/", token=token)], concurrency=1, keep_body=True
    )
    semesters = json.loads(report.results[0].body)
    semester: str = next(s["id"] for s in semesters if s["is_registration_open"])
    return semester


def _offerings(base: str, token: str, semester: str) -> list[str]:
    path = f"/semesters/{semester}/courses"
    report = loadgen.run(
        base, [loadgen.build("GET", path, token=token)], concurrency=1, keep_body=True
    )
    return [offering["id"] for offering in json.loads(report.results[0].body)]


def _registrations(
    tokens: list[str], offerings: list[str], per_student: int
) -> list[loadgen.Request]:
    """Round by round (every student's first, then every second, ...), as clients would."""
    rng = random.Random(2024)
    picks = [rng.sample(offerings, per_student) for _ in tokens]
    return [
        loadgen.build("POST", f"/courses/{picks[i][round_]}/register", token=token, tag="register")
        for round_ in range(per_student)
        for i, token in enumerate(tokens)
    ]


def _hot_offering(base: str, registrar: str, semester: str) -> str:
    """A new course with one offering of 30 seats and 10 reserve places, no timetable."""
    code = f"HOT{uuid.uuid4().hex[:6].upper()}"
    course = loadgen.build(
        "POST",
        "/api/admin/courses",
        token=registrar,
        json_body=json.dumps({"code": code, "title": "The hot course", "credits": 1}).encode(),
    )
    report = loadgen.run(base, [course], concurrency=1, keep_body=True)
    course_id = json.loads(report.results[0].body)["id"]
    section = loadgen.build(
        "POST",
        "/api/admin/sections",
        token=registrar,
        json_body=json.dumps(
            {
                "course_id": course_id,
                "term_id": semester,
                "section_type": "LECTURE",
                "code": f"{code}-A",
                "max_students": HOT_CAPACITY,
                "reserve_limit": HOT_RESERVE,
            }
        ).encode(),
    )
    report = loadgen.run(base, [section], concurrency=1, keep_body=True)
    if report.results[0].status != 201:
        raise SystemExit(f"could not create the hot offering: {report.results[0].body[:300]!r}")
    return str(json.loads(report.results[0].body)["id"])


def _outcomes(report: loadgen.Report) -> dict[str, int]:
    """Answers by kind: seats, reserve places, refusals by reason, and anything else."""
    kinds: dict[str, int] = {}
    for result in report.results:
        if result.status == 200:
            kind = "ENROLLED" if b'"ENROLLED"' in result.body else "RESERVED"
        elif result.status in (400, 404, 409):
            kind = f"{result.status} {_reason(result.body)}"
        else:
            kind = f"ERROR {result.status}"
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items(), key=lambda item: -item[1]))


def _reason(body: bytes) -> str:
    try:
        return str(json.loads(body).get("error", ""))[:40]
    except ValueError:
        return "?"


def _rows_since(url: str, since: object) -> tuple[int, int]:
    with psycopg.connect(harness.libpq(url)) as connection:
        row = connection.execute(
            "SELECT count(*) FILTER (WHERE status = 'ENROLLED'), "
            "count(*) FILTER (WHERE status = 'WAITLISTED') FROM enrollments "
            "WHERE updated_at >= %s",
            (since,),
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _now(url: str) -> object:
    with psycopg.connect(harness.libpq(url)) as connection:
        row = connection.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    return row[0]


def _pgbench(url: str, semester: str, offerings: list[str], clients: int, seconds: int) -> float:
    """pgbench of one registration's statements, on helper tables dropped afterwards."""
    with psycopg.connect(harness.libpq(url), autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_students, bench_offerings")
        connection.execute(
            "CREATE TABLE bench_students AS SELECT row_number() OVER (ORDER BY s.id) AS n, s.id "
            "FROM students s JOIN institutions i ON i.id = s.institution_id "
            "WHERE i.tag = %s AND s.status = 'ACTIVE'",
            (harness.TENANT,),
        )
        connection.execute("CREATE TABLE bench_offerings (n int PRIMARY KEY, id uuid NOT NULL)")
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_offerings VALUES (%s, %s)",
                [(n + 1, offering) for n, offering in enumerate(offerings)],
            )
        connection.execute("CREATE UNIQUE INDEX ON bench_students (n)")
        connection.execute("ANALYZE bench_students, bench_offerings")
        students = connection.execute("SELECT count(*) FROM bench_students").fetchone()
        inst = connection.execute(
            "SELECT id FROM institutions WHERE tag = %s", (harness.TENANT,)
        ).fetchone()
        assert students is not None
        assert inst is not None
    try:
        return harness.pgbench(
            url,
            PGBENCH_SCRIPT,
            clients=clients,
            seconds=seconds,
            defines={
                "students": str(students[0]),
                "offerings": str(len(offerings)),
                "term": semester,
                "inst": str(inst[0]),
            },
        )
    finally:
        with psycopg.connect(harness.libpq(url), autocommit=True) as connection:
            connection.execute("DROP TABLE IF EXISTS bench_students, bench_offerings")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=20000, help="size of the demo")
    parser.add_argument("--rushers", type=int, default=1000, help="students who register")
    parser.add_argument("--per-student", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=None, help="DB_POOL_SIZE per worker")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", help="use this loaded demo instead of a fresh one")
    args = parser.parse_args()

    env = {"DB_POOL_SIZE": str(args.pool_size)} if args.pool_size else {}
    with harness.demo_database(args.students, args.database_url) as url:
        with harness.serve(url, workers=args.workers, port=args.port, env=env) as server:
            base = server.base
            usernames = harness.student_numbers(url, args.rushers)
            tokens = harness.log_in(base, usernames, harness.STUDENT_PASSWORD)
            registrar = harness.registrar_token(base)
            semester = _open_semester(base, tokens[0])
            offerings = _offerings(base, tokens[0], semester)
            print(
                f"server: registrar serve --workers {args.workers}; {len(tokens)} students logged "
                f"in; open semester {semester} with {len(offerings)} offerings; "
                f"load: bench/loadgen.py, {args.connections} connections, same machine"
            )
            print(loadgen.HEADER)

            since = _now(url)
            meter = harness.CpuMeter.start(server)
            spread = loadgen.run(
                base,
                _registrations(tokens, offerings, args.per_student),
                concurrency=args.connections,
                keep_body=True,
            )
            print(spread.line("rush, spread over the offerings"))
            print(f"    {meter.per_request(len(spread.results)).line()}")
            outcomes = _outcomes(spread)
            print(f"    answers: {json.dumps(outcomes, indent=None)}")
            enrolled, reserved = _rows_since(url, since)
            spread_ok = (enrolled, reserved) == (
                outcomes.get("ENROLLED", 0),
                outcomes.get("RESERVED", 0),
            )
            print(
                f"    rows written: {enrolled} enrolled, {reserved} reserved "
                f"({'match the answers' if spread_ok else 'DO NOT MATCH the answers'})"
            )

            hot = _hot_offering(base, registrar, semester)
            rush = [
                loadgen.build("POST", f"/courses/{hot}/register", token=token, tag="hot")
                for token in tokens
            ]
            meter = harness.CpuMeter.start(server)
            hot_report = loadgen.run(base, rush, concurrency=args.connections, keep_body=True)
            print(hot_report.line("rush, one hot offering (30 + 10)"))
            print(f"    {meter.per_request(len(hot_report.results)).line()}")
            hot_outcomes = _outcomes(hot_report)
            hot_ok = (
                hot_outcomes.get("ENROLLED", 0) == HOT_CAPACITY
                and hot_outcomes.get("RESERVED", 0) == HOT_RESERVE
            )
            print(f"    answers: {hot_outcomes} ({'exactly 30 + 10' if hot_ok else 'WRONG'})")
            rss = server.worker_rss_mb()
            print(f"  worker RSS after the rush: {', '.join(f'{mb:.0f} MB' for mb in rss)}")

        print("audit")
        audited = harness.audit(url)
        # Last: pgbench writes rows without the engine's care for counters.
        clients = args.workers * (args.pool_size or 4)
        tps = _pgbench(url, semester, offerings, clients, args.pgbench_seconds)
        print(
            f"pgbench of one registration's SQL, {clients} clients: {tps:.0f} tps; "
            f"API spread rush / pgbench = {spread.rate / tps:.2f}"
        )
    if not (spread_ok and hot_ok and audited):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
