"""Queries of holds."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, Connection, exists, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from registrar.holds.models import Hold
from registrar.institutions.models import Institution, InstitutionKind


def active_clause(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """`models.is_active` as SQL: not released, not expired at `now`."""
    return Hold.released_at.is_(None) & or_(Hold.expires_at.is_(None), Hold.expires_at > now)


def on_hold(
    student_id: QueryableAttribute[uuid.UUID], now: BindParameter[datetime]
) -> ColumnElement[bool]:
    """Whether the student has an active hold, as a column of a bigger query (the engine reads
    it with the student's row: no statement of its own)."""
    return exists().where(Hold.student_id == student_id, active_clause(now))


def active_types(connection: Connection, student_id: uuid.UUID, now: datetime) -> tuple[str, ...]:
    """The types of the student's active holds, oldest first, each once."""
    types = connection.scalars(
        select(Hold.hold_type)
        .where(Hold.student_id == student_id, active_clause(now))
        .order_by(Hold.placed_at, Hold.id)
    )
    return tuple(dict.fromkeys(kind.value for kind in types))


def get(session: Session, institution_id: uuid.UUID, hold_id: uuid.UUID) -> Hold | None:
    """The institution's hold with that id."""
    hold = session.get(Hold, hold_id)
    return hold if hold is not None and hold.institution_id == institution_id else None


def of_student(session: Session, institution_id: uuid.UUID, student_id: uuid.UUID) -> list[Hold]:
    """Every hold of the student, newest first."""
    return list(
        session.scalars(
            select(Hold)
            .where(Hold.institution_id == institution_id, Hold.student_id == student_id)
            .order_by(Hold.placed_at.desc(), Hold.id)
        )
    )


def active_of_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID, now: datetime
) -> list[Hold]:
    """The student's holds that block registering at `now`, oldest first."""
    return list(
        session.scalars(
            select(Hold)
            .where(
                Hold.institution_id == institution_id,
                Hold.student_id == student_id,
                active_clause(now),
            )
            .order_by(Hold.placed_at, Hold.id)
        )
    )


def is_school(session: Session, institution_id: uuid.UUID) -> bool:
    """Whether the institution is a school (its students' guardians are told of holds too)."""
    kind = session.scalar(select(Institution.kind).where(Institution.id == institution_id))
    return kind is InstitutionKind.K12
