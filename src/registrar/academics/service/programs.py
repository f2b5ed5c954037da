"""Academic programs (B.Tech, MBA, ...)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicProgram, Department, ProgramLevel
from registrar.academics.repository import structure as repo
from registrar.academics.schemas.structure import ProgramCreate, ProgramUpdate
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.kit.pagination import PageParams, paginate

ENTITY = "program"


def list_programs(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    department_id: uuid.UUID | None = None,
    level: ProgramLevel | None = None,
    is_active: bool | None = None,
    q: str | None = None,
) -> tuple[list[AcademicProgram], int]:
    """One page of the institution's programs."""
    statement = repo.programs(
        common.institution_of(principal),
        department_id=department_id,
        level=level,
        is_active=is_active,
        q=q,
    )
    return paginate(session, statement, params)


def get_program(session: Session, principal: Principal, program_id: uuid.UUID) -> AcademicProgram:
    """One program of the institution."""
    return common.get_or_404(session, AcademicProgram, principal, program_id, "Program")


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(
        session, AcademicProgram, AcademicProgram.code, principal, "Program code", code, exclude_id
    )


def create_program(session: Session, principal: Principal, data: ProgramCreate) -> AcademicProgram:
    """Add a program to a department of the institution."""
    common.reference(
        session, Department, principal, data.department_id, "Department", "department_id"
    )
    _ensure_code_free(session, principal, data.code)
    row = common.insert(session, principal, AcademicProgram, data.model_dump())
    common.record_created(session, principal, ENTITY, row)
    return row


def update_program(
    session: Session, principal: Principal, program_id: uuid.UUID, data: ProgramUpdate
) -> AcademicProgram:
    """Change a program."""
    row = get_program(session, principal, program_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("department_id") is not None:
        common.reference(
            session, Department, principal, changes["department_id"], "Department", "department_id"
        )
    _ensure_code_free(session, principal, changes.get("code"), row.id)
    common.save_changes(session, principal, ENTITY, row, changes)
    return row


def deactivate_program(
    session: Session, principal: Principal, program_id: uuid.UUID
) -> AcademicProgram:
    """Mark a program inactive."""
    row = get_program(session, principal, program_id)
    common.deactivate(session, principal, ENTITY, row)
    return row
