"""Seed 003: divisions, assignment and statistics under `/api/students/`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from registrar.auth.actor import actor_of
from registrar.deps import CurrentRegistrar, IdempotencyDep, ReadSessionDep, SessionDep
from registrar.enrollment.batch_courses.subscriptions import SUBSCRIPTIONS
from registrar.students import examples
from registrar.students.assignment import service as assignment_service
from registrar.students.divisions import service as divisions
from registrar.students.divisions import statistics
from registrar.students.divisions.schemas import (
    AssignRequest,
    AssignResponse,
    BulkAssignRequest,
    BulkAssignResponse,
    DepartmentDivision,
    DepartmentStatistics,
    DivisionFilters,
    StatisticsFilters,
)

router = APIRouter(prefix="/api/students", tags=["divisions"])


@router.get(
    "/divisions/",
    response_model=dict[str, DepartmentDivision],
    responses={200: {"content": {"application/json": {"example": examples.DIVISIONS}}}},
)
def student_divisions(
    principal: CurrentRegistrar,
    session: ReadSessionDep,
    filters: Annotated[DivisionFilters, Query()],
) -> dict[str, DepartmentDivision]:
    """Students grouped by department, program, academic year, year of study, semester, section.

    Keys are codes (department, program, academic year) and numbers (year of study, semester);
    `UNASSIGNED` stands for a missing value. Only ACTIVE students are counted unless `status`
    says otherwise.

    Built from two queries whatever the size of the institution: one GROUP BY for the counts,
    one for the listed students. Each section's `count` and every `total_students` are the true
    totals, while `students` lists at most `students_per_section` of them (default 50, by roll
    number): page through a larger section with `GET /api/admin/students` and its filters. Send
    `include_students=false` for the counts alone.
    """
    return divisions.divisions(session, principal.institution.id, filters)


@router.post("/assign/", response_model=AssignResponse)
def assign_students(
    principal: CurrentRegistrar,
    session: SessionDep,
    request: AssignRequest,
    idempotency: IdempotencyDep,
) -> AssignResponse | JSONResponse:
    """Assign the listed students to a department, program, academic year, year of study,
    semester and section.

    Fields left out stay as each student has them. Each student ends in the active batch of their
    new placement, created (coded like `CS-2023-2-A`) if there is none; a placement without a
    department, academic year, year of study, semester or section has no batch. Students who
    change batch leave the old batch's courses the new one does not share (each seat to the head
    of its waitlist) and are enrolled in the new one's auto-enroll courses; their own electives
    stay (`reconciliation`, `auto_enrollment`). A student that is unknown, not ACTIVE, or whose
    batch is full is listed in `errors` with a `code` (`unknown_student`, `inactive_student`,
    `batch_full`); the others are assigned. An unknown department, program or academic year
    refuses the whole request (422).

    With `"dry_run": true` the answer has the same shape plus `plan` (each student's move and
    enrollments to drop, add and keep; the batches that would be made), and nothing is written.
    """

    def change() -> AssignResponse:
        return assignment_service.assign_students(
            session, principal.institution.id, actor_of(principal), request, SUBSCRIPTIONS
        )

    if request.dry_run:
        return change()  # writes nothing, so there is nothing to replay
    return idempotency.once_in(session, principal, 200, change)


@router.post("/bulk-assign/", response_model=BulkAssignResponse)
def bulk_assign_students(
    principal: CurrentRegistrar,
    session: SessionDep,
    request: BulkAssignRequest,
    idempotency: IdempotencyDep,
) -> BulkAssignResponse | JSONResponse:
    """Move every ACTIVE student matching `criteria` to `assignment`, in one transaction.

    Criteria left out match everyone; `quota` is the student's category. Fields left out of the
    assignment stay as they are. Each student ends in the active batch of their new placement
    (department, program, academic year, year of study, semester, section), created if there
    is none with a code like `CS-2023-2-A`; if an existing batch would overflow, nobody is moved
    (409). Students who change batch are reconciled as in `assign/` (`reconciliation`,
    `auto_enrollment`). `sample_updated_students` shows the first ten moved, by roll number.

    With `"dry_run": true` the answer has the same shape plus `plan`, and nothing is written.
    """

    def change() -> BulkAssignResponse:
        return assignment_service.bulk_assign(
            session, principal.institution.id, actor_of(principal), request, SUBSCRIPTIONS
        )

    if request.dry_run:
        return change()  # writes nothing, so there is nothing to replay
    return idempotency.once_in(session, principal, 200, change)


@router.get(
    "/division-statistics/",
    response_model=dict[str, DepartmentStatistics],
    responses={200: {"content": {"application/json": {"example": examples.STATISTICS}}}},
)
def division_statistics(
    principal: CurrentRegistrar,
    session: ReadSessionDep,
    filters: Annotated[StatisticsFilters, Query()],
) -> dict[str, DepartmentStatistics]:
    """Head counts of ACTIVE students per department code: by academic year (with sections),
    year of study, semester, gender and quota. One aggregate query."""
    return statistics.division_statistics(session, principal.institution.id, filters)
