"""What the database itself refuses, on SQLite and PostgreSQL alike.

Each refusal is tried with a raw INSERT or UPDATE (no service in the way), beside an equal
statement that differs only in the forbidden detail and succeeds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Executable, insert, select, update
from sqlalchemy.exc import IntegrityError

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Department,
    SectionType,
    Term,
    course_prerequisites,
)
from registrar.auth.models import User
from registrar.db import Database
from registrar.enrollment.models import BatchCourse, Enrollment
from registrar.institutions.models import Institution
from registrar.students.models import Student, StudentBatch
from tests import factories


@dataclass
class Rows:
    """Ids of one institution's rows, and a second institution."""

    inst: uuid.UUID
    other: uuid.UUID
    dept: uuid.UUID
    year: uuid.UUID
    term: uuid.UUID
    course: uuid.UUID
    course_code: str
    section: uuid.UUID
    section_code: str
    batch: uuid.UUID
    batch_code: str
    dept_code: str
    student: uuid.UUID
    spare_student: uuid.UUID
    roll: str


@pytest.fixture
def rows(database: Database) -> Rows:
    with database.session() as s:
        inst = factories.institution(s)
        other = factories.institution(s)
        dept = factories.department(s, inst, "CSE")
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        course = factories.course(s, inst, dept, "CS301")
        section = factories.section(s, inst, course, term, capacity=2, waitlist_limit=1)
        group = factories.batch(s, inst, dept=dept, year=year, code="CS-2024-3-A")
        student = factories.student(s, inst, "22CS001", of_batch=group)
        spare = factories.student(s, inst, "22CS002", of_batch=group)
        return Rows(
            inst=inst.id,
            other=other.id,
            dept=dept.id,
            year=year.id,
            term=term.id,
            course=course.id,
            course_code=course.code,
            section=section.id,
            section_code=section.code,
            batch=group.id,
            batch_code=group.code,
            dept_code=dept.code,
            student=student.id,
            spare_student=spare.id,
            roll=student.roll_number,
        )


def run(database: Database, statement: Executable) -> None:
    with database.session() as s:
        s.execute(statement)


def refused(database: Database, statement: Executable, *, pg: str, sqlite: str) -> None:
    """The statement fails with an IntegrityError naming the constraint that refused it."""
    with pytest.raises(IntegrityError) as caught:
        run(database, statement)
    message = str(caught.value.orig)
    expected = sqlite if database.is_sqlite else pg
    assert expected in message, message


def enrollment(rows: Rows, **values: Any) -> Executable:
    base: dict[str, Any] = {
        "institution_id": rows.inst,
        "student_id": rows.student,
        "section_id": rows.section,
        "status": "ENROLLED",
        "enrollment_date": date(2024, 7, 1),
    }
    return insert(Enrollment).values(**{**base, **values})


def count(database: Database, model: Any, *where: Any) -> int:
    with database.session(write=False) as s:
        return len(s.scalars(select(model.id).where(*where)).all())


def test_one_enrollment_per_student_and_section(database: Database, rows: Rows) -> None:
    run(database, enrollment(rows))
    refused(
        database,
        enrollment(rows, status="DROPPED"),
        pg="uq_enrollments_student_id_section_id",
        sqlite="UNIQUE constraint failed: enrollments.student_id, enrollments.section_id",
    )
    run(database, enrollment(rows, student_id=rows.spare_student))
    assert count(database, Enrollment) == 2


def test_one_batch_course_per_batch_course_year_and_semester(
    database: Database, rows: Rows
) -> None:
    def assign(semester: int) -> Executable:
        return insert(BatchCourse).values(
            institution_id=rows.inst,
            batch_id=rows.batch,
            course_id=rows.course,
            academic_year_id=rows.year,
            semester=semester,
            enrollment_date=date(2024, 7, 1),
        )

    run(database, assign(5))
    refused(
        database,
        assign(5),
        pg="uq_batch_courses_batch_id_course_id_academic_year_id_semester",
        sqlite="UNIQUE constraint failed: batch_courses.batch_id, batch_courses.course_id, "
        "batch_courses.academic_year_id, batch_courses.semester",
    )
    run(database, assign(6))
    assert count(database, BatchCourse) == 2


def _department(inst: uuid.UUID, code: str) -> Executable:
    return insert(Department).values(institution_id=inst, code=code, name="Dept")


def _course(inst: uuid.UUID, code: str) -> Executable:
    return insert(Course).values(institution_id=inst, code=code, title="Course", credits=3)


def _batch(inst: uuid.UUID, code: str) -> Executable:
    return insert(StudentBatch).values(institution_id=inst, code=code, name=code)


def _student(inst: uuid.UUID, roll: str) -> Executable:
    return insert(Student).values(institution_id=inst, roll_number=roll, name="Someone")


def _user(inst: uuid.UUID, username: str) -> Executable:
    return insert(User).values(
        institution_id=inst, username=username, password_hash="x", role="STUDENT"
    )


CODES: dict[str, tuple[Any, str, str]] = {
    "department": (_department, "dept_code", "departments.institution_id, departments.code"),
    "course": (_course, "course_code", "courses.institution_id, courses.code"),
    "batch": (_batch, "batch_code", "student_batches.institution_id, student_batches.code"),
    "roll number": (_student, "roll", "students.institution_id, students.roll_number"),
    "username": (_user, "roll", "users.institution_id, users.username"),
}
PG_NAMES = {
    "department": "uq_departments_institution_id_code",
    "course": "uq_courses_institution_id_code",
    "batch": "uq_student_batches_institution_id_code",
    "roll number": "uq_students_institution_id_roll_number",
    "username": "uq_users_institution_id_username",
}


@pytest.mark.parametrize("what", list(CODES))
def test_codes_are_unique_within_an_institution_only(
    database: Database, rows: Rows, what: str
) -> None:
    make, attribute, columns = CODES[what]
    taken = getattr(rows, attribute)
    refused(
        database,
        make(rows.inst, taken),
        pg=PG_NAMES[what],
        sqlite=f"UNIQUE constraint failed: {columns}",
    )
    run(database, make(rows.other, taken))  # the same code in another institution is fine
    run(database, make(rows.inst, taken + "-B"))


def test_section_codes_are_unique_within_an_institution_only(
    database: Database, rows: Rows
) -> None:
    with database.session() as s:
        other_year = factories.academic_year(s, s.get_one(Institution, rows.other))
        other_term = factories.term(s, s.get_one(Institution, rows.other), other_year)
        other_course = factories.course(s, s.get_one(Institution, rows.other))
        ids = (other_term.id, other_course.id)

    def section(inst: uuid.UUID, term: uuid.UUID, course: uuid.UUID) -> Executable:
        return insert(CourseSection).values(
            institution_id=inst,
            course_id=course,
            term_id=term,
            code=rows.section_code,
            section_type=SectionType.LAB,
            capacity=10,
        )

    refused(
        database,
        section(rows.inst, rows.term, rows.course),
        pg="uq_course_sections_institution_id_code",
        sqlite="UNIQUE constraint failed: course_sections.institution_id, course_sections.code",
    )
    run(database, section(rows.other, *ids))


def _set_section(rows: Rows, **values: int) -> Executable:
    return update(CourseSection).where(CourseSection.id == rows.section).values(**values)


def test_enrolled_count_stays_within_capacity(database: Database, rows: Rows) -> None:
    run(database, _set_section(rows, enrolled_count=2))  # capacity is 2: full is fine
    for bad in (3, -1):
        refused(
            database,
            _set_section(rows, enrolled_count=bad),
            pg="ck_course_sections_enrolled",
            sqlite="CHECK constraint failed: ck_course_sections_enrolled",
        )
    # the conditional update of the engine: a full section takes no one more
    refused(
        database,
        update(CourseSection)
        .where(CourseSection.id == rows.section)
        .values(enrolled_count=CourseSection.enrolled_count + 1),
        pg="ck_course_sections_enrolled",
        sqlite="CHECK constraint failed: ck_course_sections_enrolled",
    )
    refused(
        database,
        _set_section(rows, capacity=1),
        pg="ck_course_sections_enrolled",
        sqlite="CHECK constraint failed: ck_course_sections_enrolled",
    )


def test_waitlisted_count_stays_within_the_waitlist_limit(database: Database, rows: Rows) -> None:
    run(database, _set_section(rows, waitlisted_count=1))  # limit is 1
    for bad in (2, -1):
        refused(
            database,
            _set_section(rows, waitlisted_count=bad),
            pg="ck_course_sections_waitlisted",
            sqlite="CHECK constraint failed: ck_course_sections_waitlisted",
        )


def test_capacity_and_waitlist_limit_are_not_negative(database: Database, rows: Rows) -> None:
    refused(
        database,
        _set_section(rows, capacity=-1),
        pg="ck_course_sections_",
        sqlite="CHECK constraint failed: ck_course_sections_",
    )
    refused(
        database,
        _set_section(rows, waitlist_limit=-1),
        pg="ck_course_sections_",
        sqlite="CHECK constraint failed: ck_course_sections_",
    )


@pytest.mark.parametrize(
    ("status", "position", "allowed"),
    [
        ("WAITLISTED", 1, True),
        ("ENROLLED", None, True),
        ("DROPPED", None, True),
        ("WAITLISTED", None, False),
        ("ENROLLED", 1, False),
        ("DROPPED", 2, False),
        ("COMPLETED", 1, False),
    ],
)
def test_waitlist_position_is_set_exactly_when_waitlisted(
    database: Database, rows: Rows, status: str, position: int | None, allowed: bool
) -> None:
    statement = enrollment(rows, status=status, waitlist_position=position)
    if allowed:
        run(database, statement)
        assert count(database, Enrollment) == 1
    else:
        refused(
            database,
            statement,
            pg="ck_enrollments_waitlist_position",
            sqlite="CHECK constraint failed: ck_enrollments_waitlist_position",
        )


def test_waitlist_positions_start_at_one(database: Database, rows: Rows) -> None:
    refused(
        database,
        enrollment(rows, status="WAITLISTED", waitlist_position=0),
        pg="ck_enrollments_position",
        sqlite="CHECK constraint failed: ck_enrollments_position",
    )


def test_a_course_is_not_its_own_prerequisite(database: Database, rows: Rows) -> None:
    with database.session() as s:
        basics = factories.course(s, s.get_one(Institution, rows.inst), code="CS101").id

    def link(course: uuid.UUID, prerequisite: uuid.UUID) -> Executable:
        return insert(course_prerequisites).values(
            institution_id=rows.inst, course_id=course, prerequisite_id=prerequisite
        )

    refused(
        database,
        link(rows.course, rows.course),
        pg="ck_course_prerequisites_not_self",
        sqlite="CHECK constraint failed: ck_course_prerequisites_not_self",
    )
    run(database, link(rows.course, basics))


@pytest.mark.parametrize(
    ("column", "constraint"),
    [
        ("student_id", "fk_enrollments_student_id_students"),
        ("section_id", "fk_enrollments_section_id_course_sections"),
        ("institution_id", "fk_enrollments_institution_id_institutions"),
    ],
)
def test_foreign_keys_are_enforced(
    database: Database, rows: Rows, column: str, constraint: str
) -> None:
    refused(
        database,
        enrollment(rows, **{column: uuid.uuid4()}),
        pg=constraint,
        sqlite="FOREIGN KEY constraint failed",
    )
    assert count(database, Enrollment) == 0
    run(database, enrollment(rows))


def test_a_referenced_row_cannot_be_deleted(database: Database, rows: Rows) -> None:
    from sqlalchemy import delete

    run(database, enrollment(rows))
    refused(
        database,
        delete(Student).where(Student.id == rows.student),
        pg="fk_enrollments_student_id_students",
        sqlite="FOREIGN KEY constraint failed",
    )


def test_term_and_year_checks(database: Database, rows: Rows) -> None:
    refused(
        database,
        update(Term).where(Term.id == rows.term).values(registration_end=Term.registration_start),
        pg="ck_terms_registration_window",
        sqlite="CHECK constraint failed: ck_terms_registration_window",
    )
    refused(
        database,
        update(AcademicYear).where(AcademicYear.id == rows.year).values(end_date=date(2000, 1, 1)),
        pg="ck_academic_years_dates",
        sqlite="CHECK constraint failed: ck_academic_years_dates",
    )
