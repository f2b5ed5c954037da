"""Seed 003's two ways to move students: assign listed ones, bulk-assign by criteria."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.errors import Conflict, RegistrarError
from registrar.students import placement
from registrar.students import service as students
from registrar.students.assignment import batching, repository
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
from registrar.students.joining import EnrollJoiners
from registrar.students.models import StudentStatus

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
    enroll_joiners: EnrollJoiners,
) -> AssignResponse:
    """Assign the listed students; unknown, inactive or batch-full ones are reported, not fatal."""
    values = assignment.resolve_assignment(session, institution_id, request)
    errors: list[AssignError] = []
    ids = _parse_ids(request.student_ids, errors)
    found = {row.id: row for row in repository.movers_by_id(session, institution_id, ids)}
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
    book = batching.find_batches(session, institution_id, (m.new_key for m in moves))
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
    batching.create_batches(session, institution_id, actor.user_id, book, for_new)
    outcome = assignment.apply(
        session, institution_id, actor.user_id, accepted, book, "student.assigned"
    )
    enrolled = enroll_joiners(session, institution_id, actor, outcome.joined)
    updated = repository.students_by_id(session, [m.student_id for m in accepted])
    return AssignResponse(
        updated_students=[students.to_read(s) for s in updated],
        updated_count=len(accepted),
        errors=errors,
        batches=outcome.batches,
        auto_enrollment=enrolled,
    )


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
    enroll_joiners: EnrollJoiners,
) -> BulkAssignResponse:
    """Move every ACTIVE student the criteria match, all or nothing, in a few statements."""
    values = assignment.resolve_assignment(session, institution_id, request.assignment)
    if not request.criteria.model_dump(exclude_none=True) and not request.all_students:
        # Empty criteria match the whole institution: a slip of the keyboard, unless said so.
        raise RegistrarError(
            "Criteria must name at least one field",
            details={"hint": 'send "all_students": true to move every active student'},
        )
    rows = repository.movers_by_criteria(session, institution_id, request.criteria)
    moves = assignment.plan(session, institution_id, rows, values)
    book = batching.find_batches(
        session, institution_id, (m.new_key for m in moves if not m.keep_batch)
    )
    _check_seats(moves, book, assignment.occupancy(session, book))
    for_new = Counter(
        m.new_key
        for m in moves
        if not m.keep_batch and batching.is_complete(m.new_key) and m.new_key not in book.found
    )
    batching.create_batches(session, institution_id, actor.user_id, book, for_new)
    outcome = assignment.apply(
        session, institution_id, actor.user_id, moves, book, "student.bulk_assigned"
    )
    enrolled = enroll_joiners(session, institution_id, actor, outcome.joined)
    sample = repository.students_by_id(session, [m.student_id for m in moves[:SAMPLE_SIZE]])
    return BulkAssignResponse(
        updated_count=len(moves),
        criteria_matched=len(rows),
        sample_updated_students=[students.to_read(s) for s in sample],
        assignment=request.assignment.model_dump(mode="json", exclude_none=True),
        batches=outcome.batches,
        auto_enrollment=enrolled,
    )
