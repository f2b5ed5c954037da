"""`POST /api/v2/enrollment/continuing/process` (seed 004), with the seed's envelope throughout."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from registrar.auth.models import Role
from registrar.auth.principal import Principal
from registrar.db import Database
from registrar.deps import DatabaseDep, IdempotencyDep, require_roles
from registrar.enrollment.continuing import service
from registrar.enrollment.continuing.standing import MISSING_FIELDS
from registrar.errors import RegistrarError, Unauthorized
from registrar.portal.continuing.schemas import (
    ContinuingEnrollmentRequest,
    ContinuingEnrollmentResponse,
    DryRunResponse,
    FailureResponse,
)
from registrar.portal.continuing.shape import dry_run_of, response_of

logger = logging.getLogger("registrar.enrollment.continuing")

SERVER_ERROR = "Failed to process enrollment"


def failure(status_code: int, error: str, details: dict[str, Any] | None = None) -> JSONResponse:
    """The seed's failure envelope; details sit beside `error` and never replace it."""
    extra = {k: v for k, v in (details or {}).items() if k not in ("success", "error")}
    headers = {"WWW-Authenticate": "Bearer"} if status_code == 401 else None
    return JSONResponse(
        status_code=status_code,
        content={"success": False, "error": error, **extra},
        headers=headers,
    )


def _fields(error: RequestValidationError) -> list[str]:
    names = []
    for problem in error.errors():
        location = [str(part) for part in problem.get("loc", ()) if part != "body"]
        names.append(".".join(location) or "body")
    return list(dict.fromkeys(names))


class EnvelopeRoute(APIRoute):
    """A route whose every refusal and failure answers in `{"success": false, "error": ...}`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The normal handler, with this route's own error answers around it."""
        handler = super().get_route_handler()

        async def envelope(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return failure(400, MISSING_FIELDS, {"fields": _fields(error)})
            except RegistrarError as error:
                status = 401 if isinstance(error, Unauthorized) else error.status_code
                return failure(status, error.message, error.body())
            except HTTPException as error:
                if error.status_code >= 500:
                    raise
                return failure(error.status_code, str(error.detail))
            except Exception:
                request_id = getattr(request.state, "request_id", None)
                logger.exception("continuing enrollment failed (request %s)", request_id)
                return failure(500, SERVER_ERROR)

        return envelope


router = APIRouter(
    prefix="/api/v2/enrollment/continuing",
    tags=["k12 enrollment"],
    route_class=EnvelopeRoute,
)

StudentOrRegistrar = Annotated[Principal, Depends(require_roles(Role.STUDENT, Role.REGISTRAR))]


@router.post(
    "/process",
    response_model=ContinuingEnrollmentResponse | DryRunResponse,
    responses={
        200: {
            "description": "The processed enrollment; with dry_run=true, what processing would "
            "do and every rule's verdict (nothing written)"
        },
        400: {"model": FailureResponse},
        401: {"model": FailureResponse},
        403: {"model": FailureResponse},
        404: {"model": FailureResponse},
        500: {"model": FailureResponse},
        # Every other failure (body validation included) answers in the same envelope.
        "default": {"model": FailureResponse},
    },
)
def process_continuing(
    body: ContinuingEnrollmentRequest,
    principal: StudentOrRegistrar,
    database: DatabaseDep,
    idempotency: IdempotencyDep,
    x_tenant_tag: Annotated[str | None, Header()] = None,
    dry_run: Annotated[
        bool,
        Query(
            description="true: run every rule on every subject, write nothing, answer each verdict"
        ),
    ] = False,
) -> ContinuingEnrollmentResponse | JSONResponse:
    """Enroll a continuing K-12 student for a school year (section- or subject-based).

    With `dry_run=true`, every rule is run (the request's and each subject's, the engine's
    included) and nothing is written: 200 with the outcome and every verdict (no
    `Idempotency-Key` needed, none used up). A request the endpoint cannot read (an unknown
    student, subject or school year, a missing field) is answered as without it."""
    if dry_run:
        return _dry_run(database, principal, x_tenant_tag, body)
    # The transaction is opened here rather than by the session dependency: a refusal must be
    # rolled back before this route's error envelope is answered, and the dependency would only
    # see the request end cleanly and commit.
    with database.session(write=True) as session:
        return idempotency.once_in(
            session,
            principal,
            200,
            lambda: response_of(
                service.process(session, principal=principal, tenant_tag=x_tenant_tag, request=body)
            ),
        )


def _dry_run(
    database: Database,
    principal: Principal,
    tenant_tag: str | None,
    body: ContinuingEnrollmentRequest,
) -> JSONResponse:
    with database.session(write=False) as session:
        trial = service.try_out(session, principal=principal, tenant_tag=tenant_tag, request=body)
        answer = dry_run_of(trial)
        session.rollback()  # nothing was written; nothing could be, even by mistake
    return JSONResponse(jsonable_encoder(answer, by_alias=True))
