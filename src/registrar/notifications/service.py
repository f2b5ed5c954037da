"""Announcing things (enqueue), the registrar's view of the outbox, and delivery decisions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.errors import Conflict, NotFound
from registrar.kit.pagination import PageParams
from registrar.notifications import repository
from registrar.notifications.models import Notification, NotificationStatus, RecipientKind
from registrar.notifications.outbox import enqueue
from registrar.notifications.smtp import OutgoingMessage
from registrar.students.models import Student

# --- announcing -------------------------------------------------------------------------------


def notify_student_and_guardian(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student: Student,
    event: str,
    subject: str,
    body: str,
) -> list[uuid.UUID]:
    """Queue the message for the student and, when one is on file, their parent or guardian."""
    queued: list[uuid.UUID] = []
    recipients = (
        (RecipientKind.STUDENT, student.email),
        (RecipientKind.GUARDIAN, student.guardian_email),
    )
    for kind, email in recipients:
        if email:
            queued.append(
                enqueue(
                    session,
                    institution_id=institution_id,
                    recipient_kind=kind,
                    recipient_email=email,
                    event=event,
                    subject=subject,
                    body=body,
                    student_id=student.id,
                )
            )
    return queued


def notify_registrars(
    session: Session,
    *,
    institution_id: uuid.UUID,
    event: str,
    subject: str,
    body: str,
    student_id: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Queue the message for every active registrar of the institution who has an e-mail."""
    return [
        enqueue(
            session,
            institution_id=institution_id,
            recipient_kind=RecipientKind.REGISTRAR,
            recipient_email=email,
            event=event,
            subject=subject,
            body=body,
            student_id=student_id,
        )
        for email in repository.registrar_emails(session, institution_id)
    ]


# --- the registrar's view ---------------------------------------------------------------------


def list_notifications(
    session: Session,
    institution_id: uuid.UUID,
    *,
    status: NotificationStatus | None,
    params: PageParams,
) -> tuple[list[Notification], int]:
    """A page of the institution's notifications, newest first, with the total count."""
    return repository.page(session, institution_id, status=status, params=params)


def retry(
    session: Session,
    *,
    institution_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    notification_id: uuid.UUID,
    now: datetime,
) -> Notification:
    """Put a FAILED notification back in the queue with a fresh set of attempts, audited."""
    notification = repository.get(session, institution_id, notification_id)
    if notification is None:
        raise NotFound("Notification not found")
    if notification.status is not NotificationStatus.FAILED:
        raise Conflict(
            "Only a FAILED notification can be retried",
            details={"status": notification.status.value},
        )
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor_user_id,
        action="notification.retry",
        entity_type="notification",
        entity_id=notification.id,
        details={"attempts": notification.attempts, "last_error": notification.last_error},
    )
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.last_error = None  # kept on the audit event
    notification.next_attempt_at = now
    session.flush()
    return notification


# --- delivery ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A row a worker holds a lease on: `attempt` (its new attempts value) fences the lease."""

    message: OutgoingMessage
    attempt: int
    lease_until: datetime


def claim_due(
    session: Session,
    *,
    now: datetime,
    due_before: datetime,
    limit: int,
    lease_until: datetime,
    max_attempts: int,
) -> tuple[list[Claim], int]:
    """Lease up to `limit` due rows: count the attempt and hide them until `lease_until`.

    Returns the claims and how many rows were taken (claimed or failed). A row with no address,
    or one whose last allowed attempt was interrupted (its worker died mid-send, so it may even
    have arrived), is marked FAILED here instead of being sent.
    """
    claims: list[Claim] = []
    rows = repository.lock_due(session, due_before=due_before, limit=limit)
    for row in rows:
        if not row.recipient_email:
            _fail(row, "no recipient e-mail address", now)
        elif row.attempts >= max_attempts:
            _fail(row, row.last_error or "interrupted during the last attempt", now)
        else:
            row.attempts += 1
            row.next_attempt_at = lease_until
            claims.append(
                Claim(
                    message=OutgoingMessage(
                        id=row.id,
                        recipient=row.recipient_email,
                        event=row.event,
                        subject=row.subject,
                        body=row.body,
                    ),
                    attempt=row.attempts,
                    lease_until=lease_until,
                )
            )
    session.flush()
    return claims, len(rows)


def mark_sent(session: Session, claim: Claim, *, now: datetime) -> bool:
    """Record the delivery; False when the lease had already passed to another worker."""
    return repository.update_claimed(
        session,
        claim.message.id,
        claimed_attempt=claim.attempt,
        status=NotificationStatus.SENT,
        sent_at=now,
        last_error=None,
        updated_at=now,
    )


def mark_failed(
    session: Session,
    claim: Claim,
    error: str,
    *,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    backoff_seconds: float,
) -> NotificationStatus | None:
    """Schedule the next try (backoff * 2**attempts) or give up; None when the lease was lost."""
    if permanent or claim.attempt >= max_attempts:
        status, next_at = NotificationStatus.FAILED, now
    else:
        status = NotificationStatus.PENDING
        next_at = now + timedelta(seconds=backoff_seconds * 2**claim.attempt)
    updated = repository.update_claimed(
        session,
        claim.message.id,
        claimed_attempt=claim.attempt,
        status=status,
        last_error=error[:2000],
        next_attempt_at=next_at,
        updated_at=now,
    )
    return status if updated else None


def release(session: Session, claim: Claim, *, now: datetime) -> bool:
    """Give back a claimed row that was not tried: the attempt does not count, it is due now."""
    return repository.update_claimed(
        session,
        claim.message.id,
        claimed_attempt=claim.attempt,
        attempts=claim.attempt - 1,
        next_attempt_at=now,
        updated_at=now,
    )


def _fail(row: Notification, error: str, now: datetime) -> None:
    row.status = NotificationStatus.FAILED
    row.last_error = error
    row.next_attempt_at = now
