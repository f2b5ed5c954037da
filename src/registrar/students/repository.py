"""Queries for students and batches."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.students.divisions.repository import year_ids_of
from registrar.students.models import Student, StudentBatch, StudentStatus
from registrar.students.schemas import PLACEMENT_FIELDS, BatchFilters, StudentFilters


def find_by_user(session: Session, institution_id: uuid.UUID, user_id: uuid.UUID) -> Student | None:
    """The student record of a login, if it has one."""
    return session.scalar(
        select(Student).where(Student.institution_id == institution_id, Student.user_id == user_id)
    )


# --- students and batches of the administration API -------------------------------------------


def get_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> Student | None:
    """The institution's student with that id, if any."""
    return session.scalar(
        select(Student)
        .where(Student.id == student_id, Student.institution_id == institution_id)
        .options(selectinload(Student.academic_year))
    )


def roll_number_taken(session: Session, institution_id: uuid.UUID, roll_number: str) -> bool:
    """Whether a student of the institution already has that roll number."""
    found = session.scalar(
        select(Student.id).where(
            Student.institution_id == institution_id, Student.roll_number == roll_number
        )
    )
    return found is not None


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_Ts = TypeVarTuple("_Ts")


def where_equal(
    statement: Select[*_Ts], values: dict[InstrumentedAttribute[Any], object]
) -> Select[*_Ts]:
    """The statement narrowed to rows whose columns equal the given values; None means any."""
    for column, value in values.items():
        if value is not None:
            statement = statement.where(column == value)
    return statement


def _narrowed(
    statement: Select[*_Ts],
    institution_id: uuid.UUID,
    equal: dict[InstrumentedAttribute[Any], object],
    year_column: InstrumentedAttribute[uuid.UUID | None],
    academic_year: str | None,
    search: str | None,
    searched: tuple[InstrumentedAttribute[str], ...],
) -> Select[*_Ts]:
    """The list filters students and batches share: equal columns, year code, text search."""
    statement = where_equal(statement, equal)
    if academic_year is not None:
        statement = statement.where(year_column.in_(year_ids_of(institution_id, academic_year)))
    if search:
        pattern = _like(search)
        statement = statement.where(
            or_(*(func.lower(column).like(pattern, escape="\\") for column in searched))
        )
    return statement


def student_list(institution_id: uuid.UUID, filters: StudentFilters) -> Select[Student]:
    """The students matching the filters, by roll number."""
    statement = (
        select(Student)
        .where(Student.institution_id == institution_id)
        .options(selectinload(Student.academic_year))
        .order_by(Student.roll_number)
    )
    column_filters: dict[InstrumentedAttribute[Any], object] = {
        Student.department_id: filters.department,
        Student.program_id: filters.program,
        Student.batch_id: filters.batch,
        Student.year_of_study: filters.year_of_study,
        Student.semester: filters.semester,
        Student.section: filters.section,
        Student.grade_level: filters.grade_level,
        Student.status: filters.status,
    }
    return _narrowed(
        statement,
        institution_id,
        column_filters,
        Student.academic_year_id,
        filters.academic_year,
        filters.search,
        (Student.name, Student.roll_number),
    )


def get_batch(
    session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID, *, lock: bool = False
) -> StudentBatch | None:
    """The institution's batch with that id (row-locked on PostgreSQL if asked), if any."""
    statement = (
        select(StudentBatch)
        .where(StudentBatch.id == batch_id, StudentBatch.institution_id == institution_id)
        .options(selectinload(StudentBatch.academic_year))
    )
    if lock:
        statement = statement.with_for_update(of=StudentBatch)
    return session.scalar(statement)


def batch_code_taken(session: Session, institution_id: uuid.UUID, code: str) -> bool:
    """Whether a batch of the institution already has that code."""
    found = session.scalar(
        select(StudentBatch.id).where(
            StudentBatch.institution_id == institution_id, StudentBatch.code == code
        )
    )
    return found is not None


def batch_list(institution_id: uuid.UUID, filters: BatchFilters) -> Select[StudentBatch]:
    """The batches matching the filters, by code."""
    statement = (
        select(StudentBatch)
        .where(StudentBatch.institution_id == institution_id)
        .options(selectinload(StudentBatch.academic_year))
        .order_by(StudentBatch.code)
    )
    column_filters: dict[InstrumentedAttribute[Any], object] = {
        StudentBatch.department_id: filters.department,
        StudentBatch.program_id: filters.program,
        StudentBatch.year_of_study: filters.year_of_study,
        StudentBatch.semester: filters.semester,
        StudentBatch.section: filters.section,
        StudentBatch.grade_level: filters.grade_level,
        StudentBatch.is_active: filters.is_active,
    }
    return _narrowed(
        statement,
        institution_id,
        column_filters,
        StudentBatch.academic_year_id,
        filters.academic_year,
        filters.search,
        (StudentBatch.code, StudentBatch.name),
    )


def active_counts(session: Session, batch_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many ACTIVE students each batch holds (batches with none are left out)."""
    ids = list(set(batch_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Student.batch_id, func.count())
        .where(Student.batch_id.in_(ids), Student.status == StudentStatus.ACTIVE)
        .group_by(Student.batch_id)
    )
    return {batch_id: int(count) for batch_id, count in rows if batch_id is not None}


def copy_batch_placement(session: Session, batch: StudentBatch) -> list[uuid.UUID]:
    """Copy a batch's placement fields onto every student in it; the students moved."""
    moved = session.scalars(
        update(Student)
        .where(Student.batch_id == batch.id, Student.institution_id == batch.institution_id)
        .values({field: getattr(batch, field) for field in PLACEMENT_FIELDS})
        .returning(Student.id)
        .execution_options(synchronize_session=False)
    )
    return list(moved)


# --- references into the academic structure --------------------------------------------------


def get_department(
    session: Session, institution_id: uuid.UUID, department_id: uuid.UUID
) -> Department | None:
    """The institution's department with that id, if any."""
    return session.scalar(
        select(Department).where(
            Department.id == department_id, Department.institution_id == institution_id
        )
    )


def get_program(
    session: Session, institution_id: uuid.UUID, program_id: uuid.UUID
) -> AcademicProgram | None:
    """The institution's academic program with that id, if any."""
    return session.scalar(
        select(AcademicProgram).where(
            AcademicProgram.id == program_id, AcademicProgram.institution_id == institution_id
        )
    )


def find_year(session: Session, institution_id: uuid.UUID, code: str) -> AcademicYear | None:
    """The institution's academic year with that code, if any."""
    return session.scalar(
        select(AcademicYear).where(
            AcademicYear.institution_id == institution_id, AcademicYear.code == code
        )
    )
