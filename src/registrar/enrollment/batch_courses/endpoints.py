"""/api/admin/batches/{batch_id}/courses"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from registrar.academics.endpoints.common import page_of
from registrar.deps import CurrentRegistrar, IdempotencyDep, ReadSessionDep, SessionDep
from registrar.enrollment.batch_courses import cancelling as batch_cancel
from registrar.enrollment.batch_courses import service
from registrar.enrollment.batch_courses.schemas import (
    AssignResult,
    BatchCourseCreate,
    BatchCourseRead,
    CancelRequest,
    CancelResult,
    batch_course_read,
)
from registrar.enrollment.models import AssignmentType, BatchCourseStatus
from registrar.kit.bounds import Int32
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/batches/{batch_id}/courses", tags=["batch courses"])


@router.get("")
def list_batch_courses(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    batch_id: uuid.UUID,
    page: PageDep,
    status: BatchCourseStatus | None = None,
    assignment_type: AssignmentType | None = None,
    academic_year_id: uuid.UUID | None = None,
    semester: Int32 | None = None,
) -> Page[BatchCourseRead]:
    """The batch's courses, filtered by status, type, academic year or semester."""
    filters = {
        "status": status,
        "assignment_type": assignment_type,
        "academic_year_id": academic_year_id,
        "semester": semester,
    }
    rows, total = service.list_batch_courses(session, principal, batch_id, page, filters)
    return page_of(rows, total, page, batch_course_read)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AssignResult)
def assign_course(
    session: SessionDep,
    principal: CurrentRegistrar,
    batch_id: uuid.UUID,
    body: BatchCourseCreate,
    idempotency: IdempotencyDep,
) -> AssignResult | JSONResponse:
    """Assign a course; a MANDATORY one enrolls the batch's active students, each reported."""
    return idempotency.once_in(
        session, principal, 201, lambda: service.assign_course(session, principal, batch_id, body)
    )


@router.get("/{batch_course_id}")
def get_batch_course(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    batch_id: uuid.UUID,
    batch_course_id: uuid.UUID,
) -> BatchCourseRead:
    """One course of the batch."""
    return batch_course_read(
        service.get_batch_course(session, principal, batch_id, batch_course_id)
    )


@router.post("/{batch_course_id}/cancel")
def cancel_batch_course(
    session: SessionDep,
    principal: CurrentRegistrar,
    batch_id: uuid.UUID,
    batch_course_id: uuid.UUID,
    body: CancelRequest | None = None,
) -> CancelResult:
    """Say which enrollments a cancel would drop; with `{"confirm": true}`, cancel and drop them."""
    request = body or CancelRequest()
    return batch_cancel.cancel_batch_course(session, principal, batch_id, batch_course_id, request)
