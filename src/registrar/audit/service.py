"""The audit trail: written inside the caller's transaction, read by registrars and students."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from registrar.audit import repository
from registrar.audit.models import AuditEvent
from registrar.audit.schemas import AuditActor, AuditFilters, AuditItem
from registrar.auth.models import User
from registrar.kit.columns import utcnow
from registrar.kit.core import table_of
from registrar.kit.csv_export import Export
from registrar.kit.pagination import Page, PageParams

_INSERT_EVENT = insert(table_of(AuditEvent))


def record(
    session: Session,
    *,
    institution_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> uuid.UUID:
    """Write an audit event in the caller's transaction (it commits, or not, with the change
    it describes); its id.

    A plain INSERT on the session's connection rather than an ORM object: the engine writes
    one per enrollment. (Nothing pending in the session needs flushing first: an event refers
    only to its institution and its actor, who exist already.)
    """
    event_id = uuid.uuid4()
    session.connection().execute(
        _INSERT_EVENT,
        {
            "id": event_id,
            "institution_id": institution_id,
            "actor_user_id": actor_user_id,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "reason": reason,
            "details": details or {},
            "occurred_at": utcnow(),
        },
    )
    return event_id


# What a student never reads in their own history: a registrar's private reasons.
_PRIVATE = frozenset({"reason", "release_reason"})
CSV_HEADER = ("at", "action", "entity", "entity_id", "actor", "actor_role", "reason", "details")
MAX_CSV_ROWS = 100_000


def _item(event: AuditEvent, actor: User | None, *, private: bool = True) -> AuditItem:
    details = dict(event.details or {})
    if event.reason is not None:
        details.setdefault("reason", event.reason)
    if not private:
        details = {k: v for k, v in details.items() if k not in _PRIVATE}
    return AuditItem(
        id=event.id,
        at=event.occurred_at,
        actor=AuditActor(id=actor.id, username=actor.username, role=actor.role.value)
        if actor is not None
        else None,
        action=event.action,
        entity=event.entity_type,
        entity_id=event.entity_id,
        details=details,
    )


def _page(
    session: Session, institution_id: uuid.UUID, filters: AuditFilters, params: PageParams
) -> tuple[list[tuple[AuditEvent, User | None]], int]:
    statement = repository.events(institution_id, filters)
    page = session.execute(statement.limit(params.limit).offset(params.offset))
    rows: list[tuple[AuditEvent, User | None]] = [(event, actor) for event, actor in page]
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return rows, int(session.scalar(counted) or 0)


def read_trail(
    session: Session, institution_id: uuid.UUID, filters: AuditFilters, params: PageParams
) -> Page[AuditItem]:
    """One page of the institution's events, newest first."""
    rows, total = _page(session, institution_id, filters, params)
    return Page(
        items=[_item(event, actor) for event, actor in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


def history_of_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID, params: PageParams
) -> Page[AuditItem]:
    """What happened to a student's record, enrollments and holds, as the student reads it."""
    filters = AuditFilters(student_id=student_id)
    rows, total = _page(session, institution_id, filters, params)
    return Page(
        items=[_item(event, actor, private=False) for event, actor in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


def trail_csv(session: Session, institution_id: uuid.UUID, filters: AuditFilters) -> Export:
    """The same events as a CSV (at most MAX_CSV_ROWS, newest first)."""
    statement = repository.events(institution_id, filters).limit(MAX_CSV_ROWS)
    rows = []
    for event, actor in session.execute(statement):
        item = _item(event, actor)
        details = {k: v for k, v in item.details.items() if k != "reason"}
        rows.append(
            (
                item.at.isoformat(),
                item.action,
                item.entity,
                item.entity_id,
                item.actor.username if item.actor else "",
                item.actor.role if item.actor else "",
                item.details.get("reason", ""),
                json.dumps(details, sort_keys=True, default=str),
            )
        )
    return Export("audit.csv", CSV_HEADER, rows)
