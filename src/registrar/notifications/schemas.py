"""Shapes of the registrar's view of the outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from registrar.notifications.models import NotificationStatus, RecipientKind


class NotificationRead(BaseModel):
    """One outbox row as the registrar sees it (the body is left out of lists)."""

    model_config = ConfigDict(from_attributes=True)

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
