"""Seed 002: semesters, their courses, and a student's registrations through the engine."""

from __future__ import annotations

import uuid

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from registrar.auth.actor import actor_of, student_id_of
from registrar.auth.principal import Principal
from registrar.enrollment import engine
from registrar.enrollment.schemas import DryRunAnswer
from registrar.enrollment.service import dry_run_answer
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


OFFERINGS = TypeAdapter(list[OfferingRead])


def semester_courses(
    session: Session, principal: Principal, term_id: uuid.UUID
) -> list[OfferingRead]:
    """The courses offered in a term."""
    institution_id = principal.institution.id
    rows = repository.term_offering_rows(session, institution_id, term_id)
    if not rows and not repository.term_exists(session, institution_id, term_id):
        raise NotFound("Semester not found")
    return shapes.offerings(rows)


def semester_courses_json(session: Session, principal: Principal, term_id: uuid.UUID) -> bytes:
    """`semester_courses` serialized, for a snapshot shared by the institution's students."""
    return OFFERINGS.dump_json(semester_courses(session, principal, term_id))


def get_course(session: Session, principal: Principal, section_id: uuid.UUID) -> OfferingRead:
    """One offered course."""
    found = shapes.offerings(
        repository.offering_rows(session, principal.institution.id, section_id)
    )
    if not found:
        raise NotFound("Course not found")
    return found[0]


def my_courses(session: Session, principal: Principal, term_id: uuid.UUID) -> list[MyCourseRead]:
    """The student's ENROLLED and RESERVED courses in a term."""
    student_id = student_id_of(principal)
    held = repository.held_in_term_rows(session, principal.institution.id, student_id, term_id)
    if not held.rows and not held.term_active:
        raise NotFound("Semester not found")
    return shapes.my_courses(held.rows)


def check_register(session: Session, principal: Principal, section_id: uuid.UUID) -> None:
    """Refuse at once, from one read and with no transaction, what `register` would refuse."""
    engine.precheck(
        session,
        institution_id=principal.institution.id,
        student_id=student_id_of(principal),
        section_id=section_id,
        actor=actor_of(principal),
    )


def explain_register(session: Session, principal: Principal, section_id: uuid.UUID) -> DryRunAnswer:
    """`register` tried without writing: what it would do now, and every rule's answer."""
    return dry_run_answer(
        engine.explain(
            session,
            institution_id=principal.institution.id,
            student_id=student_id_of(principal),
            section_id=section_id,
            actor=actor_of(principal),
        )
    )


def register(session: Session, principal: Principal, section_id: uuid.UUID) -> RegisterResponse:
    """A seat, else a place on the reserve list; the engine refuses the rest."""
    outcome = engine.enroll(
        session,
        institution_id=principal.institution.id,
        student_id=student_id_of(principal),
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
    student_id = student_id_of(principal)
    enrollment_id = repository.held_enrollment_id(session, student_id, section_id)
    if enrollment_id is None:
        raise NotFound("You are not registered for this course")
    outcome = engine.drop(
        session,
        institution_id=principal.institution.id,
        enrollment_id=enrollment_id,
        actor=actor_of(principal),
        student_id=student_id,
    )
    return DropResponse(
        course_id=section_id,
        dropped_status=outcome.enrollment.status.value,
        promoted_student_id=outcome.promoted.student_id if outcome.promoted else None,
        promoted_from_position=outcome.promoted_from_position,
    )
