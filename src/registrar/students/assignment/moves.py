"""Moving students to a department, program, academic year, year of study, semester and section.

Fields left out of an assignment stay as each student has them. A `department_id` without an
`academic_program_id` clears the program of students whose program belongs to another
department; an `academic_program_id` alone also sets its department. Every moved student ends
in the batch of their new placement (see `batching`), so batch and fields never disagree.
Work is set-based: one SELECT of the students, one of candidate batches, one UPDATE per target
group (per thousand students), and batched INSERTs of audit events.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from registrar.errors import ValidationFailed
from registrar.kit.columns import utcnow
from registrar.students import placement
from registrar.students import repository as students
from registrar.students.assignment import repository
from registrar.students.assignment.batching import BatchBook, Key
from registrar.students.divisions.schemas import AssignError, Assignment, BatchPlacement
from registrar.students.joining import BatchMove
from registrar.students.models import StudentBatch

KEY_COLUMNS = (
    "department_id",
    "program_id",
    "academic_year_id",
    "year_of_study",
    "semester",
    "section",
)


def resolve_assignment(
    session: Session, institution_id: uuid.UUID, assignment: Assignment
) -> dict[str, Any]:
    """The columns an assignment sets, its references checked (422 if unknown or mismatched)."""
    given = assignment.model_dump(exclude_none=True, include=set(Assignment.model_fields))
    if not given:
        raise ValidationFailed("The assignment is empty: give at least one field to change")
    refs = placement.resolve_references(
        session,
        institution_id,
        department_id=assignment.department_id,
        program_id=assignment.academic_program_id,
        academic_year=assignment.academic_year,
    )
    values: dict[str, Any] = {}
    if refs.department is not None:
        values["department_id"] = refs.department.id
    if refs.program is not None:
        placement.check_program_in_department(refs.program, assignment.department_id)
        values["program_id"] = refs.program.id
        values["department_id"] = refs.program.department_id
    if refs.academic_year is not None:
        values["academic_year_id"] = refs.academic_year.id
    for name in ("year_of_study", "semester", "section"):
        if name in given:
            values[name] = given[name]
    return values


@dataclass
class Move:
    """One student's way from their placement to the assigned one."""

    student_id: uuid.UUID
    roll_number: str
    old_key: Key
    old_batch_id: uuid.UUID | None
    new_key: Key
    keep_batch: bool


@dataclass
class Outcome:
    """What a move did: who moved, who could not, and into which batches."""

    moved: list[Move] = field(default_factory=list)
    errors: list[AssignError] = field(default_factory=list)
    batches: list[BatchPlacement] = field(default_factory=list)


def plan(
    session: Session, institution_id: uuid.UUID, rows: list[Any], values: dict[str, Any]
) -> list[Move]:
    """Each student's new placement key."""
    programs: dict[uuid.UUID, uuid.UUID] = {}
    if "department_id" in values and "program_id" not in values:
        programs = repository.program_departments(
            session, institution_id, {r.program_id for r in rows if r.program_id is not None}
        )
    moves = []
    for row in rows:
        old = tuple(getattr(row, c) for c in KEY_COLUMNS)
        new = dict(zip(KEY_COLUMNS, old, strict=True)) | values
        if (
            programs
            and new["program_id"] is not None
            and programs.get(new["program_id"]) != new["department_id"]
        ):
            new["program_id"] = None
        key = tuple(new[c] for c in KEY_COLUMNS)
        moves.append(
            Move(
                student_id=row.id,
                roll_number=row.roll_number,
                old_key=old,
                old_batch_id=row.batch_id,
                new_key=key,
                keep_batch=key == old and row.batch_id is not None,
            )
        )
    return moves


def target_batch(move: Move, book: BatchBook) -> uuid.UUID | None:
    """The batch a student ends in."""
    if move.keep_batch:
        return move.old_batch_id
    batch = book.batch_for(move.new_key)
    return batch.id if batch is not None else None


def batch_moves(moves: list[Move], book: BatchBook) -> list[BatchMove]:
    """Each move as the batches it leaves and joins (the same one when it stays)."""
    return [
        BatchMove(m.student_id, m.roll_number, m.old_batch_id, target_batch(m, book)) for m in moves
    ]


def apply(
    session: Session,
    institution_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    moves: list[Move],
    book: BatchBook,
    action: str,
) -> Outcome:
    """Write the moves: one UPDATE per target group, audit events in one batched INSERT."""
    outcome = Outcome(moved=moves)
    groups: dict[tuple[Key, uuid.UUID | None], list[uuid.UUID]] = {}
    for move in moves:
        groups.setdefault((move.new_key, target_batch(move, book)), []).append(move.student_id)
    for (key, batch_id), ids in groups.items():
        row_values = dict(zip(KEY_COLUMNS, key, strict=True)) | {"batch_id": batch_id}
        repository.move_students(session, ids, row_values)
    now = utcnow()
    events = []
    for move in moves:
        new_batch = target_batch(move, book)
        events.append(
            {
                "id": uuid.uuid4(),
                "institution_id": institution_id,
                "actor_user_id": actor_id,
                "action": action,
                "entity_type": "student",
                "entity_id": move.student_id,
                "reason": None,
                "details": {
                    "before": placement_of(move.old_key, move.old_batch_id),
                    "after": placement_of(move.new_key, new_batch),
                },
                "occurred_at": now,
            }
        )
    repository.record_events(session, events)
    outcome.batches = placements(moves, book)
    return outcome


def placement_of(key: Key, batch_id: uuid.UUID | None) -> dict[str, Any]:
    """A placement key and batch as JSON (audit details, a dry run's plan)."""
    values = dict(zip(KEY_COLUMNS, key, strict=True)) | {"batch_id": batch_id}
    return {k: placement.jsonable(v) for k, v in values.items()}


def placements(moves: list[Move], book: BatchBook, *, written: bool = True) -> list[BatchPlacement]:
    """The batches the moves put students in, with how many each; a batch not `written` yet (a
    dry run's) has no id."""
    counts: Counter[uuid.UUID] = Counter()
    for move in moves:
        target = target_batch(move, book)
        if target is not None and target != move.old_batch_id:
            counts[target] += 1
    batches: dict[uuid.UUID, StudentBatch] = {
        b.id: b for b in (*book.found.values(), *book.created.values())
    }
    created = {b.id for b in book.created.values()}
    return [
        BatchPlacement(
            batch_id=batch_id if written or batch_id not in created else None,
            code=batches[batch_id].code,
            created=batch_id in created,
            students_assigned=count,
        )
        for batch_id, count in sorted(counts.items(), key=lambda item: batches[item[0]].code)
    ]


def occupancy(session: Session, book: BatchBook) -> dict[uuid.UUID, int]:
    """The active head count of every found batch."""
    return students.active_counts(session, (b.id for b in book.found.values()))


def error(move_or_id: Move | str, code: str, message: str) -> AssignError:
    """A per-student refusal."""
    sid = str(move_or_id.student_id) if isinstance(move_or_id, Move) else move_or_id
    return AssignError(student_id=sid, code=code, error=message)
