"""Answers remembered for requests sent with an `Idempotency-Key`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, UTCDateTime, utcnow


class IdempotencyKey(IdMixin, TenantMixin, Base):
    """The first answer to a user's request with a key, kept until `expires_at`."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("institution_id", "user_id", "key"),
        Index(None, "expires_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
