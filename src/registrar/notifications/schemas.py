"""Shapes of the registrar's view of the outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic.config import JsonDict

from registrar.notifications.models import NotificationStatus, RecipientKind

# A message the worker gave up on, and the same message once a registrar queued it again.
FAILED_EXAMPLE: JsonDict = {
    "id": "ceb11372-3608-4d11-b61c-5f734738785a",
    "event": "hold.placed",
    "recipient_kind": "STUDENT",
    "recipient_email": "22cs001@apu.edu.in",
    "subject": "A financial hold blocks your registration",
    "status": "FAILED",
    "attempts": 5,
    "last_error": "SMTP 421: mail.apu.edu.in service not available",
    "created_at": "2024-08-02T10:15:00Z",
    "sent_at": None,
}
RETRIED_EXAMPLE: JsonDict = {
    **FAILED_EXAMPLE,
    "status": "PENDING",
    "attempts": 0,
    "last_error": None,
}


class NotificationRead(BaseModel):
    """One outbox row as the registrar sees it (the body is left out of lists)."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [FAILED_EXAMPLE]}
    )

    id: uuid.UUID
    event: str
    recipient_kind: RecipientKind
    recipient_email: str | None
    subject: str
    status: NotificationStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
