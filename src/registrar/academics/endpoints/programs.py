"""/api/admin/programs"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.models import ProgramLevel
from registrar.academics.schemas.structure import ProgramCreate, ProgramRead, ProgramUpdate
from registrar.academics.service import programs as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/programs", tags=["academic structure"])


@router.get("")
def list_programs(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    department_id: uuid.UUID | None = None,
    level: ProgramLevel | None = None,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[ProgramRead]:
    """Programs, filtered by department, level, status or a code/name search."""
    rows, total = service.list_programs(
        session,
        principal,
        page,
        department_id=department_id,
        level=level,
        is_active=is_active,
        q=q,
    )
    return page_of(rows, total, page, ProgramRead.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_program(
    session: SessionDep, principal: CurrentRegistrar, body: ProgramCreate
) -> ProgramRead:
    """Add a program to a department."""
    return ProgramRead.model_validate(service.create_program(session, principal, body))


@router.get("/{program_id}")
def get_program(
    session: ReadSessionDep, principal: CurrentRegistrar, program_id: uuid.UUID
) -> ProgramRead:
    """One program."""
    return ProgramRead.model_validate(service.get_program(session, principal, program_id))


@router.patch("/{program_id}")
def update_program(
    session: SessionDep, principal: CurrentRegistrar, program_id: uuid.UUID, body: ProgramUpdate
) -> ProgramRead:
    """Change a program."""
    return ProgramRead.model_validate(service.update_program(session, principal, program_id, body))


@router.post("/{program_id}/deactivate")
@router.delete("/{program_id}")
def deactivate_program(
    session: SessionDep, principal: CurrentRegistrar, program_id: uuid.UUID
) -> ProgramRead:
    """Mark a program inactive (nothing is deleted)."""
    return ProgramRead.model_validate(service.deactivate_program(session, principal, program_id))
