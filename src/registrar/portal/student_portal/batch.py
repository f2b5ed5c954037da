"""`GET .../batch/`: every course assigned to the student's batch, and where the student stands."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registrar.auth.actor import student_id_of
from registrar.auth.principal import Principal
from registrar.enrollment.models import AssignmentType, EnrollmentStatus
from registrar.kit.core import AnyRow
from registrar.kit.ttl import TtlCache
from registrar.portal.student_portal import batch_repository, calendar, shapes
from registrar.portal.student_portal.rows import grouped
from registrar.portal.student_portal.schemas import (
    AcademicContext,
    BatchCourseShape,
    BatchCoursesResponse,
    BatchEnrollmentShape,
    BatchInfo,
    BatchSummary,
)
from registrar.portal.student_portal.service import student_of, with_batch

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


BatchCounts = TtlCache[tuple[int, int]]


def batch_courses(
    session: Session, principal: Principal, counts: BatchCounts
) -> BatchCoursesResponse:
    """The batch's ACTIVE course assignments, the student's status in each, and batch totals
    (these from `counts` when a worker worked them out a moment ago)."""
    institution_id = principal.institution.id
    rows = batch_repository.assigned_rows(session, institution_id, student_id_of(principal))
    batch = with_batch(student_of(rows))
    key = (institution_id, batch.batch_id)
    total_students, enrolled_students = counts.get(key) or counts.put(
        key, batch_repository.batch_counts(session, institution_id, batch.batch_id)
    )
    assigned = list(grouped(rows, "batch_course_id").values())
    listed: list[BatchCourseShape] = []
    for enrollments in assigned:
        bc = enrollments[0]
        found = [
            row.my_status
            for row in enrollments
            if row.my_status is not None
            and calendar.term_fits_semester(row.my_term_kind, bc.offer_semester)
        ]
        listed.append(_shape(bc, batch.batch_section, _status_shown(found)))
    mandatory = sum(1 for g in assigned if g[0].assignment_type is AssignmentType.MANDATORY)
    enrolled = sum(1 for item in listed if item.student_enrollment_status in _COUNTED_AS_ENROLLED)
    return BatchCoursesResponse(
        batch_courses=listed,
        batch_info=BatchInfo(
            batch_code=batch.batch_code,
            batch_name=batch.batch_name,
            department=batch.batch_department,
            academic_program=batch.batch_program,
            total_students=total_students,
            enrolled_students=enrolled_students,
        ),
        summary=BatchSummary(
            total_batch_courses=len(assigned),
            mandatory_courses=mandatory,
            elective_courses=len(assigned) - mandatory,
            total_credits=sum(g[0].course_credits for g in assigned),
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


def _shape(bc: AnyRow, section_letter: str | None, status: str) -> BatchCourseShape:
    """One batch course in the seed's shape, from its row of `assigned_rows`."""
    return BatchCourseShape(
        batch_enrollment=BatchEnrollmentShape(
            id=bc.batch_course_id,
            enrollment_date=bc.enrollment_date,
            status=bc.offer_status,
            auto_enroll_new_students=bc.auto_enroll_new_students,
            notes=bc.notes,
        ),
        course=shapes.course_brief(bc),
        course_section=shapes.section_seats(bc) if bc.own_section_id is not None else None,
        academic_context=AcademicContext(
            academic_year=bc.offer_year_code,
            semester=str(bc.offer_semester),
            year_of_study=str(calendar.year_of_study_for_semester(bc.offer_semester)),
            section=section_letter,
        ),
        student_enrollment_status=status,
    )
