"""Seed 002's semester-registration endpoints (JWT; registering and dropping need a STUDENT).

No tenant header is needed: the token names the institution (clients log in against
REGISTRAR_DEFAULT_TENANT). Register answers 201 Created with the place taken.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.deps import CurrentPrincipal, CurrentStudentUser, DbDep
from registrar.portal.registration import service
from registrar.portal.registration.schemas import (
    DropResponse,
    MyCourseRead,
    OfferingRead,
    RegisterResponse,
    SemesterRead,
)

router = APIRouter(tags=["semester registration"])


@router.get("/semesters/", response_model=list[SemesterRead])
async def list_semesters(principal: CurrentPrincipal, db: DbDep) -> list[SemesterRead]:
    """Every semester with its registration window."""
    return await db.run_sync(service.list_semesters, principal)


@router.get("/semesters/{semester_id}", response_model=SemesterRead)
async def get_semester(
    semester_id: uuid.UUID, principal: CurrentPrincipal, db: DbDep
) -> SemesterRead:
    """One semester."""
    return await db.run_sync(service.get_semester, principal, semester_id)


@router.get("/semesters/{semester_id}/courses", response_model=list[OfferingRead])
async def semester_courses(
    semester_id: uuid.UUID, principal: CurrentPrincipal, db: DbDep
) -> list[OfferingRead]:
    """The courses offered in a semester, with seats and reserve-list counts."""
    return await db.run_sync(service.semester_courses, principal, semester_id)


@router.get("/courses/{course_id}", response_model=OfferingRead)
async def get_course(course_id: uuid.UUID, principal: CurrentPrincipal, db: DbDep) -> OfferingRead:
    """One offered course."""
    return await db.run_sync(service.get_course, principal, course_id)


@router.get("/semesters/{semester_id}/my-courses", response_model=list[MyCourseRead])
async def my_courses(
    semester_id: uuid.UUID, principal: CurrentStudentUser, db: DbDep
) -> list[MyCourseRead]:
    """The student's ENROLLED and RESERVED courses in a semester."""
    return await db.run_sync(service.my_courses, principal, semester_id)


@router.post(
    "/courses/{course_id}/register",
    response_model=RegisterResponse,
    status_code=status.HTTP_201_CREATED,
)
async def register(
    course_id: uuid.UUID, principal: CurrentStudentUser, db: DbDep
) -> RegisterResponse:
    """Take a seat, or a place on the reserve list when the course is full (201 either way)."""
    return await db.run_sync(service.register, principal, course_id)


@router.post("/courses/{course_id}/drop", response_model=DropResponse)
async def drop(course_id: uuid.UUID, principal: CurrentStudentUser, db: DbDep) -> DropResponse:
    """Leave a course; the head of its reserve list takes the seat."""
    return await db.run_sync(service.drop, principal, course_id)
