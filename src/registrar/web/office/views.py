"""What the office's pages show, read through the services the admin API uses.

Each function runs on one reading session (`Unit.read`): a page costs one connection.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.schemas.sections import SectionRead, section_read
from registrar.academics.service import courses as courses_service
from registrar.academics.service import sections as sections_service
from registrar.auth.principal import Principal
from registrar.enrollment.batch_courses import service as batch_courses
from registrar.enrollment.batch_courses.schemas import BatchCourseRead, batch_course_read
from registrar.errors import NotFound
from registrar.holds import service as holds
from registrar.holds.schemas import HoldRead
from registrar.kit.csv_export import Export
from registrar.kit.pagination import Page, PageParams
from registrar.portal.registration import student_courses
from registrar.portal.registration.schemas import StudentCourseRead
from registrar.students import batch_service
from registrar.students import service as students
from registrar.students.divisions import service as divisions
from registrar.students.divisions.schemas import DivisionFilters
from registrar.students.schemas import BatchFilters, BatchRead, StudentFilters, StudentRead
from registrar.transfer import exporter
from registrar.web import repository
from registrar.web.office import tree

PAGE = 50


@dataclass(frozen=True)
class Choices:
    """The institution's departments, programs and academic years, for forms and labels."""

    departments: list[Any]
    programs: list[Any]
    years: list[str]

    def department_code(self, department_id: uuid.UUID | None) -> str:
        """A department's code ('' for none)."""
        return next((d.code for d in self.departments if d.id == department_id), "")

    def program_code(self, program_id: uuid.UUID | None) -> str:
        """A program's code ('' for none)."""
        return next((p.code for p in self.programs if p.id == program_id), "")


def choices(session: Session, principal: Principal) -> Choices:
    """The choices the office's forms offer."""
    institution_id = principal.institution.id
    return Choices(
        repository.departments(session, institution_id),
        repository.programs(session, institution_id),
        repository.year_codes(session, institution_id),
    )


def division_tree(
    session: Session, principal: Principal, department: uuid.UUID | None
) -> tuple[list[tree.Node], Choices]:
    """The divisions tree with counts (one department's links each section to its students)."""
    filters = DivisionFilters(department=department, include_students=False)
    found = divisions.divisions(session, principal.institution.id, filters)
    nodes = tree.build(found, link_sections=department is not None)
    return nodes, choices(session, principal)


def students_view(
    session: Session, principal: Principal, filters: StudentFilters, offset: int
) -> tuple[Page[StudentRead], Choices]:
    """One page of the student list, with the choices of its filters."""
    page = students.list_students(
        session, principal.institution.id, filters, PageParams(limit=PAGE, offset=offset)
    )
    return page, choices(session, principal)


@dataclass(frozen=True)
class StudentView:
    """One student: placement, batch, enrollments and holds."""

    student: StudentRead
    batch: BatchRead | None
    enrollments: list[StudentCourseRead]
    holds: list[HoldRead]
    choices: Choices


def student_view(session: Session, principal: Principal, student_id: uuid.UUID) -> StudentView:
    """Everything the student's page shows (404 for another institution's student)."""
    institution_id = principal.institution.id
    student = students.to_read(students.get_student(session, institution_id, student_id))
    batch = (
        batch_service.read_batch(session, institution_id, student.student_batch_id)
        if student.student_batch_id
        else None
    )
    return StudentView(
        student=student,
        batch=batch,
        enrollments=student_courses.list_courses(session, principal, student_id),
        holds=holds.list_for_student(session, institution_id, student_id),
        choices=choices(session, principal),
    )


def batches_view(
    session: Session, principal: Principal, search: str | None, offset: int
) -> Page[BatchRead]:
    """One page of the institution's batches (code or name matching `search`)."""
    return batch_service.list_batches(
        session,
        principal.institution.id,
        BatchFilters(search=search or None, is_active=True),
        PageParams(limit=PAGE, offset=offset),
    )


def batch_view(
    session: Session, principal: Principal, batch_id: uuid.UUID
) -> tuple[BatchRead, list[BatchCourseRead], Choices]:
    """A batch, its courses (newest year first), and the choices of the assign form."""
    batch = batch_service.read_batch(session, principal.institution.id, batch_id)
    rows, _ = batch_courses.list_batch_courses(
        session, principal, batch_id, PageParams(limit=200), {}
    )
    listed = sorted(
        (batch_course_read(row) for row in rows),
        key=lambda bc: (bc.academic_year, bc.semester, bc.course_code),
        reverse=True,
    )
    return batch, listed, choices(session, principal)


def sections_view(
    session: Session,
    principal: Principal,
    term_id: uuid.UUID | None,
    search: str | None,
    offset: int,
) -> tuple[Page[SectionRead], list[Any]]:
    """One page of sections (of a term, matching a code), and the terms to choose from."""
    filters = {"term_id": term_id} if term_id else {}
    params = PageParams(limit=PAGE, offset=offset)
    rows, total = sections_service.list_sections(session, principal, params, filters, search)
    page = Page[SectionRead](
        items=[section_read(r) for r in rows], total=total, limit=PAGE, offset=offset
    )
    return page, repository.terms(session, principal.institution.id)


def roster_view(
    session: Session, principal: Principal, section_id: uuid.UUID
) -> tuple[SectionRead, Export]:
    """A section and its roster, as the CSV export has it."""
    section = section_read(sections_service.get_section(session, principal, section_id))
    return section, exporter.section_roster(session, principal.institution.id, section_id)


def course_id_by_code(session: Session, principal: Principal, code: str) -> uuid.UUID:
    """The id of the institution's course with that code (as typed, or in capitals); 404."""
    for candidate in dict.fromkeys((code.strip(), code.strip().upper())):
        rows, _ = courses_service.list_courses(
            session, principal, PageParams(limit=1), {"code": candidate}
        )
        if rows:
            return rows[0].id
    raise NotFound(f"No course has the code {code.strip()!r}")


def section_id_by_code(session: Session, principal: Principal, code: str) -> uuid.UUID:
    """The id of the institution's section with that code (as typed, or in capitals); 404."""
    for candidate in dict.fromkeys((code.strip(), code.strip().upper())):
        rows, _ = sections_service.list_sections(
            session, principal, PageParams(limit=1), {"code": candidate}
        )
        if rows:
            return rows[0].id
    raise NotFound(f"No section has the code {code.strip()!r}")
