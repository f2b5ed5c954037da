"""The demo's people and records: 22CS001, roll numbers, grades, logins, the K-12 examples."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Term,
    course_prerequisites,
)
from registrar.db import Database
from registrar.enrollment.models import AssignmentType, BatchCourse, Enrollment, EnrollmentStatus
from registrar.institutions import grading
from registrar.institutions.models import Institution
from registrar.main import create_app
from registrar.students.models import Student, StudentBatch, StudentStatus
from tests.conftest import make_settings
from tests.demo.conftest import DEMO_STUDENTS

ROLL = re.compile(r"^\d{2}(CS|EC|EE|ME|CE|MCA|MBA)\d{3,}$")


def _student(session: Session, roll: str) -> Student:
    student = session.scalar(select(Student).where(Student.roll_number == roll))
    assert student is not None, roll
    return student


def _records(session: Session, student: Student) -> list[tuple[Enrollment, Course, Term]]:
    rows = session.execute(
        select(Enrollment, Course, Term)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Course, Course.id == CourseSection.course_id)
        .join(Term, Term.id == CourseSection.term_id)
        .where(Enrollment.student_id == student.id)
    ).all()
    return [(e, c, t) for e, c, t in rows]


def test_22cs001_is_the_seeds_student(demo: Database) -> None:
    with demo.session(write=False) as session:
        student = _student(session, "22CS001")
        batch = session.get(StudentBatch, student.batch_id)
        program = session.get(AcademicProgram, student.program_id)
        department = session.get(Department, student.department_id)
        year = session.get(AcademicYear, student.academic_year_id)
        assert batch is not None
        assert program is not None
        assert department is not None
        assert year is not None
        assert (batch.code, student.year_of_study, student.semester, student.section) == (
            "CS-2024-3-A",
            3,
            5,
            "A",
        )
        assert (batch.year_of_study, batch.semester, batch.section) == (3, 5, "A")
        assert program.name == "B.Tech Computer Science"
        assert (department.code, department.name) == ("CS", "Computer Science")
        assert year.code == "2024-2025"
        assert year.is_current
        assert student.status == StudentStatus.ACTIVE
        records = _records(session, student)
        completed = [r for r in records if r[0].status == EnrollmentStatus.COMPLETED]
        current = [r for r in records if r[0].status == EnrollmentStatus.ENROLLED]
        assert {course.catalog_semester for _e, course, _t in completed} == {1, 2, 3, 4}
        assert all(e.grade != "F" and e.attendance_percentage for e, _c, _t in completed)
        assert {term.code for _e, _c, term in current} == {"2024-2025-ODD"}
        assert {"CS301", "CS302"} <= {course.code for _e, course, _t in current}
        assert sum(course.credits for _e, course, _t in current) >= 15


def test_roll_numbers_and_batches_agree(demo: Database) -> None:
    with demo.session(write=False) as session:
        university = session.scalar(select(Institution).where(Institution.tag == "ap-university"))
        assert university is not None
        rows = session.execute(
            select(Student, StudentBatch)
            .join(StudentBatch, StudentBatch.id == Student.batch_id)
            .where(Student.institution_id == university.id)
        ).all()
    assert len(rows) == DEMO_STUDENTS
    for student, batch in rows:
        assert ROLL.match(student.roll_number), student.roll_number
        assert student.admission_year is not None, student.roll_number
        assert student.roll_number[:2] == f"{student.admission_year % 100:02d}"
        assert batch.code.endswith(f"-2024-{student.year_of_study}-{student.section}")
        assert (batch.year_of_study, batch.semester, batch.section) == (
            student.year_of_study,
            student.semester,
            student.section,
        )
        assert batch.program_id == student.program_id
        assert batch.academic_year_id == student.academic_year_id
        assert student.gender in ("M", "F")
        assert student.category in ("OC", "BC-A", "BC-B", "BC-C", "BC-D", "BC-E", "SC", "ST", "EWS")
        assert student.guardian_email
        assert student.email
    assert {s.year_of_study for s, _b in rows} == {1, 2, 3, 4}
    assert {s.section for s, _b in rows} >= {"A", "B"}


def test_grades_are_on_the_ten_point_scale(demo: Database) -> None:
    scale = grading.scale_of(grading.TEN_POINT_SCALE)
    with demo.session(write=False) as session:
        university = session.scalar(select(Institution).where(Institution.tag == "ap-university"))
        assert university is not None
        completed = session.scalars(
            select(Enrollment).where(
                Enrollment.institution_id == university.id,
                Enrollment.status == EnrollmentStatus.COMPLETED,
            )
        ).all()
    assert len(completed) > 500
    for enrollment in completed:
        assert enrollment.grade is not None
        assert enrollment.grade_points == scale.points_for(enrollment.grade)
        assert enrollment.attendance_percentage is not None
        assert Decimal(0) <= enrollment.attendance_percentage <= Decimal(100)
    grades = [e.grade for e in completed]
    assert 0.02 < grades.count("F") / len(grades) < 0.2  # some fail, most pass
    assert {"O", "A+", "A", "B+", "B", "C"} <= set(grades)


def test_an_elective_of_cs_2024_3_a_is_nearly_full(demo: Database) -> None:
    with demo.session(write=False) as session:
        rows = session.execute(
            select(BatchCourse, CourseSection)
            .join(StudentBatch, StudentBatch.id == BatchCourse.batch_id)
            .join(CourseSection, CourseSection.id == BatchCourse.section_id)
            .where(StudentBatch.code == "CS-2024-3-A")
        ).all()
        flagship = _student(session, "22CS001")
        passed = {
            course.id
            for e, course, _t in _records(session, flagship)
            if e.status == EnrollmentStatus.COMPLETED and e.grade != "F"
        }
        needs = session.execute(select(course_prerequisites)).all()
    electives = [(bc, s) for bc, s in rows if bc.assignment_type == AssignmentType.ELECTIVE]
    assert len(electives) == 3
    assert len(rows) == 9
    assert all(bc.semester == 5 and bc.auto_enroll_new_students for bc, _s in rows)
    nearly_full = [s for _bc, s in electives if s.capacity - s.enrolled_count == 1]
    assert nearly_full
    assert nearly_full[0].waitlist_limit == 10
    required = {
        need.prerequisite_id for need in needs if need.course_id == nearly_full[0].course_id
    }
    assert required <= passed  # 22CS001 may take the last seat at once


@pytest.fixture(scope="module")
def demo_client(demo: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(demo), demo)) as client:
        yield client


@pytest.mark.parametrize(
    ("tenant", "username", "password"),
    [
        ("ap-university", "registrar", "registrar123"),
        ("ap-university", "22CS001", "student123"),
        ("sample-school", "registrar", "registrar123"),
        ("sample-school", "REGISTRAR_001", "registrar123"),
        ("sample-school", "ELEM123", "student123"),
        ("sample-school", "SHS123", "student123"),
    ],
)
def test_demo_accounts_log_in(
    demo_client: TestClient, tenant: str, username: str, password: str
) -> None:
    response = demo_client.post(
        "/auth/login",
        json={"username": username, "password": password},
        headers={"x-tenant-tag": tenant},
    )
    assert response.status_code == 200, response.text
    me = demo_client.get(
        "/auth/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["institution"]["tag"] == tenant


def test_a_wrong_password_is_refused(demo_client: TestClient) -> None:
    response = demo_client.post(
        "/auth/login",
        json={"username": "22CS001", "password": "registrar123"},
        headers={"x-tenant-tag": "ap-university"},
    )
    assert response.status_code == 401
