"""The audit trail: `GET /api/admin/audit` (and `.csv`) for registrars, a student's history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from registrar.audit import service
from registrar.audit.schemas import TRAIL_CSV_EXAMPLE, AuditFilters, AuditItem
from registrar.auth.actor import student_id_of
from registrar.deps import CurrentRegistrar, CurrentStudentUser, ReadSessionDep
from registrar.kit.csv_export import streamed
from registrar.kit.pagination import Page, PageDep

router = APIRouter(tags=["audit"])
Filters = Annotated[AuditFilters, Query()]


@router.get("/api/admin/audit", response_model=Page[AuditItem])
def read_audit(
    principal: CurrentRegistrar, session: ReadSessionDep, filters: Filters, params: PageDep
) -> Page[AuditItem]:
    """Who did what and when in the institution, newest first: each item's `details` has the
    values before and after, the `reason` and the rule `overrides` where they apply."""
    return service.read_trail(session, principal.institution.id, filters, params)


@router.get(
    "/api/admin/audit.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": TRAIL_CSV_EXAMPLE}}}
    },
)
def export_audit(
    principal: CurrentRegistrar, session: ReadSessionDep, filters: Filters
) -> StreamingResponse:
    """The same filter as a CSV (newest first, at most 100,000 rows)."""
    return streamed(service.trail_csv(session, principal.institution.id, filters))


@router.get("/api/student-portal/history/", response_model=Page[AuditItem])
def my_history(
    principal: CurrentStudentUser, session: ReadSessionDep, params: PageDep
) -> Page[AuditItem]:
    """What happened to your record, enrollments and holds, newest first (a registrar's
    private reasons left out)."""
    return service.history_of_student(
        session, principal.institution.id, student_id_of(principal), params
    )
