"""The roster as the gradebook shows it."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.auth.principal import Principal
from registrar.gradebook import repository, service
from registrar.gradebook.repository import RosterRow
from registrar.gradebook.schemas import RosterEntry, RosterRead, SectionBrief
from registrar.institutions.grading import GradeScale
from registrar.kit.pagination import PageParams


def entry_of(row: RosterRow, scale: GradeScale) -> RosterEntry:
    """One roster line: the student, the enrollment's status, grade and attendance."""
    enrollment = row.enrollment
    return RosterEntry(
        enrollment_id=enrollment.id,
        student_id=enrollment.student_id,
        roll_number=row.roll_number,
        name=row.name,
        status=enrollment.status,
        grade=enrollment.grade,
        grade_points=service.number(enrollment.grade_points),
        attendance_percentage=service.number(enrollment.attendance_percentage),
        passing=service.passing(scale, enrollment),
    )


def roster(
    session: Session, principal: Principal, section_id: uuid.UUID, page: PageParams
) -> RosterRead:
    """A page of the section's ENROLLED and COMPLETED students, by roll number."""
    section = service.section_for(session, principal, section_id)
    scale = service.scale_for(principal)
    rows, total = repository.roster_page(
        session, section.id, service.ROSTER_STATUSES, limit=page.limit, offset=page.offset
    )
    return RosterRead(
        section=SectionBrief(
            id=section.id,
            code=section.code,
            course_code=section.course.code,
            course_title=section.course.title,
            term_code=section.term.code,
            faculty_id=section.faculty_id,
        ),
        percentage_scale=scale.is_percentage,
        grades=scale.grades(),
        students=[entry_of(row, scale) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
