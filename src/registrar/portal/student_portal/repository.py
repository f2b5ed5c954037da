"""The portal's queries: the reads' shared columns, the enrolled listing, the actions' lookups.

The three reads run plain Core statements, built once with bound parameters, on the session's
connection: loading ORM objects and building statements cost more per request than the
database does. Each read starts from the student (by id) and their batch, so the lookup that
answers 404 or 400 is the same statement as the listing; a student with nothing to list still
gets one row, of NULLs past the batch. A joined collection (a section's meetings) repeats its
parent's columns once per element, and `rows.grouped` folds them back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Faculty,
    Room,
    Term,
    TimetableSlot,
)
from registrar.enrollment.models import (
    BatchCourse,
    BatchCourseStatus,
    Enrollment,
    EnrollmentStatus,
)
from registrar.kit.core import AnyRow, table_of
from registrar.kit.direct import DirectSelect
from registrar.students.models import Student, StudentBatch

# Column groups by the labels `shapes` reads; every statement that feeds a shape selects them.
COURSE = (
    Course.id.label("course_id"),
    Course.code.label("course_code"),
    Course.title.label("course_title"),
    Course.description.label("course_description"),
    Course.credits.label("course_credits"),
    Course.level.label("course_level"),
)
DEPARTMENT = (
    Department.id.label("department_id"),
    Department.name.label("department_name"),
    Department.code.label("department_code"),
)
SECTION = (
    CourseSection.id.label("section_id"),
    CourseSection.section_type,
    CourseSection.capacity.label("section_capacity"),
    CourseSection.enrolled_count.label("section_enrolled"),
    Faculty.id.label("faculty_id"),
    Faculty.name.label("faculty_name"),
    Faculty.email.label("faculty_email"),
)
# The lecture a LAB or TUTORIAL is taken with (None for a lecture).
LINK = (CourseSection.linked_to_section_id.label("section_linked_to"),)
MEETING = (
    TimetableSlot.day.label("meeting_day"),
    TimetableSlot.start_time.label("meeting_start"),
    TimetableSlot.end_time.label("meeting_end"),
    Room.code.label("room_code"),
    Room.building.label("room_building"),
)

_BATCH_DEPARTMENT = aliased(Department, name="batch_department")
_BATCH_YEAR = aliased(AcademicYear, name="batch_year")


def student_and_batch(*columns: Any) -> Select[*tuple[Any, ...]]:
    """The student (`student_id` of `institution_id`) with their batch, its department, program
    and year, and `columns` of whatever the caller joins on."""
    return (
        select(
            StudentBatch.id.label("batch_id"),
            StudentBatch.code.label("batch_code"),
            StudentBatch.name.label("batch_name"),
            _BATCH_DEPARTMENT.name.label("batch_department"),
            AcademicProgram.name.label("batch_program"),
            StudentBatch.year_of_study.label("batch_year_of_study"),
            StudentBatch.section.label("batch_section"),
            StudentBatch.semester.label("batch_semester"),
            _BATCH_YEAR.code.label("batch_year_code"),
            _BATCH_YEAR.start_date.label("batch_year_start"),
            *columns,
        )
        .select_from(Student)
        .outerjoin(StudentBatch, StudentBatch.id == Student.batch_id)
        .outerjoin(_BATCH_DEPARTMENT, _BATCH_DEPARTMENT.id == StudentBatch.department_id)
        .outerjoin(AcademicProgram, AcademicProgram.id == StudentBatch.program_id)
        .outerjoin(_BATCH_YEAR, _BATCH_YEAR.id == StudentBatch.academic_year_id)
        .where(
            Student.id == bindparam("student_id"),
            Student.institution_id == bindparam("institution_id"),
        )
    )


# A batch course and its academic year, for the batch listing and the available courses.
OFFER_YEAR = aliased(AcademicYear, name="offer_year")
ASSIGNMENT = (
    BatchCourse.id.label("batch_course_id"),
    BatchCourse.section_id.label("own_section_id"),
    BatchCourse.academic_year_id.label("offer_year_id"),
    BatchCourse.semester.label("offer_semester"),
    BatchCourse.assignment_type,
    BatchCourse.status.label("offer_status"),
    BatchCourse.auto_enroll_new_students,
    BatchCourse.enrollment_date,
    BatchCourse.notes,
    OFFER_YEAR.code.label("offer_year_code"),
)
# The join condition from the student's batch to its ACTIVE assignments.
ACTIVE_OF_BATCH = and_(
    BatchCourse.batch_id == StudentBatch.id,
    BatchCourse.institution_id == Student.institution_id,
    BatchCourse.status == BatchCourseStatus.ACTIVE,
)

_STUDENT_YEAR = aliased(AcademicYear, name="student_year")
_TERM_YEAR = aliased(AcademicYear, name="term_year")
_SECTION_BATCH = aliased(StudentBatch, name="section_batch")
_SECTION_BATCH_YEAR = aliased(AcademicYear, name="section_batch_year")
_LISTED = bindparam("status", type_=table_of(Enrollment).c.status.type)

# Seats of the row's section that went to its waitlist since `since` (moved in, or offered):
# how fast the list moves, for a student waiting on it. Only read for a waiting row.
_TO_WAITLIST = aliased(Enrollment, name="to_waitlist")
_SEATS_TO_WAITLIST = case(
    (
        Enrollment.status == EnrollmentStatus.WAITLISTED,
        select(func.count())
        .where(
            _TO_WAITLIST.section_id == Enrollment.section_id,
            _TO_WAITLIST.waitlisted_at.is_not(None),
            or_(
                _TO_WAITLIST.enrolled_at >= bindparam("since"),
                _TO_WAITLIST.status == EnrollmentStatus.OFFERED,
            ),
        )
        .scalar_subquery(),
    ),
)

_ENROLLED = (
    student_and_batch(
        Student.year_of_study.label("student_year_of_study"),
        Student.section.label("student_section"),
        _STUDENT_YEAR.start_date.label("student_year_start"),
        Enrollment.id.label("enrollment_id"),
        Enrollment.status,
        Enrollment.enrollment_type,
        Enrollment.enrollment_date,
        Enrollment.grade,
        Enrollment.grade_points,
        Enrollment.attendance_percentage,
        Enrollment.waitlist_position,
        Enrollment.offer_expires_at,
        _SEATS_TO_WAITLIST.label("seats_to_waitlist"),
        Enrollment.notes,
        Enrollment.completed_at,
        Term.kind.label("term_kind"),
        Term.start_date.label("term_start"),
        _TERM_YEAR.code.label("term_year_code"),
        _TERM_YEAR.start_date.label("term_year_start"),
        _SECTION_BATCH.year_of_study.label("section_batch_year_of_study"),
        _SECTION_BATCH.section.label("section_batch_section"),
        _SECTION_BATCH_YEAR.start_date.label("section_batch_year_start"),
        *COURSE,
        *DEPARTMENT,
        *SECTION,
        *LINK,
        *MEETING,
    )
    .outerjoin(_STUDENT_YEAR, _STUDENT_YEAR.id == Student.academic_year_id)
    .outerjoin(
        Enrollment,
        and_(
            Enrollment.student_id == Student.id,
            Enrollment.institution_id == Student.institution_id,
            Enrollment.status == _LISTED,
        ),
    )
    .outerjoin(CourseSection, CourseSection.id == Enrollment.section_id)
    .outerjoin(Course, Course.id == CourseSection.course_id)
    .outerjoin(Department, Department.id == Course.department_id)
    .outerjoin(Faculty, Faculty.id == CourseSection.faculty_id)
    .outerjoin(Term, Term.id == CourseSection.term_id)
    .outerjoin(_TERM_YEAR, _TERM_YEAR.id == Term.academic_year_id)
    .outerjoin(_SECTION_BATCH, _SECTION_BATCH.id == CourseSection.student_batch_id)
    .outerjoin(_SECTION_BATCH_YEAR, _SECTION_BATCH_YEAR.id == _SECTION_BATCH.academic_year_id)
    .outerjoin(TimetableSlot, TimetableSlot.section_id == CourseSection.id)
    .outerjoin(Room, Room.id == TimetableSlot.room_id)
    # Sections of one course in one term: the earlier meeting first, as the listing always did,
    # then the section code, so that sections without meetings keep one order too.
    .order_by(
        _TERM_YEAR.start_date,
        Term.start_date,
        Course.code,
        TimetableSlot.start_time,
        CourseSection.code,
    )
)
_ENROLLED_DIRECT = DirectSelect(_ENROLLED)


def enrolled_rows(
    session: Session,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    status: EnrollmentStatus,
    since: datetime,
) -> Sequence[AnyRow]:
    """The student and batch, with their enrollments in `status`, a row per meeting, in the
    listing's order; none for no student (the record is `records.repository`'s to read).

    Each enrollment row has its section, course, department, teacher, term and year, and the
    cohort of the batch the section is reserved for, if any.
    """
    params = {
        "institution_id": institution_id,
        "student_id": student_id,
        "status": status,
        "since": since,
    }
    return _ENROLLED_DIRECT.all(session.connection(), params)


def own_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> Student | None:
    """The student behind a login (the enroll and drop answers name them)."""
    return session.scalar(
        select(Student).where(Student.institution_id == institution_id, Student.id == student_id)
    )


def section_brief(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID
) -> CourseSection | None:
    """A section with its course and faculty, for the enroll and drop answers."""
    return session.scalar(
        select(CourseSection)
        .where(CourseSection.institution_id == institution_id, CourseSection.id == section_id)
        .options(joinedload(CourseSection.course), joinedload(CourseSection.faculty))
    )
