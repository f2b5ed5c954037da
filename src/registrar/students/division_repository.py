"""Set-based queries behind divisions, statistics and (bulk) assignment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.audit.models import AuditEvent
from registrar.enrollment.models import AssignmentType, BatchCourse, BatchCourseStatus
from registrar.students.division_schemas import BulkCriteria, DivisionFilters, StatisticsFilters
from registrar.students.models import Student, StudentBatch, StudentStatus

# Ids per IN list: well under SQLite's and PostgreSQL's bind-parameter limits.
CHUNK = 1000

# What groups students into one section of the divisions tree.
DIVISION_KEY = (
    Student.department_id,
    Student.program_id,
    Student.academic_year_id,
    Student.year_of_study,
    Student.semester,
    Student.section,
)


def chunks(ids: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """The ids in slices small enough for one IN list."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _year_ids(institution_id: uuid.UUID, code: str) -> Select[uuid.UUID]:
    return select(AcademicYear.id).where(
        AcademicYear.institution_id == institution_id, AcademicYear.code == code
    )


def _division_where(institution_id: uuid.UUID, f: DivisionFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Student.institution_id == institution_id]
    if f.status is not None:
        where.append(Student.status == f.status)
    if f.department is not None:
        where.append(Student.department_id == f.department)
    if f.academic_program is not None:
        where.append(Student.program_id == f.academic_program)
    if f.academic_year is not None:
        where.append(Student.academic_year_id.in_(_year_ids(institution_id, f.academic_year)))
    if f.year_of_study is not None:
        where.append(Student.year_of_study == f.year_of_study)
    if f.semester is not None:
        where.append(Student.semester == f.semester)
    if f.section is not None:
        where.append(Student.section == f.section)
    return where


def division_counts(
    session: Session, institution_id: uuid.UUID, f: DivisionFilters
) -> list[Row[Any]]:
    """Head counts per (department, program, year, year of study, semester, section): one query.

    Students are grouped on their own narrow columns first; names and codes are joined to the
    few hundred groups afterwards, not to every student.
    """
    counts = (
        select(*DIVISION_KEY, func.count().label("head_count"))
        .where(*_division_where(institution_id, f))
        .group_by(*DIVISION_KEY)
        .subquery()
    )
    statement = (
        select(
            counts,
            Department.code.label("department_code"),
            Department.name.label("department_name"),
            AcademicProgram.code.label("program_code"),
            AcademicProgram.name.label("program_name"),
            AcademicProgram.level.label("program_level"),
            AcademicYear.code.label("year_code"),
        )
        .outerjoin(Department, Department.id == counts.c.department_id)
        .outerjoin(AcademicProgram, AcademicProgram.id == counts.c.program_id)
        .outerjoin(AcademicYear, AcademicYear.id == counts.c.academic_year_id)
    )
    return list(session.execute(statement))


def division_students(
    session: Session, institution_id: uuid.UUID, f: DivisionFilters, per_section: int
) -> list[Row[Any]]:
    """The first `per_section` students (by roll number) of every section: one query.

    The window function ranks narrow rows (id and group); only the kept ids are joined back to
    the students for their details, so the sort stays small for a whole university.
    """
    rank = (
        func.row_number()
        .over(partition_by=DIVISION_KEY, order_by=(Student.roll_number, Student.id))
        .label("rank")
    )
    ranked = select(Student.id, rank).where(*_division_where(institution_id, f)).subquery()
    statement = (
        select(
            Student.id,
            Student.roll_number,
            Student.name,
            Student.email,
            Student.gender,
            Student.category,
            Student.status,
            Student.batch_id.label("student_batch_id"),
            Student.admission_year,
            *DIVISION_KEY,
        )
        .join(ranked, ranked.c.id == Student.id)
        .where(ranked.c.rank <= per_section)
        .order_by(Student.roll_number)
    )
    return list(session.execute(statement))


def statistics_counts(
    session: Session, institution_id: uuid.UUID, f: StatisticsFilters
) -> list[tuple[Any, ...]]:
    """Active head counts per department, year, year of study, semester, section, gender, quota.

    One query: grouped on the students' own columns, department and year codes joined after.
    """
    keys = (
        Student.department_id,
        Student.academic_year_id,
        Student.year_of_study,
        Student.semester,
        Student.section,
        Student.gender,
        Student.category,
    )
    grouped = (
        select(*keys, func.count().label("head_count"))
        .where(Student.institution_id == institution_id, Student.status == StudentStatus.ACTIVE)
        .group_by(*keys)
    )
    if f.department is not None:
        grouped = grouped.where(Student.department_id == f.department)
    if f.academic_year is not None:
        grouped = grouped.where(
            Student.academic_year_id.in_(_year_ids(institution_id, f.academic_year))
        )
    counts = grouped.subquery()
    statement = (
        select(
            counts.c.department_id,
            Department.code,
            Department.name,
            AcademicYear.code,
            counts.c.year_of_study,
            counts.c.semester,
            counts.c.section,
            counts.c.gender,
            counts.c.category,
            counts.c.head_count,
        )
        .outerjoin(Department, Department.id == counts.c.department_id)
        .outerjoin(AcademicYear, AcademicYear.id == counts.c.academic_year_id)
    )
    return [tuple(row) for row in session.execute(statement)]


# --- assignment ---------------------------------------------------------------------------------

MOVER_COLUMNS = (
    Student.id,
    Student.roll_number,
    Student.status,
    Student.batch_id,
    *DIVISION_KEY,
)


def movers_by_id(
    session: Session, institution_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Row[Any]]:
    """The placement of the listed students of the institution, row-locked on PostgreSQL."""
    rows: list[Row[Any]] = []
    for part in chunks(ids):
        statement = (
            select(*MOVER_COLUMNS)
            .where(Student.institution_id == institution_id, Student.id.in_(part))
            .with_for_update()
        )
        rows.extend(session.execute(statement))
    return rows


def movers_by_criteria(
    session: Session, institution_id: uuid.UUID, c: BulkCriteria
) -> list[Row[Any]]:
    """The placement of the ACTIVE students the criteria match, row-locked on PostgreSQL."""
    statement = select(*MOVER_COLUMNS).where(
        Student.institution_id == institution_id, Student.status == StudentStatus.ACTIVE
    )
    equal = {
        Student.department_id: c.current_department,
        Student.program_id: c.current_academic_program,
        Student.year_of_study: c.current_year_of_study,
        Student.semester: c.current_semester,
        Student.section: c.current_section,
        Student.gender: c.gender,
        Student.category: c.quota,
    }
    for column, value in equal.items():
        if value is not None:
            statement = statement.where(column == value)
    if c.current_academic_year is not None:
        statement = statement.where(
            Student.academic_year_id.in_(_year_ids(institution_id, c.current_academic_year))
        )
    return list(session.execute(statement.order_by(Student.roll_number).with_for_update()))


def program_departments(
    session: Session, institution_id: uuid.UUID, program_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The department of each listed program."""
    ids = list(set(program_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(AcademicProgram.id, AcademicProgram.department_id).where(
            AcademicProgram.institution_id == institution_id, AcademicProgram.id.in_(ids)
        )
    )
    return dict(rows.all())


def candidate_batches(
    session: Session,
    institution_id: uuid.UUID,
    year_ids: Iterable[uuid.UUID],
    years_of_study: Iterable[int],
) -> list[StudentBatch]:
    """Active batches that might hold the targets (exact matching is done by the caller)."""
    return list(
        session.scalars(
            select(StudentBatch)
            .where(
                StudentBatch.institution_id == institution_id,
                StudentBatch.is_active.is_(True),
                StudentBatch.academic_year_id.in_(list(set(year_ids))),
                StudentBatch.year_of_study.in_(list(set(years_of_study))),
            )
            .order_by(StudentBatch.code)
            .with_for_update()
        )
    )


def codes_taken(session: Session, institution_id: uuid.UUID, codes: Iterable[str]) -> set[str]:
    """Which of these batch codes the institution already uses."""
    wanted = list(set(codes))
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(StudentBatch.code).where(
                StudentBatch.institution_id == institution_id, StudentBatch.code.in_(wanted)
            )
        )
    )


def year_codes(session: Session, year_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The code of each listed academic year."""
    ids = list(set(year_ids))
    if not ids:
        return {}
    return dict(
        session.execute(
            select(AcademicYear.id, AcademicYear.code).where(AcademicYear.id.in_(ids))
        ).all()
    )


def department_codes(session: Session, department_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The code of each listed department."""
    ids = list(set(department_ids))
    if not ids:
        return {}
    return dict(
        session.execute(select(Department.id, Department.code).where(Department.id.in_(ids))).all()
    )


def move_students(session: Session, ids: Sequence[uuid.UUID], values: dict[str, Any]) -> None:
    """Give the listed students the same new values: one UPDATE per thousand."""
    for part in chunks(ids):
        session.execute(
            update(Student)
            .where(Student.id.in_(part))
            .values(values)
            .execution_options(synchronize_session=False)
        )


def students_by_id(session: Session, ids: Sequence[uuid.UUID]) -> list[Student]:
    """The listed students with their academic years, by roll number."""
    found: list[Student] = []
    for part in chunks(ids):
        found.extend(
            session.scalars(
                select(Student)
                .where(Student.id.in_(part))
                .options(selectinload(Student.academic_year))
                .execution_options(populate_existing=True)
            )
        )
    return sorted(found, key=lambda s: s.roll_number)


def record_events(session: Session, events: list[dict[str, Any]]) -> None:
    """Write many audit events in one batched INSERT."""
    if events:
        session.execute(insert(AuditEvent), events)


def batches_with_auto_enroll(
    session: Session, institution_id: uuid.UUID, batch_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these batches have an ACTIVE mandatory course that enrolls newcomers."""
    ids = list(set(batch_ids))
    if not ids:
        return set()
    return set(
        session.scalars(
            select(BatchCourse.batch_id)
            .where(
                BatchCourse.institution_id == institution_id,
                BatchCourse.batch_id.in_(ids),
                BatchCourse.status == BatchCourseStatus.ACTIVE,
                BatchCourse.assignment_type == AssignmentType.MANDATORY,
                BatchCourse.auto_enroll_new_students.is_(True),
            )
            .distinct()
        )
    )
