"""Cancelling a batch course: says what it would drop, and drops it only when confirmed.

Only the enrollments the batch course made are dropped (see
`repository.batch_made_enrollments`), each through the engine so the head of the waitlist gets
the seat; the students' own electives stay.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.service import common
from registrar.auth.actor import actor_of
from registrar.auth.principal import Principal
from registrar.enrollment import engine
from registrar.enrollment.batch_courses import repository as repo
from registrar.enrollment.batch_courses.schemas import (
    CancelRequest,
    CancelResult,
    DropPlanItem,
    batch_course_read,
)
from registrar.enrollment.batch_courses.service import get_batch_course
from registrar.enrollment.engine import EnrollmentNotActive
from registrar.enrollment.models import BatchCourse, BatchCourseStatus
from registrar.errors import Conflict

ENTITY = "batch_course"


def _plan(session: Session, row: BatchCourse) -> list[DropPlanItem]:
    """The active enrollments the batch course made, waitlisted ones first."""
    return [
        DropPlanItem(
            enrollment_id=enrollment.id,
            student_id=enrollment.student_id,
            roll_number=roll,
            section_code=code,
            status=enrollment.status,
        )
        for enrollment, roll, code in repo.batch_made_enrollments(session, row)
    ]


def cancel_batch_course(
    session: Session,
    principal: Principal,
    batch_id: uuid.UUID,
    batch_course_id: uuid.UUID,
    request: CancelRequest,
) -> CancelResult:
    """Without confirm: the enrollments a cancel would drop. With confirm: cancel and drop them."""
    row = get_batch_course(
        session, principal, batch_id, batch_course_id, for_update=request.confirm
    )
    if row.status is BatchCourseStatus.CANCELLED:
        raise Conflict(f"Batch course {row.course.code} is already cancelled")
    plan = _plan(session, row)
    if not request.confirm:
        return CancelResult(
            batch_course=batch_course_read(row),
            confirmed=False,
            would_drop=plan,
            dropped=[],
            promoted=[],
        )
    reason = request.reason or f"Batch course {row.course.code} cancelled"
    dropped, promoted = _drop_all(session, principal, plan, reason)
    before = row.status
    row.status = BatchCourseStatus.CANCELLED
    session.flush()
    common.record(
        session,
        principal,
        ENTITY,
        "cancelled",
        row.id,
        {
            "before": {"status": before.value},
            "after": {"status": row.status.value},
            "reason": reason,
            "dropped_enrollment_ids": [str(item.enrollment_id) for item in dropped],
            "promoted_enrollment_ids": [str(i) for i in promoted],
        },
    )
    return CancelResult(
        batch_course=batch_course_read(get_batch_course(session, principal, batch_id, row.id)),
        confirmed=True,
        would_drop=plan,
        dropped=dropped,
        promoted=promoted,
    )


def _drop_all(
    session: Session, principal: Principal, plan: list[DropPlanItem], reason: str
) -> tuple[list[DropPlanItem], list[uuid.UUID]]:
    """Drop every planned enrollment through the engine: what was dropped, and the enrollments
    promoted from a waitlist into the seats freed."""
    institution_id = common.institution_of(principal)
    actor = actor_of(principal)
    dropped: list[DropPlanItem] = []
    promoted: list[uuid.UUID] = []
    engine.lock_students(session, institution_id, [item.student_id for item in plan])
    for item in plan:
        try:
            # No savepoint: a drop that refuses has changed nothing.
            outcome = engine.drop(
                session,
                institution_id=institution_id,
                enrollment_id=item.enrollment_id,
                actor=actor,
                reason=reason,
            )
        except EnrollmentNotActive:
            continue  # dropped by someone else since the plan was read
        dropped.append(item.model_copy(update={"status": outcome.enrollment.status}))
        if outcome.promoted is not None:
            promoted.append(outcome.promoted.id)
    # A row brought back later by the student's own enrollment is then theirs, not the batch's.
    repo.link(session, [(item.enrollment_id, None) for item in plan])
    return dropped, promoted
