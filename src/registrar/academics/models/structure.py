"""Departments, programs, academic years and terms."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, UTCDateTime, str_enum


class ProgramLevel(enum.StrEnum):
    UG = "UG"
    PG = "PG"
    K12 = "K12"


class TermKind(enum.StrEnum):
    ODD = "ODD"
    EVEN = "EVEN"
    FIRST = "FIRST"
    SECOND = "SECOND"
    FULL_YEAR = "FULL_YEAR"


class Department(IdMixin, TenantMixin, TimestampMixin, Base):
    """A department (university) or a school division (K-12)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("institution_id", "code"),)

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class AcademicProgram(IdMixin, TenantMixin, TimestampMixin, Base):
    """A degree program such as B.Tech CSE or MBA, owned by a department."""

    __tablename__ = "academic_programs"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("duration_semesters BETWEEN 1 AND 12", name="duration"),
        Index(None, "department_id"),
    )

    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[ProgramLevel] = mapped_column(str_enum(ProgramLevel, "program_level"))
    duration_semesters: Mapped[int] = mapped_column(Integer, default=8)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship(lazy="raise")


class AcademicYear(IdMixin, TenantMixin, TimestampMixin, Base):
    """An academic year such as `2024-2025`, or a school year `SY2024-2025`."""

    __tablename__ = "academic_years"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("start_date < end_date", name="dates"),
    )

    code: Mapped[str] = mapped_column(String(32))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)


class Term(IdMixin, TenantMixin, TimestampMixin, Base):
    """A calendar term of a year with its registration window; served as a semester."""

    __tablename__ = "terms"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        UniqueConstraint("academic_year_id", "kind"),
        CheckConstraint("start_date < end_date", name="dates"),
        CheckConstraint("registration_start < registration_end", name="registration_window"),
        CheckConstraint(
            "min_credits IS NULL OR max_credits IS NULL OR min_credits <= max_credits",
            name="credit_limits",
        ),
    )

    academic_year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academic_years.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[TermKind] = mapped_column(str_enum(TermKind, "term_kind"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    registration_start: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_end: Mapped[datetime] = mapped_column(UTCDateTime)
    drop_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    min_credits: Mapped[int | None] = mapped_column(Integer)
    max_credits: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    academic_year: Mapped[AcademicYear] = relationship(lazy="raise")
