"""Student import benchmark: a CSV of 20,000 students into a fresh PostgreSQL database.

    .venv/bin/python -m bench.import_students [--students 20000] [--keep]

Creates a database on the server (as postgres on 127.0.0.1), migrates it, loads the small demo
structure (`registrar demo --students 0`: institutions, departments, programs, years, terms,
courses, sections, no students), adds two roomy batches of its own (with --auto-enroll, the
first gets a mandatory auto-enroll course), writes a CSV of generated
students (placement by codes, a quarter of them in those batches, one default password), then
times the dry run and the real import through `transfer.service.run_import` (the code behind
both `POST /api/admin/students/import` and `registrar import students`). Prints the seconds of
each, checks the rows, and drops the database unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import time
import uuid

import psycopg
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registrar import migrate
from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    SectionType,
    Term,
)
from registrar.auth.models import User
from registrar.config import normalize_database_url
from registrar.db import Database, build_engine
from registrar.demo import load_demo
from registrar.demo.university import TAG
from registrar.enrollment.engine import Actor
from registrar.enrollment.models import AssignmentType, BatchCourse
from registrar.institutions import repository as institutions
from registrar.students.models import Student, StudentBatch
from registrar.transfer import service as transfer

SERVER = "postgresql://postgres@127.0.0.1:5432"
CATEGORIES = ("OC", "BC-A", "BC-B", "BC-D", "SC", "ST", "EWS")


def _structure(
    database: Database, auto_enroll: bool
) -> tuple[uuid.UUID, list[tuple[str, str]], str, list[str]]:
    """The university's id, (department, program) code pairs, a year code, two new batches.

    With `auto_enroll`, the first batch gets a MANDATORY auto-enroll course (one roomy section
    in a term of the year), so its imported students go through the enrollment engine.
    """
    with database.session() as session:
        inst = institutions.find_by_tag(session, TAG)
        assert inst is not None
        pairs = [
            (dept, prog)
            for dept, prog in session.execute(
                select(Department.code, AcademicProgram.code)
                .join(AcademicProgram, AcademicProgram.department_id == Department.id)
                .where(Department.institution_id == inst.id)
                .order_by(AcademicProgram.code)
            )
        ]
        year = session.scalars(
            select(AcademicYear)
            .where(AcademicYear.institution_id == inst.id)
            .order_by(AcademicYear.start_date.desc())
        ).first()
        assert year is not None
        dept = session.scalars(
            select(Department).where(
                Department.institution_id == inst.id, Department.code == pairs[0][0]
            )
        ).one()
        program = session.scalars(
            select(AcademicProgram).where(
                AcademicProgram.institution_id == inst.id, AcademicProgram.code == pairs[0][1]
            )
        ).one()
        codes = []
        for section in ("X", "Y"):
            code = f"IMPORT-{year.code}-1-{section}"
            session.add(
                StudentBatch(
                    institution_id=inst.id,
                    code=code,
                    name=code,
                    department_id=dept.id,
                    program_id=program.id,
                    academic_year_id=year.id,
                    year_of_study=1,
                    semester=1,
                    section=section,
                    capacity=5000,
                )
            )
            codes.append(code)
        if auto_enroll:
            _batch_course(session, inst.id, year, dept.id, codes[0])
        return inst.id, pairs, year.code, codes


def _batch_course(
    session: Session, institution_id: uuid.UUID, year: AcademicYear, dept_id: uuid.UUID, code: str
) -> None:
    term = session.scalars(
        select(Term).where(Term.academic_year_id == year.id).order_by(Term.start_date)
    ).first()
    assert term is not None
    course = Course(
        institution_id=institution_id,
        department_id=dept_id,
        code="IMPBENCH1",
        title="Orientation",
        credits=1,
    )
    session.add(course)
    session.flush()
    section = CourseSection(
        institution_id=institution_id,
        course_id=course.id,
        term_id=term.id,
        code="IMPBENCH1-A",
        section_type=SectionType.LECTURE,
        capacity=6000,
        waitlist_limit=0,
    )
    batch = session.scalars(
        select(StudentBatch).where(
            StudentBatch.institution_id == institution_id, StudentBatch.code == code
        )
    ).one()
    session.add(section)
    session.flush()
    session.add(
        BatchCourse(
            institution_id=institution_id,
            batch_id=batch.id,
            course_id=course.id,
            section_id=section.id,
            academic_year_id=year.id,
            semester=1,
            assignment_type=AssignmentType.MANDATORY,
            auto_enroll_new_students=True,
            enrollment_date=term.start_date,
        )
    )


def _csv(students: int, pairs: list[tuple[str, str]], year: str, batches: list[str]) -> str:
    rng = random.Random(11)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "roll_number",
            "name",
            "email",
            "gender",
            "category",
            "department_code",
            "program_code",
            "academic_year",
            "year_of_study",
            "semester",
            "section",
            "batch_code",
            "admission_year",
        ]
    )
    for n in range(students):
        roll = f"IMP{n:06d}"
        in_batch = n % 4 == 0
        dept, prog = pairs[n % len(pairs)]
        writer.writerow(
            [
                roll,
                f"Imported Student {n}",
                f"{roll.lower()}@import.example.org",
                rng.choice("MF"),
                rng.choice(CATEGORIES),
                "" if in_batch else dept,
                "" if in_batch else prog,
                "" if in_batch else year,
                "" if in_batch else rng.randint(1, 4),
                "" if in_batch else rng.randint(1, 8),
                "" if in_batch else rng.choice("ABC"),
                batches[(n // 4) % 2] if in_batch else "",
                2024,
            ]
        )
    return out.getvalue()


def main() -> None:
    """Run the benchmark once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL, no database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--auto-enroll",
        action="store_true",
        help="give one import batch a mandatory auto-enroll course (1/8 of the students)",
    )
    args = parser.parse_args()

    name = f"registrar_import_bench_{uuid.uuid4().hex[:8]}"
    admin = f"{args.server}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = normalize_database_url(f"{args.server}/{name}")
    database = Database(build_engine(url))
    try:
        migrate.upgrade(database)
        started = time.perf_counter()
        load_demo(database, students=0, seed=7)
        print(f"demo structure (no students): {time.perf_counter() - started:.1f}s")
        institution_id, pairs, year, batches = _structure(database, args.auto_enroll)
        text = _csv(args.students, pairs, year, batches)
        print(f"CSV: {args.students} rows, {len(text) / 1e6:.1f} MB")
        actor = Actor(user_id=None, role=None)
        for dry_run in (True, False):
            started = time.perf_counter()
            with database.session() as session:
                inst = institutions.get(session, institution_id)
                assert inst is not None
                result = transfer.run_import(
                    session,
                    transfer.Kind.STUDENTS,
                    inst,
                    actor,
                    text,
                    dry_run=dry_run,
                    default_password="welcome-2024",
                )
            seconds = time.perf_counter() - started
            label = "dry run" if dry_run else "real import (incl. commit)"
            print(
                f"{label}: {seconds:.2f}s  ok={result.ok} errors={result.error_count} "
                f"created={result.created} auto_enrollment={result.auto_enrollment}"
            )
        with database.session(write=False) as session:
            students = session.scalar(
                select(func.count()).select_from(Student).where(Student.roll_number.like("IMP%"))
            )
            logins = session.scalar(
                select(func.count()).select_from(User).where(User.username.like("IMP%"))
            )
            in_batches = session.scalar(
                select(func.count())
                .select_from(Student)
                .join(StudentBatch, StudentBatch.id == Student.batch_id)
                .where(StudentBatch.code.in_(batches), Student.semester == 1)
            )
        print(f"rows: {students} students, {logins} logins, {in_batches} in the import batches")
    finally:
        database.dispose()
        if args.keep:
            print(f"\nkept: DATABASE_URL={url}")
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
