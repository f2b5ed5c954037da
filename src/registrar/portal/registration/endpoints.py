"""Seed 002's semester-registration endpoints (JWT; registering and dropping need a STUDENT).

No tenant header is needed: the token names the institution (clients log in against
REGISTRAR_DEFAULT_TENANT). Register answers 201 Created with the place taken. Endpoints return
ready responses (see `responses.py`); `response_model` still documents them.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from registrar.deps import CurrentPrincipal, CurrentStudentUser, ReadSessionDep, SessionDep
from registrar.portal.registration import service
from registrar.portal.registration.responses import respond
from registrar.portal.registration.schemas import (
    DropResponse,
    MyCourseRead,
    OfferingRead,
    RegisterResponse,
    SemesterRead,
)

router = APIRouter(tags=["semester registration"])


@router.get("/semesters/", response_model=list[SemesterRead])
def list_semesters(principal: CurrentPrincipal, session: ReadSessionDep) -> JSONResponse:
    """Every semester with its registration window."""
    return respond(service.list_semesters(session, principal))


@router.get("/semesters/{semester_id}", response_model=SemesterRead)
def get_semester(
    semester_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSessionDep
) -> JSONResponse:
    """One semester."""
    return respond(service.get_semester(session, principal, semester_id))


@router.get("/semesters/{semester_id}/courses", response_model=list[OfferingRead])
def semester_courses(
    semester_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSessionDep
) -> JSONResponse:
    """The courses offered in a semester, with seats and reserve-list counts."""
    return respond(service.semester_courses(session, principal, semester_id))


@router.get("/courses/{course_id}", response_model=OfferingRead)
def get_course(
    course_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSessionDep
) -> JSONResponse:
    """One offered course."""
    return respond(service.get_course(session, principal, course_id))


@router.get("/semesters/{semester_id}/my-courses", response_model=list[MyCourseRead])
def my_courses(
    semester_id: uuid.UUID, principal: CurrentStudentUser, session: ReadSessionDep
) -> JSONResponse:
    """The student's ENROLLED and RESERVED courses in a semester."""
    return respond(service.my_courses(session, principal, semester_id))


@router.post(
    "/courses/{course_id}/register",
    response_model=RegisterResponse,
    status_code=status.HTTP_201_CREATED,
)
def register(
    course_id: uuid.UUID, principal: CurrentStudentUser, session: SessionDep
) -> JSONResponse:
    """Take a seat, or a place on the reserve list when the course is full (201 either way)."""
    return respond(service.register(session, principal, course_id), status.HTTP_201_CREATED)


@router.post("/courses/{course_id}/drop", response_model=DropResponse)
def drop(course_id: uuid.UUID, principal: CurrentStudentUser, session: SessionDep) -> JSONResponse:
    """Leave a course; the head of its reserve list takes the seat."""
    return respond(service.drop(session, principal, course_id))
