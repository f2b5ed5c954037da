"""Queries for courses (with their prerequisite graph), faculty and rooms."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session, selectinload

from registrar.academics.models import Course, Faculty, Room, course_prerequisites
from registrar.academics.repository.common import equal_filters, search


def courses(institution_id: uuid.UUID, filters: dict[str, Any], q: str | None) -> Select[Any]:
    """Courses of the institution with their prerequisites, by code."""
    statement = (
        select(Course)
        .where(Course.institution_id == institution_id)
        .options(selectinload(Course.prerequisites))
    )
    statement = equal_filters(
        statement, {getattr(Course, name): value for name, value in filters.items()}
    )
    return search(statement, q, Course.code, Course.title).order_by(Course.code)


def course_with_prerequisites(
    session: Session, institution_id: uuid.UUID, course_id: uuid.UUID
) -> Course | None:
    """One course with its prerequisites freshly loaded."""
    return session.scalar(
        select(Course)
        .where(Course.id == course_id, Course.institution_id == institution_id)
        .options(selectinload(Course.prerequisites))
        .execution_options(populate_existing=True)
    )


def course_codes(
    session: Session, institution_id: uuid.UUID, course_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The codes of those of the given courses that belong to the institution."""
    ids = list(set(course_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Course.id, Course.code).where(
            Course.institution_id == institution_id, Course.id.in_(ids)
        )
    )
    return {row.id: row.code for row in rows}


def prerequisite_graph(
    session: Session, institution_id: uuid.UUID
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Every course's direct prerequisites in the institution (one query)."""
    graph: dict[uuid.UUID, set[uuid.UUID]] = {}
    rows = session.execute(
        select(course_prerequisites.c.course_id, course_prerequisites.c.prerequisite_id).where(
            course_prerequisites.c.institution_id == institution_id
        )
    )
    for course_id, prerequisite_id in rows:
        graph.setdefault(course_id, set()).add(prerequisite_id)
    return graph


def replace_prerequisites(
    session: Session, institution_id: uuid.UUID, course_id: uuid.UUID, ids: list[uuid.UUID]
) -> None:
    """Make `ids` the course's prerequisites."""
    session.execute(
        delete(course_prerequisites).where(course_prerequisites.c.course_id == course_id)
    )
    if ids:
        session.execute(
            insert(course_prerequisites),
            [
                {"institution_id": institution_id, "course_id": course_id, "prerequisite_id": p}
                for p in ids
            ],
        )


def faculty(
    institution_id: uuid.UUID,
    *,
    department_id: uuid.UUID | None,
    is_active: bool | None,
    q: str | None,
) -> Select[Any]:
    """Faculty of the institution, by name."""
    statement = select(Faculty).where(Faculty.institution_id == institution_id)
    statement = equal_filters(
        statement, {Faculty.department_id: department_id, Faculty.is_active: is_active}
    )
    statement = search(statement, q, Faculty.name, Faculty.employee_code, Faculty.email)
    return statement.order_by(Faculty.name, Faculty.employee_code)


def rooms(
    institution_id: uuid.UUID, *, building: str | None, is_active: bool | None, q: str | None
) -> Select[Any]:
    """Rooms of the institution, by code."""
    statement = select(Room).where(Room.institution_id == institution_id)
    statement = equal_filters(statement, {Room.building: building, Room.is_active: is_active})
    return search(statement, q, Room.code, Room.building).order_by(Room.code)


def rooms_by_code(
    session: Session, institution_id: uuid.UUID, codes: Iterable[str], *, lock: bool = False
) -> dict[str, Room]:
    """The institution's rooms with these codes; locked when about to be booked."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    statement = select(Room).where(Room.institution_id == institution_id, Room.code.in_(wanted))
    if lock:
        # Serializes bookings of the same room, so two sections cannot both pass the clash check.
        statement = statement.order_by(Room.id).with_for_update()
    return {room.code: room for room in session.scalars(statement)}
