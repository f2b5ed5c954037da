"""Queries for the notification outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from registrar.auth.models import Role, User
from registrar.kit.pagination import PageParams, paginate
from registrar.notifications.models import Notification, NotificationStatus


def lock_due(session: Session, *, due_before: datetime, limit: int) -> Sequence[Notification]:
    """Pending rows due by `due_before`, oldest first, locked for this transaction.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers take disjoint rows instead of
    queueing behind each other. SQLite renders no locking clause; there the write session's
    BEGIN IMMEDIATE already lets one claimer at a time in.
    """
    return session.scalars(
        select(Notification)
        .where(
            Notification.status == NotificationStatus.PENDING,
            Notification.next_attempt_at <= due_before,
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def update_claimed(
    session: Session, notification_id: uuid.UUID, *, claimed_attempt: int, **values: Any
) -> bool:
    """Change a claimed row only if the claim still holds; False when another worker took over.

    The attempt number written at claim time is the fencing token: a later claim increments it.
    """
    result = session.connection().execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.PENDING,
            Notification.attempts == claimed_attempt,
        )
        .values(**values)
    )
    return result.rowcount == 1


def page(
    session: Session,
    institution_id: uuid.UUID,
    *,
    status: NotificationStatus | None,
    params: PageParams,
) -> tuple[list[Notification], int]:
    """One page of the institution's notifications, newest first, and how many there are."""
    statement = select(Notification).where(Notification.institution_id == institution_id)
    if status is not None:
        statement = statement.where(Notification.status == status)
    statement = statement.order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(session, statement, params)


def get(
    session: Session, institution_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    """The institution's notification with that id, if any."""
    return session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.institution_id == institution_id
        )
    )


def registrar_emails(session: Session, institution_id: uuid.UUID) -> list[str]:
    """E-mail addresses of the institution's active registrars, each once."""
    found = session.scalars(
        select(User.email)
        .where(
            User.institution_id == institution_id,
            User.role == Role.REGISTRAR,
            User.is_active.is_(True),
            User.email.is_not(None),
            User.email != "",
        )
        .distinct()
        .order_by(User.email)
    )
    return [email for email in found if email]


def depth_by_status(session: Session) -> dict[NotificationStatus, int]:
    """Messages not delivered yet (PENDING) and given up on (FAILED), across institutions."""
    waiting = (NotificationStatus.PENDING, NotificationStatus.FAILED)
    rows = session.execute(
        select(Notification.status, func.count())
        .where(Notification.status.in_(waiting))
        .group_by(Notification.status)
    ).all()
    counts = dict.fromkeys(waiting, 0)
    for status, count in rows:
        counts[status] = count
    return counts
