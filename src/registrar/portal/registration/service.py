"""Seed 002: semesters, their courses, and a student's registrations through the engine."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.deps import Principal
from registrar.enrollment import engine
from registrar.errors import NotFound
from registrar.kit.columns import utcnow
from registrar.portal.registration import repository, shapes
from registrar.portal.registration.schemas import (
    DropResponse,
    MyCourseRead,
    OfferingRead,
    RegisterResponse,
    SemesterRead,
)
from registrar.students import repository as students
from registrar.students.models import Student


def actor_of(principal: Principal) -> engine.Actor:
    """The engine's actor for a logged-in user."""
    return engine.Actor(user_id=principal.user.id, role=principal.role)


def own_student(session: Session, principal: Principal) -> Student:
    """The student record behind a STUDENT login."""
    student = students.find_by_user(session, principal.institution.id, principal.user.id)
    if student is None:
        raise NotFound("Student not found")
    return student


def list_semesters(session: Session, principal: Principal) -> list[SemesterRead]:
    """Every active term of the institution."""
    now = utcnow()
    terms = repository.list_terms(session, principal.institution.id)
    return [shapes.semester(term, now) for term in terms]


def get_semester(session: Session, principal: Principal, term_id: uuid.UUID) -> SemesterRead:
    """One term."""
    term = repository.get_term(session, principal.institution.id, term_id)
    if term is None:
        raise NotFound("Semester not found")
    return shapes.semester(term, utcnow())


def semester_courses(
    session: Session, principal: Principal, term_id: uuid.UUID
) -> list[OfferingRead]:
    """The courses offered in a term."""
    if repository.get_term(session, principal.institution.id, term_id) is None:
        raise NotFound("Semester not found")
    sections = repository.term_offerings(session, principal.institution.id, term_id)
    return [shapes.offering(section) for section in sections]


def get_course(session: Session, principal: Principal, section_id: uuid.UUID) -> OfferingRead:
    """One offered course."""
    section = repository.get_offering(session, principal.institution.id, section_id)
    if section is None:
        raise NotFound("Course not found")
    return shapes.offering(section)


def my_courses(session: Session, principal: Principal, term_id: uuid.UUID) -> list[MyCourseRead]:
    """The student's ENROLLED and RESERVED courses in a term."""
    if repository.get_term(session, principal.institution.id, term_id) is None:
        raise NotFound("Semester not found")
    student = own_student(session, principal)
    return [shapes.my_course(row) for row in repository.held_in_term(session, student.id, term_id)]


def register(session: Session, principal: Principal, section_id: uuid.UUID) -> RegisterResponse:
    """A seat, else a place on the reserve list; the engine refuses the rest."""
    student = own_student(session, principal)
    outcome = engine.enroll(
        session,
        institution_id=principal.institution.id,
        student_id=student.id,
        section_id=section_id,
        actor=actor_of(principal),
    )
    enrollment = outcome.enrollment
    return RegisterResponse(
        course_id=section_id,
        status=shapes.registration_status(enrollment.status),
        reserve_position=enrollment.waitlist_position,
    )


def drop(session: Session, principal: Principal, section_id: uuid.UUID) -> DropResponse:
    """Leave a course (or its reserve list); a freed seat goes to the head of the list."""
    student = own_student(session, principal)
    enrollment_id = repository.held_enrollment_id(session, student.id, section_id)
    if enrollment_id is None:
        raise NotFound("You are not registered for this course")
    outcome = engine.drop(
        session,
        institution_id=principal.institution.id,
        enrollment_id=enrollment_id,
        actor=actor_of(principal),
        student_id=student.id,
    )
    return DropResponse(
        course_id=section_id,
        dropped_status=outcome.enrollment.status.value,
        promoted_student_id=outcome.promoted.student_id if outcome.promoted else None,
        promoted_from_position=outcome.promoted_from_position,
    )
