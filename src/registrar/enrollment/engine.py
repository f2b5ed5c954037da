"""The one way into and out of a section: `enroll` and `drop`.

Both run in the caller's transaction and never commit. Locks are always taken in the same
order — the student's row, then the section's row, then enrollment rows — so two requests can
wait for each other but never deadlock.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from registrar.academics.models import CourseSection
from registrar.audit import service as audit
from registrar.auth.models import Role
from registrar.enrollment import cache, context, repository, seats
from registrar.enrollment.dropping import drop
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.enrollment.outcomes import (
    SYSTEM,
    Actor,
    DropOutcome,
    EnrollmentNotActive,
    EnrollOutcome,
)
from registrar.enrollment.rules import (
    ALREADY_ENROLLED_MESSAGE,
    OVERRIDABLE,
    EnrollmentRefused,
    RuleCode,
    Violation,
    evaluate,
    full_section,
)
from registrar.errors import Forbidden, NotFound, ValidationFailed
from registrar.kit.columns import utcnow
from registrar.students.models import Student

__all__ = [
    "SYSTEM",
    "Actor",
    "DropOutcome",
    "EnrollOutcome",
    "EnrollmentNotActive",
    "EnrollmentRefused",
    "RuleCode",
    "Violation",
    "drop",
    "enroll",
    "lock_students",
]

OVERRIDING_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})


def _check_overrides(
    actor: Actor, overrides: frozenset[RuleCode], override_reason: str | None
) -> None:
    if not overrides:
        return
    if actor.user_id is not None and actor.role not in OVERRIDING_ROLES:
        raise Forbidden("Only a registrar may override enrollment rules")
    not_allowed = sorted(code.value for code in overrides - OVERRIDABLE)
    if not_allowed:
        raise ValidationFailed("These rules cannot be overridden", details={"rules": not_allowed})
    if not (override_reason and override_reason.strip()):
        raise ValidationFailed("An override needs a reason")


def lock_students(
    session: Session, institution_id: uuid.UUID, student_ids: Sequence[uuid.UUID]
) -> None:
    """Lock every student a bulk operation will touch, before it takes any section's lock.

    Each `enroll` or `drop` locks its student, then the section. A loop of them in one
    transaction would otherwise hold a section while waiting for its next student, whom a
    portal request may hold while waiting for that section: a deadlock.
    """
    repository.lock_students(session, institution_id, student_ids)


def enroll(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    actor: Actor,
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR,
    notes: str = "",
    overrides: frozenset[RuleCode] = frozenset(),
    override_reason: str | None = None,
) -> EnrollOutcome:
    """Enroll a student in a section, or waitlist them when it is full; refuse what rules forbid."""
    _check_overrides(actor, overrides, override_reason)
    # The student's row first: one student's concurrent requests run one after another, so
    # their rule checks (credits, clashes, duplicates) see each other.
    student = repository.lock_student(session, institution_id, student_id)
    if student is None:
        raise NotFound("Student not found")
    # The section and the institution's policy are read once per transaction: a bulk
    # operation enrolls thousands of students into the same sections (see `cache.py`).
    section = cache.section(session, institution_id, section_id)
    if section is None:
        raise NotFound("Course section not found")
    institution = cache.policy(session, institution_id)
    if institution is None:
        raise NotFound("Institution not found")
    rows = repository.rules_rows(session, student.id, section.id, section.term_id)
    # The row itself is read only when there is one to bring back (or refuse).
    existing = (
        repository.find_enrollment(session, student.id, section.id)
        if any(row.section_id == section.id for row in rows)
        else None
    )
    ctx = context.build(
        session,
        student=student,
        section=section,
        institution=institution,
        rows=rows,
        existing=existing,
        enrollment_type=enrollment_type,
        now=utcnow(),
    )
    verdict = evaluate(ctx, overrides)
    if verdict.refusal is not None:
        raise EnrollmentRefused(verdict.refusal)
    overridden = list(verdict.overridden)
    capacity_before = section.capacity
    status, position, capacity_raised = _take_place(
        session, section, above_capacity=RuleCode.CAPACITY in overrides
    )
    # Taken after the seat's row lock: these times order exactly as the commits do.
    at = utcnow()
    placed = Placement(status, position, at, enrollment_type, notes)
    enrollment = _write(session, existing, institution_id, student, section, placed)
    if enrollment is None:
        # Only a writer that skipped the student's lock can have added this pair meanwhile;
        # give the place back (the section's row is still locked by us) and refuse.
        _give_back(session, section, status)
        raise EnrollmentRefused(Violation(RuleCode.ALREADY_ENROLLED, ALREADY_ENROLLED_MESSAGE))
    session.flush()
    if capacity_raised:
        overridden.append(RuleCode.CAPACITY)
    set_committed_value(enrollment, "section", section)
    set_committed_value(enrollment, "student", student)
    details: dict[str, object] = {
        "student_id": str(student.id),
        "section_id": str(section.id),
        "course_code": section.course.code,
        "status": status.value,
        "waitlist_position": position,
        "enrollment_type": enrollment_type.value,
        "reactivated": existing is not None,
        "actor_role": actor.role.value if actor.role else "SYSTEM",
        "overrides": [code.value for code in overridden],
    }
    if capacity_raised:
        details["capacity_raised"] = {"from": capacity_before, "to": section.capacity}
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action="enrollment.enroll"
        if status is EnrollmentStatus.ENROLLED
        else "enrollment.waitlist",
        entity_type="enrollment",
        entity_id=enrollment.id,
        reason=override_reason if overridden else None,
        details=details,
    )
    return EnrollOutcome(enrollment=enrollment, warnings=list(verdict.warnings))


def _take_place(
    session: Session, section: CourseSection, *, above_capacity: bool
) -> tuple[EnrollmentStatus, int | None, bool]:
    """A seat, else (with a capacity override) a seat above capacity, else a waitlist place."""
    if seats.take_seat(session, section.id, section=section) is not None:
        return EnrollmentStatus.ENROLLED, None, False
    if above_capacity:
        # The override lets the student in above capacity: the same conditional update raises
        # the section's capacity by one, and the audit event records from and to.
        seats.take_seat(session, section.id, above_capacity=True, section=section)
        return EnrollmentStatus.ENROLLED, None, True
    counters = seats.join_waitlist(session, section.id, section=section)
    if counters is None:
        raise EnrollmentRefused(full_section())
    return EnrollmentStatus.WAITLISTED, counters.waitlisted_count, False


def _give_back(session: Session, section: CourseSection, status: EnrollmentStatus) -> None:
    """Undo `_take_place` inside the same transaction."""
    if status is EnrollmentStatus.ENROLLED:
        seats.free_seat(session, section.id, section=section)
    else:
        seats.leave_waitlist(session, section.id, section=section)


@dataclass(frozen=True)
class Placement:
    """Where `_take_place` put the student, and the request's own fields."""

    status: EnrollmentStatus
    position: int | None
    at: datetime
    enrollment_type: EnrollmentType
    notes: str


def _write(
    session: Session,
    existing: Enrollment | None,
    institution_id: uuid.UUID,
    student: Student,
    section: CourseSection,
    placed: Placement,
) -> Enrollment | None:
    """A new row, or the DROPPED/WITHDRAWN row brought back to life with fresh timestamps.

    None when a new row could not be written because the pair exists after all.
    """
    enrolled = placed.status is EnrollmentStatus.ENROLLED
    fresh = {
        "status": placed.status,
        "waitlist_position": placed.position,
        "enrollment_type": placed.enrollment_type,
        "notes": placed.notes,
        "enrollment_date": placed.at.date(),
        "enrolled_at": placed.at if enrolled else None,
        "waitlisted_at": None if enrolled else placed.at,
    }
    if existing is None:
        return repository.insert_enrollment(
            session,
            {
                "institution_id": institution_id,
                "student_id": student.id,
                "section_id": section.id,
                **fresh,
            },
        )
    for name, value in fresh.items():
        setattr(existing, name, value)
    existing.dropped_at = None
    existing.drop_reason = None
    existing.grade = None
    existing.grade_points = None
    existing.completed_at = None
    return existing
