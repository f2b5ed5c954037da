"""Seed 000's student-portal course endpoints (a STUDENT's token; their own records only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from registrar.deps import CurrentStudentUser, ReadSessionDep, SessionDep
from registrar.enrollment.models import AssignmentType, EnrollmentStatus
from registrar.portal.student_portal import actions, available, batch, service
from registrar.portal.student_portal.schemas import (
    AvailableCoursesResponse,
    BatchCoursesResponse,
    DropRequest,
    DropResponse,
    EnrolledCoursesResponse,
    EnrollRequest,
    EnrollResponse,
)

router = APIRouter(prefix="/api/student-portal/courses", tags=["student portal"])

AcademicYearParam = Annotated[
    str | None, Query(max_length=32, description="Academic year code, e.g. 2024-2025")
]
SemesterParam = Annotated[
    int | None,
    Query(ge=1, le=12, description="The student's semester number, e.g. 5 (see the docs)"),
]


@router.get("/enrolled/", response_model=EnrolledCoursesResponse)
def enrolled(
    principal: CurrentStudentUser,
    session: ReadSessionDep,
    academic_year: AcademicYearParam = None,
    semester: SemesterParam = None,
    status: EnrollmentStatus = EnrollmentStatus.ENROLLED,
    include_grades: bool = True,
    include_schedule: bool = True,
) -> EnrolledCoursesResponse:
    """The student's courses in a status (ENROLLED by default), with summary and batch."""
    filters = service.EnrolledFilters(
        academic_year=academic_year,
        semester=semester,
        status=status,
        include_grades=include_grades,
        include_schedule=include_schedule,
    )
    return service.enrolled_courses(session, principal, filters)


@router.get("/available/", response_model=AvailableCoursesResponse)
def available_courses(
    principal: CurrentStudentUser,
    session: ReadSessionDep,
    academic_year: AcademicYearParam = None,
    semester: SemesterParam = None,
    course_type: AssignmentType | None = None,
    department: Annotated[str | None, Query(max_length=32)] = None,
    include_prerequisites: bool = True,
    include_sections: bool = True,
) -> AvailableCoursesResponse:
    """Courses assigned to the student's batch that they are not enrolled in yet."""
    filters = available.AvailableFilters(
        academic_year=academic_year,
        semester=semester,
        course_type=course_type,
        department=department,
        include_prerequisites=include_prerequisites,
        include_sections=include_sections,
    )
    return available.available_courses(session, principal, filters)


@router.get("/batch/", response_model=BatchCoursesResponse)
def batch_courses(principal: CurrentStudentUser, session: ReadSessionDep) -> BatchCoursesResponse:
    """Every ACTIVE course assigned to the student's batch, and the student's status in each."""
    return batch.batch_courses(session, principal)


@router.post("/enroll/", response_model=EnrollResponse, status_code=201)
def enroll(
    request: EnrollRequest, principal: CurrentStudentUser, session: SessionDep
) -> EnrollResponse:
    """Enroll in a section; a full section with waitlist room waitlists the student."""
    return actions.enroll(session, principal, request)


@router.post("/drop/", response_model=DropResponse)
def drop(request: DropRequest, principal: CurrentStudentUser, session: SessionDep) -> DropResponse:
    """Drop one of the student's own enrollments (a withdrawal after the drop deadline)."""
    return actions.drop(session, principal, request)
