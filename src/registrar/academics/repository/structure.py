"""List queries for departments, programs, academic years and terms."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, exists, select, update
from sqlalchemy.orm import Session

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Department,
    ProgramLevel,
    Term,
    TermKind,
)
from registrar.academics.repository.common import equal_filters, search


def departments(institution_id: uuid.UUID, *, is_active: bool | None, q: str | None) -> Select[Any]:
    """Departments of the institution, by code."""
    statement = select(Department).where(Department.institution_id == institution_id)
    statement = equal_filters(statement, {Department.is_active: is_active})
    return search(statement, q, Department.code, Department.name).order_by(Department.code)


def programs(
    institution_id: uuid.UUID,
    *,
    department_id: uuid.UUID | None,
    level: ProgramLevel | None,
    is_active: bool | None,
    q: str | None,
) -> Select[Any]:
    """Programs of the institution, by code."""
    statement = select(AcademicProgram).where(AcademicProgram.institution_id == institution_id)
    statement = equal_filters(
        statement,
        {
            AcademicProgram.department_id: department_id,
            AcademicProgram.level: level,
            AcademicProgram.is_active: is_active,
        },
    )
    statement = search(statement, q, AcademicProgram.code, AcademicProgram.name)
    return statement.order_by(AcademicProgram.code)


def academic_years(
    institution_id: uuid.UUID, *, is_current: bool | None, q: str | None
) -> Select[Any]:
    """Academic years of the institution, latest first."""
    statement = select(AcademicYear).where(AcademicYear.institution_id == institution_id)
    statement = equal_filters(statement, {AcademicYear.is_current: is_current})
    statement = search(statement, q, AcademicYear.code)
    return statement.order_by(AcademicYear.start_date.desc(), AcademicYear.code)


def clear_current_year(session: Session, institution_id: uuid.UUID, keep_id: uuid.UUID) -> None:
    """Unmark every other year as current: an institution has one current year."""
    session.execute(
        update(AcademicYear)
        .where(AcademicYear.institution_id == institution_id, AcademicYear.id != keep_id)
        .values(is_current=False)
    )


def terms(
    institution_id: uuid.UUID,
    *,
    academic_year_id: uuid.UUID | None,
    kind: TermKind | None,
    is_active: bool | None,
    q: str | None,
) -> Select[Any]:
    """Terms of the institution, latest first."""
    statement = select(Term).where(Term.institution_id == institution_id)
    statement = equal_filters(
        statement,
        {Term.academic_year_id: academic_year_id, Term.kind: kind, Term.is_active: is_active},
    )
    statement = search(statement, q, Term.code, Term.name)
    return statement.order_by(Term.start_date.desc(), Term.code)


def year_has_kind(
    session: Session, academic_year_id: uuid.UUID, kind: TermKind, exclude_id: uuid.UUID | None
) -> bool:
    """True when the year already has a term of this kind (other than `exclude_id`)."""
    condition = [Term.academic_year_id == academic_year_id, Term.kind == kind]
    if exclude_id is not None:
        condition.append(Term.id != exclude_id)
    return bool(session.scalar(select(exists().where(*condition))))
