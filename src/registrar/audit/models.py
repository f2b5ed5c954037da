"""The audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, UTCDateTime, utcnow


class AuditEvent(IdMixin, TenantMixin, Base):
    """One recorded action; `details` keeps before/after values and overrides."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "institution_id", "entity_type", "entity_id"),
        Index(None, "institution_id", "occurred_at"),
    )

    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
