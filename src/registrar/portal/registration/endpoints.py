"""Seed 002's semester-registration endpoints (JWT; registering and dropping need a STUDENT).

No tenant header is needed: the token names the institution (clients log in against
REGISTRAR_DEFAULT_TENANT). Register answers 200 OK with the place taken, as seed 002's system
does (its clients count any other success status as a failure).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from registrar.deps import (
    CurrentPrincipal,
    CurrentStudentUser,
    IdempotencyDep,
    SectionGatesDep,
    UnitDep,
)
from registrar.enrollment.schemas import DryRunAnswer
from registrar.kit.snapshots import SnapshotCache, respond
from registrar.portal.registration import service
from registrar.portal.registration.schemas import (
    DropResponse,
    MyCourseRead,
    OfferingRead,
    RegisterResponse,
    SemesterRead,
)
from registrar.portal.writing import write_once

router = APIRouter(tags=["semester registration"])


@router.get("/semesters/", response_model=list[SemesterRead])
async def list_semesters(principal: CurrentPrincipal, unit: UnitDep) -> list[SemesterRead]:
    """Every semester with its registration window."""
    return await unit.read(service.list_semesters, principal)


@router.get("/semesters/{semester_id}", response_model=SemesterRead)
async def get_semester(
    semester_id: uuid.UUID, principal: CurrentPrincipal, unit: UnitDep
) -> SemesterRead:
    """One semester."""
    return await unit.read(service.get_semester, principal, semester_id)


@router.get(
    "/semesters/{semester_id}/courses",
    response_model=list[OfferingRead],
    responses={304: {"description": "Not modified: the `If-None-Match` tag is still current"}},
)
async def semester_courses(
    semester_id: uuid.UUID, principal: CurrentPrincipal, unit: UnitDep, request: Request
) -> Response:
    """The courses offered in a semester, with seats and reserve-list counts.

    Every student of the institution gets the same list, so each worker builds it at most once
    per `LIST_CACHE_SECONDS` (counts may be that old; registering always decides on the live
    count). Sent gzipped to clients that accept it, with an `ETag`: a client that sends it back
    in `If-None-Match` gets 304 while the list has not changed.
    """
    cache: SnapshotCache = request.app.state.snapshots
    snapshot = await cache.get(
        ("semester-courses", principal.institution.id, semester_id),
        lambda: unit.read(service.semester_courses_json, principal, semester_id),
    )
    return respond(request, snapshot)


@router.get("/courses/{course_id}", response_model=OfferingRead)
async def get_course(
    course_id: uuid.UUID, principal: CurrentPrincipal, unit: UnitDep
) -> OfferingRead:
    """One offered course."""
    return await unit.read(service.get_course, principal, course_id)


@router.get("/semesters/{semester_id}/my-courses", response_model=list[MyCourseRead])
async def my_courses(
    semester_id: uuid.UUID, principal: CurrentStudentUser, unit: UnitDep
) -> list[MyCourseRead]:
    """The student's ENROLLED and RESERVED courses in a semester."""
    return await unit.read(service.my_courses, principal, semester_id)


@router.post(
    "/courses/{course_id}/register",
    response_model=RegisterResponse | DryRunAnswer,
    status_code=status.HTTP_200_OK,
    responses={
        200: {
            "description": "The place taken; with dry_run=true, what registering would do and "
            "each rule's verdict (nothing written)"
        }
    },
)
async def register(
    course_id: uuid.UUID,
    principal: CurrentStudentUser,
    unit: UnitDep,
    gates: SectionGatesDep,
    idempotency: IdempotencyDep,
    dry_run: Annotated[
        bool, Query(description="true: run every rule, write nothing, answer each rule's verdict")
    ] = False,
) -> RegisterResponse | JSONResponse:
    """Take a seat, or a place on the reserve list when the course is full (200 either way).

    With `dry_run=true`, say what registering would do now and why, rule by rule, writing
    nothing (200; no `Idempotency-Key` needed, none used up)."""
    if dry_run:
        answer = await unit.read(service.explain_register, principal, course_id)
        return JSONResponse(jsonable_encoder(answer))
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(service.register, principal, course_id),
        status_code=status.HTTP_200_OK,
        check=lambda: unit.read(service.check_register, principal, course_id),
        gates=gates,
        section=course_id,
    )


@router.post("/courses/{course_id}/drop", response_model=DropResponse)
async def drop(
    course_id: uuid.UUID,
    principal: CurrentStudentUser,
    unit: UnitDep,
    gates: SectionGatesDep,
    idempotency: IdempotencyDep,
) -> DropResponse | JSONResponse:
    """Leave a course; the head of its reserve list takes the seat."""
    return await write_once(
        unit,
        principal,
        idempotency,
        lambda: unit.write(service.drop, principal, course_id),
        status_code=status.HTTP_200_OK,
        gates=gates,
        section=course_id,
    )
