"""Building the rules' context from the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, TimetableSlot
from registrar.enrollment import repository
from registrar.enrollment.models import Enrollment, EnrollmentType
from registrar.enrollment.rules import (
    CourseRef,
    EnrollmentContext,
    HeldEnrollment,
    Policy,
    SectionFacts,
    Slot,
    TermFacts,
)
from registrar.institutions.grading import scale_of
from registrar.institutions.models import Institution
from registrar.students.models import Student, StudentStatus


def course_ref(course: Course) -> CourseRef:
    """The rules' view of a catalog course."""
    return CourseRef(id=course.id, code=course.code, title=course.title)


def slots_of(slots: Iterable[TimetableSlot]) -> tuple[Slot, ...]:
    """The rules' view of a timetable."""
    return tuple(
        Slot(day=slot.day.value, start=slot.start_time, end=slot.end_time) for slot in slots
    )


def section_facts(section: CourseSection) -> SectionFacts:
    """The rules' view of a section (course, prerequisites and timetable loaded)."""
    course = section.course
    return SectionFacts(
        id=section.id,
        course=course_ref(course),
        credits=course.credits,
        section_type=section.section_type.value,
        is_active=section.is_active and course.is_active and section.term.is_active,
        slots=slots_of(section.slots),
        prerequisites=tuple(course_ref(pre) for pre in course.prerequisites),
    )


def held_enrollment(enrollment: Enrollment) -> HeldEnrollment:
    """The rules' view of one of the student's active enrollments."""
    section = enrollment.section
    return HeldEnrollment(
        section_id=section.id,
        course=course_ref(section.course),
        section_type=section.section_type.value,
        credits=section.course.credits,
        status=enrollment.status,
        enrollment_type=enrollment.enrollment_type,
        slots=slots_of(section.slots),
    )


def build(
    session: Session,
    *,
    student: Student,
    section: CourseSection,
    institution: Institution,
    existing: Enrollment | None,
    enrollment_type: EnrollmentType,
    now: datetime,
) -> EnrollmentContext:
    """Everything the rules need, in three queries (held sections, history, and none more)."""
    term = section.term
    held = repository.held_in_term(session, student.id, term.id)
    scale = scale_of(institution.grade_scale)
    passed: set[uuid.UUID] = set()
    taken_before: set[uuid.UUID] = set()
    for section_id, course_id, grade in repository.completed_courses(session, student.id):
        if section_id != section.id:
            taken_before.add(course_id)
        if scale.is_passing(grade):
            passed.add(course_id)
    return EnrollmentContext(
        student_active=student.status is StudentStatus.ACTIVE,
        section=section_facts(section),
        term=TermFacts(
            registration_start=term.registration_start,
            registration_end=term.registration_end,
            min_credits=term.min_credits,
            max_credits=term.max_credits,
        ),
        policy=Policy(min_credits=institution.min_credits, max_credits=institution.max_credits),
        now=now,
        enrollment_type=enrollment_type,
        existing_status=existing.status if existing is not None else None,
        held=tuple(held_enrollment(row) for row in held),
        passed_course_ids=frozenset(passed),
        taken_before_course_ids=frozenset(taken_before),
    )
