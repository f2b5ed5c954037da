"""Holds: placed and released by registrars, seen by their student."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.auth.actor import student_id_of
from registrar.deps import CurrentRegistrar, CurrentStudentUser, ReadSessionDep, SessionDep
from registrar.holds import service
from registrar.holds.schemas import HoldCreate, HoldRead, HoldRelease, StudentHoldRead

router = APIRouter(tags=["holds"])


@router.post(
    "/api/admin/students/{student_id}/holds",
    response_model=HoldRead,
    status_code=status.HTTP_201_CREATED,
)
def place_hold(
    principal: CurrentRegistrar, session: SessionDep, student_id: uuid.UUID, body: HoldCreate
) -> HoldRead:
    """Place a hold (FINANCIAL, ACADEMIC, DISCIPLINARY or ADMINISTRATIVE): until it is released
    or expires, the student cannot register anywhere (dropping stays open)."""
    return service.place(session, principal.institution.id, principal.user.id, student_id, body)


@router.get("/api/admin/students/{student_id}/holds", response_model=list[HoldRead])
def list_holds(
    principal: CurrentRegistrar, session: ReadSessionDep, student_id: uuid.UUID
) -> list[HoldRead]:
    """Every hold of the student, active and released, newest first."""
    return service.list_for_student(session, principal.institution.id, student_id)


@router.post("/api/admin/holds/{hold_id}/release", response_model=HoldRead)
def release_hold(
    principal: CurrentRegistrar, session: SessionDep, hold_id: uuid.UUID, body: HoldRelease
) -> HoldRead:
    """Release a hold, with the reason."""
    return service.release(
        session, principal.institution.id, principal.user.id, hold_id, body.reason
    )


@router.get("/api/student-portal/holds/", response_model=list[StudentHoldRead])
def my_holds(principal: CurrentStudentUser, session: ReadSessionDep) -> list[StudentHoldRead]:
    """The holds that block your registration now (their type; ask the registrar why)."""
    return service.active_for_student(session, principal.institution.id, student_id_of(principal))
