"""Putting messages in the outbox, in the same transaction as the change they announce."""

from __future__ import annotations

import uuid

from sqlalchemy import insert
from sqlalchemy.orm import Session

from registrar.kit.core import table_of
from registrar.notifications.models import Notification, RecipientKind

_INSERT = insert(table_of(Notification))

SUBJECT_LENGTH = 200  # notifications.subject is VARCHAR(200)


def fitted(subject: str) -> str:
    """The subject trimmed to its column: a long course name must not fail the enrollment
    the message announces."""
    return subject if len(subject) <= SUBJECT_LENGTH else subject[: SUBJECT_LENGTH - 1] + "…"


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
) -> uuid.UUID:
    """Write a pending notification; a worker delivers it after the transaction commits."""
    notification_id = uuid.uuid4()
    session.execute(
        _INSERT,
        {
            "id": notification_id,
            "institution_id": institution_id,
            "student_id": student_id,
            "recipient_kind": recipient_kind,
            "recipient_email": recipient_email,
            "event": event,
            "subject": fitted(subject),
            "body": body,
        },
    )
    return notification_id
