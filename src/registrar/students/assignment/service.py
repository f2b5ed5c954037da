"""Seed 003's two ways to move students: assign listed ones, bulk-assign by criteria.

Both work out the moves, the batches to make and each mover's enrollment plan first; a dry run
answers with them, a real one writes exactly them: the batches, the moves and their audit,
then the enrollments through the engine (`joining.Subscriptions`)."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.errors import Conflict, RegistrarError
from registrar.students import placement
from registrar.students import service as students
from registrar.students.assignment import batching, preview, repository
from registrar.students.assignment import moves as assignment
from registrar.students.assignment.batching import Key
from registrar.students.assignment.moves import Move
from registrar.students.divisions.schemas import (
    AssignError,
    AssignRequest,
    AssignResponse,
    BulkAssignRequest,
    BulkAssignResponse,
)
from registrar.students.joining import Subscriptions
from registrar.students.models import StudentStatus
from registrar.students.schemas import Reconciled, StudentOutcome

SAMPLE_SIZE = 10


def _parse_ids(raw_ids: list[str], errors: list[AssignError]) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    for raw in raw_ids:
        try:
            parsed = uuid.UUID(raw)
        except ValueError:
            errors.append(assignment.error(raw, "unknown_student", f"Student {raw!r} not found"))
            continue
        if parsed not in ids:
            ids.append(parsed)
    return ids


def assign_students(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    request: AssignRequest,
    subscriptions: Subscriptions,
) -> AssignResponse:
    """Assign the listed students; unknown, inactive or batch-full ones are reported, not fatal.

    A student who changes batch is reconciled (see `joining.Subscriptions`). With `dry_run`
    the same moves, batches and enrollment plan are worked out and nothing is written."""
    dry = request.dry_run
    values = assignment.resolve_assignment(session, institution_id, request)
    errors: list[AssignError] = []
    ids = _parse_ids(request.student_ids, errors)
    found = {
        row.id: row for row in repository.movers_by_id(session, institution_id, ids, lock=not dry)
    }
    eligible = []
    for sid in ids:
        row = found.get(sid)
        if row is None:
            errors.append(assignment.error(str(sid), "unknown_student", f"Student {sid} not found"))
        elif row.status is not StudentStatus.ACTIVE:
            errors.append(
                assignment.error(
                    str(sid),
                    "inactive_student",
                    f"Student {row.roll_number} is {row.status.value}; only active students "
                    "are assigned",
                )
            )
        else:
            eligible.append(row)
    moves = assignment.plan(session, institution_id, eligible, values)
    book = batching.find_batches(session, institution_id, (m.new_key for m in moves), lock=not dry)
    seats = assignment.occupancy(session, book)
    accepted: list[Move] = []
    for_new: Counter[Key] = Counter()
    for move in moves:
        batch = None if move.keep_batch else book.found.get(move.new_key)
        if batch is not None and batch.id != move.old_batch_id:
            taken = seats.get(batch.id, 0)
            if placement.overfills(batch.capacity, taken):
                errors.append(
                    assignment.error(move, "batch_full", placement.full_batch_message(batch, taken))
                )
                continue
            seats[batch.id] = taken + 1
            if move.old_batch_id in seats:
                seats[move.old_batch_id] -= 1
        elif batch is None and not move.keep_batch and batching.is_complete(move.new_key):
            for_new[move.new_key] += 1
        accepted.append(move)
    batching.name_batches(session, institution_id, book, for_new)
    plans = subscriptions.plan(session, institution_id, assignment.batch_moves(accepted, book))
    if dry:
        return AssignResponse(
            updated_students=preview.as_they_would_be(session, accepted, book),
            updated_count=len(accepted),
            errors=errors,
            batches=assignment.placements(accepted, book, written=False),
            dry_run=True,
            plan=preview.move_plan(session, accepted, book, plans),
        )
    batching.write_batches(session, institution_id, actor.user_id, book)
    outcome = assignment.apply(
        session, institution_id, actor.user_id, accepted, book, "student.assigned"
    )
    reconciled = subscriptions.carry_out(session, institution_id, actor, plans)
    updated = repository.students_by_id(session, [m.student_id for m in accepted])
    return AssignResponse(
        updated_students=[students.to_read(s) for s in updated],
        updated_count=len(accepted),
        errors=errors,
        batches=outcome.batches,
        auto_enrollment=_auto_enrollment(reconciled),
        reconciliation=_reported(reconciled),
    )


def _auto_enrollment(reconciled: list[Reconciled]) -> list[StudentOutcome]:
    """What joining a batch enrolled, student by student: seed 003's `auto_enrollment`."""
    return [outcome for one in reconciled for outcome in one.enrolled]


def _reported(reconciled: list[Reconciled]) -> list[Reconciled]:
    """The students whose enrollments the move touched or kept (a bulk move of thousands into
    batches without courses reports nobody)."""
    return [one for one in reconciled if one.dropped or one.enrolled or one.kept]


def _check_seats(moves: list[Move], book: batching.BatchBook, seats: dict[uuid.UUID, int]) -> None:
    """Refuse (409) a bulk move that would overfill any existing batch; nothing is moved then."""
    incoming: Counter[uuid.UUID] = Counter()
    leaving: Counter[uuid.UUID] = Counter()
    for move in moves:
        target = assignment.target_batch(move, book)
        if move.keep_batch or target == move.old_batch_id:
            continue
        if target is not None:
            incoming[target] += 1
        if move.old_batch_id is not None:
            leaving[move.old_batch_id] += 1
    short: list[dict[str, Any]] = []
    for batch in book.found.values():
        staying = seats.get(batch.id, 0) - leaving[batch.id]
        if placement.overfills(batch.capacity, staying, incoming[batch.id]):
            short.append(
                {
                    "batch_code": batch.code,
                    "capacity": batch.capacity,
                    "active_students": staying,
                    "incoming": incoming[batch.id],
                }
            )
    if short:
        codes = ", ".join(item["batch_code"] for item in short)
        raise Conflict(
            f"Not enough seats in batch {codes}: nobody was moved", details={"batches": short}
        )


def bulk_assign(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    request: BulkAssignRequest,
    subscriptions: Subscriptions,
) -> BulkAssignResponse:
    """Move every ACTIVE student the criteria match, all or nothing, in a few statements.

    Students who change batch are reconciled (see `joining.Subscriptions`). With `dry_run` the
    same moves, batches and enrollment plan are worked out and nothing is written."""
    dry = request.dry_run
    values = assignment.resolve_assignment(session, institution_id, request.assignment)
    if not request.criteria.model_dump(exclude_none=True) and not request.all_students:
        # Empty criteria match the whole institution: a slip of the keyboard, unless said so.
        raise RegistrarError(
            "Criteria must name at least one field",
            details={"hint": 'send "all_students": true to move every active student'},
        )
    rows = repository.movers_by_criteria(session, institution_id, request.criteria, lock=not dry)
    moves = assignment.plan(session, institution_id, rows, values)
    book = batching.find_batches(
        session, institution_id, (m.new_key for m in moves if not m.keep_batch), lock=not dry
    )
    _check_seats(moves, book, assignment.occupancy(session, book))
    for_new = Counter(
        m.new_key
        for m in moves
        if not m.keep_batch and batching.is_complete(m.new_key) and m.new_key not in book.found
    )
    batching.name_batches(session, institution_id, book, for_new)
    plans = subscriptions.plan(session, institution_id, assignment.batch_moves(moves, book))
    answer = BulkAssignResponse(
        updated_count=len(moves),
        criteria_matched=len(rows),
        sample_updated_students=[],
        assignment=request.assignment.model_dump(mode="json", exclude_none=True),
    )
    if dry:
        return answer.model_copy(
            update={
                "sample_updated_students": preview.as_they_would_be(
                    session, moves[:SAMPLE_SIZE], book
                ),
                "batches": assignment.placements(moves, book, written=False),
                "dry_run": True,
                "plan": preview.move_plan(session, moves, book, plans),
            }
        )
    batching.write_batches(session, institution_id, actor.user_id, book)
    outcome = assignment.apply(
        session, institution_id, actor.user_id, moves, book, "student.bulk_assigned"
    )
    reconciled = subscriptions.carry_out(session, institution_id, actor, plans)
    sample = repository.students_by_id(session, [m.student_id for m in moves[:SAMPLE_SIZE]])
    return answer.model_copy(
        update={
            "sample_updated_students": [students.to_read(s) for s in sample],
            "batches": outcome.batches,
            "auto_enrollment": _auto_enrollment(reconciled),
            "reconciliation": _reported(reconciled),
        }
    )
