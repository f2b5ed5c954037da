"""Academic years (`2024-2025`, `SY2024-2025`)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear
from registrar.academics.repository import structure as repo
from registrar.academics.schemas.structure import AcademicYearCreate, AcademicYearUpdate
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.errors import ValidationFailed
from registrar.kit.pagination import PageParams, paginate

ENTITY = "academic_year"


def list_years(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    is_current: bool | None = None,
    q: str | None = None,
) -> tuple[list[AcademicYear], int]:
    """One page of the institution's academic years."""
    statement = repo.academic_years(common.institution_of(principal), is_current=is_current, q=q)
    return paginate(session, statement, params)


def get_year(session: Session, principal: Principal, year_id: uuid.UUID) -> AcademicYear:
    """One academic year of the institution."""
    return common.get_or_404(session, AcademicYear, principal, year_id, "Academic year")


def check_dates(start: date, end: date) -> None:
    """422 unless the year (or term) ends after it starts."""
    if end <= start:
        raise ValidationFailed(
            "end_date must be after start_date",
            details={"start_date": start.isoformat(), "end_date": end.isoformat()},
        )


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(
        session, AcademicYear, AcademicYear.code, principal, "Academic year", code, exclude_id
    )


def create_year(session: Session, principal: Principal, data: AcademicYearCreate) -> AcademicYear:
    """Add an academic year; marking it current unmarks the others."""
    check_dates(data.start_date, data.end_date)
    _ensure_code_free(session, principal, data.code)
    row = common.insert(session, principal, AcademicYear, data.model_dump())
    if row.is_current:
        repo.clear_current_year(session, row.institution_id, row.id)
    common.record_created(session, principal, ENTITY, row)
    return row


def update_year(
    session: Session, principal: Principal, year_id: uuid.UUID, data: AcademicYearUpdate
) -> AcademicYear:
    """Change an academic year."""
    row = get_year(session, principal, year_id)
    changes = data.model_dump(exclude_unset=True)
    check_dates(
        changes.get("start_date") or row.start_date, changes.get("end_date") or row.end_date
    )
    _ensure_code_free(session, principal, changes.get("code"), row.id)
    common.save_changes(session, principal, ENTITY, row, changes)
    if changes.get("is_current"):
        repo.clear_current_year(session, row.institution_id, row.id)
    return row


def deactivate_year(session: Session, principal: Principal, year_id: uuid.UUID) -> AcademicYear:
    """Retire a year: it stops being the current one (years carry no active flag)."""
    row = get_year(session, principal, year_id)
    if row.is_current:
        row.is_current = False
        common.record(
            session,
            principal,
            ENTITY,
            "deactivated",
            row.id,
            {"before": {"is_current": True}, "after": {"is_current": False}},
        )
    session.flush()
    return row
