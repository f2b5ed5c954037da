"""/api/admin/departments"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.schemas.structure import DepartmentCreate, DepartmentRead, DepartmentUpdate
from registrar.academics.service import departments as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/departments", tags=["academic structure"])


@router.get("")
def list_departments(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[DepartmentRead]:
    """Departments, filtered by status or a code/name search."""
    rows, total = service.list_departments(session, principal, page, is_active=is_active, q=q)
    return page_of(rows, total, page, DepartmentRead.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_department(
    session: SessionDep, principal: CurrentRegistrar, body: DepartmentCreate
) -> DepartmentRead:
    """Add a department."""
    return DepartmentRead.model_validate(service.create_department(session, principal, body))


@router.get("/{department_id}")
def get_department(
    session: ReadSessionDep, principal: CurrentRegistrar, department_id: uuid.UUID
) -> DepartmentRead:
    """One department."""
    return DepartmentRead.model_validate(service.get_department(session, principal, department_id))


@router.patch("/{department_id}")
def update_department(
    session: SessionDep,
    principal: CurrentRegistrar,
    department_id: uuid.UUID,
    body: DepartmentUpdate,
) -> DepartmentRead:
    """Change a department."""
    row = service.update_department(session, principal, department_id, body)
    return DepartmentRead.model_validate(row)


@router.post("/{department_id}/deactivate")
@router.delete("/{department_id}")
def deactivate_department(
    session: SessionDep, principal: CurrentRegistrar, department_id: uuid.UUID
) -> DepartmentRead:
    """Mark a department inactive (nothing is deleted)."""
    row = service.deactivate_department(session, principal, department_id)
    return DepartmentRead.model_validate(row)
