"""Queries for students and batches."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.students.models import Student


def find_by_user(session: Session, institution_id: uuid.UUID, user_id: uuid.UUID) -> Student | None:
    """The student record of a login, if it has one."""
    return session.scalar(
        select(Student).where(Student.institution_id == institution_id, Student.user_id == user_id)
    )
