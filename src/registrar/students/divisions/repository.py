"""Aggregate queries behind the divisions tree and the division statistics."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.students.divisions.schemas import DivisionFilters, StatisticsFilters
from registrar.students.models import Student, StudentStatus

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


def year_ids_of(institution_id: uuid.UUID, code: str) -> Select[uuid.UUID]:
    """The id of the institution's academic year with that code, as a subquery."""
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
        where.append(Student.academic_year_id.in_(year_ids_of(institution_id, f.academic_year)))
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
            Student.academic_year_id.in_(year_ids_of(institution_id, f.academic_year))
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
