"""Accounts that can log in."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, str_enum


class Role(enum.StrEnum):
    STUDENT = "STUDENT"
    FACULTY = "FACULTY"
    REGISTRAR = "REGISTRAR"
    ADMIN = "ADMIN"


class User(IdMixin, TenantMixin, TimestampMixin, Base):
    """A login of one institution; students log in with their roll number."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("institution_id", "username"),)

    username: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
