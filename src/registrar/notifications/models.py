"""Messages waiting to be sent, written in the same transaction as what they announce."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registrar.db import Base
from registrar.kit.columns import (
    IdMixin,
    TenantMixin,
    TimestampMixin,
    UTCDateTime,
    str_enum,
    utcnow,
)


class NotificationStatus(enum.StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class RecipientKind(enum.StrEnum):
    STUDENT = "STUDENT"
    GUARDIAN = "GUARDIAN"
    REGISTRAR = "REGISTRAR"


class Notification(IdMixin, TenantMixin, TimestampMixin, Base):
    """An outbox row; a worker claims it with FOR UPDATE SKIP LOCKED and sends it."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts"),
        Index(None, "status", "next_attempt_at"),
        Index(None, "student_id"),
    )

    student_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("students.id"))
    recipient_kind: Mapped[RecipientKind] = mapped_column(str_enum(RecipientKind, "recipient_kind"))
    recipient_email: Mapped[str | None] = mapped_column(String(254))
    event: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[NotificationStatus] = mapped_column(
        str_enum(NotificationStatus, "notification_status"), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
