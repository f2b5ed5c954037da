"""Seed 002's semester-registration endpoints (JWT; registering and dropping need a STUDENT).

No tenant header is needed: the token names the institution (clients log in against
REGISTRAR_DEFAULT_TENANT). Register answers 201 Created with the place taken.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.deps import CurrentPrincipal, CurrentStudentUser, ReadSessionDep, SessionDep
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
def list_semesters(principal: CurrentPrincipal, session: ReadSessionDep) -> list[SemesterRead]:
    """Every semester with its registration window."""
    return service.list_semesters(session, principal)


@router.get("/semesters/{semester_id}", response_model=SemesterRead)
def get_semester(
    semester_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSessionDep
) -> SemesterRead:
    """One semester."""
    return service.get_semester(session, principal, semester_id)


@router.get("/semesters/{semester_id}/courses", response_model=list[OfferingRead])
def semester_courses(
    semester_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSessionDep
) -> list[OfferingRead]:
    """The courses offered in a semester, with seats and reserve-list counts."""
    return service.semester_courses(session, principal, semester_id)


@router.get("/courses/{course_id}", response_model=OfferingRead)
def get_course(
    course_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSessionDep
) -> OfferingRead:
    """One offered course."""
    return service.get_course(session, principal, course_id)


@router.get("/semesters/{semester_id}/my-courses", response_model=list[MyCourseRead])
def my_courses(
    semester_id: uuid.UUID, principal: CurrentStudentUser, session: ReadSessionDep
) -> list[MyCourseRead]:
    """The student's ENROLLED and RESERVED courses in a semester."""
    return service.my_courses(session, principal, semester_id)


@router.post(
    "/courses/{course_id}/register",
    response_model=RegisterResponse,
    status_code=status.HTTP_201_CREATED,
)
def register(
    course_id: uuid.UUID, principal: CurrentStudentUser, session: SessionDep
) -> RegisterResponse:
    """Take a seat, or a place on the reserve list when the course is full (201 either way)."""
    return service.register(session, principal, course_id)


@router.post("/courses/{course_id}/drop", response_model=DropResponse)
def drop(course_id: uuid.UUID, principal: CurrentStudentUser, session: SessionDep) -> DropResponse:
    """Leave a course; the head of its reserve list takes the seat."""
    return service.drop(session, principal, course_id)
