"""The student portal's reads: the student's enrolled, available and batch courses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.auth.principal import Principal
from registrar.enrollment.models import EnrollmentStatus
from registrar.errors import NotFound, RegistrarError
from registrar.institutions.grading import scale_of
from registrar.portal.student_portal import calendar, repository, shapes
from registrar.portal.student_portal.calendar import Cohort
from registrar.portal.student_portal.schemas import (
    AcademicContext,
    EnrolledCourse,
    EnrolledCoursesResponse,
    EnrollmentDetails,
    EnrollmentSummary,
)
from registrar.records import repository as records_repository
from registrar.records import service as records
from registrar.records.models import RecordRow
from registrar.students.models import Student, StudentBatch


class NoBatch(RegistrarError):
    status_code = 400
    code = "no_batch"


def current_student(session: Session, principal: Principal) -> Student:
    """The student linked to the token's user in the token's institution, batch loaded."""
    student = repository.student_of_user(session, principal.institution.id, principal.user.id)
    if student is None:
        raise NotFound("Student not found")
    return student


def batch_of(student: Student) -> StudentBatch:
    """The student's batch (loaded with the student); the seed's 400 when they have none."""
    if student.batch is None:
        raise NoBatch("No batch assigned to student")
    return student.batch


def cohort_of(student: Student) -> Cohort:
    """The student's own cohort: their batch's, or their record's when they have no batch."""
    if student.batch is not None:
        batch = student.batch
        year = batch.academic_year.start_date if batch.academic_year else None
        return Cohort(batch.year_of_study, year, batch.section)
    year = student.academic_year.start_date if student.academic_year else None
    return Cohort(student.year_of_study, year, student.section)


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
    student = current_student(session, principal)
    institution_id = principal.institution.id
    own = cohort_of(student)
    listed: list[EnrolledCourse] = []
    record: list[RecordRow] = []
    for row in repository.enrollments_of(
        session, institution_id, student.id, filters.status, filters.academic_year
    ):
        enrollment, section = row.enrollment, row.enrollment.section
        term = section.term
        cohort = own
        if row.section_batch_year_of_study is not None or row.section_batch_section is not None:
            cohort = Cohort(
                row.section_batch_year_of_study,
                row.section_batch_year_start,
                row.section_batch_section,
            )
        year_of_study = calendar.year_of_study_in(cohort, term.academic_year.start_date)
        semester = calendar.semester_number(year_of_study, term.kind)
        if filters.semester is not None and semester != filters.semester:
            continue
        grades = filters.include_grades
        listed.append(
            EnrolledCourse(
                enrollment_id=enrollment.id,
                course=shapes.course_shape(section.course),
                course_section=shapes.section_shape(section),
                enrollment=EnrollmentDetails(
                    enrollment_date=enrollment.enrollment_date,
                    status=enrollment.status,
                    enrollment_type=enrollment.enrollment_type,
                    grade=enrollment.grade if grades else None,
                    grade_points=shapes.as_float(enrollment.grade_points) if grades else None,
                    attendance_percentage=shapes.as_float(enrollment.attendance_percentage),
                    notes=enrollment.notes,
                ),
                academic_context=AcademicContext(
                    academic_year=term.academic_year.code,
                    semester=str(semester) if semester is not None else None,
                    year_of_study=str(year_of_study) if year_of_study is not None else None,
                    section=cohort.section,
                ),
                timetable=shapes.timetable(section.slots) if filters.include_schedule else None,
            )
        )
        record.append(
            RecordRow(
                course_id=section.course_id,
                credits=section.course.credits,
                status=enrollment.status,
                enrollment_type=enrollment.enrollment_type,
                grade=enrollment.grade,
                grade_points=enrollment.grade_points,
                attendance_percentage=enrollment.attendance_percentage,
                term_start=term.start_date,
                completed_at=enrollment.completed_at,
            )
        )
    # The GPA is cumulative: every completed course counts, whatever the filters list.
    completed = (
        records_repository.completed_rows(session, institution_id, student.id)
        if filters.include_grades
        else []
    )
    totals = records.summarize(record, completed, scale_of(principal.institution.grade_scale))
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
        academic_info=shapes.academic_info(student.batch),
    )
