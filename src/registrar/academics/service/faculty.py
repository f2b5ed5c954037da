"""Faculty (teachers and professors)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.models import Department, Faculty
from registrar.academics.repository import catalog as repo
from registrar.academics.schemas.catalog import FacultyCreate, FacultyUpdate
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.kit.pagination import PageParams, paginate

ENTITY = "faculty"


def list_faculty(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    department_id: uuid.UUID | None = None,
    is_active: bool | None = None,
    q: str | None = None,
) -> tuple[list[Faculty], int]:
    """One page of the institution's faculty."""
    statement = repo.faculty(
        common.institution_of(principal), department_id=department_id, is_active=is_active, q=q
    )
    return paginate(session, statement, params)


def get_faculty(session: Session, principal: Principal, faculty_id: uuid.UUID) -> Faculty:
    """One faculty member of the institution."""
    return common.get_or_404(session, Faculty, principal, faculty_id, "Faculty member")


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(
        session, Faculty, Faculty.employee_code, principal, "Employee code", code, exclude_id
    )


def create_faculty(session: Session, principal: Principal, data: FacultyCreate) -> Faculty:
    """Add a faculty member."""
    common.reference(
        session, Department, principal, data.department_id, "Department", "department_id"
    )
    _ensure_code_free(session, principal, data.employee_code)
    row = common.insert(session, principal, Faculty, data.model_dump())
    common.record_created(session, principal, ENTITY, row)
    return row


def update_faculty(
    session: Session, principal: Principal, faculty_id: uuid.UUID, data: FacultyUpdate
) -> Faculty:
    """Change a faculty member."""
    row = get_faculty(session, principal, faculty_id)
    changes = data.model_dump(exclude_unset=True)
    common.reference(
        session, Department, principal, changes.get("department_id"), "Department", "department_id"
    )
    _ensure_code_free(session, principal, changes.get("employee_code"), row.id)
    common.save_changes(session, principal, ENTITY, row, changes)
    return row


def deactivate_faculty(session: Session, principal: Principal, faculty_id: uuid.UUID) -> Faculty:
    """Mark a faculty member inactive; their past sections keep them."""
    row = get_faculty(session, principal, faculty_id)
    common.deactivate(session, principal, ENTITY, row)
    return row
