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

from registrar.auth.actor import STAFF_ROLES
from registrar.auth.actor import SYSTEM as SYSTEM
from registrar.auth.actor import Actor as Actor
from registrar.enrollment import catalog, context, placing, repository
from registrar.enrollment.catalog import CatalogSection, InstitutionPolicy
from registrar.enrollment.dropping import drop, release_places
from registrar.enrollment.judgement import Judgement, Seats, judge
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.notices import Recipients
from registrar.enrollment.offers import accept as accept_offer
from registrar.enrollment.offers import decline as decline_offer
from registrar.enrollment.orm_sync import expire_section_counters
from registrar.enrollment.outcomes import (
    DropOutcome,
    EnrollmentNotActive,
    EnrollmentRecord,
    EnrollmentRefused,
    EnrollOutcome,
)
from registrar.enrollment.placing import Request
from registrar.enrollment.promoting import fill_free_seats
from registrar.enrollment.rules import (
    OVERRIDABLE,
    EnrollmentContext,
    RuleCode,
    Violation,
    evaluate,
    waitlist_allowed,
)
from registrar.errors import Forbidden, NotFound, ValidationFailed
from registrar.holds import repository as holds
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
    "accept_offer",
    "decline_offer",
    "drop",
    "enroll",
    "explain",
    "fill_free_seats",
    "lock_students",
    "precheck",
    "release_places",
]

OVERRIDING_ROLES = STAFF_ROLES


def _checked(asked: Request) -> Request:
    """The request, once its overrides are allowed: only by a registrar (or the system), only
    of overridable rules, with a reason."""
    if not asked.overrides:
        return asked
    actor = asked.actor
    if actor.user_id is not None and actor.role not in OVERRIDING_ROLES:
        raise Forbidden("Only a registrar may override enrollment rules")
    not_allowed = sorted(code.value for code in asked.overrides - OVERRIDABLE)
    if not_allowed:
        raise ValidationFailed("These rules cannot be overridden", details={"rules": not_allowed})
    reason = asked.override_reason
    if not (reason and reason.strip()):
        raise ValidationFailed("An override needs a reason")
    return asked


def _unwritten(
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    actor: Actor,
    enrollment_type: EnrollmentType,
    overrides: frozenset[RuleCode],
    override_reason: str | None,
    linked_section_ids: Sequence[uuid.UUID],
) -> Request:
    """The request as `precheck` and `explain` judge it, checked; it writes nothing, so it
    carries no notes."""
    return _checked(
        Request(
            institution_id,
            student_id,
            actor,
            enrollment_type,
            "",
            overrides,
            override_reason,
            tuple(linked_section_ids),
        )
    )


def lock_students(
    session: Session, institution_id: uuid.UUID, student_ids: Sequence[uuid.UUID]
) -> None:
    """Lock every student a bulk operation will touch, before it takes any section's lock, in
    the one order every writer locks students in (by id: `students.locking`).

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
    linked_section_ids: Sequence[uuid.UUID] = (),
) -> None:
    """Refuse, from one unlocked read, an enrollment that `enroll` would refuse.

    Most requests in a rush are refused (a clash, a missing prerequisite, a full section). A
    refusal judged on a consistent snapshot is a true answer as of a moment during the request,
    so it needs no lock and no transaction: one statement instead of the four a locked attempt
    costs, and no wait on a hot section's row. Whatever passes here is decided again, under
    lock, by `enroll`; passing here promises nothing.
    """
    asked = _unwritten(
        institution_id,
        student_id,
        actor,
        enrollment_type,
        overrides,
        override_reason,
        linked_section_ids,
    )
    explanation = _explained(session, asked, section_id)
    if explanation is None:
        return  # no such student or section: `enroll` says which
    if explanation.refusal is not None:
        raise EnrollmentRefused(explanation.refusal)


def _look(
    session: Session,
    asked: Request,
    section_id: uuid.UUID,
    as_if_holding: Sequence[uuid.UUID] = (),
) -> tuple[Judged, Any] | None:
    """The rules' context and the section's counters from one unlocked read (None when the
    student or the section is not the institution's); `as_if_holding`: sections the student is
    taken to hold a seat in besides their own (a request's earlier parts, for a dry run)."""
    connection = session.connection()
    now = utcnow()
    institution_id = asked.institution_id
    rows = repository.snapshot(connection, institution_id, asked.student_id, section_id, now)
    if not rows:
        return None
    first = rows[0]
    version = first.catalog_version
    section = catalog.section(connection, institution_id, version, section_id)
    institution = catalog.policy(connection, institution_id, version)
    if section is None or institution is None:
        return None
    held_rows = [row for row in rows if row.id is not None]
    standing = Standing(first.student_status is StudentStatus.ACTIVE, first.on_hold, now)
    judged = _judge(connection, asked, version, section, institution, held_rows, standing)
    if as_if_holding:
        judged = _holding_too(connection, asked, version, section.term_id, judged, as_if_holding)
    return judged, first


def _holding_too(
    connection: Connection,
    asked: Request,
    version: int,
    term_id: uuid.UUID,
    judged: Judged,
    section_ids: Sequence[uuid.UUID],
) -> Judged:
    """The context with a seat in each of these sections of the term added to what the
    student holds in it."""
    sections = catalog.sections(connection, asked.institution_id, version, section_ids)
    more = tuple(
        context.held_enrollment(sections[key], EnrollmentStatus.ENROLLED, asked.enrollment_type)
        for key in section_ids
        if key in sections and sections[key].term_id == term_id
    )
    ctx = dataclasses.replace(judged.ctx, held=judged.ctx.held + more)
    return Judged(ctx, judged.existing)


# What `enroll` would do now, and every rule's answer (a dry run: nothing is written).
Explanation = Judgement


def _explained(
    session: Session,
    asked: Request,
    section_id: uuid.UUID,
    as_if_holding: Sequence[uuid.UUID] = (),
) -> Explanation | None:
    """Every rule's answer and the outcome, from one unlocked read (None: no such student or
    section); the capacity and the waitlist are judged after the rules, as `enroll` does."""
    seen = _look(session, asked, section_id, as_if_holding)
    if seen is None:
        return None
    judged, first = seen
    seats = Seats(
        first.capacity, first.enrolled_count, first.waitlist_limit, first.waitlisted_count
    )
    return judge(judged.ctx, seats, asked.overrides)


def explain(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    actor: Actor,
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR,
    overrides: frozenset[RuleCode] = frozenset(),
    override_reason: str | None = None,
    linked_section_ids: Sequence[uuid.UUID] = (),
    as_if_holding: Sequence[uuid.UUID] = (),
) -> Explanation:
    """Run every rule on the request and say what `enroll` would answer, writing nothing.

    From the same unlocked read as `precheck`: a true answer as of now, which a rush may change
    before the real request is sent. With linked sections, the lecture's rules are run (its
    linked choice among them); each linked section's own are run by the real request.
    `as_if_holding`: sections the student is taken to hold a seat in as well, as they would
    once a request that takes several in turn had taken its earlier ones (its clashes, its
    credit load, a course twice)."""
    asked = _unwritten(
        institution_id,
        student_id,
        actor,
        enrollment_type,
        overrides,
        override_reason,
        linked_section_ids,
    )
    explanation = _explained(session, asked, section_id, as_if_holding)
    if explanation is None:
        raise NotFound("Student or course section not found")
    return explanation


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
    linked_section_ids: Sequence[uuid.UUID] = (),
    tell: bool = True,
    batch_course_id: uuid.UUID | None = None,
) -> EnrollOutcome:
    """Enroll a student in a section, or waitlist them when it is full; refuse what rules forbid.

    A lecture asked with `linked_section_ids` (its LAB or TUTORIAL) is taken with them in one
    savepoint: every place or none. Each part takes its own place, a seat when one is free,
    else a waitlist place (the lecture first: the one lock order every writer follows).

    The student (and a school's guardian) is told by mail in the same transaction, unless
    `tell` is False: a caller that sends one summary of many enrollments of its own. A batch
    course's place names it (`batch_course_id`), so a move of batch knows what the batch made."""
    asked = _checked(
        Request(
            institution_id,
            student_id,
            actor,
            enrollment_type,
            notes,
            overrides,
            override_reason,
            tuple(linked_section_ids),
            tell,
            batch_course_id,
        )
    )
    if not asked.linked_section_ids:
        return _enroll(session, asked, section_id)
    with session.begin_nested():
        lecture = _enroll(session, asked, section_id)
        part = dataclasses.replace(asked, linked_section_ids=())
        linked = [_enroll(session, part, linked_id) for linked_id in asked.linked_section_ids]
    return dataclasses.replace(lecture, linked=linked)


def _enroll(session: Session, asked: Request, section_id: uuid.UUID) -> EnrollOutcome:
    """One section's place for the request, in the caller's transaction."""
    overrides = asked.overrides
    session.flush()  # the caller's pending changes (a student's new batch) come first
    connection = session.connection()
    now = utcnow()
    student, section, institution = _lock_parties(connection, asked, section_id, now)
    rows = repository.rules_rows(connection, student.id)
    standing = Standing(student.status is StudentStatus.ACTIVE, student.on_hold, now)
    version = student.catalog_version
    judged = _judge(connection, asked, version, section, institution, rows, standing)
    verdict = evaluate(judged.ctx, overrides)
    if verdict.refusal is not None:
        raise EnrollmentRefused(verdict.refusal)
    warnings = list(verdict.warnings)
    overridden = list(verdict.overridden)
    plain = judged.existing is None and RuleCode.CAPACITY not in overrides
    one_trip_first = plain and connection.dialect.name == "postgresql"
    recipients = Recipients.of(student, school=institution.school) if asked.tell else None
    if one_trip_first:
        seated = placing.enroll_in_one_trip(connection, asked, section, overridden, recipients)
        expire_section_counters(session, section.id)
        if seated is not None:
            return EnrollOutcome(seated, section, warnings, overridden)
    enrollment = placing.enroll_under_section_lock(
        session,
        asked,
        section,
        judged.existing,
        _waitlist_refusal(judged.ctx, overrides),
        overridden,
        recipients,
        seat_known_taken=one_trip_first,
    )
    return EnrollOutcome(enrollment, section, warnings, overridden)


@dataclass(frozen=True)
class Standing:
    """What the student's own row says, read with it: active, on hold, and when it was read."""

    active: bool
    on_hold: bool
    now: datetime


@dataclass(frozen=True)
class Judged:
    """The rules' context, and the student's own row for the section if they have one."""

    ctx: EnrollmentContext
    existing: Any


def _lock_parties(
    connection: Connection, asked: Request, section_id: uuid.UUID, now: datetime
) -> tuple[Any, CatalogSection, InstitutionPolicy]:
    """The student, locked, with the section and the institution's policy as of its stamp."""
    # The student's row first: one student's concurrent requests run one after another, so
    # their rule checks (credits, clashes, duplicates) see each other.
    student = repository.lock_student(connection, asked.institution_id, asked.student_id, now)
    if student is None:
        raise NotFound("Student not found")
    version = student.catalog_version
    section = catalog.section(connection, asked.institution_id, version, section_id)
    if section is None:
        raise NotFound("Course section not found")
    institution = catalog.policy(connection, asked.institution_id, version)
    if institution is None:
        raise NotFound("Institution not found")
    return student, section, institution


def _judge(
    connection: Connection,
    asked: Request,
    version: int,
    section: CatalogSection,
    institution: InstitutionPolicy,
    rows: Sequence[Any],
    standing: Standing,
) -> Judged:
    """The context the rules decide on, from the student's rows and the cached catalog (and,
    only for a student on hold, the holds' types)."""
    existing = next((row for row in rows if row.section_id == section.id), None)
    active = context.active_in_term(rows, section.term_id)
    held = catalog.sections(
        connection, asked.institution_id, version, (r.section_id for r in active)
    )
    hold_types = (
        holds.active_types(connection, asked.student_id, standing.now) if standing.on_hold else ()
    )
    facts = section.facts
    offers_linked = facts.linked_to is None and (facts.requires_linked or asked.linked_section_ids)
    choices = repository.linked_choices(connection, section.id) if offers_linked else ()
    ctx = context.build(
        student_status_active=standing.active,
        hold_types=hold_types,
        section=section,
        institution=institution,
        rows=rows,
        held=held,
        existing=existing,
        enrollment_type=asked.enrollment_type,
        requested_by_staff=asked.actor.is_staff,
        now=standing.now,
        linked_chosen=asked.linked_section_ids,
        linked_choices=choices,
    )
    return Judged(ctx, existing)


def _waitlist_refusal(ctx: EnrollmentContext, overrides: frozenset[RuleCode]) -> Violation | None:
    """Why the student may not queue for this section if it is full (None: they may)."""
    return None if RuleCode.WAITLIST_LIMIT in overrides else waitlist_allowed(ctx)
