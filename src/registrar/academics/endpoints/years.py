"""/api/admin/academic-years"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.schemas.structure import (
    AcademicYearCreate,
    AcademicYearRead,
    AcademicYearUpdate,
)
from registrar.academics.service import years as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/academic-years", tags=["academic structure"])


@router.get("")
def list_years(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    is_current: bool | None = None,
    q: Search | None = None,
) -> Page[AcademicYearRead]:
    """Academic years, latest first, filtered by `is_current` or a code search."""
    rows, total = service.list_years(session, principal, page, is_current=is_current, q=q)
    return page_of(rows, total, page, AcademicYearRead.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_year(
    session: SessionDep, principal: CurrentRegistrar, body: AcademicYearCreate
) -> AcademicYearRead:
    """Add an academic year."""
    return AcademicYearRead.model_validate(service.create_year(session, principal, body))


@router.get("/{year_id}")
def get_year(
    session: ReadSessionDep, principal: CurrentRegistrar, year_id: uuid.UUID
) -> AcademicYearRead:
    """One academic year."""
    return AcademicYearRead.model_validate(service.get_year(session, principal, year_id))


@router.patch("/{year_id}")
def update_year(
    session: SessionDep, principal: CurrentRegistrar, year_id: uuid.UUID, body: AcademicYearUpdate
) -> AcademicYearRead:
    """Change an academic year."""
    return AcademicYearRead.model_validate(service.update_year(session, principal, year_id, body))


@router.post("/{year_id}/deactivate")
@router.delete("/{year_id}")
def deactivate_year(
    session: SessionDep, principal: CurrentRegistrar, year_id: uuid.UUID
) -> AcademicYearRead:
    """Retire a year: it is no longer the current one (nothing is deleted)."""
    return AcademicYearRead.model_validate(service.deactivate_year(session, principal, year_id))
