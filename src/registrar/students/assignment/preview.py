"""A dry run's answer: where each student would go, the batches that would be made, and what
the move would do to each one's enrollments; built from the same moves, batches and enrollment
plan the real move writes, with nothing written."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy.orm import Session

from registrar.students import service as students
from registrar.students.assignment import repository
from registrar.students.assignment.batching import BatchBook
from registrar.students.assignment.moves import KEY_COLUMNS, Move, placement_of, target_batch
from registrar.students.divisions.schemas import MovePlan, PlannedBatch, PlannedMove
from registrar.students.schemas import EnrollmentPlan, StudentRead


def move_plan(
    session: Session, moves: list[Move], book: BatchBook, plans: list[EnrollmentPlan]
) -> MovePlan:
    """The plan of a dry run, student by student in the order of the moves."""
    created = {b.id for b in book.created.values()}
    codes = {b.id: b.code for b in (*book.found.values(), *book.created.values())}
    old = {m.old_batch_id for m in moves if m.old_batch_id is not None}
    codes |= repository.batch_codes(session, old - codes.keys())
    by_student = {p.student_id: p for p in plans}
    planned = []
    for move in moves:
        target = target_batch(move, book)
        enrollments = by_student.get(move.student_id)
        planned.append(
            PlannedMove(
                student_id=move.student_id,
                roll_number=move.roll_number,
                from_batch_id=move.old_batch_id,
                from_batch_code=codes.get(move.old_batch_id) if move.old_batch_id else None,
                to_batch_id=None if target in created else target,
                to_batch_code=codes.get(target) if target else None,
                to_batch_created=target in created,
                before=placement_of(move.old_key, move.old_batch_id),
                after=placement_of(move.new_key, None if target in created else target),
                drop=enrollments.drop if enrollments else [],
                add=enrollments.add if enrollments else [],
                keep=enrollments.keep if enrollments else [],
            )
        )
    joining: Counter[uuid.UUID] = Counter(
        t for m in moves if (t := target_batch(m, book)) in created
    )
    batches = [
        PlannedBatch(code=b.code, name=b.name, capacity=b.capacity, students=joining[b.id])
        for b in sorted(book.created.values(), key=lambda b: b.code)
    ]
    return MovePlan(moves=planned, batches_created=batches)


def as_they_would_be(session: Session, moves: list[Move], book: BatchBook) -> list[StudentRead]:
    """The students of these moves, by roll number, as the move would leave them (a batch
    that would be made has no id yet)."""
    created = {b.id for b in book.created.values()}
    by_student = {m.student_id: m for m in moves}
    years = repository.year_codes(session, {m.new_key[2] for m in moves if m.new_key[2]})
    reads = []
    for student in repository.students_by_id(session, list(by_student)):
        move = by_student[student.id]
        target = target_batch(move, book)
        after = dict(zip(KEY_COLUMNS, move.new_key, strict=True))
        year_id = after.pop("academic_year_id")
        reads.append(
            students.to_read(student).model_copy(
                update={
                    **after,
                    "academic_year_id": year_id,
                    "academic_year": years.get(year_id) if year_id else None,
                    "student_batch_id": None if target in created else target,
                }
            )
        )
    return reads
