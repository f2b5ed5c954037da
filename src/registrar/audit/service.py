"""Writing the audit trail, always inside the caller's transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from registrar.audit.models import AuditEvent
from registrar.kit.columns import utcnow
from registrar.kit.core import table_of

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
