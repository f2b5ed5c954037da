"""Writing imported students: logins and students in bulk, then batch auto-enrollment."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.auth.models import Role, User
from registrar.auth.passwords import hash_password
from registrar.enrollment.batch_courses import repository as batch_repository
from registrar.enrollment.batch_courses import service as batch_courses
from registrar.students.models import Student, StudentStatus
from registrar.transfer.csv_rows import StudentRow
from registrar.transfer.importer import Parsed, ProgressFn, write_rows


def write(
    session: Session,
    institution_id: uuid.UUID,
    checked: list[tuple[Parsed[StudentRow], dict[str, Any]]],
    default_password: str | None,
    progress: ProgressFn,
) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
    """Insert logins then students; each distinct password is hashed once."""
    passwords = {p for item, _ in checked if (p := item.row.password or default_password)}
    progress("Hashing passwords", 0, len(passwords))
    hashes = {}
    for done, password in enumerate(sorted(passwords), 1):
        hashes[password] = hash_password(password)
        progress("Hashing passwords", done, len(passwords))
    users: list[dict[str, Any]] = []
    students: list[dict[str, Any]] = []
    ids: list[tuple[uuid.UUID, uuid.UUID | None]] = []
    for item, values in checked:
        row = item.row
        user_id = None
        login_password = row.password or default_password
        if login_password:
            user_id = uuid.uuid4()
            users.append(
                {
                    "id": user_id,
                    "institution_id": institution_id,
                    "username": row.roll_number,
                    "password_hash": hashes[login_password],
                    "role": Role.STUDENT.value,
                    "full_name": row.name,
                    "email": row.email,
                    "is_active": True,
                }
            )
        student_id = uuid.uuid4()
        students.append(
            {
                "id": student_id,
                "institution_id": institution_id,
                "user_id": user_id,
                "roll_number": row.roll_number,
                "name": row.name,
                "email": row.email,
                "gender": row.gender.value if row.gender else None,
                "category": row.category,
                "guardian_email": row.guardian_email,
                "admission_year": row.admission_year,
                "status": row.status.value,
                **values,
            }
        )
        ids.append((student_id, values["batch_id"] if row.status is StudentStatus.ACTIVE else None))
    write_rows(session, cast(Table, User.__table__), users, "Writing logins", progress)
    write_rows(session, cast(Table, Student.__table__), students, "Writing students", progress)
    return ids


def auto_enroll(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    ids: list[tuple[uuid.UUID, uuid.UUID | None]],
    progress: ProgressFn,
) -> dict[str, int]:
    """Enroll active students of batches with auto-enroll courses through the engine."""
    enrolling = batch_repository.batches_with_auto_enroll(
        session, institution_id, (b for _, b in ids if b is not None)
    )
    due = [(s, b) for s, b in ids if b in enrolling]
    outcomes: Counter[str] = Counter()
    progress("Auto-enrolling", 0, len(due))
    for done, (student_id, batch_id) in enumerate(due, 1):
        assert batch_id is not None
        for outcome in batch_courses.auto_enroll_student_in_batch_courses(
            session,
            institution_id=institution_id,
            student_id=student_id,
            batch_id=batch_id,
            actor=actor,
        ):
            outcomes[outcome.outcome.value] += 1
        progress("Auto-enrolling", done, len(due))
    return dict(outcomes)
