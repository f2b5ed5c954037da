"""The student portal's reads: the student's enrolled, available and batch courses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from registrar.auth.actor import student_id_of
from registrar.auth.principal import Principal
from registrar.enrollment.models import EnrollmentStatus
from registrar.errors import NotFound, RegistrarError
from registrar.institutions.grading import scale_of
from registrar.kit.columns import utcnow
from registrar.kit.core import AnyRow
from registrar.portal.student_portal import calendar, repository, shapes
from registrar.portal.student_portal.calendar import Cohort
from registrar.portal.student_portal.rows import counts_in_record, grouped, record_row
from registrar.portal.student_portal.schemas import (
    AcademicContext,
    EnrolledCourse,
    EnrolledCoursesResponse,
    EnrollmentDetails,
    EnrollmentSummary,
)
from registrar.records import repository as record_repository
from registrar.records import service as records
from registrar.records.models import RecordRow
from registrar.students.models import Student


class NoBatch(RegistrarError):
    status_code = 400
    code = "no_batch"


def current_student(session: Session, principal: Principal) -> Student:
    """The student behind the login (`student_id_of`), read for the enroll and drop answers."""
    student = repository.own_student(session, principal.institution.id, student_id_of(principal))
    if student is None:
        raise NotFound("Student not found")
    return student


def student_of(rows: Sequence[AnyRow]) -> AnyRow:
    """The student's batch columns, which every row of a read repeats; 404 when no row came
    (the student is gone since the login was read)."""
    if not rows:
        raise NotFound("Student not found")
    return rows[0]


def with_batch(student: AnyRow) -> AnyRow:
    """The student's row, which has a batch; the seed's 400 when they have none."""
    if student.batch_id is None:
        raise NoBatch("No batch assigned to student")
    return student


def cohort_of(student: AnyRow) -> Cohort:
    """The student's own cohort: their batch's, or their record's when they have no batch."""
    if student.batch_id is not None:
        return Cohort(student.batch_year_of_study, student.batch_year_start, student.batch_section)
    return Cohort(
        student.student_year_of_study, student.student_year_start, student.student_section
    )


# How far back a waiting student is told how many seats went to the waitlist.
WAITLIST_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class EnrolledFilters:
    """Query parameters of `GET .../enrolled/`."""

    academic_year: str | None = None
    semester: int | None = None
    status: EnrollmentStatus = EnrollmentStatus.ENROLLED
    include_grades: bool = True
    include_schedule: bool = True


def enrolled_courses(
    session: Session, principal: Principal, filters: EnrolledFilters
) -> EnrolledCoursesResponse:
    """The student's enrollments in a status, with their summary and academic info."""
    student_id = student_id_of(principal)
    rows = repository.enrolled_rows(
        session,
        principal.institution.id,
        student_id,
        filters.status,
        since=utcnow() - WAITLIST_WINDOW,
    )
    student = student_of(rows)
    own = cohort_of(student)
    enrollments = grouped(rows, "enrollment_id")
    listed: list[EnrolledCourse] = []
    record: list[RecordRow] = []
    for meetings in enrollments.values():
        row = meetings[0]
        if row.status != filters.status:
            continue
        if filters.academic_year is not None and row.term_year_code != filters.academic_year:
            continue
        when = _when(row, own)
        if filters.semester is not None and when.semester != filters.semester:
            continue
        listed.append(_enrolled_course(meetings, when, filters))
        if counts_in_record(row):
            record.append(record_row(row))
    institution = principal.institution
    # The GPA is cumulative: every completed course counts, whatever the filters list.
    completed = (
        record_repository.completed_rows(session, institution.id, student_id)
        if filters.include_grades
        else []
    )
    totals = records.summarize(
        record,
        completed,
        scale_of(institution.grade_scale),
        best=institution.allow_grade_improvement,
    )
    return EnrolledCoursesResponse(
        enrolled_courses=listed,
        summary=EnrollmentSummary(
            total_courses=totals.total_courses,
            total_credits=totals.total_credits,
            enrolled_credits=totals.enrolled_credits,
            completed_courses=totals.completed_courses,
            current_gpa=shapes.as_float(totals.current_gpa),
            attendance_average=shapes.as_float(totals.attendance_average),
        ),
        academic_info=shapes.academic_info(student),
    )


@dataclass(frozen=True)
class When:
    """Where in a course of study an enrollment falls: the cohort, its year and semester."""

    cohort: Cohort
    year_of_study: int | None
    semester: int | None


def _when(row: AnyRow, own: Cohort) -> When:
    """The enrollment's place in the course of study: by its section's batch when the section
    belongs to one, else by the student's own cohort."""
    cohort = own
    if row.section_batch_year_of_study is not None or row.section_batch_section is not None:
        cohort = Cohort(
            row.section_batch_year_of_study,
            row.section_batch_year_start,
            row.section_batch_section,
        )
    year_of_study = calendar.year_of_study_in(cohort, row.term_year_start)
    return When(cohort, year_of_study, calendar.semester_number(year_of_study, row.term_kind))


def _enrolled_course(
    meetings: Sequence[AnyRow], when: When, filters: EnrolledFilters
) -> EnrolledCourse:
    """One listed enrollment in the seed's shape (`meetings`: its rows, one per meeting)."""
    row = meetings[0]
    grades = filters.include_grades
    return EnrolledCourse(
        enrollment_id=row.enrollment_id,
        course=shapes.course_shape(row),
        course_section=shapes.section_shape(row),
        enrollment=EnrollmentDetails(
            enrollment_date=row.enrollment_date,
            status=row.status,
            enrollment_type=row.enrollment_type,
            grade=row.grade if grades else None,
            grade_points=shapes.as_float(row.grade_points) if grades else None,
            attendance_percentage=shapes.as_float(row.attendance_percentage),
            notes=row.notes,
            waitlist_position=row.waitlist_position,
            seats_to_waitlist_last_7_days=row.seats_to_waitlist,
            offer_expires_at=row.offer_expires_at,
        ),
        academic_context=AcademicContext(
            academic_year=row.term_year_code,
            semester=str(when.semester) if when.semester is not None else None,
            year_of_study=str(when.year_of_study) if when.year_of_study is not None else None,
            section=when.cohort.section,
        ),
        timetable=shapes.timetable(meetings) if filters.include_schedule else None,
    )
