"""`POST /api/admin/enrollments` and `POST /api/admin/enrollments/{id}/drop`: a registrar's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from registrar.deps import CurrentRegistrar, IdempotencyDep, SessionDep
from registrar.enrollment import service
from registrar.enrollment.schemas import (
    DryRunAnswer,
    RegistrarDropRequest,
    RegistrarDropResponse,
    RegistrarEnrollRequest,
    RegistrarEnrollResponse,
)

router = APIRouter(prefix="/api/admin/enrollments", tags=["enrollments"])
DryRun = Annotated[
    bool, Query(description="true: run every rule, write nothing, answer each rule's verdict")
]


@router.post(
    "",
    response_model=RegistrarEnrollResponse,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": DryRunAnswer, "description": "With dry_run=true: nothing written"}},
)
def enroll_as_registrar(
    principal: CurrentRegistrar,
    session: SessionDep,
    body: RegistrarEnrollRequest,
    idempotency: IdempotencyDep,
    dry_run: DryRun = False,
) -> RegistrarEnrollResponse | JSONResponse:
    """Enroll a student of the institution through the engine. `overrides` set rules aside
    (only overridable ones, 422 naming any other; `reason` required); the answer lists the
    overrides used, and the audit trail keeps them with the reason and the actor. With
    `dry_run=true`, every rule is run and nothing is written (200)."""
    if dry_run:
        return JSONResponse(jsonable_encoder(service.explain(session, principal, body)))
    return idempotency.once_in(
        session, principal, 201, lambda: service.enroll(session, principal, body)
    )


@router.post("/{enrollment_id}/drop", response_model=RegistrarDropResponse)
def drop_as_registrar(
    principal: CurrentRegistrar,
    session: SessionDep,
    enrollment_id: uuid.UUID,
    body: RegistrarDropRequest,
    idempotency: IdempotencyDep,
) -> RegistrarDropResponse | JSONResponse:
    """Drop an enrollment with a reason; the freed seat goes to the head of the waitlist."""
    return idempotency.once_in(
        session, principal, 200, lambda: service.drop(session, principal, enrollment_id, body)
    )
