"""Seed 001: `POST` and `GET /students/{student_id}/courses` (a registrar, or the student)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from registrar.deps import CurrentPrincipal, IdempotencyDep, UnitDep
from registrar.portal.registration import student_courses
from registrar.portal.registration.schemas import StudentCourseCreate, StudentCourseRead
from registrar.portal.writing import write_once

router = APIRouter(prefix="/students", tags=["student courses"])


@router.post(
    "/{student_id}/courses",
    response_model=StudentCourseRead,
    status_code=status.HTTP_201_CREATED,
)
async def enroll_student(
    student_id: uuid.UUID,
    body: StudentCourseCreate,
    principal: CurrentPrincipal,
    unit: UnitDep,
    idempotency: IdempotencyDep,
) -> StudentCourseRead | JSONResponse:
    """Enroll the student in a catalog course (its section in the semester open now)."""
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(student_courses.enroll, principal, student_id, body.course_id),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/{student_id}/courses", response_model=list[StudentCourseRead])
async def student_course_list(
    student_id: uuid.UUID, principal: CurrentPrincipal, unit: UnitDep
) -> list[StudentCourseRead]:
    """Every enrollment of the student."""
    return await unit.read(student_courses.list_courses, principal, student_id)
