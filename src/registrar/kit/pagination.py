"""Limit/offset pagination for list endpoints."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from registrar.kit.bounds import MAX_OFFSET

T = TypeVar("T")

MAX_PAGE_SIZE = 500


class PageParams(BaseModel):
    """Which slice of a list the client asks for."""

    limit: int = 50
    offset: int = 0


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")] = 0,
) -> PageParams:
    """Read `limit` and `offset` from the query string."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total the filters match."""

    items: list[T]
    total: int
    limit: int
    offset: int


def count_of(session: Session, statement: Select[T]) -> int:
    """How many rows a select would return without its limit."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


def paginate(session: Session, statement: Select[T], params: PageParams) -> tuple[list[T], int]:
    """The rows of one page and the total count."""
    rows = list(session.scalars(statement.limit(params.limit).offset(params.offset)))
    return rows, count_of(session, statement)
