"""Terms (the calendar semesters of a year, with their registration windows)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, Term, TermKind
from registrar.academics.repository import structure as repo
from registrar.academics.schemas.structure import TermCreate, TermUpdate
from registrar.academics.service import common
from registrar.academics.service.years import check_dates
from registrar.auth.principal import Principal
from registrar.errors import Conflict, ValidationFailed
from registrar.kit.pagination import PageParams, paginate

ENTITY = "term"


def list_terms(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    academic_year_id: uuid.UUID | None = None,
    kind: TermKind | None = None,
    is_active: bool | None = None,
    q: str | None = None,
) -> tuple[list[Term], int]:
    """One page of the institution's terms."""
    statement = repo.terms(
        common.institution_of(principal),
        academic_year_id=academic_year_id,
        kind=kind,
        is_active=is_active,
        q=q,
    )
    return paginate(session, statement, params)


def get_term(session: Session, principal: Principal, term_id: uuid.UUID) -> Term:
    """One term of the institution."""
    return common.get_or_404(session, Term, principal, term_id, "Term")


def _check(values: dict[str, Any]) -> None:
    """422 for dates or credit limits a registrar would never mean."""
    check_dates(values["start_date"], values["end_date"])
    opens, closes = values["registration_start"], values["registration_end"]
    if closes <= opens:
        raise ValidationFailed(
            "registration_end must be after registration_start",
            details={
                "registration_start": opens.isoformat(),
                "registration_end": closes.isoformat(),
            },
        )
    deadline = values.get("drop_deadline")
    if deadline is not None and deadline < opens:
        raise ValidationFailed(
            "drop_deadline must not be before registration_start",
            details={"drop_deadline": deadline.isoformat()},
        )
    low, high = values.get("min_credits"), values.get("max_credits")
    if low is not None and high is not None and low > high:
        raise ValidationFailed(
            "min_credits must not exceed max_credits",
            details={"min_credits": low, "max_credits": high},
        )


def _check_unique(
    session: Session, principal: Principal, values: dict[str, Any], exclude_id: uuid.UUID | None
) -> None:
    code = values["code"]
    common.ensure_code_free(session, Term, Term.code, principal, "Term code", code, exclude_id)
    year = common.reference(
        session,
        AcademicYear,
        principal,
        values["academic_year_id"],
        "Academic year",
        "academic_year_id",
    )
    assert year is not None  # a term always names its year
    kind = TermKind(values["kind"])
    if repo.year_has_kind(session, year.id, kind, exclude_id):
        raise Conflict(
            f"Academic year {year.code} already has a {kind.value} term",
            details={"academic_year": year.code, "kind": kind.value},
        )


def create_term(session: Session, principal: Principal, data: TermCreate) -> Term:
    """Add a term to an academic year of the institution."""
    values = data.model_dump()
    _check(values)
    _check_unique(session, principal, values, None)
    row = common.insert(session, principal, Term, values)
    common.record_created(session, principal, ENTITY, row)
    return row


def update_term(
    session: Session, principal: Principal, term_id: uuid.UUID, data: TermUpdate
) -> Term:
    """Change a term; the resulting dates are checked as a whole."""
    row = get_term(session, principal, term_id)
    changes = data.model_dump(exclude_unset=True)
    common.reject_nulls(Term, changes)
    merged = {**common.snapshot_raw(row), **changes}
    _check(merged)
    if {"code", "academic_year_id", "kind"} & changes.keys():
        _check_unique(session, principal, merged, row.id)
    common.save_changes(session, principal, ENTITY, row, changes)
    return row


def deactivate_term(session: Session, principal: Principal, term_id: uuid.UUID) -> Term:
    """Mark a term inactive; its sections and enrollments keep their history."""
    row = get_term(session, principal, term_id)
    common.deactivate(session, principal, ENTITY, row)
    return row
