"""Set-based queries of (bulk) assignment: the students to move, their batches, the writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.audit.models import AuditEvent
from registrar.students.divisions.repository import DIVISION_KEY, chunks, year_ids_of
from registrar.students.divisions.schemas import BulkCriteria
from registrar.students.locking import in_lock_order
from registrar.students.models import Student, StudentBatch, StudentStatus
from registrar.students.repository import where_equal

MOVER_COLUMNS = (
    Student.id,
    Student.roll_number,
    Student.status,
    Student.batch_id,
    *DIVISION_KEY,
)


def movers_by_id(
    session: Session, institution_id: uuid.UUID, ids: Sequence[uuid.UUID], *, lock: bool = True
) -> list[Row[Any]]:
    """The placement of the listed students of the institution, row-locked on PostgreSQL
    unless `lock` is false (in no particular order)."""
    rows: list[Row[Any]] = []
    # Chunks of the sorted ids, each locked in id order: the whole set is locked in id order.
    for part in chunks(sorted(ids)):
        statement = select(*MOVER_COLUMNS).where(
            Student.institution_id == institution_id, Student.id.in_(part)
        )
        rows.extend(session.execute(in_lock_order(statement) if lock else statement))
    return rows


def movers_by_criteria(
    session: Session, institution_id: uuid.UUID, c: BulkCriteria, *, lock: bool = True
) -> list[Row[Any]]:
    """The placement of the ACTIVE students the criteria match, row-locked on PostgreSQL
    unless `lock` is false, by roll number."""
    statement = select(*MOVER_COLUMNS).where(
        Student.institution_id == institution_id, Student.status == StudentStatus.ACTIVE
    )
    equal: dict[InstrumentedAttribute[Any], object] = {
        Student.department_id: c.current_department,
        Student.program_id: c.current_academic_program,
        Student.year_of_study: c.current_year_of_study,
        Student.semester: c.current_semester,
        Student.section: c.current_section,
        Student.gender: c.gender,
        Student.category: c.quota,
    }
    statement = where_equal(statement, equal)
    if c.current_academic_year is not None:
        statement = statement.where(
            Student.academic_year_id.in_(year_ids_of(institution_id, c.current_academic_year))
        )
    if not lock:
        return list(session.execute(statement.order_by(Student.roll_number)))
    # Locked in id order like every writer's, then handed out by roll number: the order moves,
    # audit events and auto-enrollments are made in.
    locked = in_lock_order(statement).subquery()
    return list(session.execute(select(*locked.c).order_by(locked.c.roll_number)))


def program_departments(
    session: Session, institution_id: uuid.UUID, program_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The department of each listed program."""
    ids = list(set(program_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(AcademicProgram.id, AcademicProgram.department_id).where(
            AcademicProgram.institution_id == institution_id, AcademicProgram.id.in_(ids)
        )
    )
    return dict(rows.all())


def candidate_batches(
    session: Session,
    institution_id: uuid.UUID,
    year_ids: Iterable[uuid.UUID],
    years_of_study: Iterable[int],
    *,
    lock: bool = True,
) -> list[StudentBatch]:
    """Active batches that might hold the targets (exact matching is done by the caller),
    locked unless `lock` is false."""
    statement = (
        select(StudentBatch)
        .where(
            StudentBatch.institution_id == institution_id,
            StudentBatch.is_active.is_(True),
            StudentBatch.academic_year_id.in_(list(set(year_ids))),
            StudentBatch.year_of_study.in_(list(set(years_of_study))),
        )
        .order_by(StudentBatch.code)
    )
    return list(session.scalars(statement.with_for_update() if lock else statement))


def codes_taken(session: Session, institution_id: uuid.UUID, codes: Iterable[str]) -> set[str]:
    """Which of these batch codes the institution already uses."""
    wanted = list(set(codes))
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(StudentBatch.code).where(
                StudentBatch.institution_id == institution_id, StudentBatch.code.in_(wanted)
            )
        )
    )


def year_codes(session: Session, year_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The code of each listed academic year."""
    ids = list(set(year_ids))
    if not ids:
        return {}
    return dict(
        session.execute(
            select(AcademicYear.id, AcademicYear.code).where(AcademicYear.id.in_(ids))
        ).all()
    )


def department_codes(session: Session, department_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The code of each listed department."""
    ids = list(set(department_ids))
    if not ids:
        return {}
    return dict(
        session.execute(select(Department.id, Department.code).where(Department.id.in_(ids))).all()
    )


def move_students(session: Session, ids: Sequence[uuid.UUID], values: dict[str, Any]) -> None:
    """Give the listed students the same new values: one UPDATE per thousand."""
    for part in chunks(ids):
        session.execute(
            update(Student)
            .where(Student.id.in_(part))
            .values(values)
            .execution_options(synchronize_session=False)
        )


def students_by_id(session: Session, ids: Sequence[uuid.UUID]) -> list[Student]:
    """The listed students with their academic years, by roll number."""
    found: list[Student] = []
    for part in chunks(ids):
        found.extend(
            session.scalars(
                select(Student)
                .where(Student.id.in_(part))
                .options(selectinload(Student.academic_year))
                .execution_options(populate_existing=True)
            )
        )
    return sorted(found, key=lambda s: s.roll_number)


def record_events(session: Session, events: list[dict[str, Any]]) -> None:
    """Write many audit events in one batched INSERT."""
    if events:
        session.execute(insert(AuditEvent), events)


def batch_codes(session: Session, batch_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The code of each listed batch."""
    ids = list(set(batch_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(StudentBatch.id, StudentBatch.code).where(StudentBatch.id.in_(ids))
    )
    return {row.id: row.code for row in rows}
