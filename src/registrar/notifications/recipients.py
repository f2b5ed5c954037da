"""Who hears of a change to a student's record, and queueing the message for each of them.

The student always; their guardian too at a school (a university's students are adults, and
its records may hold a guardian's address for emergencies only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from registrar.notifications.messages import Message
from registrar.notifications.models import RecipientKind
from registrar.notifications.outbox import enqueue


@dataclass(frozen=True)
class Recipients:
    """The student's address, and their guardian's when the institution is a school."""

    student_id: uuid.UUID
    email: str | None
    guardian_email: str | None = None

    @classmethod
    def of(cls, row: Any, *, school: bool) -> Recipients:
        """From a row with the student's `student_id` (or `id`), `email` and `guardian_email`."""
        student_id = getattr(row, "student_id", None) or row.id
        return cls(student_id, row.email, row.guardian_email if school else None)

    def addresses(self) -> list[tuple[RecipientKind, str | None]]:
        """The student always (the outbox marks a row with no address as failed, so the office
        sees who could not be told), and the guardian when there is one."""
        found: list[tuple[RecipientKind, str | None]] = [(RecipientKind.STUDENT, self.email)]
        if self.guardian_email:
            found.append((RecipientKind.GUARDIAN, self.guardian_email))
        return found


def tell(
    session: Session, institution_id: uuid.UUID, recipients: Recipients, said: Message
) -> None:
    """Queue the message for each recipient, in the caller's transaction."""
    for kind, email in recipients.addresses():
        enqueue(
            session,
            institution_id=institution_id,
            recipient_kind=kind,
            recipient_email=email,
            student_id=recipients.student_id,
            event=said.event,
            subject=said.subject,
            body=said.body,
        )
