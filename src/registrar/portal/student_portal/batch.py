"""`GET .../batch/`: every course assigned to the student's batch, and where the student stands."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registrar.auth.principal import Principal
from registrar.enrollment.models import AssignmentType, BatchCourse, EnrollmentStatus
from registrar.portal.student_portal import calendar, repository, shapes
from registrar.portal.student_portal.schemas import (
    AcademicContext,
    BatchCourseShape,
    BatchCoursesResponse,
    BatchEnrollmentShape,
    BatchInfo,
    BatchSummary,
)
from registrar.portal.student_portal.service import batch_of, current_student

NOT_ENROLLED = "NOT_ENROLLED"

# When the student has several enrollments for one batch course (a drop, then a new section),
# the most current one speaks for them.
_PRECEDENCE = [
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.PENDING,
    EnrollmentStatus.DROPPED,
    EnrollmentStatus.WITHDRAWN,
]

# A withdrawal is a late drop; the seed knows only DROPPED.
_SHOWN_AS = {EnrollmentStatus.WITHDRAWN: EnrollmentStatus.DROPPED.value}

_COUNTED_AS_ENROLLED = {EnrollmentStatus.ENROLLED.value, EnrollmentStatus.COMPLETED.value}


def batch_courses(session: Session, principal: Principal) -> BatchCoursesResponse:
    """The batch's ACTIVE course assignments, the student's status in each, and batch totals."""
    institution_id = principal.institution.id
    student = current_student(session, principal)
    batch = batch_of(student)
    batch_id = batch.id
    assigned = repository.batch_courses(session, institution_id, batch_id)
    states = repository.course_enrollment_states(
        session, institution_id, student.id, {bc.course_id for bc in assigned}
    )
    listed: list[BatchCourseShape] = []
    for bc in assigned:
        found = [
            status
            for course_id, year_id, kind, status in states
            if course_id == bc.course_id
            and year_id == bc.academic_year_id
            and calendar.term_fits_semester(kind, bc.semester)
        ]
        listed.append(_shape(bc, batch.section, _status_shown(found)))
    total_students, enrolled_students = repository.batch_counts(session, institution_id, batch_id)
    mandatory = sum(1 for bc in assigned if bc.assignment_type is AssignmentType.MANDATORY)
    enrolled = sum(1 for item in listed if item.student_enrollment_status in _COUNTED_AS_ENROLLED)
    return BatchCoursesResponse(
        batch_courses=listed,
        batch_info=BatchInfo(
            batch_code=batch.code,
            batch_name=batch.name,
            department=batch.department.name if batch.department else None,
            academic_program=batch.program.name if batch.program else None,
            total_students=total_students,
            enrolled_students=enrolled_students,
        ),
        summary=BatchSummary(
            total_batch_courses=len(assigned),
            mandatory_courses=mandatory,
            elective_courses=len(assigned) - mandatory,
            total_credits=sum(bc.course.credits for bc in assigned),
            enrolled_courses=enrolled,
            pending_enrollments=len(assigned) - enrolled,
        ),
    )


def _status_shown(found: list[EnrollmentStatus]) -> str:
    """The status the seed shows for a batch course: the most current enrollment, if any."""
    if not found:
        return NOT_ENROLLED
    best = min(found, key=_PRECEDENCE.index)
    return _SHOWN_AS.get(best, best.value)


def _shape(bc: BatchCourse, section_letter: str | None, status: str) -> BatchCourseShape:
    """One batch course in the seed's shape."""
    return BatchCourseShape(
        batch_enrollment=BatchEnrollmentShape(
            id=bc.id,
            enrollment_date=bc.enrollment_date,
            status=bc.status,
            auto_enroll_new_students=bc.auto_enroll_new_students,
            notes=bc.notes,
        ),
        course=shapes.course_brief(bc.course),
        course_section=shapes.section_seats(bc.section) if bc.section else None,
        academic_context=AcademicContext(
            academic_year=bc.academic_year.code,
            semester=str(bc.semester),
            year_of_study=str(calendar.year_of_study_for_semester(bc.semester)),
            section=section_letter,
        ),
        student_enrollment_status=status,
    )
