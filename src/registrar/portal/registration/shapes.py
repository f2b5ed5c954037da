"""Turning rows into seed 002's shapes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from registrar.academics.models import CourseSection, Term, TimetableSlot
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.portal.registration.schemas import (
    MyCourseRead,
    OfferingRead,
    RegistrationStatus,
    SemesterRead,
)

NO_SCHEDULE = "TBA"


def schedule(slots: Iterable[TimetableSlot]) -> str:
    """A readable timetable: `MON,WED 09:00-10:30`, groups of equal times joined by `; `."""
    ordered = sorted(slots, key=lambda slot: (slot.day.ordinal, slot.start_time))
    groups: dict[str, list[str]] = {}
    for slot in ordered:
        times = f"{slot.start_time:%H:%M}-{slot.end_time:%H:%M}"
        groups.setdefault(times, []).append(slot.day.value[:3])
    if not groups:
        return NO_SCHEDULE
    return "; ".join(f"{','.join(days)} {times}" for times, days in groups.items())


def registration_status(status: EnrollmentStatus) -> RegistrationStatus:
    """ENROLLED stays ENROLLED; a waitlisted place is RESERVED."""
    if status is EnrollmentStatus.WAITLISTED:
        return RegistrationStatus.RESERVED
    return RegistrationStatus.ENROLLED


def semester(term: Term, now: datetime) -> SemesterRead:
    """A term as seed 002's semester (academic year loaded)."""
    return SemesterRead(
        id=term.id,
        name=term.name,
        registration_start=term.registration_start,
        registration_end=term.registration_end,
        academic_year=term.academic_year.code,
        start_date=term.start_date,
        end_date=term.end_date,
        drop_deadline=term.drop_deadline,
        is_registration_open=term.registration_start <= now <= term.registration_end,
    )


def offering(section: CourseSection) -> OfferingRead:
    """A section as seed 002's course (course, faculty and slots loaded)."""
    return OfferingRead(
        id=section.id,
        semester_id=section.term_id,
        course_name=section.course.title,
        course_code=section.course.code,
        professor=section.faculty.name if section.faculty else None,
        schedule=schedule(section.slots),
        max_capacity=section.capacity,
        reserve_limit=section.waitlist_limit,
        enrolled_count=section.enrolled_count,
        reserved_count=section.waitlisted_count,
        available_seats=max(section.capacity - section.enrolled_count, 0),
        credits=section.course.credits,
    )


def my_course(enrollment: Enrollment) -> MyCourseRead:
    """One of the student's places (section, course, faculty and slots loaded)."""
    section = enrollment.section
    return MyCourseRead(
        course_id=section.id,
        course_name=section.course.title,
        professor=section.faculty.name if section.faculty else None,
        schedule=schedule(section.slots),
        status=registration_status(enrollment.status),
        reserve_position=enrollment.waitlist_position,
    )
