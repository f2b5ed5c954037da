"""Shaping helpers shared by the academic routers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from registrar.kit.pagination import Page, PageParams

RowT = TypeVar("RowT")
ItemT = TypeVar("ItemT")


def page_of(
    rows: Sequence[RowT], total: int, params: PageParams, shape: Callable[[RowT], ItemT]
) -> Page[ItemT]:
    """A Page of shaped items."""
    return Page(
        items=[shape(row) for row in rows], total=total, limit=params.limit, offset=params.offset
    )
