"""Seed 000's student-portal course endpoints (a STUDENT's token; their own records only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import Field

from registrar.deps import CurrentStudentUser, IdempotencyDep, SectionGatesDep, UnitDep
from registrar.enrollment.models import AssignmentType, EnrollmentStatus
from registrar.enrollment.schemas import DryRunAnswer
from registrar.kit.bounds import OneLine
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
from registrar.portal.writing import write_once

router = APIRouter(prefix="/api/student-portal/courses", tags=["student portal"])

_ENROLLED_DOC = """
The student's enrollments in one status (ENROLLED by default), oldest academic year first.

* `semester` is the student's semester number, not a calendar term. An enrollment's semester
  is worked out from its term: the reference cohort (the section's own batch when the section is
  reserved for one, else the student's batch) is in year of study `Y + (term's year - cohort's
  year)`, and the term is semester `2(Y-1)+1` if it is an ODD/FIRST term, `2(Y-1)+2` if EVEN/SECOND
  (a FULL_YEAR term has none). `academic_context` shows the same numbers.
* `summary` counts the listed enrollments; credits of AUDIT enrollments count as 0, and
  `enrolled_credits` counts only ENROLLED ones. `current_gpa` is the student's cumulative GPA on
  the institution's grade scale: credit-weighted over every COMPLETED, graded, non-audit
  enrollment (the latest attempt of a repeated course), whatever the filters; null when nothing
  is graded yet. `attendance_average` is the mean over listed enrollments that record one, or null.
* `include_grades=false` nulls `grade`, `grade_points` and `current_gpa`;
  `include_schedule=false` leaves `timetable` out.
"""

_AVAILABLE_DOC = """
ACTIVE courses assigned to the student's batch for an academic year and semester (the batch's
own by default), less the courses the student is ENROLLED in. A course's sections are the one its
assignment names, else the course's active sections in the matching term (odd semesters in the
ODD/FIRST term, even in EVEN/SECOND) that are open to all or reserved for this batch.
A prerequisite is COMPLETED when the latest completed attempt passes on the institution's scale;
otherwise PENDING, with that attempt's grade if there is one. `include_prerequisites=false` and
`include_sections=false` leave `prerequisites` and `available_sections` out. The guidelines
come from the matching term (credit limits fall back to the institution's); the deadline is the
date its registration window closes.

Each section carries `eligibility`: what `POST .../enroll/` would do now for this student
(`ENROLLED`, `WAITLISTED` when the section is full and its waitlist open to them, or `REFUSED`)
and, when refused, `reasons`: every rule that refuses, as the enroll's `?dry_run=true` words them
(`rule`, `message`, `details`), the first being the refusal the enroll itself would answer. It is
the dry run's evaluation, for the whole page at once, and true as of the read.
"""

_BATCH_DOC = """
Every ACTIVE course assigned to the student's batch. `student_enrollment_status` is the
student's most current enrollment in that course in the assignment's term: ENROLLED, COMPLETED,
WAITLISTED, PENDING, DROPPED (a WITHDRAWN one shows as DROPPED) or NOT_ENROLLED.
`enrolled_students` counts active students of the batch ENROLLED in at least one course assigned
to the batch, in a term of the assignment's academic year. `elective_courses` counts ELECTIVE
and OPTIONAL assignments; `enrolled_courses` counts ENROLLED or COMPLETED ones and
`pending_enrollments` the rest.
"""

AcademicYearParam = Annotated[
    Annotated[str, Field(max_length=32), OneLine] | None,
    Query(description="Academic year code, e.g. 2024-2025"),
]
SemesterParam = Annotated[
    int | None,
    Query(ge=1, le=12, description="The student's semester number, e.g. 5 (see the docs)"),
]


@router.get("/enrolled/", response_model=EnrolledCoursesResponse, description=_ENROLLED_DOC)
async def enrolled(
    principal: CurrentStudentUser,
    unit: UnitDep,
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
    return await unit.read(service.enrolled_courses, principal, filters)


@router.get("/available/", response_model=AvailableCoursesResponse, description=_AVAILABLE_DOC)
async def available_courses(
    principal: CurrentStudentUser,
    unit: UnitDep,
    academic_year: AcademicYearParam = None,
    semester: SemesterParam = None,
    course_type: AssignmentType | None = None,
    department: Annotated[str, Field(max_length=32), OneLine] | None = None,
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
    return await unit.read(available.available_courses, principal, filters)


@router.get("/batch/", response_model=BatchCoursesResponse, description=_BATCH_DOC)
async def batch_courses(
    principal: CurrentStudentUser, unit: UnitDep, request: Request
) -> BatchCoursesResponse:
    """Every ACTIVE course assigned to the student's batch, and the student's status in each."""
    return await unit.read(batch.batch_courses, principal, request.app.state.batch_counts)


@router.post(
    "/enroll/",
    response_model=EnrollResponse,
    status_code=201,
    responses={200: {"model": DryRunAnswer, "description": "With dry_run=true: nothing written"}},
)
async def enroll(
    request: EnrollRequest,
    principal: CurrentStudentUser,
    unit: UnitDep,
    gates: SectionGatesDep,
    idempotency: IdempotencyDep,
    dry_run: Annotated[
        bool, Query(description="true: run every rule, write nothing, answer each rule's verdict")
    ] = False,
) -> EnrollResponse | JSONResponse:
    """Enroll in a section; a full section with waitlist room waitlists the student. With
    `dry_run=true`, say what would happen and why, rule by rule, writing nothing (200)."""
    if dry_run:
        answer = await unit.read(actions.explain_enroll, principal, request)
        return JSONResponse(jsonable_encoder(answer))
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(actions.enroll, principal, request),
        status_code=201,
        check=lambda: unit.read(actions.check_enroll, principal, request),
        gates=gates,
        section=request.course_section_id,
    )


@router.post("/drop/", response_model=DropResponse)
async def drop(
    request: DropRequest,
    principal: CurrentStudentUser,
    unit: UnitDep,
    gates: SectionGatesDep,
    idempotency: IdempotencyDep,
) -> DropResponse | JSONResponse:
    """Drop one of the student's own enrollments (a withdrawal after the drop deadline)."""
    section = await unit.read(actions.section_of_enrollment, principal, request.enrollment_id)
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(actions.drop, principal, request),
        status_code=200,
        gates=gates,
        section=section,
    )


OfferId = Annotated[uuid.UUID, Path(description="The OFFERED enrollment (the student's own)")]


@router.post("/offers/{enrollment_id}/accept", response_model=EnrollResponse)
async def accept_offer(
    enrollment_id: OfferId,
    principal: CurrentStudentUser,
    unit: UnitDep,
    gates: SectionGatesDep,
    idempotency: IdempotencyDep,
) -> EnrollResponse | JSONResponse:
    """Accept the seat the waitlist offered you (status OFFERED) before `offer_expires_at`;
    after it, 409 `OFFER_EXPIRED`."""
    section = await unit.read(actions.section_of_enrollment, principal, enrollment_id)
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(actions.accept_offer, principal, enrollment_id),
        status_code=200,
        gates=gates,
        section=section,
    )


@router.post("/offers/{enrollment_id}/decline", response_model=DropResponse)
async def decline_offer(
    enrollment_id: OfferId,
    principal: CurrentStudentUser,
    unit: UnitDep,
    gates: SectionGatesDep,
    idempotency: IdempotencyDep,
) -> DropResponse | JSONResponse:
    """Decline the seat the waitlist offered you: it passes to the next student in line."""
    section = await unit.read(actions.section_of_enrollment, principal, enrollment_id)
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(actions.decline_offer, principal, enrollment_id),
        status_code=200,
        gates=gates,
        section=section,
    )
