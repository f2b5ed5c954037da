"""Registrar operations on the 20,000-student demo (PostgreSQL), through the HTTP app.

    .venv/bin/python -m bench.registrar_ops [--database-url URL | --students 20000] [--calls 20]

Without --database-url, creates a database, migrates it and loads the demo (dropped at the end
unless --keep). Then, as the demo registrar over HTTP (an in-process TestClient of create_app):

1. bulk-assign: creates a batch with two MANDATORY auto-enroll courses (new 1-credit courses,
   one roomy section each in the current term), picks the `bulk-assign` criteria whose ACTIVE
   students number closest to --move (5,000), times `POST /api/students/bulk-assign/` into
   that batch, and audits afterwards: counters equal rows in every section, waitlists
   contiguous, nobody in a section twice, and the two sections hold exactly the students
   the answer says were enrolled.
2. latency of `GET /api/students/divisions/` and `GET /api/students/division-statistics/`:
   p50/p95/max over --calls calls each (after one warm-up call).
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections import Counter
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from registrar import migrate
from registrar.academics.models import AcademicProgram, AcademicYear, Term
from registrar.config import Settings, normalize_database_url
from registrar.db import Database, build_engine
from registrar.demo import load_demo
from registrar.demo.common import REGISTRAR_PASSWORD
from registrar.demo.university import TAG
from registrar.enrollment.invariants import INVARIANTS
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions import repository as institutions
from registrar.kit.columns import utcnow
from registrar.main import create_app
from registrar.students.models import Student, StudentStatus

SERVER = "postgresql://postgres@127.0.0.1:5432"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing"
CRITERIA = (
    ("current_year_of_study", Student.year_of_study),
    ("current_semester", Student.semester),
    ("current_department", Student.department_id),
    ("quota", Student.category),
)


def _criteria(
    database: Database, institution_id: uuid.UUID, wanted: int
) -> tuple[dict[str, Any], int]:
    """The single or paired criteria whose active students number closest to `wanted`."""
    best: tuple[int, dict[str, Any], int] | None = None
    with database.session(write=False) as session:
        active = (Student.institution_id == institution_id, Student.status == StudentStatus.ACTIVE)
        for i, (name, column) in enumerate(CRITERIA):
            for other_name, other in [(None, None), *CRITERIA[i + 1 :]]:
                columns = [column] if other is None else [column, other]
                rows = session.execute(
                    select(*columns, func.count()).where(*active).group_by(*columns)
                )
                for row in rows:
                    values = dict(zip([name, other_name], row[:-1], strict=False))
                    count = int(row[-1] or 0)
                    criteria = {
                        k: str(v) for k, v in values.items() if k is not None and v is not None
                    }
                    if len(criteria) != len(columns):
                        continue
                    if best is None or abs(count - wanted) < best[0]:
                        best = (abs(count - wanted), criteria, count)
    assert best is not None
    return best[1], best[2]


def _setup(
    client: TestClient, headers: dict[str, str], database: Database, size: int
) -> dict[str, Any]:
    """A batch (capacity for everyone) with two mandatory auto-enroll courses of the term."""
    now = utcnow()
    with database.session(write=False) as session:
        inst = institutions.find_by_tag(session, TAG)
        assert inst is not None
        term = session.scalars(
            select(Term)
            .where(Term.institution_id == inst.id, Term.registration_start <= now)
            .order_by(Term.registration_start.desc())
        ).first()
        assert term is not None
        year = session.get_one(AcademicYear, term.academic_year_id)
        program = session.scalars(
            select(AcademicProgram)
            .where(AcademicProgram.institution_id == inst.id)
            .order_by(AcademicProgram.code)
        ).first()
        assert program is not None
        institution_id = inst.id
    tag = uuid.uuid4().hex[:4].upper()
    batch = _ok(
        client.post(
            "/api/admin/batches",
            headers=headers,
            json={
                "code": f"BENCH-{tag}",
                "department_id": str(program.department_id),
                "program_id": str(program.id),
                "academic_year": year.code,
                "year_of_study": 2,
                "semester": 3,
                "section": f"B{tag}",
                "capacity": size + 1000,
            },
        )
    )
    sections = []
    for n in (1, 2):
        course = _ok(
            client.post(
                "/api/admin/courses",
                headers=headers,
                json={
                    "code": f"BENCH{tag}-{n}",
                    "title": f"Bench course {n}",
                    "credits": 1,
                    "department_id": str(program.department_id),
                },
            )
        )
        section = _ok(
            client.post(
                "/api/admin/sections",
                headers=headers,
                json={
                    "course_id": course["id"],
                    "term_id": str(term.id),
                    "code": f"BENCH{tag}-{n}-A",
                    "max_students": size + 1000,
                    "reserve_limit": 0,
                },
            )
        )
        _ok(
            client.post(
                f"/api/admin/batches/{batch['id']}/courses",
                headers=headers,
                json={
                    "course_id": course["id"],
                    "section_id": section["id"],
                    "academic_year": year.code,
                    "semester": 3,
                    "assignment_type": "MANDATORY",
                    "auto_enroll_new_students": True,
                },
            )
        )
        sections.append(section["id"])
    assignment = {
        "department_id": str(program.department_id),
        "academic_program_id": str(program.id),
        "academic_year": year.code,
        "year_of_study": 2,
        "semester": 3,
        "section": f"B{tag}",
    }
    return {
        "institution_id": institution_id,
        "assignment": assignment,
        "sections": sections,
        "batch": batch,
        "term": term.code,
    }


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _audit(database: Database, sections: list[str], enrolled: int) -> None:
    with database.engine.connect() as connection:
        for label, sql in INVARIANTS.items():
            print(f"  {label}: {connection.execute(text(sql)).scalar_one()}")
    with database.session(write=False) as session:
        rows = session.scalar(
            select(func.count())
            .select_from(Enrollment)
            .where(
                Enrollment.section_id.in_([uuid.UUID(s) for s in sections]),
                Enrollment.status == EnrollmentStatus.ENROLLED,
            )
        )
    print(f"  enrolled rows in the two batch sections: {rows} (answer says {enrolled})")


def _latency(client: TestClient, headers: dict[str, str], path: str, calls: int) -> str:
    client.get(path, headers=headers)  # warm-up
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return (
        f"{path}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"max {times[-1]:.0f} ms ({calls} calls, {len(response.content) / 1024:.0f} KiB)"
    )


def main() -> None:
    """Run the benchmark once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database with the demo loaded already")
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--move", type=int, default=5000, help="students to bulk-assign")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    name = None
    if args.database_url:
        url = normalize_database_url(args.database_url)
    else:
        name = f"registrar_ops_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = normalize_database_url(f"{SERVER}/{name}")
    database = Database(build_engine(url, pool_size=4, max_overflow=4))
    try:
        if name is not None:
            migrate.upgrade(database)
            started = time.perf_counter()
            load_demo(database, students=args.students, seed=7)
            print(f"demo load ({args.students} students): {time.perf_counter() - started:.1f}s")
        settings = Settings(REGISTRAR_ENV="test", DATABASE_URL=url, SECRET_KEY=SECRET)
        with TestClient(create_app(settings, database)) as client:
            token = _ok(
                client.post(
                    "/auth/login",
                    headers={"x-tenant-tag": TAG},
                    json={"username": "registrar", "password": REGISTRAR_PASSWORD},
                )
            )
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            plan = _setup(client, headers, database, args.move)
            criteria, matched = _criteria(database, plan["institution_id"], args.move)
            print(
                f"bulk-assign criteria {criteria}: {matched} active students -> batch "
                f"{plan['batch']['code']} (2 mandatory auto-enroll courses, term {plan['term']})"
            )
            started = time.perf_counter()
            response = client.post(
                "/api/students/bulk-assign/",
                headers=headers,
                json={"criteria": criteria, "assignment": plan["assignment"]},
            )
            seconds = time.perf_counter() - started
            body = _ok(response)
            outcomes = Counter(o["outcome"] for o in body["auto_enrollment"])
            reasons = Counter(o["code"] for o in body["auto_enrollment"] if o.get("code"))
            print(
                f"bulk-assign: {seconds:.1f}s for {body['updated_count']} students; "
                f"auto-enrollment {dict(outcomes)}"
                + (f", refusals {dict(reasons)}" if reasons else "")
            )
            _audit(database, plan["sections"], outcomes.get("ENROLLED", 0))
            print(_latency(client, headers, "/api/students/divisions/", args.calls))
            print(_latency(client, headers, "/api/students/division-statistics/", args.calls))
    finally:
        database.dispose()
        if name is not None and not args.keep:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif name is not None:
            print(f"kept: DATABASE_URL={url}")


if __name__ == "__main__":
    main()
