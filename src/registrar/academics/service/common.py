"""Helpers every academic service shares: lookups, uniqueness, changes and their audit trail."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import InstrumentedAttribute, Session

from registrar.academics.repository import common as repo
from registrar.academics.repository.common import RowT
from registrar.audit import service as audit
from registrar.auth.principal import Principal
from registrar.errors import Conflict, NotFound, ValidationFailed

# Bookkeeping columns that say nothing a registrar changed.
_UNAUDITED = {"created_at", "updated_at", "institution_id"}


def institution_of(principal: Principal) -> uuid.UUID:
    """The institution every query of this request is confined to."""
    return principal.institution.id


def get_or_404(
    session: Session,
    model: type[RowT],
    principal: Principal,
    row_id: uuid.UUID,
    label: str,
    *,
    for_update: bool = False,
) -> RowT:
    """The row named in the path, or 404 whether it is missing or another institution's."""
    row = repo.get(session, model, institution_of(principal), row_id, for_update=for_update)
    if row is None:
        raise NotFound(f"{label} not found")
    return row


def reference(
    session: Session,
    model: type[RowT],
    principal: Principal,
    row_id: uuid.UUID | None,
    label: str,
    field: str,
) -> RowT | None:
    """The row a request body refers to, or 422 naming the field; None stays None."""
    if row_id is None:
        return None
    row = repo.get(session, model, institution_of(principal), row_id)
    if row is None:
        raise ValidationFailed(f"{label} {row_id} not found", details={"field": field})
    return row


def ensure_unique(
    session: Session,
    model: type[RowT],
    column: InstrumentedAttribute[Any],
    principal: Principal,
    value: object,
    message: str,
    exclude_id: uuid.UUID | None = None,
) -> None:
    """409 with `message` when another row of the institution already uses the value."""
    if repo.value_taken(session, model, column, institution_of(principal), value, exclude_id):
        raise Conflict(message, details={"field": column.key, "value": value})


def ensure_code_free(
    session: Session,
    model: type[RowT],
    column: InstrumentedAttribute[Any],
    principal: Principal,
    what: str,
    code: str | None,
    exclude_id: uuid.UUID | None = None,
) -> None:
    """409 "<what> <code> already exists" when another row uses the code; None checks nothing."""
    if code is not None:
        ensure_unique(
            session, model, column, principal, code, f"{what} {code} already exists", exclude_id
        )


def plain(value: object) -> object:
    """A JSON-ready copy of a column value, for audit details."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID | date | datetime | time | Decimal):
        return value.isoformat() if not isinstance(value, uuid.UUID | Decimal) else str(value)
    return value


def snapshot(row: object) -> dict[str, object]:
    """The row's column values, JSON-ready."""
    mapper = inspect(row.__class__)
    return {
        attr.key: plain(getattr(row, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _UNAUDITED
    }


def snapshot_raw(row: object) -> dict[str, Any]:
    """The row's column values as they are."""
    return {attr.key: getattr(row, attr.key) for attr in inspect(row.__class__).column_attrs}


def reject_nulls(model: type[object], changes: dict[str, Any]) -> None:
    """422 when a PATCH sets a required column to null."""
    table = inspect(model).local_table
    for field, value in changes.items():
        if value is None and field in table.c and not table.c[field].nullable:
            raise ValidationFailed(f"{field} cannot be null", details={"field": field})


def apply_changes(row: object, changes: dict[str, Any]) -> dict[str, dict[str, object]]:
    """Set the given columns, refusing null for required ones; returns {field: {before, after}}."""
    reject_nulls(row.__class__, changes)
    diff: dict[str, dict[str, object]] = {}
    for field, value in changes.items():
        before = getattr(row, field)
        if before != value:
            diff[field] = {"before": plain(before), "after": plain(value)}
            setattr(row, field, value)
    return diff


def record(
    session: Session,
    principal: Principal,
    entity_type: str,
    verb: str,
    row_id: uuid.UUID,
    details: dict[str, Any],
) -> None:
    """Write the audit event of one change, in the request's transaction."""
    audit.record(
        session,
        institution_id=institution_of(principal),
        actor_user_id=principal.user.id,
        action=f"{entity_type}.{verb}",
        entity_type=entity_type,
        entity_id=row_id,
        details=details,
    )


def insert(
    session: Session, principal: Principal, model: type[RowT], values: dict[str, Any]
) -> RowT:
    """Add a row of the principal's institution and flush it, so it has its id."""
    row = model(institution_id=institution_of(principal), **values)
    session.add(row)
    session.flush()
    return row


def record_created(
    session: Session, principal: Principal, entity_type: str, row: Any, **extra: object
) -> None:
    """Audit a creation with the values written (and `extra`, for what lives outside the row)."""
    record(
        session, principal, entity_type, "created", row.id, {"after": {**snapshot(row), **extra}}
    )


def record_updated(
    session: Session,
    principal: Principal,
    entity_type: str,
    row: Any,
    diff: dict[str, dict[str, object]],
) -> None:
    """Audit an update with the before and after of each changed field."""
    details = {
        "before": {field: change["before"] for field, change in diff.items()},
        "after": {field: change["after"] for field, change in diff.items()},
    }
    record(session, principal, entity_type, "updated", row.id, details)


def save_changes(
    session: Session, principal: Principal, entity_type: str, row: Any, changes: dict[str, Any]
) -> dict[str, dict[str, object]]:
    """Apply a PATCH's columns, flush, and audit what really changed; returns that diff."""
    diff = apply_changes(row, changes)
    session.flush()
    if diff:
        record_updated(session, principal, entity_type, row, diff)
    return diff


def deactivate(session: Session, principal: Principal, entity_type: str, row: Any) -> None:
    """Mark a row inactive (it is never deleted) and audit it."""
    if row.is_active:
        row.is_active = False
        record(
            session,
            principal,
            entity_type,
            "deactivated",
            row.id,
            {"before": {"is_active": True}, "after": {"is_active": False}},
        )
    session.flush()
