"""Putting messages in the outbox, in the same transaction as the change they announce."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.notifications.models import Notification, RecipientKind


def enqueue(
    session: Session,
    *,
    institution_id: uuid.UUID,
    recipient_kind: RecipientKind,
    recipient_email: str | None,
    event: str,
    subject: str,
    body: str,
    student_id: uuid.UUID | None = None,
) -> Notification:
    """Add a pending notification; a worker delivers it after the transaction commits."""
    notification = Notification(
        institution_id=institution_id,
        student_id=student_id,
        recipient_kind=recipient_kind,
        recipient_email=recipient_email,
        event=event,
        subject=subject,
        body=body,
    )
    session.add(notification)
    return notification
