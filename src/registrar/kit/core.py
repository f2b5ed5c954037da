"""Helpers for plain Core statements on ORM-mapped tables (the hot paths' way to the database)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Row, Table

# A result row of any shape; callers read it by column name.
AnyRow = Row[*tuple[Any, ...]]


def table_of(model: type[Any]) -> Table:
    """The Table behind a mapped class, typed as one (the ORM types it as a FromClause)."""
    return cast(Table, model.__table__)
