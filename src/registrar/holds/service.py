"""Placing, listing and releasing holds; every change audited."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.errors import Conflict, NotFound, ValidationFailed
from registrar.holds import repository
from registrar.holds.models import Hold
from registrar.holds.schemas import HoldCreate, HoldRead, StudentHoldRead
from registrar.kit.columns import utcnow
from registrar.notifications.messages import render
from registrar.notifications.recipients import Recipients, tell
from registrar.students import repository as students
from registrar.students.models import Student

ENTITY = "hold"


def to_read(hold: Hold, now: datetime) -> HoldRead:
    """A hold as registrars see it."""
    return HoldRead(
        id=hold.id,
        student_id=hold.student_id,
        type=hold.hold_type,
        reason=hold.reason,
        placed_by_user_id=hold.placed_by_user_id,
        placed_at=hold.placed_at,
        expires_at=hold.expires_at,
        active=hold.is_active(now),
        released_at=hold.released_at,
        released_by_user_id=hold.released_by_user_id,
        release_reason=hold.release_reason,
    )


def _student(session: Session, institution_id: uuid.UUID, student_id: uuid.UUID) -> Student:
    found = students.get_student(session, institution_id, student_id)
    if found is None:
        raise NotFound("Student not found", details={"student_id": str(student_id)})
    return found


def _tell(session: Session, hold: Hold, student: Student, placed: bool) -> None:
    """The student's notice, in the same transaction (the registrar's reason stays private)."""
    school = repository.is_school(session, hold.institution_id)
    said = render("hold.placed" if placed else "hold.released", kind=hold.hold_type.value.lower())
    tell(session, hold.institution_id, Recipients.of(student, school=school), said)


def place(
    session: Session,
    institution_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    student_id: uuid.UUID,
    data: HoldCreate,
) -> HoldRead:
    """Place a hold on the institution's student; they are told (by mail, after commit)."""
    student = _student(session, institution_id, student_id)
    now = utcnow()
    if data.expires_at is not None and data.expires_at <= now:
        raise ValidationFailed("expires_at must be in the future", details={"field": "expires_at"})
    hold = Hold(
        institution_id=institution_id,
        student_id=student_id,
        hold_type=data.type,
        reason=data.reason,
        placed_by_user_id=actor_user_id,
        placed_at=now,
        expires_at=data.expires_at,
    )
    session.add(hold)
    session.flush()
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor_user_id,
        action="hold.placed",
        entity_type=ENTITY,
        entity_id=hold.id,
        reason=data.reason,
        details={"student_id": str(student_id), "type": data.type.value},
    )
    _tell(session, hold, student, placed=True)
    return to_read(hold, now)


def list_for_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> list[HoldRead]:
    """Every hold of the student, active and released, newest first."""
    _student(session, institution_id, student_id)
    now = utcnow()
    return [to_read(h, now) for h in repository.of_student(session, institution_id, student_id)]


def release(
    session: Session,
    institution_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    hold_id: uuid.UUID,
    reason: str,
) -> HoldRead:
    """Release a hold that is still in force (409 if it was released already); the student is
    told."""
    hold = repository.get(session, institution_id, hold_id)
    if hold is None:
        raise NotFound("Hold not found", details={"hold_id": str(hold_id)})
    if hold.released_at is not None:
        raise Conflict("This hold was released already", details={"hold_id": str(hold_id)})
    now = utcnow()
    hold.released_at = now
    hold.released_by_user_id = actor_user_id
    hold.release_reason = reason
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor_user_id,
        action="hold.released",
        entity_type=ENTITY,
        entity_id=hold.id,
        reason=reason,
        details={"student_id": str(hold.student_id), "type": hold.hold_type.value},
    )
    student = _student(session, institution_id, hold.student_id)
    _tell(session, hold, student, placed=False)
    return to_read(hold, now)


def active_for_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> list[StudentHoldRead]:
    """The holds that block the student now, as the student sees them."""
    return [
        StudentHoldRead(id=h.id, type=h.hold_type, placed_at=h.placed_at, expires_at=h.expires_at)
        for h in repository.active_of_student(session, institution_id, student_id, utcnow())
    ]
