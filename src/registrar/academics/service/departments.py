"""Departments."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.models import Department
from registrar.academics.repository import structure as repo
from registrar.academics.schemas.structure import DepartmentCreate, DepartmentUpdate
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.kit.pagination import PageParams, paginate

ENTITY = "department"


def list_departments(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    is_active: bool | None = None,
    q: str | None = None,
) -> tuple[list[Department], int]:
    """One page of the institution's departments."""
    statement = repo.departments(common.institution_of(principal), is_active=is_active, q=q)
    return paginate(session, statement, params)


def get_department(session: Session, principal: Principal, department_id: uuid.UUID) -> Department:
    """One department of the institution."""
    return common.get_or_404(session, Department, principal, department_id, "Department")


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(
        session, Department, Department.code, principal, "Department code", code, exclude_id
    )


def create_department(session: Session, principal: Principal, data: DepartmentCreate) -> Department:
    """Add a department."""
    _ensure_code_free(session, principal, data.code)
    row = common.insert(session, principal, Department, data.model_dump())
    common.record_created(session, principal, ENTITY, row)
    return row


def update_department(
    session: Session, principal: Principal, department_id: uuid.UUID, data: DepartmentUpdate
) -> Department:
    """Change a department's code or name."""
    row = get_department(session, principal, department_id)
    changes = data.model_dump(exclude_unset=True)
    _ensure_code_free(session, principal, changes.get("code"), row.id)
    common.save_changes(session, principal, ENTITY, row, changes)
    return row


def deactivate_department(
    session: Session, principal: Principal, department_id: uuid.UUID
) -> Department:
    """Mark a department inactive; its programs and courses keep their history."""
    row = get_department(session, principal, department_id)
    common.deactivate(session, principal, ENTITY, row)
    return row
