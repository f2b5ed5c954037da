"""A hold on a student's registration."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, UTCDateTime, str_enum


class HoldType(enum.StrEnum):
    FINANCIAL = "FINANCIAL"
    ACADEMIC = "ACADEMIC"
    DISCIPLINARY = "DISCIPLINARY"
    ADMINISTRATIVE = "ADMINISTRATIVE"


class Hold(IdMixin, TenantMixin, TimestampMixin, Base):
    """Placed by a registrar with a reason; blocks registering (never dropping) while active:
    not released, and not past its expiry."""

    __tablename__ = "holds"
    __table_args__ = (
        Index(None, "student_id", "released_at"),
        CheckConstraint(
            "(released_at IS NULL) = (released_by_user_id IS NULL)", name="released_by"
        ),
    )

    student_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    hold_type: Mapped[HoldType] = mapped_column(str_enum(HoldType, "hold_type"))
    reason: Mapped[str] = mapped_column(String(500))
    placed_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    release_reason: Mapped[str | None] = mapped_column(Text)

    def is_active(self, now: datetime) -> bool:
        """Blocking registration at `now`."""
        return is_active(self.released_at, self.expires_at, now)


def is_active(released_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    """The one meaning of an active hold: not released, and not expired at `now`."""
    return released_at is None and (expires_at is None or expires_at > now)
