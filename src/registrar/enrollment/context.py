"""Building the rules' context from the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, TimetableSlot
from registrar.enrollment import cache
from registrar.enrollment.cache import HeldSection, InstitutionPolicy
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.enrollment.repository import RulesRow
from registrar.enrollment.rules import (
    ACTIVE_STATUSES,
    CourseRef,
    EnrollmentContext,
    HeldEnrollment,
    SectionFacts,
    Slot,
    TermFacts,
)
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


def held_enrollment(
    section_id: uuid.UUID,
    held: HeldSection,
    status: EnrollmentStatus,
    enrollment_type: EnrollmentType,
) -> HeldEnrollment:
    """The rules' view of one of the student's active enrollments."""
    return HeldEnrollment(
        section_id=section_id,
        course=held.course,
        section_type=held.section_type,
        credits=held.credits,
        status=status,
        enrollment_type=enrollment_type,
        slots=held.slots,
    )


def build(
    session: Session,
    *,
    student: Student,
    section: CourseSection,
    institution: InstitutionPolicy,
    rows: Sequence[RulesRow],
    existing: Enrollment | None,
    enrollment_type: EnrollmentType,
    now: datetime,
) -> EnrollmentContext:
    """Everything the rules need, from the student's rows (`repository.rules_rows`).

    The sections the student holds are read once per transaction (see `cache.py`).
    """
    term = section.term
    active = [row for row in rows if row.term_id == term.id and row.status in ACTIVE_STATUSES]
    facts = cache.held_sections(session, (row.section_id for row in active))
    passed: set[uuid.UUID] = set()
    taken_before: set[uuid.UUID] = set()
    for row in rows:
        if row.status != EnrollmentStatus.COMPLETED:
            continue
        if row.section_id != section.id:
            taken_before.add(row.course_id)
        if institution.scale.is_passing(row.grade):
            passed.add(row.course_id)
    return EnrollmentContext(
        student_active=student.status is StudentStatus.ACTIVE,
        section=section_facts(section),
        term=TermFacts(
            registration_start=term.registration_start,
            registration_end=term.registration_end,
            min_credits=term.min_credits,
            max_credits=term.max_credits,
        ),
        policy=institution.policy,
        now=now,
        enrollment_type=enrollment_type,
        existing_status=existing.status if existing is not None else None,
        held=tuple(
            held_enrollment(row.section_id, facts[row.section_id], row.status, row.enrollment_type)
            for row in active
        ),
        passed_course_ids=frozenset(passed),
        taken_before_course_ids=frozenset(taken_before),
    )
