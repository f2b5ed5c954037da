"""The divisions tree of seed 003: department > program > year > year of study > semester > section.

Two queries whatever the size of the institution: one GROUP BY for the head counts, and one
for at most `students_per_section` students of each section (a window function ranks them by
roll number). `count` and every `total_students` are true totals, never the listed number.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.students.divisions import repository
from registrar.students.divisions.schemas import (
    UNASSIGNED,
    AcademicYearDivision,
    DepartmentDivision,
    DivisionFilters,
    DivisionStudent,
    ProgramDivision,
    SectionDivision,
    SemesterDivision,
    YearOfStudyDivision,
)

GroupKey = tuple[Any, ...]


def _label(value: Any) -> str:
    return UNASSIGNED if value is None else str(value)


def _group_key(row: Any) -> GroupKey:
    return (
        row.department_id,
        row.program_id,
        row.academic_year_id,
        row.year_of_study,
        row.semester,
        row.section,
    )


def _sort_key(row: Any) -> tuple[Any, ...]:
    # Departments, programs and years by code, numbers numerically, unassigned last.
    return (
        row.department_code is None,
        row.department_code or "",
        row.program_code is None,
        row.program_code or "",
        row.year_code is None,
        row.year_code or "",
        row.year_of_study is None,
        row.year_of_study or 0,
        row.semester is None,
        row.semester or 0,
        row.section is None,
        row.section or "",
    )


def _students_by_group(
    session: Session, institution_id: uuid.UUID, filters: DivisionFilters
) -> dict[GroupKey, list[DivisionStudent]]:
    listed: dict[GroupKey, list[DivisionStudent]] = {}
    if not filters.include_students or filters.students_per_section == 0:
        return listed
    for row in repository.division_students(
        session, institution_id, filters, filters.students_per_section
    ):
        # Rows straight from the database need no validation: construct, don't validate.
        listed.setdefault(_group_key(row), []).append(
            DivisionStudent.model_construct(
                id=row.id,
                roll_number=row.roll_number,
                name=row.name,
                email=row.email,
                gender=row.gender,
                category=row.category,
                status=row.status,
                student_batch_id=row.student_batch_id,
                admission_year=row.admission_year,
            )
        )
    return listed


def divisions(
    session: Session, institution_id: uuid.UUID, filters: DivisionFilters
) -> dict[str, DepartmentDivision]:
    """The nested tree of the seed, keyed by department code (`UNASSIGNED` where none)."""
    counts = sorted(repository.division_counts(session, institution_id, filters), key=_sort_key)
    listed = _students_by_group(session, institution_id, filters)
    tree: dict[str, DepartmentDivision] = {}
    for row in counts:
        department = tree.setdefault(
            _label(row.department_code),
            DepartmentDivision(
                department_id=row.department_id,
                department_name=row.department_name,
                department_code=row.department_code,
                programs={},
            ),
        )
        program = department.programs.setdefault(
            _label(row.program_code),
            ProgramDivision(
                program_id=row.program_id,
                program_name=row.program_name,
                program_code=row.program_code,
                program_level=None if row.program_level is None else str(row.program_level),
                years={},
            ),
        )
        year = program.years.setdefault(
            _label(row.year_code), AcademicYearDivision(year_of_study={}, total_students=0)
        )
        of_study = year.year_of_study.setdefault(
            _label(row.year_of_study), YearOfStudyDivision(semesters={}, total_students=0)
        )
        semester = of_study.semesters.setdefault(
            _label(row.semester), SemesterDivision(sections={}, total_students=0)
        )
        count = int(row.head_count)
        semester.sections[_label(row.section)] = SectionDivision(
            students=listed.get(_group_key(row), []), count=count
        )
        semester.total_students += count
        of_study.total_students += count
        year.total_students += count
    return tree
