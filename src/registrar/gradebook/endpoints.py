"""/api/sections/{section_id}/...: the gradebook of one section (its faculty or the registrar)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile

from registrar.auth.models import Role
from registrar.auth.principal import Principal
from registrar.deps import ReadSessionDep, SessionDep, require_roles
from registrar.gradebook import completion, csv_upload, roster, service
from registrar.gradebook.marks import MarkInput
from registrar.gradebook.schemas import (
    CompleteRequest,
    CompletionReport,
    GradeIn,
    RosterEntry,
    RosterGradeIn,
    RosterRead,
    RosterUpdated,
    UploadReport,
)
from registrar.kit.pagination import PageDep

router = APIRouter(prefix="/api/sections/{section_id}", tags=["gradebook"])

Grader = Annotated[Principal, Depends(require_roles(Role.FACULTY, Role.REGISTRAR, Role.ADMIN))]

_GRADE_DOC = """
A letter is mapped to grade points by the institution's grade scale (an unknown letter is a 422
listing the scale's letters); a `percent` is mapped to the letter it earns and its points. On a
K-12 percentage scale (an empty grade scale) the grade is the mark itself, 0-100. Attendance is a
percentage 0-100. Only ENROLLED and COMPLETED enrollments take grades (others: 409); changing a
COMPLETED enrollment is for a REGISTRAR only (faculty, admin: 403) and is audited with before
and after.
"""


def _entry(body: GradeIn) -> MarkInput:
    return MarkInput(
        grade=body.grade, percent=body.percent, attendance_percentage=body.attendance_percentage
    )


@router.get("/roster")
def get_roster(
    session: ReadSessionDep, principal: Grader, section_id: uuid.UUID, page: PageDep
) -> RosterRead:
    """The section's ENROLLED and COMPLETED students with their grades and attendance."""
    return roster.roster(session, principal, section_id, page)


@router.put("/grades/{enrollment_id}", description=_GRADE_DOC)
def record_grade(
    session: SessionDep,
    principal: Grader,
    section_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    body: GradeIn,
) -> RosterEntry:
    """Record one student's grade and/or attendance."""
    row = service.record_one(session, principal, section_id, enrollment_id, _entry(body))
    return roster.entry_of(row, service.scale_for(principal))


@router.put("/grades", description=_GRADE_DOC)
def record_roster(
    session: SessionDep, principal: Grader, section_id: uuid.UUID, body: list[RosterGradeIn]
) -> RosterUpdated:
    """Record the whole roster at once: all rows or none (422 lists every bad row's index)."""
    rows = [
        service.RowInput(
            enrollment_id=item.enrollment_id, roll_number=item.roll_number, entry=_entry(item)
        )
        for item in body
    ]
    changed = service.record_roster(session, principal, section_id, rows)
    scale = service.scale_for(principal)
    return RosterUpdated(
        updated_count=len(changed), students=[roster.entry_of(row, scale) for row in changed]
    )


@router.post("/grades/upload")
def upload_grades(
    session: SessionDep,
    principal: Grader,
    section_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="CSV: roll_number,grade,attendance_percentage")],
    dry_run: Annotated[bool, Query(description="Report problems and change nothing")] = False,
) -> UploadReport:
    """Grades from CSV (optional `percent` column); a real run is all-or-nothing (422)."""
    data = file.file.read(csv_upload.MAX_BYTES + 1)
    return csv_upload.upload(session, principal, section_id, data, dry_run=dry_run)


@router.post("/complete")
def complete_term(
    session: SessionDep,
    principal: Grader,
    section_id: uuid.UUID,
    body: CompleteRequest | None = None,
) -> CompletionReport:
    """Complete the term: graded ENROLLED enrollments become COMPLETED, a fail included."""
    allow = body.allow_incomplete if body is not None else False
    return completion.complete(session, principal, section_id, allow_incomplete=allow)
