"""A batch is a subscription: its students hold its courses, and only while they are in it.

A student who moves from one batch to another loses the seats and waitlist places the old
batch's courses gave them in sections the new batch does not share, each through the engine's
`drop`, so the head of each waitlist gets the freed seat; the shared ones stay, now the new
batch's; and the new batch's auto-enroll courses are enrolled through the engine. A place is
the batch's when it is linked to the batch course that made it (`Enrollment.batch_course_id`),
or, for a place from before that link existed (or loaded without one, as the demo's are), when
it is in the section of one of the old batch's MANDATORY courses. The student's own electives
are never touched.

`plan` reads and writes nothing; `carry_out` does what a plan says, so a dry run and the real
move answer from the same plan.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth.actor import Actor
from registrar.enrollment import engine
from registrar.enrollment.batch_courses import repository as repo
from registrar.enrollment.batch_courses.service import enroll_one
from registrar.enrollment.engine import EnrollmentNotActive
from registrar.enrollment.models import AssignmentType, EnrollmentStatus
from registrar.students.assignment.repository import batch_codes
from registrar.students.joining import BatchMove
from registrar.students.schemas import (
    DroppedPlace,
    EnrollmentPlan,
    Outcome,
    PlannedAdd,
    PlannedDrop,
    PlannedKeep,
    Reconciled,
    StudentOutcome,
)

AUDIT_ACTION = "student.enrollments_reconciled"


@dataclass(frozen=True)
class Target:
    """A section a batch's course puts its students in (None: no active section is offered)."""

    batch_course_id: uuid.UUID
    course_code: str
    section_id: uuid.UUID | None
    section_code: str | None
    mandatory: bool
    auto_enroll: bool


def targets(
    session: Session, institution_id: uuid.UUID, batch_ids: set[uuid.UUID]
) -> dict[uuid.UUID, list[Target]]:
    """Each batch's sections: its active courses with a section, and the section an
    auto-enroll course without one would enroll a newcomer in (as `service` picks it)."""
    found: dict[uuid.UUID, list[Target]] = defaultdict(list)
    for row in repo.batches_courses(session, institution_id, batch_ids):
        mandatory = row.assignment_type is AssignmentType.MANDATORY
        auto = mandatory and row.auto_enroll_new_students
        section = row.section
        if section is None and auto:
            section = repo.pick_section(
                session, institution_id, row.course_id, row.academic_year_id, row.batch_id
            )
        if section is None and not auto:
            continue  # an elective left open: no section to share or to enroll in
        found[row.batch_id].append(
            Target(
                batch_course_id=row.id,
                course_code=row.course.code,
                section_id=section.id if section is not None else None,
                section_code=section.code if section is not None else None,
                mandatory=mandatory,
                auto_enroll=auto,
            )
        )
    return found


def plan(
    session: Session, institution_id: uuid.UUID, moves: Sequence[BatchMove]
) -> list[EnrollmentPlan]:
    """What moving these students would do to their enrollments, for each one who changes
    batch (in the order given). Reads only: two queries plus one per section-less course."""
    changing = [m for m in moves if m.from_batch_id != m.to_batch_id]
    if not changing:
        return []
    batches = {b for m in changing for b in (m.from_batch_id, m.to_batch_id) if b is not None}
    by_batch = targets(session, institution_id, batches)
    sections = {t.section_id for ts in by_batch.values() for t in ts if t.section_id is not None}
    held: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in repo.held_places(session, [m.student_id for m in changing], sections):
        held[row.student_id].append(row)
    return [
        _plan_one(
            m,
            by_batch.get(m.to_batch_id, []) if m.to_batch_id else [],
            _mandatory_sections(by_batch.get(m.from_batch_id, []) if m.from_batch_id else []),
            held[m.student_id],
        )
        for m in changing
    ]


def _mandatory_sections(offered: list[Target]) -> dict[uuid.UUID, uuid.UUID]:
    """Section -> batch course, of a batch's mandatory courses."""
    found: dict[uuid.UUID, uuid.UUID] = {}
    for target in offered:
        if target.mandatory and target.section_id is not None:
            found.setdefault(target.section_id, target.batch_course_id)
    return found


def _plan_one(
    move: BatchMove, offered: list[Target], left: dict[uuid.UUID, uuid.UUID], held: list[Any]
) -> EnrollmentPlan:
    """One student's plan: `offered` are the new batch's sections, `left` the old batch's
    mandatory ones (section -> batch course), `held` their places."""
    shared: dict[uuid.UUID, Target] = {}
    for target in offered:
        if target.section_id is not None:
            shared.setdefault(target.section_id, target)

    def made_by(row: Any) -> uuid.UUID | None:
        """The batch course a place came from (None: the student's own)."""
        linked: uuid.UUID | None = row.batch_course_id
        if linked is not None:
            return linked
        # A place from before the link (or loaded without one) in the old batch's mandatory
        # section is the old batch's too.
        return left.get(row.section_id)

    def leaving(row: Any) -> bool:
        if made_by(row) is None or row.section_id in shared:
            return False
        return row.batch_course_id is None or row.linked_batch_id != move.to_batch_id

    holding = {row.section_id: row for row in held}
    keeps = [
        PlannedKeep(
            enrollment_id=row.id,
            course_code=row.course_code,
            section_id=row.section_id,
            section_code=row.section_code,
            status=row.status.value,
            batch_course_id=shared[section_id].batch_course_id,
            auto_enroll=shared[section_id].auto_enroll,
            from_batch_course_id=made_by(row),
        )
        for section_id, row in holding.items()
        if section_id in shared and (shared[section_id].auto_enroll or made_by(row))
    ]
    adds: list[PlannedAdd] = []
    adding: set[uuid.UUID] = set()
    for target in offered:
        if not target.auto_enroll or target.section_id in holding or target.section_id in adding:
            continue
        if target.section_id is not None:
            adding.add(target.section_id)
        adds.append(
            PlannedAdd(
                batch_course_id=target.batch_course_id,
                course_code=target.course_code,
                section_id=target.section_id,
                section_code=target.section_code,
            )
        )
    return EnrollmentPlan(
        student_id=move.student_id,
        roll_number=move.roll_number,
        from_batch_id=move.from_batch_id,
        to_batch_id=move.to_batch_id,
        drop=[_drop_of(row, made_by(row)) for row in held if leaving(row)],
        add=adds,
        keep=keeps,
    )


def _drop_of(row: Any, batch_course_id: uuid.UUID | None) -> PlannedDrop:
    assert batch_course_id is not None  # only the batch's places are dropped
    return PlannedDrop(
        enrollment_id=row.id,
        course_code=row.course_code,
        section_id=row.section_id,
        section_code=row.section_code,
        status=row.status.value,
        waitlist_position=row.waitlist_position,
        batch_course_id=batch_course_id,
    )


def carry_out(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    plans: Sequence[EnrollmentPlan],
) -> list[Reconciled]:
    """Do what the plans say: every drop first (so seats and credits are free before anyone
    enrolls), then the relinks, then the new batches' courses, student by student; one audit
    event per student whose enrollments changed."""
    acting = [p for p in plans if p.changes_anything]
    if acting:
        # The movers are locked already (by their move); locking them here again costs one
        # statement and keeps this safe for any caller.
        engine.lock_students(session, institution_id, [p.student_id for p in acting])
    codes = batch_codes(
        session, {b for p in acting for b in (p.from_batch_id, p.to_batch_id) if b is not None}
    )
    dropped = _drop_all(session, institution_id, actor, acting, codes)
    repo.link(
        session,
        [(k.enrollment_id, k.batch_course_id) for p in acting for k in p.keep if k.relinked],
    )
    done = []
    for one in plans:
        enrolled = _enroll_all(session, institution_id, actor, one, codes)
        result = Reconciled(
            student_id=one.student_id,
            roll_number=one.roll_number,
            from_batch_id=one.from_batch_id,
            to_batch_id=one.to_batch_id,
            dropped=[dropped[d.enrollment_id] for d in one.drop],
            enrolled=enrolled,
            kept=one.keep,
        )
        if one.changes_anything:
            _audit(session, institution_id, actor, result)
        done.append(result)
    return done


def _drop_reason(one: EnrollmentPlan, codes: dict[uuid.UUID, str]) -> str:
    left = codes.get(one.from_batch_id) if one.from_batch_id else None
    joined = codes.get(one.to_batch_id) if one.to_batch_id else None
    if joined is None:
        return f"Left batch {left}" if left else "Left the batch"
    return f"Moved from batch {left} to {joined}" if left else f"Joined batch {joined}"


def _drop_all(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    plans: Sequence[EnrollmentPlan],
    codes: dict[uuid.UUID, str],
) -> dict[uuid.UUID, DroppedPlace]:
    """Every planned drop through the engine, section by section (one order for every bulk
    writer), waitlisted places first and from the back, so a freed seat never goes to a student
    who is leaving the section too; the links of the rows dropped are cleared."""
    planned = [(one, drop) for one in plans for drop in one.drop]
    planned.sort(
        key=lambda item: (
            str(item[1].section_id),
            item[1].status != EnrollmentStatus.WAITLISTED.value,
            -(item[1].waitlist_position or 0),
        )
    )
    done: dict[uuid.UUID, DroppedPlace] = {}
    for one, drop in planned:
        try:
            outcome = engine.drop(
                session,
                institution_id=institution_id,
                enrollment_id=drop.enrollment_id,
                actor=actor,
                reason=_drop_reason(one, codes),
                student_id=one.student_id,
            )
        except EnrollmentNotActive:
            # Dropped by someone else since the plan was read: nothing to give back.
            done[drop.enrollment_id] = DroppedPlace(**drop.model_dump(), outcome="NOT_ACTIVE")
            continue
        promoted = outcome.promoted
        done[drop.enrollment_id] = DroppedPlace(
            **drop.model_dump(),
            outcome=outcome.enrollment.status.value,
            promoted_enrollment_id=promoted.id if promoted is not None else None,
        )
    # A row brought back later by the student's own enrollment is then theirs, not the batch's.
    repo.link(session, [(enrollment_id, None) for enrollment_id in done])
    return done


def _enroll_all(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    one: EnrollmentPlan,
    codes: dict[uuid.UUID, str],
) -> list[StudentOutcome]:
    """The new batch's auto-enroll courses for one student, each through the engine; the
    sections they already hold answered as such."""
    batch_code = codes.get(one.to_batch_id, "") if one.to_batch_id else ""
    outcomes = [
        StudentOutcome(
            student_id=one.student_id,
            roll_number=one.roll_number,
            outcome=Outcome.ALREADY_ENROLLED,
            course_code=keep.course_code,
            section_code=keep.section_code,
        )
        for keep in one.keep
        if keep.auto_enroll
    ]
    for add in one.add:
        if add.section_id is None or add.section_code is None:
            outcomes.append(
                StudentOutcome(
                    student_id=one.student_id,
                    roll_number=one.roll_number,
                    outcome=Outcome.REFUSED,
                    course_code=add.course_code,
                    reason=f"No active section of {add.course_code} is offered",
                )
            )
            continue
        outcomes.append(
            enroll_one(
                session,
                institution_id=institution_id,
                student_id=one.student_id,
                roll_number=one.roll_number,
                section_id=add.section_id,
                section_code=add.section_code,
                course_code=add.course_code,
                batch_code=batch_code,
                batch_course_id=add.batch_course_id,
                actor=actor,
            )
        )
    return outcomes


def _audit(session: Session, institution_id: uuid.UUID, actor: Actor, done: Reconciled) -> None:
    """One event per student: what leaving and joining did to their enrollments (each drop,
    promotion and enrollment also has the engine's own event)."""
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action=AUDIT_ACTION,
        entity_type="student",
        entity_id=done.student_id,
        details={
            "before": {"batch_id": str(done.from_batch_id) if done.from_batch_id else None},
            "after": {"batch_id": str(done.to_batch_id) if done.to_batch_id else None},
            "dropped": [
                {
                    "enrollment_id": str(d.enrollment_id),
                    "course_code": d.course_code,
                    "section_code": d.section_code,
                    "outcome": d.outcome,
                    "promoted_enrollment_id": (
                        str(d.promoted_enrollment_id) if d.promoted_enrollment_id else None
                    ),
                }
                for d in done.dropped
            ],
            "enrolled": [
                {"course_code": e.course_code, "section_code": e.section_code, "outcome": e.outcome}
                for e in done.enrolled
                if e.outcome is not Outcome.ALREADY_ENROLLED
            ],
            "relinked": [
                {
                    "enrollment_id": str(k.enrollment_id),
                    "section_code": k.section_code,
                    "from_batch_course_id": str(k.from_batch_course_id),
                    "to_batch_course_id": str(k.batch_course_id),
                }
                for k in done.kept
                if k.relinked
            ],
        },
    )


class BatchSubscriptions:
    """`students.joining.Subscriptions`, as the endpoints pass it to the students package."""

    def plan(
        self, session: Session, institution_id: uuid.UUID, moves: Sequence[BatchMove]
    ) -> list[EnrollmentPlan]:
        """See `plan`."""
        return plan(session, institution_id, moves)

    def carry_out(
        self,
        session: Session,
        institution_id: uuid.UUID,
        actor: Actor,
        plans: Sequence[EnrollmentPlan],
    ) -> list[Reconciled]:
        """See `carry_out`."""
        return carry_out(session, institution_id, actor, plans)


SUBSCRIPTIONS = BatchSubscriptions()
