"""Queries for institutions."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.institutions.models import Institution, LevelPolicy


def find_by_tag(session: Session, tag: str) -> Institution | None:
    """The active institution with that tag, if any."""
    return session.scalar(
        select(Institution).where(Institution.tag == tag, Institution.is_active.is_(True))
    )


def get(session: Session, institution_id: uuid.UUID) -> Institution | None:
    """The active institution with that id, if any."""
    return session.scalar(
        select(Institution).where(Institution.id == institution_id, Institution.is_active.is_(True))
    )


def only_one(session: Session) -> Institution | None:
    """The single active institution of a one-tenant deployment; None when there are several."""
    found = session.scalars(select(Institution).where(Institution.is_active.is_(True)).limit(2))
    institutions = list(found)
    return institutions[0] if len(institutions) == 1 else None


def exists_active(session: Session) -> bool:
    """True when at least one institution is active."""
    found = session.scalar(select(Institution.id).where(Institution.is_active.is_(True)).limit(1))
    return found is not None


def exists_any(session: Session) -> bool:
    """True once any institution has been created."""
    return session.scalar(select(Institution.id).limit(1)) is not None


def level_capacity(session: Session, institution_id: uuid.UUID, grade_level: int) -> int | None:
    """The section capacity of the school level that teaches the grade, if one does."""
    return session.scalar(
        select(LevelPolicy.section_capacity).where(
            LevelPolicy.institution_id == institution_id,
            LevelPolicy.min_grade_level <= grade_level,
            LevelPolicy.max_grade_level >= grade_level,
        )
    )
