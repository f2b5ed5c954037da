"""Seed 001: a student's courses, for a registrar or the student themself."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection
from registrar.auth.actor import actor_of, student_id_of
from registrar.auth.models import Role
from registrar.auth.principal import Principal
from registrar.enrollment import engine
from registrar.enrollment.models import Enrollment
from registrar.enrollment.outcomes import EnrollmentRecord
from registrar.errors import Forbidden, NotFound, RegistrarError
from registrar.kit.columns import utcnow
from registrar.portal.registration import repository
from registrar.portal.registration.schemas import StudentCourseRead
from registrar.students.models import Student

STAFF = (Role.REGISTRAR, Role.ADMIN)


class CourseNotOffered(RegistrarError):
    status_code = 400
    code = "course_not_offered"


def visible_student(session: Session, principal: Principal, student_id: uuid.UUID) -> Student:
    """The student, if this user may act for them; another student's id is simply not found."""
    if principal.role is Role.STUDENT:
        if student_id_of(principal) != student_id:
            raise NotFound("Student not found")
    elif principal.role not in STAFF:
        raise Forbidden("You do not have permission to do this")
    student = repository.get_student(session, principal.institution.id, student_id)
    if student is None:
        raise NotFound("Student not found")
    return student


def _choose_section(sections: list[CourseSection], student: Student) -> CourseSection:
    """The student's batch's section, else the first with a free seat, else the first."""
    for section in sections:
        if student.batch_id is not None and section.student_batch_id == student.batch_id:
            return section
    for section in sections:
        if section.enrolled_count < section.capacity:
            return section
    return sections[0]


def _read(
    enrollment: Enrollment | EnrollmentRecord, course: Course, section: CourseSection
) -> StudentCourseRead:
    """The seed's shape of an enrollment (the section's term loaded)."""
    return StudentCourseRead(
        enrollment_id=enrollment.id,
        course_id=course.id,
        course_code=course.code,
        name=course.title,
        level=course.level,
        credits=course.credits,
        section_id=section.id,
        semester_id=section.term_id,
        semester=section.term.name,
        status=enrollment.status.value,
        enrollment_type=enrollment.enrollment_type.value,
        reserve_position=enrollment.waitlist_position,
        grade=enrollment.grade,
    )


def enroll(
    session: Session, principal: Principal, student_id: uuid.UUID, course_id: uuid.UUID
) -> StudentCourseRead:
    """Enroll the student in the course's section of the semester open for registration."""
    student = visible_student(session, principal, student_id)
    course = repository.get_course(session, principal.institution.id, course_id)
    if course is None:
        raise NotFound("Course not found")
    sections = list(
        repository.open_sections_of_course(session, principal.institution.id, course.id, utcnow())
    )
    if not sections:
        raise CourseNotOffered("Course is not offered in a semester open for registration")
    section = _choose_section(sections, student)
    outcome = engine.enroll(
        session,
        institution_id=principal.institution.id,
        student_id=student.id,
        section_id=section.id,
        actor=actor_of(principal),
    )
    return _read(outcome.enrollment, course, section)


def list_courses(
    session: Session, principal: Principal, student_id: uuid.UUID
) -> list[StudentCourseRead]:
    """Every enrollment of the student, newest term first."""
    student = visible_student(session, principal, student_id)
    return [
        _read(row, row.section.course, row.section)
        for row in repository.student_enrollments(session, student.id)
    ]
