"""Queries of `GET .../available/`: the batch's offer, its terms and sections, prerequisites.

Core statements built once (see `repository`). The offer lists every ACTIVE assignment of the
batch; the filters (a year, a semester, a type, a department) are applied to those few dozen rows
by the caller, which keeps one plan, an index walk from the student, for every combination.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import and_, bindparam, join, or_, select
from sqlalchemy.orm import Session, aliased

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Faculty,
    Room,
    Term,
    TimetableSlot,
    course_prerequisites,
)
from registrar.enrollment.models import BatchCourse, Enrollment, EnrollmentStatus
from registrar.kit.core import AnyRow
from registrar.kit.direct import DirectSelect
from registrar.portal.student_portal.repository import (
    ACTIVE_OF_BATCH,
    ASSIGNMENT,
    COURSE,
    DEPARTMENT,
    LINK,
    MEETING,
    OFFER_YEAR,
    SECTION,
    student_and_batch,
)
from registrar.records.repository import RECORD_ORDER

# A section's waitlist, which the eligibility of a full section turns on.
QUEUE = (
    CourseSection.waitlist_limit.label("section_waitlist_limit"),
    CourseSection.waitlisted_count.label("section_waitlisted"),
)
# The lecture a LAB or TUTORIAL section is taken with (NULL for any other section).

_HELD = aliased(Enrollment, name="held")
_HELD_SECTION = aliased(CourseSection, name="held_section")
_ENROLLED_IN_COURSE = (
    select(_HELD.id)
    .join(_HELD_SECTION, _HELD_SECTION.id == _HELD.section_id)
    .where(
        _HELD.institution_id == bindparam("institution_id"),
        _HELD.student_id == bindparam("student_id"),
        _HELD.status == EnrollmentStatus.ENROLLED,
        _HELD_SECTION.course_id == BatchCourse.course_id,
    )
    .correlate(BatchCourse)
    .exists()
)

_OFFERED = (
    student_and_batch(*ASSIGNMENT, *COURSE, *DEPARTMENT, *SECTION, *QUEUE, *LINK, *MEETING)
    .outerjoin(BatchCourse, and_(ACTIVE_OF_BATCH, ~_ENROLLED_IN_COURSE))
    .outerjoin(Course, Course.id == BatchCourse.course_id)
    .outerjoin(Department, Department.id == Course.department_id)
    .outerjoin(OFFER_YEAR, OFFER_YEAR.id == BatchCourse.academic_year_id)
    .outerjoin(CourseSection, CourseSection.id == BatchCourse.section_id)
    .outerjoin(Faculty, Faculty.id == CourseSection.faculty_id)
    .outerjoin(TimetableSlot, TimetableSlot.section_id == CourseSection.id)
    .outerjoin(Room, Room.id == TimetableSlot.room_id)
    .order_by(OFFER_YEAR.start_date, BatchCourse.semester, Course.code, TimetableSlot.start_time)
)
_OFFERED_DIRECT = DirectSelect(_OFFERED)


def offered_rows(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> Sequence[AnyRow]:
    """The student, their batch, and its ACTIVE assignments of courses the student is not
    ENROLLED in, in order, with course, department, own section with its waitlist and lecture,
    teacher (a row per meeting)."""
    params = {"institution_id": institution_id, "student_id": student_id}
    return _OFFERED_DIRECT.all(session.connection(), params)


_TERMS = (
    select(
        Term.id.label("term_id"),
        Term.kind.label("term_kind"),
        Term.start_date.label("term_start"),
        Term.created_at.label("term_created_at"),
        Term.academic_year_id.label("term_year_id"),
        Term.is_active.label("term_is_active"),
        Term.min_credits,
        Term.max_credits,
        Term.registration_end,
        AcademicYear.code.label("term_year_code"),
        CourseSection.course_id.label("section_course_id"),
        *SECTION,
        *QUEUE,
        *LINK,
        *MEETING,
    )
    .select_from(Term)
    .join(AcademicYear, AcademicYear.id == Term.academic_year_id)
    # Keyed by (term, course): the index on both finds them; the rest filters a handful.
    .outerjoin(
        CourseSection,
        and_(
            CourseSection.term_id == Term.id,
            CourseSection.course_id.in_(bindparam("course_ids", expanding=True)),
            CourseSection.institution_id == bindparam("institution_id"),
            CourseSection.is_active.is_(True),
            or_(
                CourseSection.student_batch_id.is_(None),
                CourseSection.student_batch_id == bindparam("batch_id"),
            ),
        ),
    )
    .outerjoin(Faculty, Faculty.id == CourseSection.faculty_id)
    .outerjoin(TimetableSlot, TimetableSlot.section_id == CourseSection.id)
    .outerjoin(Room, Room.id == TimetableSlot.room_id)
    .where(
        Term.institution_id == bindparam("institution_id"),
        or_(
            AcademicYear.code == bindparam("academic_year"),
            Term.academic_year_id.in_(bindparam("year_ids", expanding=True)),
        ),
    )
    .order_by(CourseSection.code, TimetableSlot.start_time)
)
_TERMS_DIRECT = DirectSelect(_TERMS)


def term_rows(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    academic_year: str | None,
    course_ids: Collection[uuid.UUID],
    year_ids: Collection[uuid.UUID],
) -> Sequence[AnyRow]:
    """The terms of `academic_year` (by code) and of `year_ids`, each with the active sections
    of `course_ids` it holds that are open to all or reserved for the batch, with their
    waitlists and lectures, by section code (a row per meeting; one row of NULLs past the term
    when it holds none)."""
    params = {
        "institution_id": institution_id,
        "batch_id": batch_id,
        "academic_year": academic_year,
        "course_ids": list(course_ids),
        "year_ids": list(year_ids),
    }
    return _TERMS_DIRECT.all(session.connection(), params)


_PREREQUISITE = aliased(Course, name="prerequisite")
_ATTEMPTS = join(Enrollment, CourseSection, CourseSection.id == Enrollment.section_id).join(
    Term, Term.id == CourseSection.term_id
)
_PREREQUISITES = (
    select(
        course_prerequisites.c.course_id.label("required_by"),
        _PREREQUISITE.id.label("course_id"),
        _PREREQUISITE.code.label("course_code"),
        _PREREQUISITE.title.label("course_title"),
        _PREREQUISITE.credits.label("course_credits"),
        Enrollment.status,
        Enrollment.enrollment_type,
        Enrollment.grade,
        Enrollment.grade_points,
        Enrollment.attendance_percentage,
        Enrollment.completed_at,
        Term.start_date.label("term_start"),
    )
    .select_from(course_prerequisites)
    .join(_PREREQUISITE, _PREREQUISITE.id == course_prerequisites.c.prerequisite_id)
    .outerjoin(
        _ATTEMPTS,
        and_(
            CourseSection.course_id == _PREREQUISITE.id,
            Enrollment.institution_id == bindparam("institution_id"),
            Enrollment.student_id == bindparam("student_id"),
            Enrollment.status == EnrollmentStatus.COMPLETED,
        ),
    )
    .where(course_prerequisites.c.course_id.in_(bindparam("course_ids", expanding=True)))
    .order_by(*RECORD_ORDER)
)
_PREREQUISITES_DIRECT = DirectSelect(_PREREQUISITES)


def prerequisite_rows(
    session: Session,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    course_ids: Collection[uuid.UUID],
) -> Sequence[AnyRow]:
    """The prerequisites of `course_ids` (`required_by`), each once per COMPLETED attempt of
    the student at it, in the record's order (once, with NULLs, when there is none)."""
    params = {
        "institution_id": institution_id,
        "student_id": student_id,
        "course_ids": list(course_ids),
    }
    return _PREREQUISITES_DIRECT.all(session.connection(), params)
