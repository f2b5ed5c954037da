"""Writing the audit trail, always inside the caller's transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.audit.models import AuditEvent


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
) -> AuditEvent:
    """Add an audit event to the session; it commits (or not) with the change it describes."""
    event = AuditEvent(
        institution_id=institution_id,
        actor_user_id=actor_user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    return event
