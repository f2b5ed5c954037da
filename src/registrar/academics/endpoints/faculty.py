"""/api/admin/faculty"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.schemas.catalog import FacultyCreate, FacultyRead, FacultyUpdate
from registrar.academics.service import faculty as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/faculty", tags=["academic structure"])


@router.get("")
def list_faculty(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    department_id: uuid.UUID | None = None,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[FacultyRead]:
    """Faculty, filtered by department, status or a name/code/email search."""
    rows, total = service.list_faculty(
        session, principal, page, department_id=department_id, is_active=is_active, q=q
    )
    return page_of(rows, total, page, FacultyRead.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_faculty(
    session: SessionDep, principal: CurrentRegistrar, body: FacultyCreate
) -> FacultyRead:
    """Add a faculty member."""
    return FacultyRead.model_validate(service.create_faculty(session, principal, body))


@router.get("/{faculty_id}")
def get_faculty(
    session: ReadSessionDep, principal: CurrentRegistrar, faculty_id: uuid.UUID
) -> FacultyRead:
    """One faculty member."""
    return FacultyRead.model_validate(service.get_faculty(session, principal, faculty_id))


@router.patch("/{faculty_id}")
def update_faculty(
    session: SessionDep, principal: CurrentRegistrar, faculty_id: uuid.UUID, body: FacultyUpdate
) -> FacultyRead:
    """Change a faculty member."""
    return FacultyRead.model_validate(service.update_faculty(session, principal, faculty_id, body))


@router.post("/{faculty_id}/deactivate")
@router.delete("/{faculty_id}")
def deactivate_faculty(
    session: SessionDep, principal: CurrentRegistrar, faculty_id: uuid.UUID
) -> FacultyRead:
    """Mark a faculty member inactive (nothing is deleted)."""
    return FacultyRead.model_validate(service.deactivate_faculty(session, principal, faculty_id))
