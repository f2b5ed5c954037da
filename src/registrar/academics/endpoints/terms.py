"""/api/admin/terms"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.models import TermKind
from registrar.academics.schemas.structure import TermCreate, TermRead, TermUpdate
from registrar.academics.service import terms as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/terms", tags=["academic structure"])


@router.get("")
def list_terms(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    academic_year_id: uuid.UUID | None = None,
    kind: TermKind | None = None,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[TermRead]:
    """Terms, latest first, filtered by year, kind, status or a code/name search."""
    rows, total = service.list_terms(
        session,
        principal,
        page,
        academic_year_id=academic_year_id,
        kind=kind,
        is_active=is_active,
        q=q,
    )
    return page_of(rows, total, page, TermRead.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_term(session: SessionDep, principal: CurrentRegistrar, body: TermCreate) -> TermRead:
    """Add a term to an academic year."""
    return TermRead.model_validate(service.create_term(session, principal, body))


@router.get("/{term_id}")
def get_term(session: ReadSessionDep, principal: CurrentRegistrar, term_id: uuid.UUID) -> TermRead:
    """One term."""
    return TermRead.model_validate(service.get_term(session, principal, term_id))


@router.patch("/{term_id}")
def update_term(
    session: SessionDep, principal: CurrentRegistrar, term_id: uuid.UUID, body: TermUpdate
) -> TermRead:
    """Change a term."""
    return TermRead.model_validate(service.update_term(session, principal, term_id, body))


@router.post("/{term_id}/deactivate")
@router.delete("/{term_id}")
def deactivate_term(
    session: SessionDep, principal: CurrentRegistrar, term_id: uuid.UUID
) -> TermRead:
    """Mark a term inactive (nothing is deleted)."""
    return TermRead.model_validate(service.deactivate_term(session, principal, term_id))
