"""Creating, changing and deactivating student batches.

A batch's placement (department, program, academic year, year of study, semester, section,
grade level, track, strand) is its students' placement: changing it on the batch changes it for
every student in the batch, in one statement.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.errors import Conflict, NotFound, ValidationFailed
from registrar.institutions import repository as institutions
from registrar.kit.pagination import Page, PageParams, paginate
from registrar.students import placement, repository
from registrar.students.models import StudentBatch
from registrar.students.schemas import (
    PLACEMENT_FIELDS,
    BatchCreate,
    BatchFilters,
    BatchRead,
    BatchUpdate,
)


def to_read(batch: StudentBatch, active_students: int) -> BatchRead:
    """The API view of a batch whose academic year is loaded."""
    return BatchRead(
        id=batch.id,
        code=batch.code,
        name=batch.name,
        academic_year_id=batch.academic_year_id,
        **placement.placement_values(batch),
        capacity=batch.capacity,
        is_active=batch.is_active,
        active_students=active_students,
        created_at=batch.created_at,
        updated_at=batch.updated_at,
    )


def _read(session: Session, batch: StudentBatch) -> BatchRead:
    return to_read(batch, repository.active_counts(session, [batch.id]).get(batch.id, 0))


def list_batches(
    session: Session, institution_id: uuid.UUID, filters: BatchFilters, params: PageParams
) -> Page[BatchRead]:
    """One page of the institution's batches matching the filters, with their head counts."""
    rows, total = paginate(session, repository.batch_list(institution_id, filters), params)
    counts = repository.active_counts(session, [b.id for b in rows])
    return Page(
        items=[to_read(b, counts.get(b.id, 0)) for b in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


def get_batch(session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID) -> StudentBatch:
    """The institution's batch with that id, or 404."""
    batch = repository.get_batch(session, institution_id, batch_id)
    if batch is None:
        raise NotFound("Student batch not found", details={"batch_id": str(batch_id)})
    return batch


def read_batch(session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID) -> BatchRead:
    """One batch with its head count, or 404."""
    return _read(session, get_batch(session, institution_id, batch_id))


def _check_code_free(session: Session, institution_id: uuid.UUID, code: str) -> None:
    if repository.batch_code_taken(session, institution_id, code):
        raise Conflict(f"Batch code {code!r} is already in use", details={"code": code})


def _apply_placement(
    session: Session, institution_id: uuid.UUID, batch: StudentBatch, given: dict[str, Any]
) -> None:
    refs = placement.apply_given(session, institution_id, batch, given)
    placement.check_program_given(session, institution_id, batch, refs, given)


def create_batch(
    session: Session, institution_id: uuid.UUID, actor_id: uuid.UUID, data: BatchCreate
) -> BatchRead:
    """A new batch; its code must be free in the institution. A school's homeroom sent without
    a capacity takes its level's section capacity (the level policy is the default for new
    batches; the batch's own capacity is the limit afterwards)."""
    _check_code_free(session, institution_id, data.code)
    batch = StudentBatch(
        institution_id=institution_id,
        code=data.code,
        name=data.name or data.code,
        capacity=_capacity_of(session, institution_id, data),
        is_active=True,
        academic_year=None,
    )
    given = data.model_dump(exclude_unset=True)
    _apply_placement(session, institution_id, batch, given)
    session.add(batch)
    session.flush()
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor_id,
        action="batch.created",
        entity_type="student_batch",
        entity_id=batch.id,
        details={"after": {k: placement.jsonable(v) for k, v in given.items()}},
    )
    return to_read(batch, 0)


def _capacity_of(session: Session, institution_id: uuid.UUID, data: BatchCreate) -> int:
    if "capacity" in data.model_fields_set or data.grade_level is None:
        return data.capacity
    level = institutions.level_capacity(session, institution_id, data.grade_level)
    return level if level is not None else data.capacity


def _snapshot(batch: StudentBatch) -> dict[str, Any]:
    read = to_read(batch, 0).model_dump(exclude={"created_at", "updated_at", "active_students"})
    return {key: placement.jsonable(value) for key, value in read.items()}


def _check_can_close(batch: StudentBatch, active: int) -> None:
    if active:
        raise Conflict(
            f"Student batch {batch.code} still has {active} active students; move them first",
            details={"batch_code": batch.code, "active_students": active},
        )


def update_batch(
    session: Session,
    institution_id: uuid.UUID,
    actor_id: uuid.UUID,
    batch_id: uuid.UUID,
    data: BatchUpdate,
) -> BatchRead:
    """Change the fields sent; placement changes are carried to the batch's students."""
    batch = repository.get_batch(session, institution_id, batch_id, lock=True)
    if batch is None:
        raise NotFound("Student batch not found", details={"batch_id": str(batch_id)})
    before = _snapshot(batch)
    given = data.model_dump(exclude_unset=True)
    for required in ("code", "name", "capacity", "is_active"):
        if required in given and given[required] is None:
            raise ValidationFailed(f"{required} cannot be null", details={"field": required})
    active = repository.active_counts(session, [batch.id]).get(batch.id, 0)
    if "code" in given and given["code"] != batch.code:
        _check_code_free(session, institution_id, given["code"])
        batch.code = given["code"]
    if "name" in given:
        batch.name = given["name"]
    if "capacity" in given:
        if given["capacity"] < active:
            raise Conflict(
                f"Capacity {given['capacity']} is below the {active} active students of "
                f"batch {batch.code}",
                details={"batch_code": batch.code, "active_students": active},
            )
        batch.capacity = given["capacity"]
    if given.get("is_active") is False and batch.is_active:
        _check_can_close(batch, active)
    if "is_active" in given:
        batch.is_active = given["is_active"]
    _apply_placement(session, institution_id, batch, given)
    session.flush()
    after = _snapshot(batch)
    changes = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    moved: list[uuid.UUID] = []
    if any(k in changes for k in PLACEMENT_FIELDS):
        moved = repository.copy_batch_placement(session, batch)
    if changes:
        audit.record(
            session,
            institution_id=institution_id,
            actor_user_id=actor_id,
            action="batch.updated",
            entity_type="student_batch",
            entity_id=batch.id,
            details={"changes": changes, "students_moved": len(moved)},
        )
    _audit_placements(session, institution_id, actor_id, batch, changes, moved)
    return to_read(batch, active)


def _audit_placements(
    session: Session,
    institution_id: uuid.UUID,
    actor_id: uuid.UUID,
    batch: StudentBatch,
    changes: dict[str, Any],
    moved: list[uuid.UUID],
) -> None:
    """Each student whose placement followed the batch's has it in their own history too."""
    placement = {key: change for key, change in changes.items() if key in PLACEMENT_FIELDS}
    for student_id in moved:
        audit.record(
            session,
            institution_id=institution_id,
            actor_user_id=actor_id,
            action="student.placement_changed",
            entity_type="student",
            entity_id=student_id,
            details={"batch_id": str(batch.id), "batch_code": batch.code, "changes": placement},
        )


def deactivate_batch(
    session: Session, institution_id: uuid.UUID, actor_id: uuid.UUID, batch_id: uuid.UUID
) -> BatchRead:
    """Mark an empty batch inactive; it is never deleted (its history refers to it)."""
    return update_batch(session, institution_id, actor_id, batch_id, BatchUpdate(is_active=False))
