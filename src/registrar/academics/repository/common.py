"""Queries shared by every academic resource: fetch by id, code uniqueness, text search."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar, cast

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from registrar.db import Base

RowT = TypeVar("RowT", bound=Base)


def _column(model: type[Base], name: str) -> InstrumentedAttribute[Any]:
    """A mapped column of a tenant table (every one has `id` and `institution_id`)."""
    return cast(InstrumentedAttribute[Any], getattr(model, name))


def get(
    session: Session,
    model: type[RowT],
    institution_id: uuid.UUID,
    row_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> RowT | None:
    """The row with this id in the institution, or None (another tenant's row does not exist)."""
    statement = select(model).where(
        _column(model, "id") == row_id,
        _column(model, "institution_id") == institution_id,
    )
    if for_update:
        statement = statement.with_for_update()
    return session.scalar(statement)


def value_taken(
    session: Session,
    model: type[RowT],
    column: InstrumentedAttribute[Any],
    institution_id: uuid.UUID,
    value: object,
    exclude_id: uuid.UUID | None = None,
) -> bool:
    """True when another row of the institution already holds this value in `column`."""
    condition = [column == value, _column(model, "institution_id") == institution_id]
    if exclude_id is not None:
        condition.append(_column(model, "id") != exclude_id)
    return bool(session.scalar(select(exists().where(*condition))))


def search(
    statement: Select[Any], text: str | None, *columns: InstrumentedAttribute[Any]
) -> Select[Any]:
    """Narrow a select to rows whose columns contain `text`, ignoring case."""
    if not text:
        return statement
    # A search for "CS_1" or "50%" means those characters, not LIKE wildcards.
    literal = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{literal}%"
    return statement.where(
        or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))
    )


def equal_filters(
    statement: Select[Any], filters: dict[InstrumentedAttribute[Any], object]
) -> Select[Any]:
    """Add `column = value` for every filter whose value was given."""
    for column, value in filters.items():
        if value is not None:
            statement = statement.where(column == value)
    return statement
