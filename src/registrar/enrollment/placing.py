"""Taking a place in a section and writing the enrollment: the engine's steps after the rules.

`enroll_in_one_trip` is PostgreSQL's fast path (seat, row and audit event in one statement);
`enroll_under_section_lock` is everything else (a waitlist place, a capacity override, a
dropped row brought back, SQLite). Both run after the student's row is locked and the rules
have passed, and both refuse a pair that a writer skipping the student's lock added meanwhile.
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
from registrar.auth.actor import Actor
from registrar.enrollment import one_trip, repository, seats
from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.notices import Recipients, message, tell
from registrar.enrollment.orm_sync import expire_enrollment, expire_section_counters
from registrar.enrollment.outcomes import EnrollmentRecord, EnrollmentRefused
from registrar.enrollment.rules import (
    ALREADY_ENROLLED_MESSAGE,
    RuleCode,
    Violation,
    full_section,
)
from registrar.errors import NotFound
from registrar.kit.columns import utcnow
from registrar.notifications.messages import Message


@dataclass(frozen=True)
class Request:
    """Who enrolls whom, as what, the request's own fields, and the rules it sets aside."""

    institution_id: uuid.UUID
    student_id: uuid.UUID
    actor: Actor
    enrollment_type: EnrollmentType
    notes: str
    overrides: frozenset[RuleCode] = frozenset()
    override_reason: str | None = None
    # A lecture's linked LAB or TUTORIAL sections, taken with it in one transaction.
    linked_section_ids: tuple[uuid.UUID, ...] = ()
    # Whether the student is told by mail (the K-12 process sends one summary of its own).
    tell: bool = True
    # The batch course that asks for this place (None: the student's own, or a registrar's).
    batch_course_id: uuid.UUID | None = None

    def reason_if(self, overridden: Sequence[RuleCode]) -> str | None:
        """The override's reason, for an audit event only when a rule was in fact set aside."""
        return self.override_reason if overridden else None


@dataclass(frozen=True)
class Place:
    """A seat or a waitlist position; a capacity override's (from, to), when it raised one."""

    status: EnrollmentStatus
    position: int | None
    capacity_raised: tuple[int, int] | None = None


def enroll_in_one_trip(
    connection: Connection,
    asked: Request,
    section: CatalogSection,
    overridden: list[RuleCode],
    recipients: Recipients | None,
) -> EnrollmentRecord | None:
    """A free seat, the enrollment, its audit event and the student's notices in one statement
    (PostgreSQL); None when no seat was free, with nothing written."""
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
        batch_course_id=asked.batch_course_id,
        actor_user_id=asked.actor.user_id,
        reason=asked.reason_if(overridden),
        details=enroll_details(enrollment, section, None, asked.actor, overridden, None),
        notices=one_trip.Notices(
            said=_said(enrollment, section, asked),
            to=recipients.addresses() if recipients is not None else [],
        ),
    )
    if not seated:
        return None
    if enrolled_at is None:
        # The pair existed after all (a writer that skipped the student's lock): give the
        # seat back, still holding the section's row, and refuse.
        seats.free_seat(connection, section.id)
        raise EnrollmentRefused(Violation(RuleCode.ALREADY_ENROLLED, ALREADY_ENROLLED_MESSAGE))
    return dataclasses.replace(enrollment, enrolled_at=enrolled_at)


def enroll_under_section_lock(
    session: Session,
    asked: Request,
    section: CatalogSection,
    existing: Any,
    waitlist_refusal: Violation | None,
    overridden: list[RuleCode],
    recipients: Recipients | None,
    *,
    seat_known_taken: bool,
) -> EnrollmentRecord:
    """A place taken under the section's row lock (a seat, a seat above capacity, a waitlist
    place), the student's row written or brought back, and the audit event."""
    connection = session.connection()
    place = take_place(
        connection,
        section.id,
        above_capacity=RuleCode.CAPACITY in asked.overrides,
        seat_known_taken=seat_known_taken,
        waitlist_refusal=waitlist_refusal,
    )
    expire_section_counters(session, section.id)
    # Taken after the seat's row lock: these times order exactly as the commits do.
    placed = Placement(
        place.status,
        place.position,
        utcnow(),
        asked.enrollment_type,
        asked.notes,
        asked.batch_course_id,
    )
    written = write(
        connection, existing, asked.institution_id, asked.student_id, section.id, placed
    )
    if written is None:
        # Only a writer that skipped the student's lock can have added this pair meanwhile;
        # give the place back (the section's row is still locked by us) and refuse.
        give_back(connection, section.id, place.status)
        raise EnrollmentRefused(Violation(RuleCode.ALREADY_ENROLLED, ALREADY_ENROLLED_MESSAGE))
    enrollment = EnrollmentRecord.of(written)
    if existing is not None:
        expire_enrollment(session, enrollment.id)
    if place.capacity_raised is not None:
        overridden = [*overridden, RuleCode.CAPACITY]
    audit.record(
        session,
        institution_id=asked.institution_id,
        actor_user_id=asked.actor.user_id,
        action="enrollment.enroll"
        if place.status is EnrollmentStatus.ENROLLED
        else "enrollment.waitlist",
        entity_type="enrollment",
        entity_id=enrollment.id,
        reason=asked.reason_if(overridden),
        details=enroll_details(enrollment, section, existing, asked.actor, overridden, place),
    )
    if recipients is not None:
        tell(session, asked.institution_id, recipients, _said(enrollment, section, asked))
    return enrollment


def _said(enrollment: EnrollmentRecord, section: CatalogSection, asked: Request) -> Message:
    """The student's notice of their new place: a seat, or a waitlist position."""
    if enrollment.status is EnrollmentStatus.WAITLISTED:
        return message("enrollment.waitlisted", section, position=enrollment.waitlist_position)
    return message("enrollment.enrolled", section, by_staff=asked.actor.is_staff)


def enroll_details(
    enrollment: EnrollmentRecord,
    section: CatalogSection,
    existing: Any,
    actor: Actor,
    overridden: list[RuleCode],
    place: Place | None,
) -> dict[str, object]:
    """What the audit trail keeps of an enrollment the engine wrote."""
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


def take_place(
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


def give_back(connection: Connection, section_id: uuid.UUID, status: EnrollmentStatus) -> None:
    """Undo `take_place` inside the same transaction."""
    if status is EnrollmentStatus.ENROLLED:
        seats.free_seat(connection, section_id)
    else:
        seats.leave_waitlist(connection, section_id)


@dataclass(frozen=True)
class Placement:
    """Where `take_place` put the student, and the request's own fields."""

    status: EnrollmentStatus
    position: int | None
    at: datetime
    enrollment_type: EnrollmentType
    notes: str
    batch_course_id: uuid.UUID | None = None


def write(
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
        # A row brought back belongs to whoever asks now: a batch's place retaken by the
        # student alone is the student's own.
        "batch_course_id": placed.batch_course_id,
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
