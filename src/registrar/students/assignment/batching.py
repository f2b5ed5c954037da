"""Finding, or making, the batch that matches a placement, for many students at once.

A placement key is (department, program, academic year, year of study, semester, section). A
key with all but the program set belongs in a batch: the active batch with exactly that key
(lowest code first), else a new one coded `<department code>-<academic year start>-<year of
study>-<section>` such as `CS-2023-2-A` (with `-S<semester>`, then a number, appended if that
code is taken). A new batch holds at least its default capacity and everyone put in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registrar.errors import Conflict
from registrar.kit.columns import utcnow
from registrar.students.assignment import repository
from registrar.students.models import StudentBatch

DEFAULT_CAPACITY = 70
CODE_LENGTH = 40

# (department_id, program_id, academic_year_id, year_of_study, semester, section)
Key = tuple[Any, ...]


def is_complete(key: Key) -> bool:
    """Whether a key names a batch: everything but the program is known."""
    department, _program, year, of_study, semester, section = key
    return None not in (department, year, of_study, semester, section)


def key_of(batch: StudentBatch) -> Key:
    """The placement key of a batch."""
    return (
        batch.department_id,
        batch.program_id,
        batch.academic_year_id,
        batch.year_of_study,
        batch.semester,
        batch.section,
    )


@dataclass
class BatchBook:
    """The batches of the keys a move needs: found ones, and ones to create."""

    found: dict[Key, StudentBatch] = field(default_factory=dict)
    created: dict[Key, StudentBatch] = field(default_factory=dict)

    def batch_for(self, key: Key) -> StudentBatch | None:
        """The batch of a key, found or created."""
        return self.found.get(key) or self.created.get(key)


def find_batches(
    session: Session, institution_id: uuid.UUID, keys: Iterable[Key], *, lock: bool = True
) -> BatchBook:
    """The existing active batches of the complete keys (one query); locked unless `lock` is
    false (a dry run, which writes nothing)."""
    wanted = {key for key in keys if is_complete(key)}
    book = BatchBook()
    if not wanted:
        return book
    candidates = repository.candidate_batches(
        session, institution_id, {k[2] for k in wanted}, {k[3] for k in wanted}, lock=lock
    )
    for batch in candidates:  # ordered by code: the first match wins
        key = key_of(batch)
        if key in wanted and key not in book.found:
            book.found[key] = batch
    return book


def _code_candidates(department: str, year: str, key: Key) -> list[str]:
    start = year[:4] if year[:4].isdigit() else year
    base = f"{department}-{start}-{key[3]}-{key[5]}"[: CODE_LENGTH - 8]
    with_semester = f"{base}-S{key[4]}"
    return [base, with_semester, *(f"{with_semester}-{n}" for n in range(2, 6))]


def name_batches(
    session: Session, institution_id: uuid.UUID, book: BatchBook, incoming: dict[Key, int]
) -> None:
    """Make (in memory only: nothing is added to the session) a batch for every complete key of
    `incoming` that has none, coded and sized as it will be written; `book.created` holds them."""
    missing = [key for key in incoming if is_complete(key) and key not in book.found]
    if not missing:
        return
    departments = repository.department_codes(session, {k[0] for k in missing})
    years = repository.year_codes(session, {k[2] for k in missing})
    options = {key: _code_candidates(departments[key[0]], years[key[2]], key) for key in missing}
    taken = repository.codes_taken(
        session, institution_id, (c for o in options.values() for c in o)
    )
    for key in sorted(missing, key=lambda k: options[k][0]):
        code = next((c for c in options[key] if c not in taken), None)
        if code is None:
            code = f"{options[key][1]}-{uuid.uuid4().hex[:6]}"
        taken.add(code)
        department_id, program_id, year_id, of_study, semester, section = key
        book.created[key] = StudentBatch(
            id=uuid.uuid4(),
            institution_id=institution_id,
            code=code,
            name=(
                f"{departments[department_id]} {years[year_id]} year {of_study} "
                f"semester {semester} section {section}"
            ),
            department_id=department_id,
            program_id=program_id,
            academic_year_id=year_id,
            year_of_study=of_study,
            semester=semester,
            section=section,
            capacity=max(DEFAULT_CAPACITY, incoming[key]),
            is_active=True,
        )


def write_batches(
    session: Session, institution_id: uuid.UUID, actor_id: uuid.UUID | None, book: BatchBook
) -> None:
    """Write the batches `name_batches` made; audit each one."""
    if not book.created:
        return
    now = utcnow()
    events: list[dict[str, Any]] = []
    for batch in book.created.values():
        session.add(batch)
        events.append(
            {
                "id": uuid.uuid4(),
                "institution_id": institution_id,
                "actor_user_id": actor_id,
                "action": "batch.created",
                "entity_type": "student_batch",
                "entity_id": batch.id,
                "reason": "created to hold assigned students",
                "details": {"code": batch.code, "capacity": batch.capacity},
                "occurred_at": now,
            }
        )
    try:
        session.flush()
    except IntegrityError as error:
        # Another request created a batch with one of these codes since we looked.
        raise Conflict(
            "A batch this assignment needs was created at the same time; please retry",
            details={"batch_codes": sorted(b.code for b in book.created.values())},
        ) from error
    repository.record_events(session, events)
