"""`/api/admin/students` and `/api/admin/batches`: the registrar's student records."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from registrar.auth.actor import actor_of
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.enrollment import engine
from registrar.enrollment.batch_courses.subscriptions import SUBSCRIPTIONS
from registrar.kit.pagination import Page, PageDep
from registrar.students import batch_service, service
from registrar.students.schemas import (
    BatchCreate,
    BatchFilters,
    BatchRead,
    BatchUpdate,
    StudentCreate,
    StudentFilters,
    StudentRead,
    StudentUpdate,
    StudentWritten,
)

router = APIRouter(prefix="/api/admin")


@router.get("/students", response_model=Page[StudentRead], tags=["students"])
def list_students(
    principal: CurrentRegistrar,
    session: ReadSessionDep,
    filters: Annotated[StudentFilters, Query()],
    page: PageDep,
) -> Page[StudentRead]:
    """Students of the institution; `search` matches name or roll number, ignoring case."""
    return service.list_students(session, principal.institution.id, filters, page)


@router.post("/students", response_model=StudentWritten, status_code=201, tags=["students"])
def create_student(
    principal: CurrentRegistrar, session: SessionDep, data: StudentCreate
) -> StudentWritten:
    """Create a student; with `password`, also their STUDENT login (username = roll number).

    With `student_batch_id` the student takes the batch's placement; placement fields sent with
    it must agree with the batch (else 422). A full batch is 409, a reused roll number 409.
    An ACTIVE student who joins a batch is enrolled in its auto-enroll courses
    (`auto_enrollment` says what happened per course).
    """
    return service.create_student(
        session, principal.institution.id, actor_of(principal), data, SUBSCRIPTIONS
    )


@router.get("/students/{student_id}", response_model=StudentRead, tags=["students"])
def read_student(
    principal: CurrentRegistrar, session: ReadSessionDep, student_id: uuid.UUID
) -> StudentRead:
    """One student of the institution."""
    return service.to_read(service.get_student(session, principal.institution.id, student_id))


@router.patch("/students/{student_id}", response_model=StudentWritten, tags=["students"])
def update_student(
    principal: CurrentRegistrar, session: SessionDep, student_id: uuid.UUID, data: StudentUpdate
) -> StudentWritten:
    """Change the fields sent. Moving a student in a batch needs `student_batch_id` too; one
    who changes batch leaves the old batch's courses the new one does not share (each seat to
    the head of its waitlist) and is enrolled in the new one's auto-enroll courses, their own
    electives kept (see `reconciliation` and `auto_enrollment`)."""
    return service.update_student(
        session,
        principal.institution.id,
        actor_of(principal),
        student_id,
        data,
        SUBSCRIPTIONS,
    )


@router.delete("/students/{student_id}", response_model=StudentRead, tags=["students"])
def deactivate_student(
    principal: CurrentRegistrar, session: SessionDep, student_id: uuid.UUID
) -> StudentRead:
    """Deactivate a student (status INACTIVE): their login stops working, and the seats and
    waitlist places they hold go to the heads of the waitlists; nothing is deleted."""
    return service.deactivate_student(
        session, principal.institution.id, actor_of(principal), student_id, engine.release_places
    )


@router.get("/batches", response_model=Page[BatchRead], tags=["batches"])
def list_batches(
    principal: CurrentRegistrar,
    session: ReadSessionDep,
    filters: Annotated[BatchFilters, Query()],
    page: PageDep,
) -> Page[BatchRead]:
    """Batches of the institution with their active head counts; `search` matches code or name."""
    return batch_service.list_batches(session, principal.institution.id, filters, page)


@router.post("/batches", response_model=BatchRead, status_code=201, tags=["batches"])
def create_batch(principal: CurrentRegistrar, session: SessionDep, data: BatchCreate) -> BatchRead:
    """Create a batch; a reused code is 409."""
    return batch_service.create_batch(session, principal.institution.id, principal.user.id, data)


@router.get("/batches/{batch_id}", response_model=BatchRead, tags=["batches"])
def read_batch(
    principal: CurrentRegistrar, session: ReadSessionDep, batch_id: uuid.UUID
) -> BatchRead:
    """One batch of the institution."""
    return batch_service.read_batch(session, principal.institution.id, batch_id)


@router.patch("/batches/{batch_id}", response_model=BatchRead, tags=["batches"])
def update_batch(
    principal: CurrentRegistrar, session: SessionDep, batch_id: uuid.UUID, data: BatchUpdate
) -> BatchRead:
    """Change the fields sent; new placement values are copied onto the batch's students."""
    return batch_service.update_batch(
        session, principal.institution.id, principal.user.id, batch_id, data
    )


@router.delete("/batches/{batch_id}", response_model=BatchRead, tags=["batches"])
def deactivate_batch(
    principal: CurrentRegistrar, session: SessionDep, batch_id: uuid.UUID
) -> BatchRead:
    """Deactivate a batch that has no active students (else 409); nothing is deleted."""
    return batch_service.deactivate_batch(
        session, principal.institution.id, principal.user.id, batch_id
    )
