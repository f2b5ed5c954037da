"""The one way into and out of a section: `enroll` and `drop`.

Both run in the caller's transaction and never commit. Locks are always taken in the same
order — the student's row, then the section's row, then enrollment rows — so two requests can
wait for each other but never deadlock.

The engine writes with plain statements on the session's connection and returns plain
records; ORM objects of the rows it changes that the caller may hold are expired, so they are
read again when next used.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth.models import Role
from registrar.enrollment import catalog, context, one_trip, repository, seats
from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.dropping import drop
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.orm_sync import expire_enrollment, expire_section_counters
from registrar.enrollment.outcomes import (
    SYSTEM,
    Actor,
    DropOutcome,
    EnrollmentNotActive,
    EnrollmentRecord,
    EnrollOutcome,
)
from registrar.enrollment.rules import (
    ALREADY_ENROLLED_MESSAGE,
    OVERRIDABLE,
    EnrollmentContext,
    EnrollmentRefused,
    RuleCode,
    Violation,
    evaluate,
    full_section,
    waitlist_allowed,
)
from registrar.errors import Forbidden, NotFound, ValidationFailed
from registrar.kit.columns import utcnow
from registrar.students.models import StudentStatus

__all__ = [
    "SYSTEM",
    "Actor",
    "DropOutcome",
    "EnrollOutcome",
    "EnrollmentNotActive",
    "EnrollmentRecord",
    "EnrollmentRefused",
    "RuleCode",
    "Violation",
    "drop",
    "enroll",
    "lock_students",
    "precheck",
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
    session.flush()
    repository.lock_students(session.connection(), institution_id, student_ids)


def precheck(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    actor: Actor,
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR,
    overrides: frozenset[RuleCode] = frozenset(),
    override_reason: str | None = None,
) -> None:
    """Refuse, from one unlocked read, an enrollment that `enroll` would refuse.

    Most requests in a rush are refused (a clash, a missing prerequisite, a full section). A
    refusal judged on a consistent snapshot is a true answer as of a moment during the request,
    so it needs no lock and no transaction: one statement instead of the four a locked attempt
    costs, and no wait on a hot section's row. Whatever passes here is decided again, under
    lock, by `enroll`; passing here promises nothing.
    """
    _check_overrides(actor, overrides, override_reason)
    connection = session.connection()
    rows = repository.snapshot(connection, institution_id, student_id, section_id)
    if not rows:
        return  # no such student or section: `enroll` says which
    first = rows[0]
    version = first.catalog_version
    section = catalog.section(connection, institution_id, version, section_id)
    institution = catalog.policy(connection, institution_id, version)
    if section is None or institution is None:
        return
    held_rows = [row for row in rows if row.id is not None]
    existing = next((row for row in held_rows if row.section_id == section.id), None)
    active = context.active_in_term(held_rows, section.term_id)
    held = catalog.sections(connection, institution_id, version, (r.section_id for r in active))
    ctx = context.build(
        student_status_active=first.student_status is StudentStatus.ACTIVE,
        section=section,
        institution=institution,
        rows=held_rows,
        held=held,
        existing=existing,
        enrollment_type=enrollment_type,
        requested_by_staff=_by_staff(actor),
        now=utcnow(),
    )
    verdict = evaluate(ctx, overrides)
    if verdict.refusal is not None:
        raise EnrollmentRefused(verdict.refusal)
    if first.enrolled_count < first.capacity or RuleCode.CAPACITY in overrides:
        return
    if first.waitlisted_count >= first.waitlist_limit:
        raise EnrollmentRefused(full_section())
    refusal = _waitlist_refusal(ctx, overrides)
    if refusal is not None:
        raise EnrollmentRefused(refusal)


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
    session.flush()  # the caller's pending changes (a student's new batch) come first
    connection = session.connection()
    # The student's row first: one student's concurrent requests run one after another, so
    # their rule checks (credits, clashes, duplicates) see each other.
    student = repository.lock_student(connection, institution_id, student_id)
    if student is None:
        raise NotFound("Student not found")
    version = student.catalog_version
    section = catalog.section(connection, institution_id, version, section_id)
    if section is None:
        raise NotFound("Course section not found")
    institution = catalog.policy(connection, institution_id, version)
    if institution is None:
        raise NotFound("Institution not found")
    rows = repository.rules_rows(connection, student.id)
    existing = next((row for row in rows if row.section_id == section.id), None)
    active = context.active_in_term(rows, section.term_id)
    held = catalog.sections(connection, institution_id, version, (r.section_id for r in active))
    ctx = context.build(
        student_status_active=student.status is StudentStatus.ACTIVE,
        section=section,
        institution=institution,
        rows=rows,
        held=held,
        existing=existing,
        enrollment_type=enrollment_type,
        requested_by_staff=_by_staff(actor),
        now=utcnow(),
    )
    verdict = evaluate(ctx, overrides)
    if verdict.refusal is not None:
        raise EnrollmentRefused(verdict.refusal)
    overridden = list(verdict.overridden)
    plain = existing is None and RuleCode.CAPACITY not in overrides
    if plain and connection.dialect.name == "postgresql":
        seated = _enroll_in_one_trip(
            connection,
            Request(institution_id, student.id, actor, enrollment_type, notes),
            section,
            overridden,
            override_reason,
        )
        expire_section_counters(session, section.id)
        if seated is not None:
            return EnrollOutcome(seated, section, list(verdict.warnings))
    place = _take_place(
        connection,
        section.id,
        above_capacity=RuleCode.CAPACITY in overrides,
        seat_known_taken=plain and connection.dialect.name == "postgresql",
        waitlist_refusal=_waitlist_refusal(ctx, overrides),
    )
    expire_section_counters(session, section.id)
    # Taken after the seat's row lock: these times order exactly as the commits do.
    placed = Placement(place.status, place.position, utcnow(), enrollment_type, notes)
    written = _write(connection, existing, institution_id, student.id, section.id, placed)
    if written is None:
        # Only a writer that skipped the student's lock can have added this pair meanwhile;
        # give the place back (the section's row is still locked by us) and refuse.
        _give_back(connection, section.id, place.status)
        raise EnrollmentRefused(Violation(RuleCode.ALREADY_ENROLLED, ALREADY_ENROLLED_MESSAGE))
    enrollment = EnrollmentRecord.of(written)
    if existing is not None:
        expire_enrollment(session, enrollment.id)
    if place.capacity_raised is not None:
        overridden.append(RuleCode.CAPACITY)
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action="enrollment.enroll"
        if place.status is EnrollmentStatus.ENROLLED
        else "enrollment.waitlist",
        entity_type="enrollment",
        entity_id=enrollment.id,
        reason=override_reason if overridden else None,
        details=_enroll_details(enrollment, section, existing, actor, overridden, place),
    )
    return EnrollOutcome(enrollment=enrollment, section=section, warnings=list(verdict.warnings))


def _enroll_details(
    enrollment: EnrollmentRecord,
    section: CatalogSection,
    existing: Any,
    actor: Actor,
    overridden: list[RuleCode],
    place: Place | None,
) -> dict[str, object]:
    details: dict[str, object] = {
        "student_id": str(enrollment.student_id),
        "section_id": str(section.id),
        "course_code": section.course.code,
        "status": enrollment.status.value,
        "waitlist_position": enrollment.waitlist_position,
        "enrollment_type": enrollment.enrollment_type.value,
        "reactivated": existing is not None,
        "actor_role": actor.role.value if actor.role else "SYSTEM",
        "overrides": [code.value for code in overridden],
    }
    if place is not None and place.capacity_raised is not None:
        details["capacity_raised"] = {
            "from": place.capacity_raised[0],
            "to": place.capacity_raised[1],
        }
    return details


@dataclass(frozen=True)
class Place:
    """A seat or a waitlist position; a capacity override's (from, to), when it raised one."""

    status: EnrollmentStatus
    position: int | None
    capacity_raised: tuple[int, int] | None = None


@dataclass(frozen=True)
class Request:
    """Who enrolls whom, as what, and the request's own fields."""

    institution_id: uuid.UUID
    student_id: uuid.UUID
    actor: Actor
    enrollment_type: EnrollmentType
    notes: str


def _enroll_in_one_trip(
    connection: Connection,
    asked: Request,
    section: CatalogSection,
    overridden: list[RuleCode],
    override_reason: str | None,
) -> EnrollmentRecord | None:
    """A free seat, the enrollment and its audit event in one statement (PostgreSQL); None
    when no seat was free, with nothing written."""
    today = utcnow().date()
    enrollment = EnrollmentRecord(
        id=uuid.uuid4(),
        institution_id=asked.institution_id,
        student_id=asked.student_id,
        section_id=section.id,
        status=EnrollmentStatus.ENROLLED,
        enrollment_type=asked.enrollment_type,
        enrollment_date=today,
        grade=None,
        grade_points=None,
        attendance_percentage=None,
        waitlist_position=None,
        notes=asked.notes,
        drop_reason=None,
        enrolled_at=None,
        waitlisted_at=None,
        dropped_at=None,
        completed_at=None,
    )
    seated, enrolled_at = one_trip.seat_and_write(
        connection,
        enrollment_id=enrollment.id,
        institution_id=asked.institution_id,
        student_id=asked.student_id,
        section_id=section.id,
        enrollment_type=asked.enrollment_type,
        enrollment_date=today,
        notes=asked.notes,
        actor_user_id=asked.actor.user_id,
        reason=override_reason if overridden else None,
        details=_enroll_details(enrollment, section, None, asked.actor, overridden, None),
    )
    if not seated:
        return None
    if enrolled_at is None:
        # The pair existed after all (a writer that skipped the student's lock): give the
        # seat back, still holding the section's row, and refuse.
        seats.free_seat(connection, section.id)
        raise EnrollmentRefused(Violation(RuleCode.ALREADY_ENROLLED, ALREADY_ENROLLED_MESSAGE))
    return dataclasses.replace(enrollment, enrolled_at=enrolled_at)


def _by_staff(actor: Actor) -> bool:
    """A registrar, an administrator, or the system itself."""
    return actor.user_id is None or actor.role in OVERRIDING_ROLES


def _waitlist_refusal(ctx: EnrollmentContext, overrides: frozenset[RuleCode]) -> Violation | None:
    """Why the student may not queue for this section if it is full (None: they may)."""
    return None if RuleCode.WAITLIST_LIMIT in overrides else waitlist_allowed(ctx)


def _take_place(
    connection: Connection,
    section_id: uuid.UUID,
    *,
    above_capacity: bool,
    seat_known_taken: bool = False,
    waitlist_refusal: Violation | None = None,
) -> Place:
    """A seat, else (with a capacity override) a seat above capacity, else a waitlist place
    (unless `waitlist_refusal` says the student may not queue).

    `seat_known_taken`: the caller's conditional update just found no free seat.
    """
    if not seat_known_taken and seats.take_seat(connection, section_id) is not None:
        return Place(EnrollmentStatus.ENROLLED, None)
    if above_capacity:
        # The override lets the student in above capacity: the same conditional update raises
        # the section's capacity by one, and the audit event records from and to. The row is
        # locked first, so nothing changes between the two reads of its capacity.
        before = seats.lock_section(connection, section_id)
        after = seats.take_seat(connection, section_id, above_capacity=True)
        if before is None or after is None:
            raise NotFound("Course section not found")
        return Place(EnrollmentStatus.ENROLLED, None, (before.capacity, after.capacity))
    if waitlist_refusal is not None:
        raise EnrollmentRefused(waitlist_refusal)
    counters = seats.join_waitlist(connection, section_id)
    if counters is None:
        raise EnrollmentRefused(full_section())
    return Place(EnrollmentStatus.WAITLISTED, counters.waitlisted_count)


def _give_back(connection: Connection, section_id: uuid.UUID, status: EnrollmentStatus) -> None:
    """Undo `_take_place` inside the same transaction."""
    if status is EnrollmentStatus.ENROLLED:
        seats.free_seat(connection, section_id)
    else:
        seats.leave_waitlist(connection, section_id)


@dataclass(frozen=True)
class Placement:
    """Where `_take_place` put the student, and the request's own fields."""

    status: EnrollmentStatus
    position: int | None
    at: datetime
    enrollment_type: EnrollmentType
    notes: str


def _write(
    connection: Connection,
    existing: Any,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    placed: Placement,
) -> Any:
    """A new row, or the DROPPED/WITHDRAWN row brought back to life with fresh timestamps.

    None when a new row could not be written because the pair exists after all.
    """
    enrolled = placed.status is EnrollmentStatus.ENROLLED
    fresh: dict[str, Any] = {
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
            connection,
            {
                "id": uuid.uuid4(),
                "institution_id": institution_id,
                "student_id": student_id,
                "section_id": section_id,
                **fresh,
            },
        )
    return repository.rewrite_enrollment(
        connection,
        existing.id,
        {
            **fresh,
            "dropped_at": None,
            "drop_reason": None,
            "grade": None,
            "grade_points": None,
            "completed_at": None,
        },
    )
